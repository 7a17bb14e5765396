"""`GET|POST /api/tickets/<id>/messages/` through the real API, both access modes."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from accounts.services import token_create
from accounts.tests.conftest import People, client_for
from conversations.models import MESSAGE_MAX_LENGTH, Message
from tickets.models import Status, Ticket

pytestmark = pytest.mark.usefixtures("accounts_mode")

HistoricalTicket = apps.get_model("audit", "HistoricalTicket")


def url(ticket: Ticket) -> str:
    return f"/api/tickets/{ticket.pk}/messages/"


def post(client: APIClient, ticket: Ticket, body: str, **extra: Any) -> Any:
    return client.post(url(ticket), {"body": body, **extra}, format="json")


class TestPosting:
    def test_a_reply_answers_201_with_the_message(self, people: People) -> None:
        body = "Line one\n\n  indented line two  \n"
        response = post(client_for(people.agent), people.ticket_a, body)
        assert response.status_code == 201, response.content
        data = response.json()
        message = Message.objects.get()
        assert data == {
            "id": message.pk,
            "ticket": people.ticket_a.pk,
            "author": {"id": people.agent.pk, "name": "Ada Agent"},
            "author_role": "agent",
            "body": body,  # stored and answered exactly as written
            "internal": False,
            "via": "web",
            "created_at": data["created_at"],
        }
        assert message.body == body

    def test_markup_is_stored_as_text(self, people: People) -> None:
        body = "<script>alert(1)</script> & <b>bold</b>"
        data = post(client_for(people.requester_a), people.ticket_a, body).json()
        assert data["body"] == body

    def test_a_token_call_is_via_api(self, people: People) -> None:
        client = APIClient()
        secret = token_create(user=people.agent, name="script").secret
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        data = post(client, people.ticket_a, "From a script").json()
        assert data["via"] == "api"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"body": "   \n\t "}, "body"),
            ({"body": ""}, "body"),
            ({}, "body"),
            ({"body": 42}, "body"),
            ({"body": "x" * (MESSAGE_MAX_LENGTH + 1)}, "body"),
            ({"body": "ok", "internal": "perhaps"}, "internal"),
        ],
    )
    def test_bad_input_is_400_in_the_one_error_shape(
        self, people: People, body: dict[str, Any], field: str
    ) -> None:
        response = client_for(people.agent).post(url(people.ticket_a), body, format="json")
        assert response.status_code == 400
        assert field in response.json()["error"]["fields"]
        assert not Message.objects.exists()

    def test_the_longest_body_is_accepted(self, people: People) -> None:
        response = post(client_for(people.agent), people.ticket_a, "y" * MESSAGE_MAX_LENGTH)
        assert response.status_code == 201

    def test_a_requester_cannot_write_an_internal_note(self, people: People) -> None:
        response = post(client_for(people.requester_a), people.ticket_a, "psst", internal=True)
        assert response.status_code == 403
        assert not Message.objects.exists()

    def test_another_requesters_ticket_is_404(self, people: People) -> None:
        response = post(client_for(people.requester_b), people.ticket_a, "Me too")
        assert response.status_code == 404
        assert client_for(people.requester_b).get(url(people.ticket_a)).status_code == 404

    def test_an_unknown_ticket_is_404(self, people: People) -> None:
        response = client_for(people.agent).post(
            "/api/tickets/999999/messages/", {"body": "hi"}, format="json"
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


class TestTicketEffects:
    def test_an_agents_first_public_reply_sets_first_response_once(self, people: People) -> None:
        agent = client_for(people.agent)
        post(agent, people.ticket_a, "Internal first", internal=True)
        post(client_for(people.requester_a), people.ticket_a, "Hello?")
        people.ticket_a.refresh_from_db()
        assert people.ticket_a.first_response_at is None

        first = post(agent, people.ticket_a, "On it.").json()
        post(client_for(people.admin), people.ticket_a, "Also looking.")
        people.ticket_a.refresh_from_db()
        assert people.ticket_a.first_response_at is not None
        assert people.ticket_a.first_response_at == Message.objects.get(pk=first["id"]).created_at

    def test_a_requester_reply_reopens_a_resolved_ticket(self, people: People) -> None:
        client_for(people.agent).patch(
            f"/api/tickets/{people.ticket_a.pk}/", {"status": "resolved"}, format="json"
        )
        response = post(client_for(people.requester_a), people.ticket_a, "Still broken.")
        assert response.status_code == 201
        people.ticket_a.refresh_from_db()
        assert people.ticket_a.status == Status.OPEN
        last = HistoricalTicket.objects.filter(id=people.ticket_a.pk).latest("history_id")
        assert (last.status, last.history_source) == ("open", "requester_reply")
        assert last.history_user_id == people.requester_a.pk
        history = client_for(people.requester_a).get(f"/api/tickets/{people.ticket_a.pk}/history/")
        assert history.json()[-1]["source"] == "requester_reply"

    def test_an_agent_reply_does_not_reopen(self, people: People) -> None:
        Ticket.objects.filter(pk=people.ticket_a.pk).update(status=Status.RESOLVED)
        post(client_for(people.agent), people.ticket_a, "Glad it works.")
        people.ticket_a.refresh_from_db()
        assert people.ticket_a.status == Status.RESOLVED

    def test_a_closed_ticket_refuses_with_409_saying_to_open_a_new_request(
        self, people: People
    ) -> None:
        Ticket.objects.filter(pk=people.ticket_a.pk).update(status=Status.CLOSED)
        response = post(client_for(people.requester_a), people.ticket_a, "Again?")
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["code"] == "ticket_closed"
        assert "open a new request" in error["message"]
        agent = post(client_for(people.agent), people.ticket_a, "Note", internal=True)
        assert agent.status_code == 409 and "Reopen" in agent.json()["error"]["message"]
        assert not Message.objects.exists()


class TestReading:
    def test_oldest_first_and_requesters_never_see_notes(self, people: People) -> None:
        agent = client_for(people.agent)
        requester = client_for(people.requester_a)
        post(requester, people.ticket_a, "1 question")
        post(agent, people.ticket_a, "2 note", internal=True)
        post(agent, people.ticket_a, "3 answer")
        assert [m["body"] for m in agent.get(url(people.ticket_a)).json()] == [
            "1 question",
            "2 note",
            "3 answer",
        ]
        seen = requester.get(url(people.ticket_a)).json()
        assert [m["body"] for m in seen] == ["1 question", "3 answer"]
        assert all(m["internal"] is False for m in seen)

    def test_an_empty_thread_is_an_empty_list(self, people: People) -> None:
        response = client_for(people.requester_a).get(url(people.ticket_a))
        assert response.status_code == 200 and response.json() == []
        assert not response.has_header("Link")

    def test_keyset_pages_follow_the_link_header(self, people: People) -> None:
        agent = client_for(people.agent)
        for n in range(7):
            post(agent, people.ticket_a, f"m{n}")
        bodies: list[str] = []
        next_url: str | None = f"{url(people.ticket_a)}?limit=3"
        pages = 0
        while next_url:
            response = agent.get(next_url)
            assert response.status_code == 200
            bodies += [m["body"] for m in response.json()]
            link = response.headers.get("Link")
            next_url = link.split(";")[0].strip("<>") if link else None
            pages += 1
        assert bodies == [f"m{n}" for n in range(7)]
        assert pages == 3

    @pytest.mark.parametrize("query", ["limit=0", "limit=201", "limit=x", "cursor=nonsense"])
    def test_bad_paging_is_400(self, people: People, query: str) -> None:
        response = client_for(people.agent).get(f"{url(people.ticket_a)}?{query}")
        assert response.status_code == 400
        assert set(response.json()) == {"error"}

    def test_a_page_is_a_fixed_number_of_queries(
        self, people: People, django_assert_num_queries: Any
    ) -> None:
        agent = client_for(people.agent)
        for n in range(5):
            post(agent, people.ticket_a, f"m{n}")
            post(client_for(people.requester_a), people.ticket_a, f"r{n}")
        # session + user, ticket visible, one page with its authors
        with django_assert_num_queries(4):
            response = agent.get(url(people.ticket_a))
        assert len(response.json()) == 10


def test_open_mode_keeps_the_ticket_contract_and_allows_anonymous_replies(
    db: None, settings: Any
) -> None:
    settings.ACCESS_MODE = "open"
    ticket = Ticket.objects.create(
        title="Open", description="Seed contract", category="general", priority="low"
    )
    client = APIClient()
    created = post(client, ticket, "Anyone can answer in open mode.")
    assert created.status_code == 201
    assert created.json()["author"] is None and created.json()["author_role"] is None
    assert created.json()["via"] == "api"
    keys = set(client.get(f"/api/tickets/{ticket.pk}/").json())
    assert "messages" not in keys and "first_response_at" not in keys
