"""What the stream sends, computed on the hub's database thread (synchronous ORM code)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from accounts.access import SYSTEM, Caller
from conversations import selectors as conversation_selectors
from conversations.api.serializers import MessageSerializer
from tickets import selectors
from tickets.api.serializers import TicketSerializer
from tickets.models import Ticket, visible_to

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Replays start this long before the client's last event: a transaction that stamped its ticket
# a moment earlier may have committed a moment later. Re-sending a ticket is harmless (each
# event carries the whole ticket), missing one is not.
REPLAY_OVERLAP = dt.timedelta(seconds=2)


@dataclass(frozen=True)
class Event:
    """One server-sent event. Only ticket events carry an `id` (see `event_id`). Ticket and
    message events carry the ticket's requester, and message events whether only agents may
    see them (an internal note); neither is sent: they decide which streams get the event."""

    name: str
    data: str
    id: str | None = None
    requester_id: int | None = None
    staff_only: bool = False

    def encode(self) -> bytes:
        head = f"id: {self.id}\n" if self.id else ""
        return f"{head}event: {self.name}\ndata: {self.data}\n\n".encode()


def event_id(ticket: Ticket) -> str:
    """The ticket's `updated_at` in µs since the epoch: where a reconnecting client resumes."""
    return str((ticket.updated_at - EPOCH) // dt.timedelta(microseconds=1))


def parse_event_id(raw: str | None) -> dt.datetime | None:
    if not raw or not raw.isdigit() or len(raw) > 19:
        return None
    return EPOCH + dt.timedelta(microseconds=int(raw))


def ticket_event(name: str, ticket: Ticket) -> Event:
    data = json.dumps(TicketSerializer(ticket).data, separators=(",", ":"))
    return Event(name=name, data=data, id=event_id(ticket), requester_id=ticket.requester_id)


def ticket_events(pending: dict[int, str]) -> list[Event]:
    """One event per changed ticket, read in one query; tickets gone since are skipped."""
    tickets = (
        Ticket.objects.filter(pk__in=list(pending))
        .select_related("requester")
        .order_by("updated_at", "id")
    )
    return [ticket_event(pending[ticket.pk], ticket) for ticket in tickets]


def message_events(message_ids: list[int]) -> list[Event]:
    """One `message.created` per message (as `GET /api/tickets/<id>/messages/` shows it), read
    in one query; messages gone since are skipped."""
    return [
        Event(
            name="message.created",
            data=json.dumps(MessageSerializer(message).data, separators=(",", ":")),
            requester_id=message.ticket.requester_id,
            staff_only=message.internal,
        )
        for message in conversation_selectors.messages_by_id(message_ids)
    ]


def stats_json() -> str:
    """The dashboard's figures exactly as `GET /api/tickets/stats/` returns them (one query)."""
    return json.dumps(selectors.ticket_stats(), separators=(",", ":"))


def replay(since: dt.datetime, limit: int, caller: Caller = SYSTEM) -> tuple[list[Event], bool]:
    """Tickets the caller may see changed since `since` (oldest first), and whether that was
    all of them.

    A ticket created after `since` is announced as created, any other as updated: the client
    saw neither change. Served by the (updated_at, id) index.
    """
    rows = list(
        Ticket.objects.filter(visible_to(caller), updated_at__gte=since - REPLAY_OVERLAP)
        .select_related("requester")
        .order_by("updated_at", "id")[: limit + 1]
    )
    complete = len(rows) <= limit
    events = [
        ticket_event("ticket.created" if t.created_at > since else "ticket.updated", t)
        for t in rows[:limit]
    ]
    return events, complete
