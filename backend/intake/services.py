"""The one path that files a ticket, whatever channel it came through: triage, then create.

Every channel (the web app and the API today; email next) calls `ticket_file`, so a ticket is
triaged, deduplicated and announced the same way wherever it was written.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import IntegrityError, transaction

from accounts import services as accounts_services
from accounts.access import Caller
from accounts.models import User
from accounts.permissions import Action, require
from core import idempotency
from routing.services import ticket_route
from tickets.models import Ticket
from tickets.services import ticket_create
from triage import chain


class Filed(NamedTuple):
    ticket: Ticket
    # True when the ticket is the one an earlier request with the same idempotency key filed.
    replayed: bool


def ticket_file(
    *,
    caller: Caller,
    title: str,
    description: str,
    category: str | None = None,
    priority: str | None = None,
    claim: idempotency.Claim | None = None,
    requester_email: str | None = None,
) -> Filed:
    """File a ticket for the caller: labels not given come from triage; given ones are kept,
    and count as reviewed (training labels) only when an agent chose them, not a requester.

    The ticket's requester is the caller's user, or with `requester_email` (agents only,
    `PermissionDenied` otherwise) that person's, created as a requester when new.

    Triage always runs (usually a cache hit after the form's live suggestion) so the suggestion
    is recorded next to the final labels; that is what the acceptance rate and retraining read.
    It runs before the ticket's transaction, so a slow model never holds a database lock, and it
    cannot fail: the chain ends with a provider that always answers.

    The new ticket is routed in the same transaction (`routing.services.ticket_route`): to the
    team handling its category and, by the team's rule, to one of its available agents; a
    category triage was unsure of (`ROUTING_MIN_CONFIDENCE`) leaves it for a person.

    With a `claim`, a repeat of an earlier request answers the ticket it filed (`replayed`)
    without triaging or creating anything; raises `IdempotencyKeyReused` for the same key with
    another body.
    """
    require(caller, Action.TICKET_CREATE)
    if requester_email is not None:
        require(caller, Action.TICKET_FILE_ON_BEHALF)
    if claim is not None and (earlier := idempotency.replay(claim, Ticket)) is not None:
        return Filed(earlier, replayed=True)
    requester: User | None = caller.user
    if requester_email is not None:
        requester = accounts_services.requester_for_email(email=requester_email)
    suggestion = chain.suggest(title=title, description=description)
    try:
        # Filed and routed in one transaction: nobody (the list, the stream) ever sees the
        # ticket unrouted, and its events go out after both.
        with transaction.atomic():
            ticket = ticket_create(
                title=title,
                description=description,
                category=category,
                priority=priority,
                suggestion=suggestion,
                claim=claim,
                requester=requester,
                labels_by_human=not caller.is_requester,
            )
            ticket_route(ticket=ticket, category_from_triage=category is None)
    except IntegrityError:
        # Most likely a concurrent request with the same key committed first; anything else
        # (no earlier ticket found) is a real integrity error and propagates.
        earlier = idempotency.replay(claim, Ticket) if claim is not None else None
        if earlier is None:
            raise
        return Filed(earlier, replayed=True)
    return Filed(ticket, replayed=False)
