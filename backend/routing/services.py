"""Routing: put a ticket in the queue of the team that handles its category, and let the team's
rule pick one of its available agents.

Called by intake inside the transaction that files a ticket (so nobody ever sees it unrouted),
and after an agent changes the category of a ticket nobody has yet (`routing.subscribers`).

Rules (`Team.assignment`):
- `off`: the ticket waits in the team's queue.
- `round_robin`: the first available member after the one who got the team's last ticket, in id
  order, wrapping round.
- `fewest_open`: the available member with the fewest open (open or in progress) tickets; ties
  go to the lowest id.

Both read and write under a row lock on the team (`SELECT ... FOR UPDATE`), held until the
filing transaction commits: concurrent creates into one team take turns, so round robin never
hands two of them to the same agent and fewest-open always counts the tickets the previous
create assigned. Creates into different teams do not wait for each other.

A person's choice always wins: a ticket with an assignee is never re-routed, and a category
that came from triage with a confidence under `ROUTING_MIN_CONFIDENCE` is not trusted to route:
the ticket is left for a person (`needs_triage`).

Every routing write is its own history row with source `routing` and the rule that fired as the
change reason (`audit.receivers` reads both from the saved instance: routing sits below audit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, QuerySet

from accounts.models import Role, User
from core.domain_events import publish_on_commit
from routing.models import Assignment, Team, TeamCategory
from tickets.domain_events import TicketUpdated
from tickets.models import OPEN_STATUSES, Ticket

SOURCE = "routing"
# Change reasons beside the rules' names.
NO_TEAM = "no_team"  # no team handles the category: left unrouted
LOW_CONFIDENCE = "low_confidence"  # triage unsure: left for a person (needs_triage)
NOBODY_AVAILABLE = "nobody_available"  # the rule found no available member: team queue only


@dataclass(frozen=True)
class Routed:
    """What routing did to a ticket: the team and assignee it set, and why (`reason`: the rule
    that fired, or one of the constants above). `changed` is False when it left the ticket as
    it was (already assigned by a person, or nothing to change)."""

    team_id: int | None
    assignee_id: int | None
    reason: str
    changed: bool


def candidates(team: Team) -> QuerySet[User]:
    """The members a rule may pick: active agents (or admins) who are available, in id order."""
    return team.members.filter(
        is_active=True, available=True, role__in=(Role.AGENT, Role.ADMIN)
    ).order_by("id")


def _round_robin(team: Team) -> User | None:
    members = list(candidates(team))
    if not members:
        return None
    after = [member for member in members if member.pk > (team.last_assignee_id or 0)]
    return (after or members)[0]


def _fewest_open(team: Team) -> User | None:
    members = list(candidates(team))
    if not members:
        return None
    counts = dict(
        Ticket.objects.filter(assignee__in=members, status__in=OPEN_STATUSES)
        .order_by()
        .values_list("assignee")
        .annotate(open=Count("id"))
    )
    return min(members, key=lambda member: (counts.get(member.pk, 0), member.pk))


def _pick(team: Team) -> User | None:
    if team.assignment == Assignment.ROUND_ROBIN:
        return _round_robin(team)
    if team.assignment == Assignment.FEWEST_OPEN:
        return _fewest_open(team)
    return None


def _save(ticket: Ticket, reason: str, fields: list[str]) -> None:
    ticket._history_source = SOURCE  # type: ignore[attr-defined]
    ticket._change_reason = reason  # type: ignore[attr-defined]
    try:
        ticket.save(update_fields=[*fields, "updated_at"])
    finally:
        del ticket._history_source  # type: ignore[attr-defined]
        del ticket._change_reason  # type: ignore[attr-defined]


def ticket_route(*, ticket: Ticket, category_from_triage: bool) -> Routed:
    """Route `ticket` (a row the caller's transaction created or holds locked) by its category.

    `category_from_triage`: the category is triage's guess rather than a person's; below
    `ROUTING_MIN_CONFIDENCE` the ticket is then left unrouted with `needs_triage` set.
    A ticket that has an assignee is left alone. Saves the ticket when anything changed.
    """
    if ticket.assignee_id is not None:
        return Routed(ticket.team_id, ticket.assignee_id, "assigned", changed=False)
    # Inside the caller's transaction (which created or locked the ticket): no savepoint.
    with transaction.atomic(savepoint=False):
        confidence = ticket.triage_confidence
        if (
            category_from_triage
            and confidence is not None
            and confidence < settings.ROUTING_MIN_CONFIDENCE
        ):
            if ticket.needs_triage and ticket.team_id is None:
                return Routed(None, None, LOW_CONFIDENCE, changed=False)
            ticket.team = None
            ticket.needs_triage = True
            _save(ticket, LOW_CONFIDENCE, ["team", "needs_triage"])
            return Routed(None, None, LOW_CONFIDENCE, changed=True)
        team_id = (
            TeamCategory.objects.filter(category=ticket.category)
            .values_list("team_id", flat=True)
            .first()
        )
        if team_id is None:
            changed = ticket.team_id is not None or ticket.needs_triage
            if changed:
                ticket.team = None
                ticket.needs_triage = False
                _save(ticket, NO_TEAM, ["team", "needs_triage"])
            return Routed(None, None, NO_TEAM, changed=changed)
        # The lock that makes the rules safe under concurrency: one routing per team at a time.
        team = Team.objects.select_for_update().get(pk=team_id)
        assignee = _pick(team)
        reason = team.assignment if assignee is not None else NOBODY_AVAILABLE
        if team.assignment == Assignment.OFF:
            reason = Assignment.OFF
        ticket.team = team
        ticket.assignee = assignee
        ticket.needs_triage = False
        _save(ticket, str(reason), ["team", "assignee", "needs_triage"])
        if assignee is not None and team.assignment == Assignment.ROUND_ROBIN:
            team.last_assignee = assignee
            team.save(update_fields=["last_assignee"])
        return Routed(team.pk, assignee.pk if assignee else None, str(reason), changed=True)


def ticket_reroute(*, ticket_id: int) -> Routed | None:
    """Route a ticket again after a person changed its category, unless someone has it by now.
    Announces the change (`TicketUpdated` with team, assignee, needs_triage) on commit. None when
    the ticket is gone."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None:
            return None
        routed = ticket_route(ticket=ticket, category_from_triage=False)
        if routed.changed:
            publish_on_commit(
                TicketUpdated(
                    ticket_id=ticket.pk, fields=frozenset({"team", "assignee", "needs_triage"})
                )
            )
        return routed


class TeamChanges(TypedDict, total=False):
    name: str
    members: list[int]
    categories: list[str]
    assignment: str


class TeamInvalid(Exception):
    """A team change the rules refuse; `errors` maps each field to its messages (400)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _check(team: Team | None, data: TeamChanges) -> None:
    errors: dict[str, list[str]] = {}
    if "name" in data:
        taken = Team.objects.filter(name__iexact=data["name"])
        if team is not None:
            taken = taken.exclude(pk=team.pk)
        if taken.exists():
            errors["name"] = ["A team with this name exists already."]
    if "members" in data:
        ids = set(data["members"])
        agents = set(
            User.objects.filter(
                pk__in=ids, is_active=True, role__in=(Role.AGENT, Role.ADMIN)
            ).values_list("pk", flat=True)
        )
        if missing := sorted(ids - agents):
            errors["members"] = [f"Not active agents: {', '.join(map(str, missing))}."]
    if "categories" in data:
        taken_by = TeamCategory.objects.filter(category__in=data["categories"]).select_related(
            "team"
        )
        if team is not None:
            taken_by = taken_by.exclude(team=team)
        if clashes := [f"{row.category} ({row.team.name})" for row in taken_by]:
            errors["categories"] = [
                "Each category has one team; handled already: " + ", ".join(clashes) + "."
            ]
    if errors:
        raise TeamInvalid(errors)


def _apply(team: Team, data: TeamChanges) -> None:
    if "members" in data:
        team.members.set(sorted(set(data["members"])))
    if "categories" in data:
        wanted = set(data["categories"])
        team.categories.exclude(category__in=wanted).delete()
        have = set(team.categories.values_list("category", flat=True))
        TeamCategory.objects.bulk_create(
            TeamCategory(team=team, category=category) for category in sorted(wanted - have)
        )


def team_create(
    *,
    name: str,
    members: list[int] | None = None,
    categories: list[str] | None = None,
    assignment: str = Assignment.OFF,
) -> Team:
    """A new team. Raises `TeamInvalid` for a taken name, a member who is not an active agent,
    or a category another team handles already."""
    data: TeamChanges = {
        "name": name,
        "members": members or [],
        "categories": categories or [],
        "assignment": assignment,
    }
    with transaction.atomic():
        _check(None, data)
        team = Team.objects.create(name=name, assignment=assignment)
        _apply(team, data)
        return team


def team_update(*, team_id: int, data: TeamChanges) -> Team:
    """Change a team's name, members (the whole list), categories (the whole list) or rule,
    under its row lock (routing waits). Raises `Team.DoesNotExist` and `TeamInvalid`."""
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team_id)
        _check(team, data)
        if "name" in data:
            team.name = data["name"]
        if "assignment" in data:
            team.assignment = data["assignment"]
        team.save()
        _apply(team, data)
        return team
