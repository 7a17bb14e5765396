"""?category= ?priority= ?status= ?search= alone, combined, comma-separated; bad values are 400."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from rest_framework.test import APIClient

from accounts.access import SYSTEM
from core.tests.helpers import assert_api_error
from tickets.models import Category, Priority, Status, Ticket
from tickets.selectors import ticket_list
from tickets.tests.factories import TicketFactory

if TYPE_CHECKING:
    from rest_framework.response import _MonkeyPatchedResponse

pytestmark = pytest.mark.django_db

LIST = "/api/tickets/"
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def grid() -> list[Ticket]:
    """Every category x priority x status once (64 tickets), each with a distinct created_at.

    Titles and descriptions carry words to search for: "printer" in the title of every ticket
    whose category is technical, "Refund" in the description of every billing ticket.
    """
    tickets = []
    combos = itertools.product(Category.values, Priority.values, Status.values)
    for n, (category, priority, status) in enumerate(combos):
        title = f"Ticket {n}" + (" PRINTER jam" if category == "technical" else "")
        description = "Plain text." + (" Please refund me." if category == "billing" else "")
        tickets.append(
            Ticket(
                title=title,
                description=description,
                category=category,
                priority=priority,
                status=status,
                created_at=START + dt.timedelta(minutes=n),
            )
        )
    return Ticket.objects.bulk_create(tickets)


def ids(response: _MonkeyPatchedResponse) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


def expected(tickets: list[Ticket], predicate: Callable[[Ticket], bool]) -> list[int]:
    """Ids matching `predicate`, newest first (the grid's created_at increases with id)."""
    return [t.pk for t in sorted(tickets, key=lambda t: t.created_at, reverse=True) if predicate(t)]


def get(api: APIClient, **params: str | int) -> _MonkeyPatchedResponse:
    return api.get(LIST, {"limit": 200, **params})


@pytest.mark.parametrize(
    ("field", "value"),
    [("category", v) for v in Category.values]
    + [("priority", v) for v in Priority.values]
    + [("status", v) for v in Status.values],
)
def test_each_filter_alone(api: APIClient, grid: list[Ticket], field: str, value: str) -> None:
    response = get(api, **{field: value})
    assert ids(response) == expected(grid, lambda t: getattr(t, field) == value)
    assert response["X-Total-Count"] == "16"


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("status", "open,in_progress"),
        ("category", "billing,account,general"),
        ("priority", "high,critical"),
        ("status", "closed"),
        ("priority", "low,low"),
    ],
)
def test_comma_separated_values_mean_any_of(
    api: APIClient, grid: list[Ticket], field: str, values: str
) -> None:
    wanted = set(values.split(","))
    response = get(api, **{field: values})
    assert ids(response) == expected(grid, lambda t: getattr(t, field) in wanted)
    assert int(response["X-Total-Count"]) == 16 * len(wanted)


@pytest.mark.parametrize(
    "params",
    [
        {"category": "technical", "priority": "high"},
        {"category": "billing", "status": "open"},
        {"priority": "critical", "status": "resolved"},
        {"category": "account", "priority": "low", "status": "closed"},
        {
            "category": "billing,technical",
            "priority": "high,critical",
            "status": "open,in_progress",
        },
    ],
)
def test_filters_combine_with_each_other(
    api: APIClient, grid: list[Ticket], params: dict[str, str]
) -> None:
    def match(ticket: Ticket) -> bool:
        return all(getattr(ticket, field) in value.split(",") for field, value in params.items())

    response = get(api, **params)
    assert ids(response) == expected(grid, match)
    assert response["X-Total-Count"] == str(len(expected(grid, match)))
    assert ids(response)


@pytest.mark.parametrize("term", ["printer", "PRINTER", "Printer", "prInTeR jam"])
def test_search_is_case_insensitive_over_the_title(
    api: APIClient, grid: list[Ticket], term: str
) -> None:
    assert ids(get(api, search=term)) == expected(grid, lambda t: t.category == "technical")


@pytest.mark.parametrize("term", ["refund", "REFUND me", "please Refund"])
def test_search_covers_the_description(api: APIClient, grid: list[Ticket], term: str) -> None:
    assert ids(get(api, search=term)) == expected(grid, lambda t: t.category == "billing")


def test_search_matches_title_or_description(api: APIClient, grid: list[Ticket]) -> None:
    TicketFactory(title="Toner", description="printer is out of toner", category="general")
    TicketFactory(title="Unrelated", description="nothing here", category="general")
    response = get(api, search="printer")
    hits = set(ids(response))
    assert len(hits) == 17
    assert {t.pk for t in grid if t.category == "technical"} < hits


