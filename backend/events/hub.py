"""One hub per server process: receives ticket changes and fans them out to the open streams.

Changes arrive through `announce()` (called when a ticket's domain event is delivered, after
commit; see `events.subscribers`) and travel between processes by the database's transport
(`events.transport`: LISTEN/NOTIFY on PostgreSQL, in-process on SQLite).

The hub reads each changed ticket once per process (not once per stream), serialises it with
the API's TicketSerializer, and puts the event on every subscriber's bounded queue. Fresh stats
follow each burst of changes, at most every `EVENTS_STATS_INTERVAL` seconds. Database reads run
on one dedicated thread, so the event loop never blocks and the hub holds one connection.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import close_old_connections, connection

from events import conf, payloads, transport
from events.payloads import Event

logger = logging.getLogger(__name__)

T = TypeVar("T")


# Put on a subscriber's queue in place of the events it could not hold: the stream then reloads
# what it missed from the database instead of buffering without bound.
OVERFLOW = Event(name="overflow", data="")

# Announced with a message's id, not a ticket's (see `announce`).
MESSAGE_CREATED = "message.created"


@dataclass(eq=False)
class Subscriber:
    queue: asyncio.Queue[Event] = field(
        default_factory=lambda: asyncio.Queue(maxsize=conf.queue_size())
    )
    overflowed: bool = False
    # A requester's stream: only their own tickets' events, and no stats. None: everything.
    only_requester: int | None = None

    def wants(self, event: Event) -> bool:
        if self.only_requester is None or event is OVERFLOW:
            return True
        if event.name == "stats" or event.staff_only:
            return False
        if event.name == MESSAGE_CREATED:
            return event.requester_id == self.only_requester
        return event.id is None or event.requester_id == self.only_requester

    def offer(self, event: Event) -> None:
        if self.overflowed or not self.wants(event):
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
        self._pending_messages: list[int] = []
        self._flush_scheduled = False
        self._stats_due = False
        self._stats_task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()
        self.transport = transport.for_database(self.deliver_local)

    # -- subscribers ---------------------------------------------------------------------

    def subscribe(self, *, only_requester: int | None = None) -> Subscriber:
        """Register a stream (narrowed to one requester's tickets with `only_requester`);
        starts listening to other processes with the first one."""
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self._restart(loop)
        subscriber = Subscriber(only_requester=only_requester)
        self.subscribers.add(subscriber)
        if self.transport.cross_process and (self._listener is None or self._listener.done()):
            self._listener = loop.create_task(self.transport.listen(self))
        return subscriber

    def has_subscribers(self) -> bool:
        return bool(self.subscribers)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)

    def _restart(self, loop: asyncio.AbstractEventLoop) -> None:
        # A new event loop (tests, a reloaded server): tasks of the old one are gone with it.
        self.loop = loop
        self.subscribers = set()
        self._pending = {}
        self._pending_messages = []
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
        """A ticket changed (or, for `message.created`, `ticket_id` is a new message's id):
        batch it with others arriving in the same few milliseconds."""
        if name == MESSAGE_CREATED:
            self._pending_messages.append(ticket_id)
        elif name == "ticket.created" or ticket_id not in self._pending:
            self._pending[ticket_id] = name
        if not self._flush_scheduled and self.loop is not None:
            self._flush_scheduled = True
            self.loop.call_later(conf.batch_seconds(), self._start_flush)

    def _start_flush(self) -> None:
        assert self.loop is not None
        self._flush_scheduled = False
        pending, self._pending = self._pending, {}
        messages, self._pending_messages = self._pending_messages, []
        if (pending or messages) and self.subscribers:
            self.loop.create_task(self._flush(pending, messages))

    async def _flush(self, pending: dict[int, str], messages: list[int]) -> None:
        # Tickets first: a reply that reopened a ticket arrives after the ticket's new status.
        if pending:
            try:
                events = await self.run_db(payloads.ticket_events, pending)
            except Exception:
                logger.exception("Could not read changed tickets for the event stream.")
            else:
                for event in events:
                    self.broadcast(event)
                self._request_stats()
        if messages:
            try:
                events = await self.run_db(payloads.message_events, messages)
            except Exception:
                logger.exception("Could not read new messages for the event stream.")
                return
            for event in events:
                self.broadcast(event)

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


def _with_connection(function: Callable[..., T], *args: Any) -> T:
    # The hub thread's connection follows the same rules as a request's: reused up to
    # CONN_MAX_AGE, replaced when broken.
    close_old_connections()
    try:
        return function(*args)
    finally:
        close_old_connections()


_hub: Hub | None = None
_hub_lock = threading.Lock()


def get_hub() -> Hub:
    global _hub
    with _hub_lock:
        if _hub is None:
            _hub = Hub()
        return _hub


def announce(name: str, ticket_id: int) -> None:
    """Tell every open stream, in every process, that a ticket changed (or, with
    `message.created`, that the message with this id was posted). Call after commit.

    Never raises: a lost announcement costs a client a stale screen until its next change or
    reconnect, whereas an exception here would turn a saved ticket into an error response.
    """
    try:
        get_hub().transport.publish(name, ticket_id)
    except Exception:
        logger.exception("Could not announce %s for ticket %s.", name, ticket_id)
