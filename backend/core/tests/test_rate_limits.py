"""Per-client rate limits on classify (LLM spend) and create, shared through the cache."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from pytest_django import Settings
from rest_framework.test import APIClient

from core.rates import parse_rate_setting
from core.tests.helpers import assert_api_error

if TYPE_CHECKING:
    from rest_framework.response import _MonkeyPatchedResponse

# Triage by rules: the limits are the point here, and a local model trained on first use can
# take longer than a one-minute window on a loaded machine.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rules_triage")]

BACKEND = Path(__file__).resolve().parents[2]
CLASSIFY = "/api/tickets/classify/"
CREATE = "/api/tickets/"
TICKET = {"title": "Printer", "description": "The printer is on fire."}


@pytest.fixture(autouse=True)
def _empty_counters() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def classify(api: APIClient, ip: str = "10.0.0.1", **extra: Any) -> _MonkeyPatchedResponse:
    return api.post(
        CLASSIFY, {"description": "I cannot log in"}, format="json", REMOTE_ADDR=ip, **extra
    )


def test_classify_is_limited_per_client_with_retry_after(
    api: APIClient, settings: Settings
) -> None:
    settings.RATE_LIMIT_CLASSIFY = "3/min"
    assert [classify(api).status_code for _ in range(3)] == [200, 200, 200]

    response = classify(api)
    error = assert_api_error(response, 429)
    assert error["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another client has its own allowance.
    assert classify(api, ip="10.0.0.2").status_code == 200


def test_x_forwarded_for_does_not_buy_a_new_allowance(api: APIClient, settings: Settings) -> None:
    settings.RATE_LIMIT_CLASSIFY = "1/min"
    assert classify(api).status_code == 200
    spoofed = classify(api, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429


def test_create_is_limited_and_reading_is_not(api: APIClient, settings: Settings) -> None:
    settings.RATE_LIMIT_CREATE = "2/hour"
    codes = [api.post(CREATE, TICKET, format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert api.get(CREATE).status_code == 200
    assert int(api.post(CREATE, TICKET, format="json")["Retry-After"]) > 60


def test_off_disables_a_limit(api: APIClient, settings: Settings) -> None:
    settings.RATE_LIMIT_CLASSIFY = None
    assert all(classify(api).status_code == 200 for _ in range(20))


def test_counters_live_in_the_shared_cache(api: APIClient, settings: Settings) -> None:
    """Without REDIS_URL the cache is the database: every process sees the same counters."""
    assert settings.CACHES["default"]["BACKEND"].endswith(("DatabaseCache", "RedisCache"))
    settings.RATE_LIMIT_CLASSIFY = "5/min"
    classify(api, ip="10.9.9.9")
    assert cache.get("throttle_classify_10.9.9.9")


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_limits_work_on_redis(api: APIClient, settings: Settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            # Concurrent test runs must not share counters.
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    settings.RATE_LIMIT_CLASSIFY = "2/min"
    try:
        assert [classify(api).status_code for _ in range(3)] == [200, 200, 429]
    finally:
        cache.clear()


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("30/min", "30/min"), (" 5/Second ", "5/second"), ("100/day", "100/day"), ("off", None)],
)
def test_rate_settings_parse(raw: str, parsed: str | None) -> None:
    assert parse_rate_setting(raw) == parsed


@pytest.mark.parametrize("raw", ["30", "30/fortnight", "-1/min", "0/min", "lots", "30/mi n"])
def test_a_bad_rate_setting_is_refused(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_rate_setting(raw)


def _settings_in_subprocess(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BACKEND,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_typo_in_a_rate_stops_the_server_at_startup() -> None:
    result = _settings_in_subprocess({"RATE_LIMIT_CREATE": "30/minnit"}, "pass")
    assert result.returncode != 0
    assert "RATE_LIMIT_CREATE" in result.stderr


def test_the_cache_is_redis_when_redis_url_is_set() -> None:
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    with_redis = _settings_in_subprocess({"REDIS_URL": "redis://127.0.0.1:6379/0"}, code)
    without = _settings_in_subprocess({"REDIS_URL": ""}, code)
    assert with_redis.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    assert without.stdout.strip() == "core.cache.DatabaseCache"


def test_an_empty_rate_means_the_default() -> None:
    code = "from django.conf import settings; print(settings.RATE_LIMIT_CREATE)"
    result = _settings_in_subprocess({"RATE_LIMIT_CREATE": ""}, code)
    assert result.stdout.strip() == "30/min"
