"""Per-client rate limits whose rates come from settings (`RATE_LIMIT_*`), read on every request.

A client is the signed-in user when there is one (a user behind a shared address is not limited
by the others), and otherwise its IP address as the server sees it (`REMOTE_ADDR`; behind a
proxy, uvicorn's `--proxy-headers` sets it from `X-Forwarded-For` for trusted proxies only, and
DRF's `NUM_PROXIES` is 0 so a client cannot pick its own identity with that header). Counters
live in the default cache: Redis when `REDIS_URL` is set, the database otherwise, so every
process and machine shares them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from core.rates import parse_rate_setting


class SettingRateThrottle(SimpleRateThrottle):
    """A `SimpleRateThrottle` keyed by client IP whose rate is the setting named by `setting`."""

    setting = ""

    def __init__(self) -> None:
        # The base class reads DEFAULT_THROTTLE_RATES here; the rate is read per request instead,
        # so a changed setting (or a test's override) applies at once.
        pass

    def get_rate(self) -> str | None:
        raw = getattr(settings, self.setting)
        return None if raw is None else parse_rate_setting(str(raw), name=self.setting)

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ident = f"user:{user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ClassifyRateThrottle(SettingRateThrottle):
    """Bounds model calls (LLM spend) per client."""

    scope = "classify"
    setting = "RATE_LIMIT_CLASSIFY"


class CreateRateThrottle(SettingRateThrottle):
    """Bounds ticket creation per client (spam, runaway scripts)."""

    scope = "create"
    setting = "RATE_LIMIT_CREATE"


class SignupRateThrottle(SettingRateThrottle):
    """Bounds self sign-ups per client, at the rate of ticket creation."""

    scope = "signup"
    setting = "RATE_LIMIT_CREATE"


class FailureThrottle(SettingRateThrottle):
    """Counts failures only: `allow_request` refuses once the window holds `rate` failures,
    and the view calls `record_failure` when an attempt fails. A success costs nothing, so a
    person who signs in correctly is never limited by their own earlier sign-ins."""

    def throttle_success(self) -> bool:
        return True

    def record_failure(self, request: Request, view: APIView) -> None:
        self.rate = self.get_rate()
        if self.rate is None:
            return
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return
        now = self.timer()
        duration = self.duration or 0
        history = [t for t in self.cache.get(self.key, []) if t > now - duration]
        history.insert(0, now)
        self.cache.set(self.key, history, duration)


class LoginAddressThrottle(FailureThrottle):
    """Failed sign-ins from one client address (password spraying across accounts)."""

    scope = "login_address"
    setting = "RATE_LIMIT_LOGIN_ADDRESS"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginAccountThrottle(FailureThrottle):
    """Failed sign-ins on one account (the email tried), from any address (guessing one
    person's password from many machines)."""

    scope = "login_account"
    setting = "RATE_LIMIT_LOGIN_ACCOUNT"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return _email_cache_key(self, request)


def _email_cache_key(throttle: SettingRateThrottle, request: Request) -> str | None:
    """The key of the email address in the request body (none without one)."""
    data = request.data
    email = data.get("email") if isinstance(data, dict) else None
    if not isinstance(email, str) or not email.strip():
        return None
    # Hashed: the cache key stays short and safe whatever was typed.
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return throttle.cache_format % {"scope": throttle.scope, "ident": digest}


class PasswordResetAddressThrottle(SettingRateThrottle):
    """Reset requests from one client address, at the rate of failed sign-ins per address:
    every request counts, since each may send an email."""

    scope = "password_reset_address"
    setting = "RATE_LIMIT_LOGIN_ADDRESS"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PasswordResetAccountThrottle(SettingRateThrottle):
    """Reset requests for one address, from anywhere (flooding one person's inbox), at the rate
    of failed sign-ins per account; every request counts."""

    scope = "password_reset_account"
    setting = "RATE_LIMIT_LOGIN_ACCOUNT"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return _email_cache_key(self, request)


class PasswordResetConfirmThrottle(LoginAddressThrottle):
    """Failed reset confirmations (a bad token) from one client address."""

    scope = "password_reset_confirm"
