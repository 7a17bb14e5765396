"""Routing on filing and on a person's category change: which team, which agent, and why."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from pytest_django import Settings

from accounts.access import SYSTEM
from accounts.models import Role
from intake.tests.helpers import file_ticket
from routing.models import Assignment
from routing.services import LOW_CONFIDENCE, NO_TEAM, NOBODY_AVAILABLE
from routing.tests.conftest import MakeTeam, make_agent
from tickets.models import Ticket
from tickets.services import ticket_update

pytestmark = pytest.mark.django_db
HistoricalTicket = apps.get_model("audit", "HistoricalTicket")


def file(category: str | None = None) -> Ticket:
    ticket = file_ticket(title="VPN down", description="Cannot connect.", category=category)
    ticket.refresh_from_db()
    return ticket


def last_history(ticket: Ticket) -> tuple[str, str | None]:
    row = HistoricalTicket.objects.filter(id=ticket.pk).order_by("-history_id").first()
    assert row is not None
    return row.history_source, row.history_change_reason


def test_round_robin_takes_turns_in_id_order_and_wraps(make_team: MakeTeam) -> None:
    agents = [make_agent(n) for n in range(3)]
    team = make_team("Tech", members=agents)
    assignees = [file().assignee_id for _ in range(7)]
    order = [agent.pk for agent in agents]
    assert assignees == (order * 3)[:7]
    team.refresh_from_db()
    assert team.last_assignee_id == order[0]


def test_round_robin_skips_away_inactive_and_non_agents(make_team: MakeTeam) -> None:
    here = make_agent(1)
    away = make_agent(2, available=False)
    gone = make_agent(3, is_active=False)
    requester = make_agent(4, role=Role.REQUESTER)
    admin = make_agent(5, role=Role.ADMIN)
    make_team("Tech", members=[here, away, gone, requester, admin])
    assert [file().assignee_id for _ in range(4)] == [here.pk, admin.pk, here.pk, admin.pk]


def test_fewest_open_counts_open_and_in_progress_only(make_team: MakeTeam) -> None:
    busy, idle = make_agent(1), make_agent(2)
    make_team("Tech", members=[busy, idle], assignment=Assignment.FEWEST_OPEN)
    first = file()
    assert first.assignee_id == busy.pk  # a tie goes to the lowest id
    second = file()
    assert second.assignee_id == idle.pk
    ticket_update(caller=SYSTEM, ticket_id=first.pk, data={"status": "resolved"})
    # busy now has none open, idle one: busy gets the next two (0 < 1, then 1 = 1 by id).
    assert [file().assignee_id for _ in range(2)] == [busy.pk, busy.pk]
    ticket_update(caller=SYSTEM, ticket_id=second.pk, data={"status": "in_progress"})
    assert file().assignee_id == idle.pk  # idle 1 (in progress), busy 2


def test_off_leaves_it_in_the_team_queue(make_team: MakeTeam) -> None:
    team = make_team("Tech", members=[make_agent(1)], assignment=Assignment.OFF)
    ticket = file()
    assert (ticket.team_id, ticket.assignee_id, ticket.needs_triage) == (team.pk, None, False)
    assert last_history(ticket) == ("routing", "off")


def test_history_names_routing_and_the_rule(make_team: MakeTeam) -> None:
    make_team("Tech", members=[make_agent(1)])
    ticket = file()
    assert last_history(ticket) == ("routing", "round_robin")
    created = HistoricalTicket.objects.filter(id=ticket.pk, history_type="+").get()
    assert created.history_source != "routing"


def test_nobody_available_leaves_it_in_the_queue(make_team: MakeTeam) -> None:
    team = make_team("Tech", members=[make_agent(1, available=False)])
    ticket = file()
    assert (ticket.team_id, ticket.assignee_id) == (team.pk, None)
    assert last_history(ticket) == ("routing", NOBODY_AVAILABLE)


def test_no_team_for_the_category_leaves_it_unrouted(make_team: MakeTeam) -> None:
    make_team("Billing", categories=("billing",), members=[make_agent(1)])
    ticket = file()  # triage says technical
    assert (ticket.team_id, ticket.assignee_id, ticket.needs_triage) == (None, None, False)


def test_a_given_category_routes_whatever_triage_thought(make_team: MakeTeam) -> None:
    billing = make_team("Billing", categories=("billing",), members=[make_agent(1)])
    assert file(category="billing").team_id == billing.pk


def test_low_triage_confidence_needs_a_person(make_team: MakeTeam, settings: Settings) -> None:
    make_team("Tech", members=[make_agent(1)])
    settings.ROUTING_MIN_CONFIDENCE = 0.8  # the fixed provider is 0.7 sure
    unsure = file()
    assert (unsure.team_id, unsure.assignee_id, unsure.needs_triage) == (None, None, True)
    assert last_history(unsure) == ("routing", LOW_CONFIDENCE)
    # A category a person gave is routed however unsure triage was.
    sure = file(category="technical")
    assert sure.team_id is not None and not sure.needs_triage


def test_a_person_setting_category_or_team_clears_needs_triage(
    make_team: MakeTeam, settings: Settings
) -> None:
    team = make_team("Tech", categories=("billing",), members=[make_agent(1)])
    settings.ROUTING_MIN_CONFIDENCE = 0.8
    by_team, by_category = file(), file()
    updated = ticket_update(caller=SYSTEM, ticket_id=by_team.pk, data={"team": team.pk})
    assert (updated.team_id, updated.needs_triage) == (team.pk, False)
    updated = ticket_update(caller=SYSTEM, ticket_id=by_category.pk, data={"priority": "low"})
    assert updated.needs_triage
    updated = ticket_update(caller=SYSTEM, ticket_id=by_category.pk, data={"category": "general"})
    assert not updated.needs_triage


def test_a_new_category_reroutes_an_unassigned_ticket(
    make_team: MakeTeam, django_capture_on_commit_callbacks: Any
) -> None:
    tech = make_team("Tech", assignment=Assignment.OFF)
    agent = make_agent(1)
    billing = make_team("Billing", categories=("billing",), members=[agent])
    ticket = file()
    assert (ticket.team_id, ticket.assignee_id) == (tech.pk, None)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"category": "billing"})
    ticket.refresh_from_db()
    assert (ticket.team_id, ticket.assignee_id) == (billing.pk, agent.pk)
    assert last_history(ticket) == ("routing", "round_robin")


def test_routing_never_reassigns_what_a_person_assigned(
    make_team: MakeTeam, django_capture_on_commit_callbacks: Any
) -> None:
    chosen, other = make_agent(1), make_agent(2)
    make_team("Tech", members=[chosen, other], assignment=Assignment.OFF)
    make_team("Billing", categories=("billing",), members=[other])
    ticket = file()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"assignee": chosen.pk})
        ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"category": "billing"})
    ticket.refresh_from_db()
    assert ticket.assignee_id == chosen.pk
    assert ticket.category == "billing"


def test_a_category_and_a_team_in_one_change_is_the_persons_routing(
    make_team: MakeTeam, django_capture_on_commit_callbacks: Any
) -> None:
    tech = make_team("Tech", assignment=Assignment.OFF)
    make_team("Billing", categories=("billing",), members=[make_agent(1)])
    ticket = file()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_update(
            caller=SYSTEM, ticket_id=ticket.pk, data={"category": "billing", "team": tech.pk}
        )
    ticket.refresh_from_db()
    assert (ticket.team_id, ticket.assignee_id) == (tech.pk, None)


def test_no_team_is_recorded_when_a_rerouted_category_has_none(
    make_team: MakeTeam, django_capture_on_commit_callbacks: Any
) -> None:
    make_team("Tech", assignment=Assignment.OFF)
    ticket = file()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"category": "general"})
    ticket.refresh_from_db()
    assert ticket.team_id is None
    assert last_history(ticket) == ("routing", NO_TEAM)
