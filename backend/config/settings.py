"""Settings, read from the environment (12-factor). Every variable is documented once, in the
README's Settings table.

`APP_ENV=development` (the default) is for a laptop: a secret key is generated once and kept under
`var/`. `APP_ENV=production` refuses to start without `SECRET_KEY` and turns on the secure defaults.
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from core.rates import parse_rate_setting

BASE_DIR = Path(__file__).resolve().parent.parent
ROOT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", ROOT_DIR / "var"))
FRONTEND_DIST = Path(os.environ.get("FRONTEND_DIST", ROOT_DIR / "frontend" / "dist"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


APP_ENV = os.environ.get("APP_ENV", "development").strip().lower()
if APP_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("APP_ENV must be 'development' or 'production'.")
PRODUCTION = APP_ENV == "production"
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when APP_ENV=production.")
    # A laptop install keeps one generated key so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "core",
    "accounts",
    "tickets",
    # Subscribers to the tickets' domain events hear of a change in this order: the triage
    # learning loop counts a person's label before the live stream tells pages to refresh.
    "triage",
    "routing",
    "conversations",
    "intake",
    # After intake, before events: a ticket's targets are set before the stream reads it.
    "sla",
    "mail",
    "events",
    "audit",
    "devtools",
]

# Header-setting middleware sits above WhiteNoise so the files it serves get the headers too.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "audit.middleware.ChangeSourceMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# Database: SQLite under var/ by default, PostgreSQL (or anything dj-database-url knows) by URL.
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or DEFAULT_SQLITE
_db: dict[str, Any] = dict(
    dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _db["CONN_MAX_AGE"] = 0
    # WAL lets readers work while a write is in flight; IMMEDIATE takes the write lock up front
    # so two writers queue on the busy timeout instead of failing with "database is locked".
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
if _db["ENGINE"] == "django.db.backends.postgresql":
    # Under ASGI every request runs on a thread of its own, so Django's per-thread persistent
    # connections would be opened anew for each request (a few ms each) and left behind until
    # PostgreSQL runs out of slots. A pool per process shares a few connections instead.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"].setdefault(
        "pool",
        {
            "min_size": env_int("DB_POOL_MIN_SIZE", 2),
            "max_size": env_int("DB_POOL_MAX_SIZE", 10),
            "timeout": env_float("DB_POOL_TIMEOUT", 10.0),
        },
    )
DATABASES = {"default": _db}
# Threads per server process that run the API's (synchronous) requests; the event stream waits on
# the event loop instead (core.serving). On PostgreSQL keep it at most DB_POOL_MAX_SIZE, or
# requests queue for a connection.
WEB_THREADS = env_int("WEB_THREADS", 8)
if WEB_THREADS < 1:
    raise ImproperlyConfigured("WEB_THREADS must be at least 1.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Rate-limit counters must be shared by every process: without Redis they live in the
    # database (the table is created by `migrate`, see core.apps).
    CACHES = {
        "default": {
            "BACKEND": "core.cache.DatabaseCache",
            "LOCATION": "django_cache",
            # One row per active client and limit; past this many the backend drops rows (and
            # with them counters) early. Expired rows are purged first, so this is per minute.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The built web app (index.html, /assets/...) is served from the site root by WhiteNoise.
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.is_dir() else None
WHITENOISE_MAX_AGE = 3600

# Requests: bodies are small JSON documents; anything larger is refused with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_BODY_BYTES", 64 * 1024)

# CORS: closed unless origins are listed (the web app is same-origin and needs none).
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_HEADERS = ["accept", "content-type", "idempotency-key", "authorization", "x-csrftoken"]
CORS_EXPOSE_HEADERS = [
    "Link",
    "X-Total-Count",
    "X-Total-Count-Exact",
    "Retry-After",
    "Location",
    "Idempotent-Replayed",
]
CORS_URLS_REGEX = r"^/api/.*$"

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    # The token class comes first: its `WWW-Authenticate` header is what makes DRF answer an
    # anonymous request 401 rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every view names the action of each method; the table in accounts.permissions decides.
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.ActionPermission"],
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "accounts.schema.AutoSchema",
    # The client's address is REMOTE_ADDR, never a client-supplied X-Forwarded-For (uvicorn's
    # --proxy-headers rewrites REMOTE_ADDR for trusted proxies only).
    "NUM_PROXIES": 0,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Triagedesk API",
    "DESCRIPTION": "Support tickets with AI triage.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are public in every access mode, whatever credentials come along.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files are served by us, not a CDN: the docs work offline and under a strict CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to validator.swagger.io: it would leak the schema URL and break the CSP.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.require_request_bodies",
        "tickets.api.schema.requester_is_optional",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CategoryEnum": "tickets.models.Category",
        "PriorityEnum": "tickets.models.Priority",
        "StatusEnum": "tickets.models.Status",
        "RoleEnum": "accounts.models.Role",
    },
}

# Access (see the README, "Accounts and access"). `open`: no sign-in, every caller acts as an
# agent (the seed's contract); `accounts`: every call but health, schema, docs, sign-in and
# sign-up needs a user, and what it may do follows its role.
ACCESS_MODE = os.environ.get("ACCESS_MODE", "").strip().lower() or (
    "accounts" if PRODUCTION else "open"
)
if ACCESS_MODE not in {"open", "accounts"}:
    raise ImproperlyConfigured("ACCESS_MODE must be 'open' or 'accounts'.")
SIGNUP = os.environ.get("SIGNUP", "").strip().lower() or "off"
if SIGNUP not in {"open", "off"}:
    raise ImproperlyConfigured("SIGNUP must be 'open' or 'off'.")
AUTH_USER_MODEL = "accounts.User"
# Argon2id first: new and re-hashed passwords use it; the others only verify older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)
# The web app reads the CSRF cookie and sends it back as `X-CSRFToken` on writes.
CSRF_COOKIE_HTTPONLY = False
# The first admin, created at start when no admin exists (`manage.py ensure_admin`).
ADMIN_EMAIL = os.environ.get("ADMIN_EMAIL", "").strip()
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "")

# Tickets
TICKET_DESCRIPTION_MAX_LENGTH = 10_000
TICKET_PAGE_SIZE = env_int("TICKET_PAGE_SIZE", 50)
TICKET_PAGE_SIZE_MAX = 200

# Abuse and fault handling (see the README, "Operations & security").
# Per client IP, shared by all processes through the cache; "off" disables a limit.
RATE_LIMIT_CLASSIFY = parse_rate_setting(
    os.environ.get("RATE_LIMIT_CLASSIFY", "").strip() or "60/min", name="RATE_LIMIT_CLASSIFY"
)
RATE_LIMIT_CREATE = parse_rate_setting(
    os.environ.get("RATE_LIMIT_CREATE", "").strip() or "30/min", name="RATE_LIMIT_CREATE"
)
# Failed sign-ins, per account (the email tried) and per client address.
RATE_LIMIT_LOGIN_ACCOUNT = parse_rate_setting(
    os.environ.get("RATE_LIMIT_LOGIN_ACCOUNT", "").strip() or "10/hour",
    name="RATE_LIMIT_LOGIN_ACCOUNT",
)
RATE_LIMIT_LOGIN_ADDRESS = parse_rate_setting(
    os.environ.get("RATE_LIMIT_LOGIN_ADDRESS", "").strip() or "60/hour",
    name="RATE_LIMIT_LOGIN_ADDRESS",
)
# How long a POST's Idempotency-Key is remembered (purge_idempotency_keys deletes older ones).
IDEMPOTENCY_KEY_TTL = env_int("IDEMPOTENCY_KEY_TTL", 24 * 3600)
# Retry-After (seconds) on a 503 while the database is unreachable.
RETRY_AFTER_UNAVAILABLE = env_int("RETRY_AFTER_UNAVAILABLE", 5)

# Security headers. HTTPS settings default on in production; set SECURE_SSL_REDIRECT=false only
# when no TLS is in front (a laptop demo), and `check --deploy` will then say so.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# Container health checks call plain HTTP on loopback.
SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]
# Browsers only honour HSTS received over HTTPS, so sending it never locks out a plain-HTTP demo.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# The built web app is /assets/*.js and *.css only: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Triage: providers tried in order; the last one must never fail (the README's Settings table
# explains each setting). The LLM is first only when a key is set: with no key the product still
# triages, locally and in milliseconds.
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "").strip()
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "").strip() or None
OPENAI_MODEL = os.environ.get("OPENAI_MODEL", "").strip() or "gpt-6-luna"
# Sent as `reasoning_effort` unless empty (set it empty for servers or models that reject it).
OPENAI_REASONING_EFFORT = os.environ.get("OPENAI_REASONING_EFFORT", "none").strip()
# Seconds for the whole LLM call, retry included; past it the next provider answers.
OPENAI_TIMEOUT = env_float("OPENAI_TIMEOUT", 8.0)
OPENAI_MAX_OUTPUT_TOKENS = env_int("OPENAI_MAX_OUTPUT_TOKENS", 200)
TRIAGE_PROVIDERS = env_list("TRIAGE_PROVIDERS") or [
    *(["triage.providers.llm.LLMProvider"] if OPENAI_API_KEY else []),
    "triage.providers.local.LocalModelProvider",
    "triage.providers.rules.RulesProvider",
]
TRIAGE_CACHE_SIZE = env_int("TRIAGE_CACHE_SIZE", 2048)
# Ticket text sent to the LLM is cut to this many (estimated) tokens; few-shot examples are the
# organisation's latest human-labelled tickets, at most this many.
TRIAGE_LLM_INPUT_TOKENS = env_int("TRIAGE_LLM_INPUT_TOKENS", 1000)
TRIAGE_LLM_FEW_SHOT = env_int("TRIAGE_LLM_FEW_SHOT", 8)
# A provider whose weaker label confidence is under its threshold declines to the next one.
TRIAGE_LLM_MIN_CONFIDENCE = env_float("TRIAGE_LLM_MIN_CONFIDENCE", 0.0)
TRIAGE_LOCAL_MIN_CONFIDENCE = env_float("TRIAGE_LOCAL_MIN_CONFIDENCE", 0.0)
# Routing trusts triage's category only this sure (the weaker of its two confidences): below it
# a new ticket is left for a person to route (`needs_triage`). 0.4 from bench/RESULTS.md
# ("Routing confidence"): the local model's tickets under it are right less than half the time.
ROUTING_MIN_CONFIDENCE = env_float("ROUTING_MIN_CONFIDENCE", 0.4)
# The local model: trained from the seed corpus plus human-labelled tickets, kept under var/.
TRIAGE_MODEL_DIR = Path(os.environ.get("TRIAGE_MODEL_DIR", VAR_DIR / "models"))
TRIAGE_SEED_DIR = BASE_DIR / "triage" / "seed"
TRIAGE_RETRAIN_EVERY = env_int("TRIAGE_RETRAIN_EVERY", 50)
TRIAGE_HUMAN_WEIGHT = env_float("TRIAGE_HUMAN_WEIGHT", 3.0)
# A model of the organisation's own labels alone is blended with the seed-trained one, with the
# share n / (n + TRIAGE_ORG_HALF) after n labels: at this many labels the two count equally.
# 0 turns the organisation's own model off.
TRIAGE_ORG_HALF = env_float("TRIAGE_ORG_HALF", 50.0)
# Once the guard's held-out slice holds this many people-chosen labels for category (or for
# priority), that label is judged on them alone instead of mostly on seed rows. 30 is about
# eight rows per label: every label is likely represented several times and one row moves the
# macro-F1 by a few hundredths at most, where fewer rows would make the comparison a coin toss.
TRIAGE_GUARD_MIN_HUMAN = max(1, env_int("TRIAGE_GUARD_MIN_HUMAN", 30))
# Once a field has TRIAGE_GUARD_MIN_HUMAN people's labels, each retrain cross-validates over all
# of them in this many folds (seed rows in every fold's fit): the organisation's own model's share
# is chosen on them, and the guard compares the candidate's out-of-fold answers with the live
# model's on the labels it never saw. Each fold costs about one fit of the model; below 2, the
# share stays n / (n + TRIAGE_ORG_HALF) and the guard judges on the held-out slice alone.
TRIAGE_GUARD_FOLDS = env_int("TRIAGE_GUARD_FOLDS", 5)

# Email in and out (see the README, "Email"). The support address sends everything and receives
# replies at its +tag form (support+<ticket>-<mac>@domain).
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "").strip() or "support@localhost"
# The inbound webhook (POST /api/inbound/email/) answers 404 until a secret is set.
INBOUND_EMAIL_SECRET = os.environ.get("INBOUND_EMAIL_SECRET", "").strip()
# A mailbox the worker polls: imaps://user:pass@host[:port]/INBOX (imap:// only on loopback).
IMAP_URL = os.environ.get("IMAP_URL", "").strip()
IMAP_POLL_INTERVAL = env_float("IMAP_POLL_INTERVAL", 60.0)
# Outbound: dj-email-url's scheme (smtp://, submission:// with STARTTLS, smtps://, console://).
EMAIL_URL = os.environ.get("EMAIL_URL", "").strip() or (
    "smtp://localhost:25" if PRODUCTION else "console://"
)
_email = dj_email_url.parse(EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT") or 10
DEFAULT_FROM_EMAIL = SUPPORT_EMAIL
SERVER_EMAIL = SUPPORT_EMAIL
# A whole inbound message (webhook body) and each attachment kept; larger attachments are
# dropped with a note in the text, larger messages refused with 413.
MAIL_INBOUND_MAX_BYTES = env_int("MAIL_INBOUND_MAX_BYTES", 25 * 1024 * 1024)
MAIL_ATTACHMENT_MAX_BYTES = env_int("MAIL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
MAIL_NOTIFY_RECEIVED = env_bool("MAIL_NOTIFY_RECEIVED", True)
MAIL_NOTIFY_RESOLVED = env_bool("MAIL_NOTIFY_RESOLVED", True)
# A breached SLA target emails the assignee (else the team's active agents) once.
MAIL_NOTIFY_SLA_BREACH = env_bool("MAIL_NOTIFY_SLA_BREACH", True)
# Mail from one sender past this is dropped (counted in the database, so across processes).
MAIL_RATE_LIMIT = parse_rate_setting(
    os.environ.get("MAIL_RATE_LIMIT", "").strip() or "20/hour", name="MAIL_RATE_LIMIT"
)
MAIL_SEND_MAX_ATTEMPTS = max(1, env_int("MAIL_SEND_MAX_ATTEMPTS", 6))
MAIL_SEND_RETRY_SECONDS = env_float("MAIL_SEND_RETRY_SECONDS", 30.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Service levels (the `sla` app). A running target is "at risk" once less than this fraction of
# it is left; the moment is stored on the ticket, so a change applies to tickets computed after
# it (`manage.py sla_backfill --all` recomputes the rest).
SLA_AT_RISK_FRACTION = min(1.0, max(0.0, env_float("SLA_AT_RISK_FRACTION", 0.2)))
# How often (seconds) `manage.py sla_schedule` queues the breach sweep for the worker.
SLA_SWEEP_INTERVAL = max(1, env_int("SLA_SWEEP_INTERVAL", 60))
# How long (seconds) the dashboard's 30-day attainment figures are reused from the cache before
# the database computes them again (0: every request). They aggregate every ticket of the last
# 30 days, hundreds of milliseconds for 100,000 of them; the live counts are never cached.
SLA_STATS_MAX_AGE = max(0, env_int("SLA_STATS_MAX_AGE", 60))
# How long (seconds) each process reuses the SLA policies and business calendar it read (0: read
# them for every ticket). A change made in one process is seen there at once, elsewhere within
# this many seconds.
SLA_RULES_MAX_AGE = max(0, env_int("SLA_RULES_MAX_AGE", 10))