@pytest.mark.parametrize(
    ("field", "value"),
    [("category", "technical"), ("category", "billing"), ("status", "open"), ("priority", "low")],
)
def test_each_filter_combined_with_search(
    api: APIClient, grid: list[Ticket], field: str, value: str
) -> None:
    response = get(api, search="printer", **{field: value})
    want = expected(grid, lambda t: t.category == "technical" and getattr(t, field) == value)
    assert ids(response) == want
    assert response["X-Total-Count"] == str(len(want))


def test_search_and_every_filter_together(api: APIClient, grid: list[Ticket]) -> None:
    response = get(
        api, search="printer", category="technical", priority="low,medium", status="open"
    )
    # Grid index = category * 16 + priority * 4 + status: technical (1), low (0) or medium (1),
    # open (0) are tickets #16 and #20.
    assert ids(response) == [grid[20].pk, grid[16].pk]
    assert response["X-Total-Count"] == "2"


def test_search_wildcards_are_literal(api: APIClient) -> None:
    percent = TicketFactory(title="Discount of 100% applied twice")
    TicketFactory(title="Discount of 1000 applied")
    underscore = TicketFactory(title="Field user_id missing")
    TicketFactory(title="Field userXid missing")
    assert ids(get(api, search="100%")) == [percent.pk]
    assert ids(get(api, search="user_id")) == [underscore.pk]


def test_search_with_no_match_is_an_empty_array(api: APIClient, grid: list[Ticket]) -> None:
    response = get(api, search="zebra")
    assert response.json() == []
    assert response["X-Total-Count"] == "0"


@pytest.mark.parametrize("params", [{"search": ""}, {"search": "   "}, {"status": ""}])
def test_empty_values_do_not_filter(
    api: APIClient, grid: list[Ticket], params: dict[str, str]
) -> None:
    response = get(api, **params)
    assert len(ids(response)) == 64


@pytest.mark.parametrize("raw", [",", "open,", ",open,,"])
def test_empty_items_in_a_list_are_ignored(api: APIClient, grid: list[Ticket], raw: str) -> None:
    response = get(api, status=raw)
    wanted = {"open"} if "open" in raw else set(Status.values)
    assert ids(response) == expected(grid, lambda t: t.status in wanted)
    assert response["X-Total-Count"] == str(len(expected(grid, lambda t: t.status in wanted)))


@pytest.mark.parametrize(
    ("stored", "typed"),
    [("Café order", "CAFÉ"), ("ÉCOLE account", "école"), ("Ångström meter", "ÅNGSTRÖM")],
)
def test_search_folds_the_case_of_accented_letters(api: APIClient, stored: str, typed: str) -> None:
    wanted = TicketFactory(title=stored, description="Something happened.")
    TicketFactory(title="Unrelated", description="Nothing to see.")
    assert ids(get(api, search=typed)) == [wanted.pk]


def test_search_terms_are_trimmed(api: APIClient, grid: list[Ticket]) -> None:
    assert ids(get(api, search="  printer  ")) == ids(get(api, search="printer"))


def test_unknown_query_parameters_are_ignored(api: APIClient, grid: list[Ticket]) -> None:
    assert len(ids(get(api, colour="blue"))) == 64


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "refunds"}, "category"),
        ({"category": "Billing"}, "category"),
        ({"priority": "urgent"}, "priority"),
        ({"status": "new"}, "status"),
        ({"status": "open,new"}, "status"),
        ({"status": "open;closed"}, "status"),
        ({"search": "x" * 201}, "search"),
        ({"search": "a\x00b"}, "search"),
    ],
)
def test_unknown_choices_and_bad_terms_are_400(
    api: APIClient, params: dict[str, str], field: str
) -> None:
    assert_api_error(api.get(LIST, params), 400, fields={field})


def test_several_bad_filters_are_all_reported(api: APIClient) -> None:
    response = api.get(LIST, {"category": "x", "priority": "y", "status": "z"})
    assert_api_error(response, 400, fields={"category", "priority", "status"})


def test_selector_applies_filters_from_a_plain_mapping(grid: list[Ticket]) -> None:
    queryset = ticket_list(caller=SYSTEM, filters={"category": "account", "status": "open,closed"})
    assert list(queryset.values_list("id", flat=True)) == expected(
        grid, lambda t: t.category == "account" and t.status in {"open", "closed"}
    )


def test_selector_without_filters_is_everything_newest_first(grid: list[Ticket]) -> None:
    assert list(ticket_list(caller=SYSTEM).values_list("id", flat=True)) == expected(
        grid, lambda t: True
    )
