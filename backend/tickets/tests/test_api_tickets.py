"""POST/GET/PATCH on /api/tickets/: status codes, headers and bodies."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from core.tests.helpers import assert_api_error
from tickets.models import Ticket
from tickets.tests.factories import TicketFactory
from tickets.tests.providers import FixedProvider

pytestmark = pytest.mark.django_db

LIST = "/api/tickets/"
TICKET_KEYS = {
    "sla",  # service levels, computed on commit by the sla app (tested in backend/sla/tests)
    "id",
    "title",
    "description",
    "category",
    "priority",
    "status",
    "created_at",
    "updated_at",
    "suggested_category",
    "suggested_priority",
    "triage_provider",
    "triage_confidence",
    "category_by_human",
    "priority_by_human",
}


def detail(pk: int) -> str:
    return f"/api/tickets/{pk}/"


class TestCreate:
    def test_201_with_the_ticket_and_its_location(
        self, api: APIClient, fixed_triage: type[FixedProvider]
    ) -> None:
        moment = dt.datetime(2026, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)
        with time_machine.travel(moment, tick=False):
            response = api.post(
                LIST,
                {"title": "Cannot export", "description": "The CSV export hangs."},
                format="json",
            )

        assert response.status_code == 201
        body = response.json()
        ticket = Ticket.objects.get()
        assert response["Location"] == detail(ticket.pk)
        assert set(body.pop("sla")) == {"first_response", "resolution"}  # see backend/sla/tests
        assert body == {
            "id": ticket.pk,
            "title": "Cannot export",
            "description": "The CSV export hangs.",
            "category": "technical",
            "priority": "critical",
            "status": "open",
            "created_at": "2026-05-06T07:08:09.123456Z",
            "updated_at": "2026-05-06T07:08:09.123456Z",
            "suggested_category": "technical",
            "suggested_priority": "critical",
            "triage_provider": "fixed",
            "triage_confidence": 0.7,
            "category_by_human": False,
            "priority_by_human": False,
        }

    def test_the_location_serves_the_created_ticket(self, api: APIClient) -> None:
        response = api.post(LIST, {"title": "t", "description": "d"}, format="json")
        fetched = api.get(response["Location"])
        assert fetched.status_code == 200
        assert fetched.json() == response.json()

    def test_given_labels_win_and_are_marked_as_chosen(
        self, api: APIClient, fixed_triage: type[FixedProvider]
    ) -> None:
        response = api.post(
            LIST,
            {
                "title": "Refund",
                "description": "Refund me",
                "category": "billing",
                "priority": "low",
            },
            format="json",
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["category"], body["priority"]) == ("billing", "low")
        assert (body["suggested_category"], body["suggested_priority"]) == ("technical", "critical")
        assert body["category_by_human"] is body["priority_by_human"] is True

    def test_surrounding_whitespace_is_trimmed(self, api: APIClient) -> None:
        response = api.post(
            LIST, {"title": "  Spaces  ", "description": "\n Text \t"}, format="json"
        )
        assert response.status_code == 201
        ticket = Ticket.objects.get()
        assert (ticket.title, ticket.description) == ("Spaces", "Text")

    def test_server_fields_in_the_body_are_ignored(self, api: APIClient) -> None:
        response = api.post(
            LIST,
            {
                "title": "t",
                "description": "d",
                "id": 999,
                "created_at": "2000-01-01T00:00:00Z",
                "triage_provider": "forged",
                "category_by_human": True,
            },
            format="json",
        )
        assert response.status_code == 201
        body = response.json()
        assert body["id"] != 999
        assert not body["created_at"].startswith("2000")
        assert body["triage_provider"] != "forged"
        assert body["category_by_human"] is False

    def test_a_new_ticket_is_open_and_open_may_be_said(self, api: APIClient) -> None:
        response = api.post(LIST, {"title": "t", "description": "d", "status": "open"}, "json")
        assert response.status_code == 201
        assert response.json()["status"] == "open"

    @pytest.mark.parametrize("status", ["pending", "closed", "in_progress", "", 1, None])
    def test_any_other_status_on_create_is_a_400_and_files_nothing(
        self, api: APIClient, status: object
    ) -> None:
        response = api.post(LIST, {"title": "t", "description": "d", "status": status}, "json")
        assert_api_error(response, 400, fields={"status"})
        assert not Ticket.objects.exists()

    @pytest.mark.parametrize(
        ("payload", "fields"),
        [
            ({}, {"title", "description"}),
            ({"title": "t"}, {"description"}),
            ({"description": "d"}, {"title"}),
            ({"title": "", "description": "d"}, {"title"}),
            ({"title": "   ", "description": "d"}, {"title"}),
            ({"title": "t", "description": " \n\t "}, {"description"}),
            ({"title": "x" * 201, "description": "d"}, {"title"}),
            ({"title": "t", "description": "x" * 10_001}, {"description"}),
            ({"title": None, "description": "d"}, {"title"}),
            ({"title": 5, "description": "d"}, {"title"}),
            ({"title": "t", "description": ["d"]}, {"description"}),
            ({"title": True, "description": {"a": 1}}, {"title", "description"}),
            ({"title": "t", "description": "d", "category": "refunds"}, {"category"}),
            ({"title": "t", "description": "d", "category": "Billing"}, {"category"}),
            ({"title": "t", "description": "d", "priority": "urgent"}, {"priority"}),
            ({"title": "t", "description": "d", "priority": None}, {"priority"}),
            ({"title": "t", "description": "d", "category": ""}, {"category"}),
            ({"title": "a\x00b", "description": "d"}, {"title"}),
        ],
    )
    def test_invalid_input_is_400_naming_the_fields(
        self, api: APIClient, payload: dict[str, object], fields: set[str]
    ) -> None:
        response = api.post(LIST, payload, format="json")
        assert_api_error(response, 400, fields=fields)
        assert not Ticket.objects.exists()

    def test_boundary_lengths_are_accepted(self, api: APIClient) -> None:
        response = api.post(LIST, {"title": "x" * 200, "description": "y" * 10_000}, format="json")
        assert response.status_code == 201
        assert len(response.json()["title"]) == 200


class TestRetrieve:
    def test_200_with_the_ticket(self, api: APIClient) -> None:
        ticket = TicketFactory(title="Hello", category="account", priority="high")
        response = api.get(detail(ticket.pk))
        assert response.status_code == 200
        body = response.json()
        assert set(body) == TICKET_KEYS
        assert (body["id"], body["title"], body["category"]) == (ticket.pk, "Hello", "account")

    def test_unknown_id_is_404(self, api: APIClient) -> None:
        assert_api_error(api.get(detail(424242)), 404)


class TestList:
    def test_a_json_array_of_tickets_newest_first(self, api: APIClient) -> None:
        base = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
        old = TicketFactory(created_at=base)
        new = TicketFactory(created_at=base + dt.timedelta(days=2))
        middle = TicketFactory(created_at=base + dt.timedelta(days=1))

        response = api.get(LIST)

        assert response.status_code == 200
        body = response.json()
        assert isinstance(body, list)
        assert [row["id"] for row in body] == [new.pk, middle.pk, old.pk]
        assert all(set(row) == TICKET_KEYS for row in body)
        assert response["X-Total-Count"] == "3"
        assert "Link" not in response

    def test_ties_on_created_at_are_broken_by_id_descending(self, api: APIClient) -> None:
        moment = dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC)
        tickets = TicketFactory.create_batch(4, created_at=moment)
        later = TicketFactory(created_at=moment + dt.timedelta(microseconds=1))

        ids = [row["id"] for row in api.get(LIST).json()]

        assert ids == [later.pk, *sorted((t.pk for t in tickets), reverse=True)]

    def test_empty_is_an_empty_array(self, api: APIClient) -> None:
        response = api.get(LIST)
        assert response.status_code == 200
        assert response.json() == []
        assert response["X-Total-Count"] == "0"

    def test_created_at_is_iso_8601_in_utc(self, api: APIClient) -> None:
        TicketFactory(created_at=dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC))
        created = api.get(LIST).json()[0]["created_at"]
        assert created == "2026-07-01T23:30:00Z"
        assert dt.datetime.fromisoformat(created) == dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)


class TestPatch:
    def test_partial_update_returns_the_whole_ticket(self, api: APIClient) -> None:
        ticket = TicketFactory(title="Old", status="open", category="billing", priority="low")

        response = api.patch(detail(ticket.pk), {"status": "in_progress"}, format="json")

        assert response.status_code == 200
        body = response.json()
        assert set(body) == TICKET_KEYS
        assert body["status"] == "in_progress"
        assert (body["title"], body["category"], body["priority"]) == ("Old", "billing", "low")
        ticket.refresh_from_db()
        assert ticket.status == "in_progress"

    @pytest.mark.parametrize(
        "payload",
        [
            {"status": "resolved"},
            {"status": "closed"},
            {"category": "general"},
            {"priority": "critical"},
            {"title": "New title"},
            {"description": "New description"},
            {
                "title": "All",
                "description": "of them",
                "category": "account",
                "priority": "high",
                "status": "resolved",
            },
        ],
    )
    def test_each_editable_field(self, api: APIClient, payload: dict[str, object]) -> None:
        ticket = TicketFactory(category="billing", priority="low", status="open")
        response = api.patch(detail(ticket.pk), payload, format="json")
        assert response.status_code == 200
        ticket.refresh_from_db()
        for field, value in payload.items():
            assert response.json()[field] == value
            assert getattr(ticket, field) == value

    def test_changed_labels_count_as_chosen_by_a_person(self, api: APIClient) -> None:
        ticket = TicketFactory(category="billing", priority="low")
        body = api.patch(detail(ticket.pk), {"category": "account"}, format="json").json()
        assert (body["category_by_human"], body["priority_by_human"]) == (True, False)
        body = api.patch(detail(ticket.pk), {"priority": "high"}, format="json").json()
        assert (body["category_by_human"], body["priority_by_human"]) == (True, True)

    def test_read_only_fields_are_ignored(self, api: APIClient) -> None:
        ticket = TicketFactory(status="open")
        created = api.get(detail(ticket.pk)).json()["created_at"]
        response = api.patch(
            detail(ticket.pk),
            {
                "status": "closed",
                "created_at": "2000-01-01T00:00:00Z",
                "id": 5,
                "triage_provider": "x",
            },
            format="json",
        )
        assert response.status_code == 200
        body = response.json()
        assert (body["id"], body["created_at"], body["status"]) == (ticket.pk, created, "closed")
        assert body["triage_provider"] == ticket.triage_provider

    def test_unknown_id_is_404(self, api: APIClient) -> None:
        assert_api_error(api.patch(detail(424242), {"status": "closed"}, format="json"), 404)

    def test_an_invalid_body_for_an_unknown_id_is_still_an_error(self, api: APIClient) -> None:
        response = api.patch(detail(424242), {"status": "nope"}, format="json")
        assert response.status_code in (400, 404)
        assert_api_error(response, response.status_code)

    @pytest.mark.parametrize(
        ("payload", "fields"),
        [
            ({"status": "new"}, {"status"}),
            ({"status": "CLOSED"}, {"status"}),
            ({"status": None}, {"status"}),
            ({"category": "refunds"}, {"category"}),
            ({"priority": 3}, {"priority"}),
            ({"title": ""}, {"title"}),
            ({"title": "  \t "}, {"title"}),
            ({"title": "x" * 201}, {"title"}),
            ({"title": 12}, {"title"}),
            ({"description": "\n"}, {"description"}),
            ({"description": "x" * 10_001}, {"description"}),
            ({"description": False}, {"description"}),
            ({"status": "closed", "priority": "urgent"}, {"priority"}),
        ],
    )
    def test_invalid_values_are_400_and_change_nothing(
        self, api: APIClient, payload: dict[str, object], fields: set[str]
    ) -> None:
        ticket = TicketFactory(status="open")
        before = Ticket.objects.filter(pk=ticket.pk).values().get()
        assert_api_error(api.patch(detail(ticket.pk), payload, format="json"), 400, fields=fields)
        assert Ticket.objects.filter(pk=ticket.pk).values().get() == before

    @pytest.mark.parametrize("payload", [{}, {"unknown": 1}, {"created_at": "2000-01-01"}])
    def test_nothing_to_update_is_400(self, api: APIClient, payload: dict[str, object]) -> None:
        ticket = TicketFactory()
        error = assert_api_error(api.patch(detail(ticket.pk), payload, format="json"), 400)
        assert "Nothing to update" in error["message"]


class TestMethods:
    @pytest.mark.parametrize("method", ["put", "delete", "post"])
    def test_detail_refuses_put_delete_and_post_with_405(self, api: APIClient, method: str) -> None:
        ticket = TicketFactory()
        response = getattr(api, method)(detail(ticket.pk), {"status": "closed"}, format="json")
        assert_api_error(response, 405)
        assert response["Allow"] == "GET, PATCH, OPTIONS"
        assert Ticket.objects.filter(pk=ticket.pk).exists()

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_list_refuses_put_patch_and_delete_with_405(self, api: APIClient, method: str) -> None:
        TicketFactory()
        assert_api_error(getattr(api, method)(LIST, {}, format="json"), 405)
        assert Ticket.objects.count() == 1

    @pytest.mark.parametrize(
        ("path", "method"),
        [
            ("/api/tickets/stats/", "post"),
            ("/api/tickets/stats/", "patch"),
            ("/api/tickets/classify/", "get"),
            ("/api/tickets/classify/", "put"),
        ],
    )
    def test_other_endpoints_refuse_wrong_methods(
        self, api: APIClient, path: str, method: str
    ) -> None:
        assert_api_error(getattr(api, method)(path), 405)

    def test_head_and_options_on_the_list(self, api: APIClient) -> None:
        TicketFactory()
        head = api.head(LIST)
        assert head.status_code == 200
        assert head["X-Total-Count"] == "1"
        assert api.options(LIST).status_code == 200
