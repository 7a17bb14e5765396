"""How "ticket N changed" travels from the process that wrote it to every process's hub.

One small interface, two implementations chosen by the database:

* `PostgresTransport`: `publish` sends `NOTIFY ticket_events` with `{"event", "id"}`; each
  process holds one LISTEN connection (psycopg 3, async) while it has open streams, so a change
  made through any process (or machine) reaches the streams of all of them.
* `InProcessTransport` (SQLite: one process on a laptop): `publish` hands the change straight to
  this process's hub; there is nothing to listen to.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any, Protocol

from django.db import connection

logger = logging.getLogger(__name__)

CHANNEL = "ticket_events"


class Receiver(Protocol):
    """What a transport needs from the hub it feeds."""

    listening: asyncio.Event

    def has_subscribers(self) -> bool: ...

    def receive(self, name: str, ticket_id: int) -> None: ...

    def resync_all(self) -> None: ...


class Transport:
    #: Whether changes come from other processes, so the hub must listen before a stream reads
    #: its first snapshot (or a change could fall between the two).
    cross_process = False

    def publish(self, name: str, ticket_id: int) -> None:
        """Send a change to every process's hub. Call after the change commits. May raise."""
        raise NotImplementedError

    async def listen(self, receiver: Receiver) -> None:
        """Feed `receiver` with the changes published anywhere while it has subscribers."""


class InProcessTransport(Transport):
    def __init__(self, deliver: Callable[[str, int], None]) -> None:
        self._deliver = deliver

    def publish(self, name: str, ticket_id: int) -> None:
        self._deliver(name, ticket_id)


class PostgresTransport(Transport):
    cross_process = True

    def publish(self, name: str, ticket_id: int) -> None:
        with connection.cursor() as cursor:
            payload = json.dumps({"event": name, "id": ticket_id})
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])

    async def listen(self, receiver: Receiver) -> None:
        """LISTEN, reconnecting with backoff; after a reconnection every stream resyncs, since
        what happened meanwhile is unknown."""
        import psycopg

        delay = 0.5
        while receiver.has_subscribers():
            try:
                params = _connection_params()
                async with await psycopg.AsyncConnection.connect(autocommit=True, **params) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    if delay > 0.5:
                        receiver.resync_all()
                    delay = 0.5
                    receiver.listening.set()
                    async for notify in conn.notifies():
                        _receive(receiver, notify.payload)
                        if not receiver.has_subscribers():
                            break
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Event stream lost its LISTEN connection; retrying.", exc_info=True)
            receiver.listening.clear()
            if not receiver.has_subscribers():
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)


def _receive(receiver: Receiver, payload: str) -> None:
    try:
        message = json.loads(payload)
        receiver.receive(str(message["event"]), int(message["id"]))
    except (ValueError, KeyError, TypeError):
        logger.warning("Ignoring a malformed %s notification: %r", CHANNEL, payload)


def _connection_params() -> dict[str, Any]:
    """Connection parameters of the default database, for a plain psycopg connection."""
    params = dict(connection.get_connection_params())
    for django_only in ("cursor_factory", "context", "server_side_binding", "pool"):
        params.pop(django_only, None)
    return params


def for_database(deliver_local: Callable[[str, int], None]) -> Transport:
    """The transport for the default database; `deliver_local` feeds this process's hub."""
    if connection.vendor == "postgresql":
        return PostgresTransport()
    return InProcessTransport(deliver_local)
