"""One hub per server process: receives ticket changes and fans them out to the open streams.

Where changes come from:

* PostgreSQL: `announce()` (called by the services after commit) sends `NOTIFY ticket_events`
  with `{"event": ..., "id": ...}`. Every process holds one LISTEN connection (psycopg 3, async),
  so a change made through any process reaches the streams of all of them.
* Other databases (SQLite, a laptop with one process): `announce()` hands the change straight to
  this process's hub.

The hub reads each changed ticket once per process (not once per stream), serialises it with
the API's TicketSerializer, and puts the event on every subscriber's bounded queue. Fresh stats
follow each burst of changes, at most every `EVENTS_STATS_INTERVAL` seconds. Database reads run
on one dedicated thread, so the event loop never blocks and the hub holds one connection.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import close_old_connections, connection

from events import conf, payloads
from events.payloads import Event

logger = logging.getLogger(__name__)

CHANNEL = "ticket_events"
T = TypeVar("T")


# Put on a subscriber's queue in place of the events it could not hold: the stream then reloads
# what it missed from the database instead of buffering without bound.
OVERFLOW = Event(name="overflow", data="")


@dataclass(eq=False)
class Subscriber:
    queue: asyncio.Queue[Event] = field(
        default_factory=lambda: asyncio.Queue(maxsize=conf.queue_size())
    )
    overflowed: bool = False

    def offer(self, event: Event) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            # Drop what is queued and leave one marker: memory stays bounded whatever the client.
            self.overflowed = True
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(OVERFLOW)


class Hub:
    """Subscribers of this process and the task that feeds them. Lives on one event loop."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.subscribers: set[Subscriber] = set()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="events-db")
        self._pending: dict[int, str] = {}
        self._flush_scheduled = False
        self._stats_due = False
        self._stats_task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    # -- subscribers ---------------------------------------------------------------------

    def subscribe(self) -> Subscriber:
        """Register a stream; starts the LISTEN task with the first one (PostgreSQL)."""
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self._restart(loop)
        subscriber = Subscriber()
        self.subscribers.add(subscriber)
        if connection.vendor == "postgresql" and (self._listener is None or self._listener.done()):
            self._listener = loop.create_task(self._listen())
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)

    def _restart(self, loop: asyncio.AbstractEventLoop) -> None:
        # A new event loop (tests, a reloaded server): tasks of the old one are gone with it.
        self.loop = loop
        self.subscribers = set()
        self._pending = {}
        self._flush_scheduled = False
        self._listener = None
        self._stats_task = None
        self.listening = asyncio.Event()

    def close(self) -> None:
        """Close the hub thread's database connection (tests, before dropping a database)."""
        self._executor.submit(lambda: connection.close()).result()

    async def run_db(self, function: Callable[..., T], *args: Any) -> T:
        """Run `function` on the hub's database thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _with_connection, function, *args)

    # -- incoming changes --------------------------------------------------------------

    def deliver_local(self, name: str, ticket_id: int) -> None:
        """Thread-safe entry for in-process delivery (databases without LISTEN/NOTIFY)."""
        loop = self.loop
        if loop is None or loop.is_closed() or not self.subscribers:
            return
        loop.call_soon_threadsafe(self.receive, name, ticket_id)

    def receive(self, name: str, ticket_id: int) -> None:
        """A ticket changed: batch it with others arriving in the same few milliseconds."""
        if name == "ticket.created" or ticket_id not in self._pending:
            self._pending[ticket_id] = name
        if not self._flush_scheduled and self.loop is not None:
            self._flush_scheduled = True
            self.loop.call_later(conf.batch_seconds(), self._start_flush)

    def _start_flush(self) -> None:
        assert self.loop is not None
        self._flush_scheduled = False
        pending, self._pending = self._pending, {}
        if pending and self.subscribers:
            self.loop.create_task(self._flush(pending))

    async def _flush(self, pending: dict[int, str]) -> None:
        try:
            events = await self.run_db(payloads.ticket_events, pending)
        except Exception:
            logger.exception("Could not read changed tickets for the event stream.")
            return
        for event in events:
            self.broadcast(event)
        self._request_stats()

    def broadcast(self, event: Event) -> None:
        for subscriber in list(self.subscribers):
            subscriber.offer(event)

    def resync_all(self) -> None:
        """Every stream may have missed changes (the LISTEN connection dropped)."""
        for subscriber in list(self.subscribers):
            subscriber.offer(OVERFLOW)
            subscriber.overflowed = True

    # -- stats -------------------------------------------------------------------------

    def _request_stats(self) -> None:
        self._stats_due = True
        if self._stats_task is None or self._stats_task.done():
            assert self.loop is not None
            self._stats_task = self.loop.create_task(self._stats_loop())

    async def _stats_loop(self) -> None:
        # At most one stats computation per interval however many tickets change: the
        # dashboard needs the latest figures, not one per change.
        while self._stats_due and self.subscribers:
            self._stats_due = False
            try:
                data = await self.run_db(payloads.stats_json)
            except Exception:
                logger.exception("Could not compute stats for the event stream.")
            else:
                self.broadcast(Event(name="stats", data=data))
            await asyncio.sleep(conf.stats_interval())

    # -- PostgreSQL LISTEN -------------------------------------------------------------

    async def _listen(self) -> None:
        import psycopg

        delay = 0.5
        while self.subscribers:
            try:
                params = _listen_params()
                async with await psycopg.AsyncConnection.connect(autocommit=True, **params) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    if delay > 0.5:
                        self.resync_all()  # reconnected: what happened meanwhile is unknown
                    delay = 0.5
                    self.listening.set()
                    async for notify in conn.notifies():
                        self._on_notify(notify.payload)
                        if not self.subscribers:
                            break
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Event stream lost its LISTEN connection; retrying.", exc_info=True)
            self.listening.clear()
            if not self.subscribers:
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
        self._listener = None

    def _on_notify(self, payload: str) -> None:
        try:
            message = json.loads(payload)
            self.receive(str(message["event"]), int(message["id"]))
        except (ValueError, KeyError, TypeError):
            logger.warning("Ignoring a malformed %s notification: %r", CHANNEL, payload)


def _with_connection(function: Callable[..., T], *args: Any) -> T:
    # The hub thread's connection follows the same rules as a request's: reused up to
    # CONN_MAX_AGE, replaced when broken.
    close_old_connections()
    try:
        return function(*args)
    finally:
        close_old_connections()


def _listen_params() -> dict[str, Any]:
    """Connection parameters of the default database, for a plain psycopg connection."""
    params = dict(connection.get_connection_params())
    for django_only in ("cursor_factory", "context", "server_side_binding", "pool"):
        params.pop(django_only, None)
    return params


_hub: Hub | None = None
_hub_lock = threading.Lock()


def get_hub() -> Hub:
    global _hub
    with _hub_lock:
        if _hub is None:
            _hub = Hub()
        return _hub


def announce(name: str, ticket_id: int) -> None:
    """Tell every open stream that a ticket changed. Call after commit (see services).

    Never raises: a lost announcement costs a client a stale screen until its next change or
    reconnect, whereas an exception here would turn a saved ticket into an error response.
    """
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                payload = json.dumps({"event": name, "id": ticket_id})
                cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])
        else:
            get_hub().deliver_local(name, ticket_id)
    except Exception:
        logger.exception("Could not announce %s for ticket %s.", name, ticket_id)
