"""Teams API, assigning through the ticket PATCH, the assignment filters, and their cost."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries, Settings
from rest_framework.test import APIClient

from accounts.models import Role, User
from intake.tests.helpers import file_ticket
from routing.models import Assignment
from routing.tests.conftest import MakeTeam, make_agent
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _accounts(settings: Settings) -> None:
    settings.ACCESS_MODE = "accounts"


def client_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def admin() -> APIClient:
    return client_as(User.objects.create(email="admin@example.com", role=Role.ADMIN))


def file() -> Ticket:
    return file_ticket(title="VPN down", description="Cannot connect.")


def test_admins_create_list_and_change_teams(admin: APIClient) -> None:
    agents = [make_agent(n) for n in range(2)]
    created = admin.post(
        "/api/teams/",
        {"name": "Billing", "members": [a.pk for a in agents], "categories": ["billing"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "name": "Billing",
        "members": sorted(a.pk for a in agents),
        "categories": ["billing"],
        "assignment": "off",
    }
    changed = admin.patch(
        f"/api/teams/{body['id']}/",
        {"assignment": "round_robin", "categories": ["billing", "account"], "members": []},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["categories"] == ["account", "billing"]
    assert changed.json()["members"] == []
    assert changed.json()["assignment"] == "round_robin"
    assert [team["name"] for team in admin.get("/api/teams/").json()] == ["Billing"]


def test_team_refusals_name_the_field(admin: APIClient, make_team: MakeTeam) -> None:
    make_team("Tech")
    requester = User.objects.create(email="r@example.com", role=Role.REQUESTER)

    def error(body: dict[str, Any]) -> dict[str, Any]:
        response = admin.post("/api/teams/", body, format="json")
        assert response.status_code == 400, response.content
        fields: dict[str, Any] = response.json()["error"]["fields"]
        return fields

    assert "name" in error({"name": "tech"})
    assert "categories" in error({"name": "Other", "categories": ["technical"]})
    assert "members" in error({"name": "Other", "members": [requester.pk]})
    assert "assignment" in error({"name": "Other", "assignment": "random"})
    assert admin.patch("/api/teams/999/", {"name": "X"}, format="json").status_code == 404


def test_team_list_is_three_queries(
    admin: APIClient, make_team: MakeTeam, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for n, category in enumerate(("billing", "technical", "account")):
        make_team(f"T{n}", categories=(category,), members=[make_agent(n)])
    with django_assert_max_num_queries(3 + 2):  # + the session's user and the token check
        assert len(admin.get("/api/teams/").json()) == 3


def test_agents_assign_within_the_rules(make_team: MakeTeam) -> None:
    agent, outsider = make_agent(1), make_agent(2)
    team = make_team("Tech", members=[agent], assignment=Assignment.OFF)
    requester = User.objects.create(email="r@example.com", role=Role.REQUESTER)
    away = make_agent(3, is_active=False)
    ticket = file()
    client = client_as(agent)
    url = f"/api/tickets/{ticket.pk}/"
    for bad in (requester.pk, away.pk, 999_999):
        response = client.patch(url, {"assignee": bad}, format="json")
        assert response.status_code == 400, response.content
        assert "assignee" in response.json()["error"]["fields"]
    not_member = client.patch(url, {"assignee": outsider.pk}, format="json")
    assert not_member.status_code == 400
    assert "member" in str(not_member.json()["error"]["fields"]["assignee"])
    assert client.patch(url, {"team": 999_999}, format="json").status_code == 400
    assert client.patch(url, {"assignee": "1"}, format="json").status_code == 400
    mine = client.patch(url, {"assignee": agent.pk}, format="json")
    assert mine.status_code == 200
    assert mine.json()["assignee"] == {"id": agent.pk, "name": agent.name}
    assert mine.json()["team"] == {"id": team.pk, "name": "Tech"}
    # Another team without the assignee: the ticket moves to its queue, unassigned.
    other = make_team("Other", categories=(), members=[outsider])
    moved = client.patch(url, {"team": other.pk}, format="json").json()
    assert (moved["team"]["id"], moved["assignee"]) == (other.pk, None)
    # No team: anyone active agent may have it.
    free = client.patch(url, {"team": None, "assignee": outsider.pk}, format="json").json()
    assert (free["team"], free["assignee"]["id"]) == (None, outsider.pk)


def test_requesters_cannot_assign(make_team: MakeTeam) -> None:
    requester = User.objects.create(email="r@example.com", role=Role.REQUESTER)
    ticket = Ticket.objects.create(
        title="Mine", description="x", category="general", priority="low", requester=requester
    )
    response = client_as(requester).patch(
        f"/api/tickets/{ticket.pk}/", {"assignee": None}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.django_db(transaction=True)  # routing again runs when the change commits
def test_the_patch_answer_shows_where_a_new_category_routed_it(make_team: MakeTeam) -> None:
    agent = make_agent(1)
    make_team("Tech", assignment=Assignment.OFF)
    billing = make_team("Billing", categories=("billing",), members=[agent])
    ticket = file()
    response = client_as(agent).patch(
        f"/api/tickets/{ticket.pk}/", {"category": "billing"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["team"] == {"id": billing.pk, "name": "Billing"}
    assert response.json()["assignee"] == {"id": agent.pk, "name": agent.name}


def test_filters_combine(make_team: MakeTeam, settings: Settings) -> None:
    me, other = make_agent(1), make_agent(2)
    tech = make_team("Tech", members=[me, other], assignment=Assignment.ROUND_ROBIN)
    mine, others = file(), file()  # round robin: me, then other
    queued = file_ticket(title="Bill", description="x", category="general")  # no team
    settings.ROUTING_MIN_CONFIDENCE = 0.8
    unsure = file()
    client = client_as(me)

    def ids(**params: str) -> list[int]:
        response = client.get("/api/tickets/", params)
        assert response.status_code == 200, response.content
        assert response["X-Total-Count"] == str(len(response.json()))
        return [row["id"] for row in response.json()]

    assert ids(assignee="me") == [mine.pk]
    assert ids(assignee=str(other.pk)) == [others.pk]
    assert ids(assignee="none") == [unsure.pk, queued.pk]
    assert ids(team=str(tech.pk)) == [others.pk, mine.pk]
    assert ids(team="none") == [unsure.pk, queued.pk]
    assert ids(team=str(tech.pk), assignee="none") == []
    assert ids(assignee="me", status="open") == [mine.pk]
    assert ids(assignee="me", status="closed") == []
    assert ids(needs_triage="true") == [unsure.pk]
    assert ids(needs_triage="true", category="technical") == [unsure.pk]
    row = client.get("/api/tickets/", {"needs_triage": "true"}).json()[0]
    assert (row["needs_triage"], row["team"], row["assignee"]) == (True, None, None)
    for bad in ({"assignee": "you"}, {"team": "mine"}, {"needs_triage": "maybe"}):
        assert client.get("/api/tickets/", bad).status_code == 400


def test_the_list_reads_teams_and_assignees_in_its_own_query(
    make_team: MakeTeam, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    agents = [make_agent(n) for n in range(4)]
    make_team("Tech", members=agents)
    for _ in range(8):
        file()
    client = client_as(agents[0])
    client.get("/api/tickets/")  # warm the session
    # The page (with requester, team and assignee joined), then its count; a first page that
    # is also the last is counted by its length.
    with django_assert_num_queries(1):
        rows = client.get("/api/tickets/", {"team": "none"}).json()
    assert rows == []
    with django_assert_num_queries(2):
        rows = client.get("/api/tickets/", {"limit": 5}).json()
    assert {row["assignee"]["id"] for row in rows} == {a.pk for a in agents}


def test_availability(admin: APIClient) -> None:
    agent = make_agent(1)
    response = client_as(agent).patch("/api/auth/me/", {"available": False}, format="json")
    assert response.status_code == 200 and response.json()["available"] is False
    agent.refresh_from_db()
    assert not agent.available
    assert (
        client_as(agent).patch("/api/auth/me/", {"available": "no"}, format="json").status_code
        == 400
    )
    back = admin.patch(f"/api/users/{agent.pk}/", {"available": True}, format="json")
    assert back.status_code == 200 and back.json()["available"] is True


@pytest.mark.django_db(transaction=True)
def test_the_create_answer_is_the_ticket_as_stored(make_team: MakeTeam, settings: Settings) -> None:
    """The 201 body is built from the instance the service filed and routed (no read-back):
    it must be exactly what a read of the stored row answers, routing, service levels and
    dates included, in both access modes. Committed for real, so every on-commit subscriber
    has run before the read."""
    agent = make_agent(1)
    make_team("Tech", members=[agent])
    body = {"title": "VPN down", "description": "Cannot connect since 9."}
    for mode in ("accounts", "open"):
        settings.ACCESS_MODE = mode
        client = client_as(agent)
        created = client.post("/api/tickets/", body, format="json")
        assert created.status_code == 201, created.content
        stored = client.get(created["Location"])
        assert created.json() == stored.json()
        if mode == "accounts":
            assert created.json()["team"]["name"] == "Tech"
            assert created.json()["assignee"]["id"] == agent.pk
