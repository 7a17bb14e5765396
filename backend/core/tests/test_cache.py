"""The database cache (rate-limit counters without Redis) commits its writes asynchronously on
PostgreSQL, and only its own."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.cache import DatabaseCache

ASYNC = "SET LOCAL synchronous_commit TO OFF"


@pytest.fixture
def db_cache(transactional_db: None) -> DatabaseCache:
    cache = DatabaseCache("django_cache", {})  # the settings' own when Redis is not configured
    cache.clear()
    return cache


def test_a_write_stores_and_reads_back(db_cache: DatabaseCache) -> None:
    with CaptureQueriesContext(connection) as queries:
        db_cache.set("throttle_create_127.0.0.1", [1.5, 2.5], 60)
    assert db_cache.get("throttle_create_127.0.0.1") == [1.5, 2.5]
    assert db_cache.add("throttle_create_127.0.0.1", [9.0], 60) is False
    statements = [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "postgresql":
        # In its own transaction, before the write.
        write = next(i for i, sql in enumerate(statements) if sql.startswith(("INSERT", "UPDATE")))
        assert statements.index("BEGIN") < statements.index(ASYNC) < write
    else:
        assert ASYNC not in statements


def test_a_write_inside_a_callers_transaction_is_left_to_it(db_cache: DatabaseCache) -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        db_cache.set("key", "value", 60)
    assert ASYNC not in [q["sql"] for q in queries.captured_queries]
    assert db_cache.get("key") == "value"
