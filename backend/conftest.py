"""Shared test fixtures.

The suite runs twice in `make test`: on SQLite, and on PostgreSQL (`DATABASE_URL` set from
`TEST_DATABASE_URL`). Network access beyond loopback fails loudly: only third parties are faked,
and they are faked by local servers.
"""

from __future__ import annotations

import ipaddress
import socket
import warnings
from collections.abc import Callable, Iterator
from importlib import import_module
from typing import Any

import pytest
import schemathesis
from django.apps import apps as django_apps
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import override_settings
from pytest_django import Settings
from rest_framework.test import APIClient

from tickets.tests.providers import FIXED, RULES, FixedProvider
from triage import chain

_real_connect = socket.socket.connect


def _is_local(address: Any) -> bool:
    if isinstance(address, str | bytes):  # a Unix socket path
        return True
    host = address[0]
    if host in {"localhost"}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: Any, address: Any) -> None:
    if not _is_local(address):
        raise RuntimeError(f"Tests must not reach the network (tried {address!r}).")
    _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test databases, plus: before a PostgreSQL test database is dropped, any
    session still connected to it (this process's pool closed first) is ended and named in a
    warning, instead of the drop failing with "is being accessed by other users" and leaving
    the database behind (seen in 2 of 4 CI runs after the API moved to a pool of server
    threads, never reproduced alone): the warning says whose session it was."""
    yield
    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        connection.close()
        connection.close_pool()  # type: ignore[attr-defined]  # this process's idle pooled ones
        # From the server's maintenance database, unpooled: a pooled cursor here would open
        # a new pool on the test database (two sessions) before looking.
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                """SELECT pid, application_name, state, backend_start, left(query, 120)
                   FROM pg_stat_activity WHERE datname = %s""",
                [name],
            )
            for pid, application, state, started, query in cursor.fetchall():
                warnings.warn(
                    f"test database teardown: ended session {pid} ({application!r}, {state}, "
                    f"since {started:%H:%M:%S}), last query: {query}",
                    stacklevel=1,
                )
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture(autouse=True, scope="session")
def _scratch_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or write the developer's trained model under var/."""
    with override_settings(TRIAGE_MODEL_DIR=tmp_path_factory.mktemp("triage-models")):
        yield


@pytest.fixture(autouse=True)
def _fresh_triage(settings: Settings) -> Iterator[None]:
    """Each test starts with the configured providers and an empty suggestion cache."""
    chain.reset()
    yield
    chain.reset()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Settings) -> None:
    """No test is throttled by accident; the rate-limit tests set the limits they check."""
    settings.RATE_LIMIT_CLASSIFY = None
    settings.RATE_LIMIT_CREATE = None
    settings.RATE_LIMIT_LOGIN_ACCOUNT = None
    settings.RATE_LIMIT_LOGIN_ADDRESS = None
    # Stats are computed afresh on each request: the tests change tickets between two reads
    # (`tickets/tests/test_stats.py` tests the reuse itself).
    settings.SLA_STATS_MAX_AGE = 0
    # Likewise the SLA policies and calendar: a rolled-back test's rows must not outlive it
    # (`sla/tests/test_rules_reuse.py` tests the reuse itself).
    settings.SLA_RULES_MAX_AGE = 0


@pytest.fixture
def triage_providers(settings: Any) -> Callable[..., None]:
    """Configure the triage chain with the given provider paths for this test."""

    def use(*paths: str) -> None:
        settings.TRIAGE_PROVIDERS = list(paths)
        chain.reset()

    return use


@pytest.fixture
def rules_triage(triage_providers: Callable[..., None]) -> None:
    """Triage with the rules provider only: real, instant and deterministic. The configured
    chain may put model-backed providers first; those are tested in backend/triage/."""
    triage_providers(RULES)


@pytest.fixture
def fixed_triage(triage_providers: Callable[..., None]) -> type[FixedProvider]:
    """Triage always answers technical/critical (confidences 0.9/0.7) as provider "fixed"."""
    FixedProvider.seen.clear()
    triage_providers(FIXED)
    return FixedProvider


# The inbound email webhook takes a raw message (`message/rfc822`): the schema fuzzers send
# whatever bytes they generate as the message, like the octet streams they know.
schemathesis.serializer.alias("message/rfc822", "application/octet-stream")


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """For tests that call the real WSGI handler (schemathesis): it closes connections around
    each request, which would close the test's transaction on PostgreSQL; Django's own test
    client detaches the same receivers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def sla_defaults(db: None) -> None:
    """The default SLA policies and calendar, as migration sla/0002 seeds them. A transactional
    test elsewhere in the run empties every table afterwards, seeded rows included, so tests that
    need them put them back (idempotent: get_or_create)."""
    import_module("sla.migrations.0002_defaults").seed(django_apps, None)
