"""What the mail app does when other apps announce a change (subscribed in `MailConfig.ready`):
an agent's public reply is emailed to the requester, a resolved ticket notifies them, a breached
service level target notifies the assignee (or the team)."""

from __future__ import annotations

from conversations.domain_events import MessageCreated
from conversations.models import Via
from core.domain_events import subscribe
from mail import services
from sla.domain_events import SlaBreached
from tickets.domain_events import TicketUpdated


def _on_message_created(event: MessageCreated) -> None:
    # Internal notes are never emailed; mail that came in by email is not sent back out.
    if not event.internal and event.author_id is not None and event.via != Via.EMAIL:
        services.reply_send(message_id=event.message_id)


def _on_ticket_updated(event: TicketUpdated) -> None:
    if "status" in event.fields:
        services.resolved_notify(ticket_id=event.ticket_id)


def _on_sla_breached(event: SlaBreached) -> None:
    services.sla_breach_notify(ticket_id=event.ticket_id, target=event.target)


def subscribe_all() -> None:
    subscribe(MessageCreated, _on_message_created)
    subscribe(TicketUpdated, _on_ticket_updated)
    subscribe(SlaBreached, _on_sla_breached)
