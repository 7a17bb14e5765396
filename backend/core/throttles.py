"""Per-client rate limits whose rates come from settings (`RATE_LIMIT_*`), read on every request.

A client is its IP address as the server sees it (`REMOTE_ADDR`; behind a proxy, uvicorn's
`--proxy-headers` sets it from `X-Forwarded-For` for trusted proxies only, and DRF's
`NUM_PROXIES` is 0 so a client cannot pick its own identity with that header). Counters live in
the default cache: Redis when `REDIS_URL` is set, the database otherwise, so every process and
machine shares them.
"""

from __future__ import annotations

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

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ClassifyRateThrottle(SettingRateThrottle):
    """Bounds model calls (LLM spend) per client."""

    scope = "classify"
    setting = "RATE_LIMIT_CLASSIFY"


class CreateRateThrottle(SettingRateThrottle):
    """Bounds ticket creation per client (spam, runaway scripts)."""

    scope = "create"
    setting = "RATE_LIMIT_CREATE"
