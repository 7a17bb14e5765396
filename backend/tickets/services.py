"""Writes. Every change to a ticket goes through these functions.

They take everything they need as arguments (triage's suggestion, the idempotency claim) and
call nothing outside the ticket app but `core`: what happens next (the live stream, the learning
loop) hears of the change through a domain event sent after commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict, cast

from django.db import transaction
from rest_framework.exceptions import ValidationError

from accounts.access import Caller
from accounts.models import Role, User
from accounts.permissions import Action, require
from core import idempotency
from core.domain_events import publish_on_commit
from tickets.domain_events import TicketCreated, TicketUpdated
from tickets.models import (
    ASSIGNMENT_FIELDS,
    EDITABLE_FIELDS,
    LABEL_FIELDS,
    Status,
    Ticket,
    visible_to,
)


class TicketChanges(TypedDict, total=False):
    """What a person may change on a filed ticket (`EDITABLE_FIELDS`)."""

    title: str
    description: str
    category: str
    priority: str
    status: str
    team: int | None  # a team's id (agents)
    assignee: int | None  # an active agent's id, a member of the team when there is one


@dataclass(frozen=True)
class Suggestion:
    """What triage proposed for a new ticket, and which provider answered (with how sure it was:
    the weaker of its two confidences)."""

    category: str
    priority: str
    provider: str
    confidence: float | None = None


def ticket_create(
    *,
    title: str,
    description: str,
    category: str | None = None,
    priority: str | None = None,
    suggestion: Suggestion | None = None,
    claim: idempotency.Claim | None = None,
    requester: User | None = None,
    labels_by_human: bool = True,
) -> Ticket:
    """Create a ticket in one transaction. Given labels count as a person's choice; a label not
    given is the suggestion's. The suggestion is recorded beside the final labels either way:
    the gap between the two is how triage is measured and what it learns from.

    `labels_by_human=False` keeps given labels on the ticket without counting them as reviewed
    (a requester's own choice): they are not training labels and stay out of the acceptance
    rate until an agent confirms or changes them.

    With a `claim`, its key is stored in the same transaction, so either both the ticket and the
    key exist or neither does; a concurrent request that stored the key first makes this raise
    `IntegrityError` (see `core.idempotency`).

    Raises `ValueError` when a label is neither given nor suggested.
    """
    final_category = category or (suggestion.category if suggestion else None)
    final_priority = priority or (suggestion.priority if suggestion else None)
    if final_category is None or final_priority is None:
        raise ValueError("A ticket needs a category and a priority, given or suggested.")
    human_labels = frozenset(
        label
        for label, value in (("category", category), ("priority", priority))
        if value and labels_by_human
    )
    # No savepoint when the caller's transaction holds this one (intake files and routes in
    # one): a failure here fails the whole filing anyway, and a savepoint is two round trips.
    with transaction.atomic(savepoint=False):
        ticket = Ticket.objects.create(
            title=title,
            description=description,
            category=final_category,
            priority=final_priority,
            suggested_category=suggestion.category if suggestion else None,
            suggested_priority=suggestion.priority if suggestion else None,
            triage_provider=suggestion.provider if suggestion else "",
            triage_confidence=suggestion.confidence if suggestion else None,
            category_by_human="category" in human_labels,
            priority_by_human="priority" in human_labels,
            requester=requester,
        )
        if claim is not None:
            idempotency.record(claim, ticket)
        publish_on_commit(TicketCreated(ticket_id=ticket.pk, human_labels=human_labels))
        return ticket


def _actions_for(ticket: Ticket, changes: dict[str, object]) -> list[Action]:
    """The permission table's actions a change needs, given the ticket as it stands."""
    actions = [Action.TICKET_UPDATE]
    if "title" in changes or "description" in changes:
        open_now = ticket.status == Status.OPEN
        actions.append(Action.TICKET_EDIT_TEXT_OPEN if open_now else Action.TICKET_EDIT_TEXT)
    if "status" in changes:
        closing = changes["status"] == Status.CLOSED
        actions.append(Action.TICKET_CLOSE if closing else Action.TICKET_SET_STATUS)
    if any(field in changes for field in LABEL_FIELDS):
        actions.append(Action.TICKET_SET_LABELS)
    if any(field in changes for field in ASSIGNMENT_FIELDS):
        actions.append(Action.TICKET_ASSIGN)
    return actions


def _is_member(user_id: int, team_id: int) -> bool:
    return User.objects.filter(pk=user_id, teams__id=team_id).exists()


def _assign(ticket: Ticket, changes: dict[str, object]) -> set[str]:
    """Apply a person's team and assignee (validated: 400 for an unknown team, an assignee who
    is not an active agent, or one outside the ticket's team) and return the fields it set.

    A new team whose members do not include the current assignee (none given) unassigns it:
    the ticket moves to the new team's queue. Any of these, or a category, is a person routing
    the ticket, which clears `needs_triage`.
    """
    written: set[str] = set()
    if "team" in changes:
        team_id = cast(int | None, changes["team"])
        team_model = Ticket._meta.get_field("team").related_model
        if team_id is not None and not team_model._default_manager.filter(pk=team_id).exists():
            raise ValidationError({"team": ["No team with this id."]})
        ticket.team_id = team_id
        written.add("team")
    if "assignee" in changes:
        assignee_id = cast(int | None, changes["assignee"])
        if assignee_id is not None:
            agent = User.objects.filter(
                pk=assignee_id, is_active=True, role__in=(Role.AGENT, Role.ADMIN)
            ).exists()
            if not agent:
                raise ValidationError({"assignee": ["Must be an active agent's id."]})
            if ticket.team_id is not None and not _is_member(assignee_id, ticket.team_id):
                raise ValidationError({"assignee": ["Must be a member of the ticket's team."]})
        ticket.assignee_id = assignee_id
        written.add("assignee")
    elif (
        "team" in written
        and ticket.team_id is not None
        and ticket.assignee_id is not None
        and not _is_member(ticket.assignee_id, ticket.team_id)
    ):
        ticket.assignee_id = None
        written.add("assignee")
    if ticket.needs_triage and (written or "category" in changes):
        ticket.needs_triage = False
        written.add("needs_triage")
    return written


def ticket_update(*, caller: Caller, ticket_id: int, data: TicketChanges) -> Ticket:
    """Apply a partial update under a row lock; a label set here counts as chosen by a person,
    and so do a team and an assignee (`_assign`): routing never overrides them.

    Keys other than the editable and assignment fields are ignored. Raises `Ticket.DoesNotExist`
    for an id the caller cannot see, `ValidationError` for a team or assignee `_assign` refuses,
    and `PermissionDenied` for a change the caller's role may not make
    (a requester: only title and description while open, and closing).
    """
    changes = {
        key: value
        for key, value in data.items()
        if key in EDITABLE_FIELDS or key in ASSIGNMENT_FIELDS
    }
    with transaction.atomic():
        ticket = Ticket.objects.filter(visible_to(caller)).select_for_update().get(pk=ticket_id)
        require(caller, *_actions_for(ticket, changes))
        for field, value in changes.items():
            if field not in ASSIGNMENT_FIELDS:
                setattr(ticket, field, value)
        written = _assign(ticket, changes)
        human_labels = frozenset(field for field in LABEL_FIELDS if field in changes)
        for field in human_labels:
            setattr(ticket, f"{field}_by_human", True)
        ticket.save()
        publish_on_commit(
            TicketUpdated(
                ticket_id=ticket.pk,
                human_labels=human_labels,
                fields=frozenset(changes) | written,
            )
        )
        return ticket


# The history source of a reopening caused by the requester answering (see `ticket_reopen`).
REQUESTER_REPLY = "requester_reply"


def ticket_record_first_response(*, ticket: Ticket, at: dt.datetime) -> Ticket:
    """Stop the first-response clock: an agent replied in public for the first time at `at`.

    Call inside the transaction that holds `ticket`'s row lock (`select_for_update`), so two
    concurrent replies cannot both set it; a ticket that already has one is left unchanged.
    Announces `TicketUpdated(fields={"first_response_at"})` on commit.
    """
    if ticket.first_response_at is not None:
        return ticket
    ticket.first_response_at = at
    ticket.save(update_fields=["first_response_at", "updated_at"])
    publish_on_commit(TicketUpdated(ticket_id=ticket.pk, fields=frozenset({"first_response_at"})))
    return ticket


def ticket_reopen(*, ticket: Ticket, source: str = REQUESTER_REPLY) -> Ticket:
    """Set a resolved ticket back to open, recording `source` as the history row's source
    (by default `requester_reply`: the requester answered after it was resolved).

    Call inside the transaction that holds `ticket`'s row lock. Only a resolved ticket is
    reopened here; any other is returned unchanged. Announces `TicketUpdated(fields={"status"})`.
    """
    if ticket.status != Status.RESOLVED:
        return ticket
    ticket.status = Status.OPEN
    # Read by the audit app's history stamp (audit.receivers): tickets cannot import audit.
    ticket._history_source = source  # type: ignore[attr-defined]
    try:
        ticket.save(update_fields=["status", "updated_at"])
    finally:
        del ticket._history_source  # type: ignore[attr-defined]
    publish_on_commit(TicketUpdated(ticket_id=ticket.pk, fields=frozenset({"status"})))
    return ticket
