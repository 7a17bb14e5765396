"""Security headers on every kind of response, CORS closed by default, production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from pytest_django import Settings
from rest_framework.test import APIClient

from core.docs import inline_style_hashes

pytestmark = pytest.mark.django_db

BACKEND = Path(__file__).resolve().parents[2]


def directives(response: HttpResponse) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def built_web_app(tmp_path: Path, settings: Settings) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/index.js"></script>'
    )
    (tmp_path / "assets" / "index.js").write_text("console.log(1)")
    settings.FRONTEND_DIST = tmp_path
    return tmp_path


@pytest.mark.parametrize("url", ["/api/tickets/", "/api/health/", "/", "/tickets/12", "/api/nope/"])
def test_every_response_carries_the_security_headers(
    api: APIClient, built_web_app: Path, url: str
) -> None:
    response = api.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = directives(response)
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]


def test_the_page_policy_allows_no_inline_or_foreign_script(
    api: APIClient, built_web_app: Path
) -> None:
    csp = directives(api.get("/"))
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    sources = {source for values in csp.values() for source in values}
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources


def test_the_api_docs_run_under_the_policy(api: APIClient) -> None:
    page = api.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    # The start-up script is a file of its own, not inline, so script-src 'self' suffices.
    assert "<script>" not in html
    assert 'src="/api/docs/?script' in html
    csp = directives(page)
    assert csp["script-src"] == ["'self'"]
    assert set(inline_style_hashes()) <= set(csp["style-src"])
    script = api.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
    assert "validator.swagger.io" not in script.content.decode()


def test_no_hsts_on_plain_http_in_development(api: APIClient) -> None:
    assert "Strict-Transport-Security" not in api.get("/api/health/")


def test_hsts_over_tls(api: APIClient, settings: Settings) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = api.get("/api/health/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_ssl_redirect_spares_the_health_check(api: APIClient, settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert api.get("/api/tickets/").status_code == 301
    assert api.get("/api/health/").status_code == 200


def test_cors_is_closed_unless_an_origin_is_configured(api: APIClient, settings: Settings) -> None:
    settings.CORS_ALLOWED_ORIGINS = ["https://desk.example.com"]
    foreign = api.get("/api/tickets/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in foreign
    allowed = api.options(
        "/api/tickets/",
        HTTP_ORIGIN="https://desk.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, idempotency-key",
    )
    assert allowed["Access-Control-Allow-Origin"] == "https://desk.example.com"
    assert "idempotency-key" in allowed["Access-Control-Allow-Headers"]


def test_cors_is_closed_by_default(settings: Settings) -> None:
    from django.conf import settings as live

    assert not getattr(live, "CORS_ALLOW_ALL_ORIGINS", False)
    assert os.environ.get("CORS_ALLOWED_ORIGINS") or live.CORS_ALLOWED_ORIGINS == []


# ---- production settings, checked in a fresh process as a deployment would load them -------

PRODUCTION_ENV = {
    "APP_ENV": "production",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "desk.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://desk.example.com",
    "DATABASE_URL": "",
    "REDIS_URL": "",
}


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BACKEND,
        env={**clean, "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path: Path) -> None:
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": ""}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_check_deploy_flags_a_plain_http_production(tmp_path: Path) -> None:
    """Turning TLS off is allowed (a laptop demo) but never silent."""
    env = {
        **PRODUCTION_ENV,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
    }
    result = manage("check", "--deploy", env=env, tmp_path=tmp_path)
    assert "security.W008" in result.stdout + result.stderr


@pytest.mark.parametrize("url", ["/", "/tickets/12"])
def test_client_side_routes_get_the_web_apps_page_uncached(
    api: APIClient, built_web_app: Path, url: str
) -> None:
    response = api.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response.content == (built_web_app / "index.html").read_bytes()
