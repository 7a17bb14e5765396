"""What the roles mean for tickets: scoping (404, never 403), on-behalf filing, requester edits,
labels that do not teach the model, the requester filter, history actors, the event stream's
scope, and the first-admin commands."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.management import call_command
from pytest_django import Settings

from accounts.access import Caller
from accounts.models import Role, User
from accounts.tests.conftest import PASSWORD, People, client_for
from core.tests.helpers import assert_api_error
from events.hub import Subscriber
from events.payloads import EPOCH, Event, replay
from tickets.models import Ticket
from triage.models import TrainingState

pytestmark = pytest.mark.usefixtures("accounts_mode")


def pending_labels() -> int:
    state = TrainingState.objects.filter(pk=TrainingState.SINGLETON).first()
    return state.labels_since_training if state else 0


class TestScope:
    def test_a_requester_lists_only_their_own_tickets(self, people: People) -> None:
        response = client_for(people.requester_b).get("/api/tickets/")
        assert [t["id"] for t in response.json()] == [people.ticket_b.pk]
        assert response["X-Total-Count"] == "1"
        assert response.json()[0]["requester"] == {
            "id": people.requester_b.pk,
            "email": "b@example.com",
            "name": "B",
        }

    @pytest.mark.parametrize(
        "body", [{"title": "Mine now"}, {"priority": "low"}, {"status": "in_progress"}]
    )
    def test_anothers_ticket_is_404_whatever_the_change(
        self, people: People, body: dict[str, Any]
    ) -> None:
        client = client_for(people.requester_b)
        url = f"/api/tickets/{people.ticket_a.pk}/"
        assert_api_error(client.get(url), 404)
        assert_api_error(client.patch(url, body, format="json"), 404)
        assert_api_error(client.get(f"{url}history/"), 404)
        # The same answer as an id that does not exist at all.
        assert client.get("/api/tickets/987654/").json() == client.get(url).json()

    def test_a_requester_edits_text_only_while_open(self, people: People) -> None:
        owner, agent = client_for(people.requester_a), client_for(people.agent)
        url = f"/api/tickets/{people.ticket_a.pk}/"
        assert owner.patch(url, {"description": "More smoke."}, format="json").status_code == 200
        agent.patch(url, {"status": "in_progress"}, format="json")
        assert_api_error(owner.patch(url, {"title": "Later"}, format="json"), 403)
        assert owner.patch(url, {"status": "closed"}, format="json").json()["status"] == "closed"

    def test_agents_filter_by_requester(self, people: People) -> None:
        agent = client_for(people.agent)
        Ticket.objects.create(
            title="Agent's own",
            description="d",
            category="general",
            priority="low",
            requester=people.agent,
        )
        by_a = agent.get(f"/api/tickets/?requester={people.requester_a.pk}")
        assert [t["id"] for t in by_a.json()] == [people.ticket_a.pk]
        assert by_a["X-Total-Count"] == "1"
        mine = agent.get("/api/tickets/?requester=me").json()
        assert [t["title"] for t in mine] == ["Agent's own"]
        assert_api_error(agent.get("/api/tickets/?requester=someone"), 400, fields={"requester"})


class TestFiling:
    def test_the_caller_is_the_requester(self, people: People) -> None:
        body = {"title": "VPN", "description": "Down since 9."}
        created = client_for(people.requester_a).post("/api/tickets/", body, format="json")
        assert created.json()["requester"]["id"] == people.requester_a.pk

    def test_agents_file_on_behalf_creating_the_requester_once(self, people: People) -> None:
        agent = client_for(people.agent)
        body = {"title": "VPN", "description": "Down.", "requester_email": "Caller@Example.com"}
        first = agent.post("/api/tickets/", body, format="json").json()
        second = agent.post("/api/tickets/", body, format="json").json()
        caller = User.objects.get(email="caller@example.com")
        assert caller.role == Role.REQUESTER and not caller.has_usable_password()
        assert first["requester"]["id"] == second["requester"]["id"] == caller.pk
        # An existing user keeps their role.
        body["requester_email"] = "agent@example.com"
        assert agent.post("/api/tickets/", body, format="json").json()["requester"]["id"] == (
            people.agent.pk
        )
        assert User.objects.get(pk=people.agent.pk).role == Role.AGENT

    def test_a_requesters_labels_are_kept_but_not_learned(
        self, people: People, django_capture_on_commit_callbacks: Any
    ) -> None:
        body = {"title": "Refund", "description": "Charged twice.", "category": "account"}
        with django_capture_on_commit_callbacks(execute=True):
            ticket = client_for(people.requester_a).post("/api/tickets/", body, format="json")
        data = ticket.json()
        assert data["category"] == "account" and data["category_by_human"] is False
        assert pending_labels() == 0
        stats = client_for(people.agent).get("/api/tickets/stats/").json()
        assert stats["acceptance"]["reviewed"] == 0

        with django_capture_on_commit_callbacks(execute=True):
            confirmed = client_for(people.agent).patch(
                f"/api/tickets/{data['id']}/", {"category": "account"}, format="json"
            )
        assert confirmed.json()["category_by_human"] is True
        assert pending_labels() == 1

    def test_an_agents_labels_are_learned(
        self, people: People, django_capture_on_commit_callbacks: Any
    ) -> None:
        body = {"title": "Refund", "description": "Charged twice.", "category": "billing"}
        with django_capture_on_commit_callbacks(execute=True):
            data = client_for(people.agent).post("/api/tickets/", body, format="json").json()
        assert data["category_by_human"] is True
        assert pending_labels() == 1


class TestHistoryActor:
    def test_a_change_names_who_made_it(self, people: People) -> None:
        agent = client_for(people.agent)
        url = f"/api/tickets/{people.ticket_a.pk}/"
        agent.patch(url, {"status": "in_progress"}, format="json")
        entries = agent.get(f"{url}history/").json()
        change = entries[-1]
        assert change["field"] == "status" and change["new"] == "in_progress"
        assert change["actor"] == {"id": people.agent.pk, "name": "Agent"}
        # Created outside a request: the system, no actor.
        assert entries[0]["actor"] is None


class TestEventScope:
    def test_a_requesters_stream_gets_only_their_tickets_and_no_stats(self) -> None:
        subscriber = Subscriber(only_requester=7)
        subscriber.offer(Event(name="stats", data="{}"))
        subscriber.offer(Event(name="ticket.updated", data="{}", id="1", requester_id=8))
        subscriber.offer(Event(name="ticket.updated", data="{}", id="2", requester_id=None))
        mine = Event(name="ticket.updated", data="{}", id="3", requester_id=7)
        subscriber.offer(mine)
        assert subscriber.queue.qsize() == 1 and subscriber.queue.get_nowait() == mine

    def test_an_agents_stream_gets_everything(self) -> None:
        subscriber = Subscriber()
        subscriber.offer(Event(name="stats", data="{}"))
        subscriber.offer(Event(name="ticket.updated", data="{}", id="1", requester_id=8))
        assert subscriber.queue.qsize() == 2

    def test_replay_is_scoped_to_the_caller(self, people: People) -> None:
        caller = Caller(role=Role.REQUESTER, user=people.requester_a)
        events, complete = replay(EPOCH, 100, caller)
        assert complete and [e.requester_id for e in events] == [people.requester_a.pk]


class TestFirstAdmin:
    def test_created_once_from_settings_and_never_overwritten(
        self, db: None, settings: Settings, caplog: pytest.LogCaptureFixture
    ) -> None:
        settings.ADMIN_EMAIL = "Boss@Example.com"
        settings.ADMIN_PASSWORD = PASSWORD
        with caplog.at_level(logging.INFO, logger="accounts"):
            call_command("ensure_admin")
        admin = User.objects.get(email="boss@example.com")
        assert admin.role == Role.ADMIN and admin.check_password(PASSWORD)
        assert "Created the first admin" in caplog.text

        settings.ADMIN_PASSWORD = "another password entirely 42"
        call_command("ensure_admin")
        assert User.objects.filter(role=Role.ADMIN).count() == 1
        assert User.objects.get(pk=admin.pk).check_password(PASSWORD)

    def test_without_settings_the_log_says_how(
        self, db: None, settings: Settings, caplog: pytest.LogCaptureFixture
    ) -> None:
        settings.ADMIN_EMAIL = ""
        settings.ADMIN_PASSWORD = ""
        with caplog.at_level(logging.WARNING, logger="accounts"):
            call_command("ensure_admin")
        assert "create_admin" in caplog.text
        assert not User.objects.exists()

    def test_create_admin_by_flags(self, db: None) -> None:
        call_command(
            "create_admin", "--email", "root@example.com", "--password", PASSWORD, "--no-input"
        )
        assert User.objects.get(email="root@example.com").role == Role.ADMIN
