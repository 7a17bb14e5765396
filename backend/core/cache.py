"""The database cache that holds the rate-limit counters when there is no Redis."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache, writing without waiting for PostgreSQL to flush its log.

    Every rate-limited request (filing a ticket) writes its counter in a transaction of its
    own, and a synchronous commit waits for the disk: about 4 ms here (bench/RESULTS.md), as
    long as the rest of the write. A counter lost in a crash costs nothing, so its commit is
    asynchronous (`SET LOCAL synchronous_commit TO OFF`: this transaction only; the tickets'
    own commits still wait). A write inside a caller's transaction is left to that
    transaction, and SQLite is left as it is.
    """

    @contextmanager
    def _async_commit(self) -> Iterator[None]:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            yield
            return
        with transaction.atomic(using=db):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            yield

    def set(
        self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        with self._async_commit():
            super().set(key, value, timeout, version)

    def add(
        self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        with self._async_commit():
            return super().add(key, value, timeout, version)

    def touch(self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        with self._async_commit():
            return super().touch(key, timeout, version)
