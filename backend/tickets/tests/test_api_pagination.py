"""Keyset pages: ?limit=, an opaque ?cursor=, Link rel="next", X-Total-Count."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.test.utils import override_settings
from rest_framework.test import APIClient

from core.tests.helpers import assert_api_error
from tickets.models import Ticket
from tickets.pagination import CursorKey, decode_cursor, encode_cursor
from tickets.tests.factories import TicketFactory
from tickets.tests.providers import FixedProvider

if TYPE_CHECKING:
    from rest_framework.response import _MonkeyPatchedResponse

pytestmark = pytest.mark.django_db

LIST = "/api/tickets/"
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LINK = re.compile(r'^<(?P<url>[^>]+)>; rel="next"$')


def make(n: int, *, same_time: bool = False, **fields: str) -> list[Ticket]:
    """n tickets, oldest first (distinct created_at unless same_time)."""
    return [
        TicketFactory(created_at=START if same_time else START + dt.timedelta(seconds=i), **fields)
        for i in range(n)
    ]


def newest_first(tickets: list[Ticket]) -> list[int]:
    return [t.pk for t in sorted(tickets, key=lambda t: (t.created_at, t.pk), reverse=True)]


def next_url(response: _MonkeyPatchedResponse) -> str | None:
    if "Link" not in response:
        return None
    match = LINK.match(response["Link"])
    assert match, response["Link"]
    return match["url"]


def walk(
    api: APIClient,
    url: str,
    params: dict[str, int] | None = None,
    between_pages: Callable[[], None] | None = None,
) -> list[list[int]]:
    """Follow Link headers from `url`; returns each page's ids. Calls `between_pages` after each."""
    pages = []
    response = api.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        pages.append([row["id"] for row in response.json()])
        next_page = next_url(response)
        if next_page is None:
            return pages
        if between_pages:
            between_pages()
        response = api.get(next_page)


def test_pages_follow_the_link_header_to_the_end(api: APIClient) -> None:
    tickets = make(23)
    pages = walk(api, LIST, {"limit": 10})
    assert [len(page) for page in pages] == [10, 10, 3]
    assert [pk for page in pages for pk in page] == newest_first(tickets)


def test_link_is_absolute_and_keeps_the_other_parameters(api: APIClient) -> None:
    make(5, status="closed", title="Printer jam")
    make(5, status="open", title="Printer jam")
    params: dict[str, str | int] = {"limit": 2, "status": "open", "search": "printer"}
    response = api.get(LIST, params)
    url = next_url(response)
    assert url is not None
    assert url.startswith("http://testserver/api/tickets/?")
    for part in ("limit=2", "status=open", "search=printer", "cursor="):
        assert part in url


def test_filtered_pages_stay_filtered_and_total_counts_the_filter(api: APIClient) -> None:
    closed = make(7, status="closed")
    make(6, status="open")
    responses = []
    url: str | None
    params: dict[str, str | int] | None
    url, params = LIST, {"limit": 3, "status": "closed"}
    while url:
        response = api.get(url, params)
        responses.append(response)
        url, params = next_url(response), None
    assert [row["id"] for r in responses for row in r.json()] == newest_first(closed)
    assert {r["X-Total-Count"] for r in responses} == {"7"}


def test_exact_multiple_of_limit_has_no_empty_last_page(api: APIClient) -> None:
    make(6)
    pages = walk(api, LIST, {"limit": 3})
    assert [len(page) for page in pages] == [3, 3]


def test_last_page_has_no_link(api: APIClient) -> None:
    make(3)
    response = api.get(LIST, {"limit": 3})
    assert len(response.json()) == 3
    assert "Link" not in response


def test_ties_on_created_at_are_paged_by_id_without_loss(api: APIClient) -> None:
    tickets = make(11, same_time=True)
    pages = walk(api, LIST, {"limit": 4})
    flat = [pk for page in pages for pk in page]
    assert flat == sorted((t.pk for t in tickets), reverse=True)
    assert [len(page) for page in pages] == [4, 4, 3]


def test_ties_mixed_with_distinct_times(api: APIClient) -> None:
    tickets = make(3) + make(5, same_time=True) + make(2)
    flat = [pk for page in walk(api, LIST, {"limit": 2}) for pk in page]
    assert flat == newest_first(tickets)
    assert len(set(flat)) == len(flat) == 10


def test_no_duplicates_and_no_gaps_while_tickets_are_being_added(
    api: APIClient, fixed_triage: type[FixedProvider]
) -> None:
    existing = [t.pk for t in Ticket.objects.bulk_create(_unsaved(25))]
    added: list[int] = []

    def add_tickets() -> None:
        # New tickets arrive between page fetches, via the API like real ones.
        for _ in range(3):
            response = api.post(LIST, {"title": "new", "description": "arrived"}, format="json")
            added.append(response.json()["id"])

    pages = walk(api, LIST, {"limit": 7}, between_pages=add_tickets)
    flat = [pk for page in pages for pk in page]

    assert len(flat) == len(set(flat)), "a ticket was served twice"
    assert sorted(flat) == sorted(existing), "a ticket that existed from the start was skipped"
    assert len(added) == 9
    # The newcomers are at the top of a fresh first page.
    assert [row["id"] for row in api.get(LIST, {"limit": 9}).json()] == sorted(added, reverse=True)


def test_total_count_reflects_the_whole_result_not_the_page(api: APIClient) -> None:
    make(12)
    response = api.get(LIST, {"limit": 5})
    assert len(response.json()) == 5
    assert response["X-Total-Count"] == "12"
    url = next_url(response)
    assert url is not None
    second = api.get(url)
    assert second["X-Total-Count"] == "12"


def test_default_limit_is_50(api: APIClient) -> None:
    Ticket.objects.bulk_create(_unsaved(51))
    response = api.get(LIST)
    assert len(response.json()) == 50
    assert next_url(response) is not None
    assert response["X-Total-Count"] == "51"


@override_settings(TICKET_PAGE_SIZE=4)
def test_default_limit_follows_the_setting(api: APIClient) -> None:
    make(5)
    assert len(api.get(LIST).json()) == 4


def test_limit_of_200_is_allowed_and_is_the_maximum(api: APIClient) -> None:
    Ticket.objects.bulk_create(_unsaved(205))
    response = api.get(LIST, {"limit": 200})
    assert len(response.json()) == 200
    url = next_url(response)
    assert url is not None
    assert len(api.get(url).json()) == 5
    assert_api_error(api.get(LIST, {"limit": 201}), 400, fields={"limit"})


def test_limit_of_one(api: APIClient) -> None:
    tickets = make(3)
    pages = walk(api, LIST, {"limit": 1})
    assert pages == [[pk] for pk in newest_first(tickets)]


@pytest.mark.parametrize(
    "limit", ["0", "-1", "201", "1000000", "abc", "1.5", "10e2", " ", "1 0", "9" * 5000]
)
def test_invalid_limit_is_400(api: APIClient, limit: str) -> None:
    assert_api_error(api.get(LIST, {"limit": limit}), 400, fields={"limit"})


def test_empty_limit_means_the_default(api: APIClient) -> None:
    make(2)
    assert len(api.get(LIST, {"limit": ""}).json()) == 2


def _raw_cursor(value: object) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "!!!",
        "a",
        _raw_cursor(b"\xff\xfe"),
        _raw_cursor(b"not json"),
        _raw_cursor([]),
        _raw_cursor(["2026-01-01T00:00:00+00:00"]),
        _raw_cursor(["2026-01-01T00:00:00+00:00", 1, 2]),
        _raw_cursor({"a": 1, "b": 2}),
        _raw_cursor(["2026-01-01T00:00:00", 1]),  # naive
        _raw_cursor(["yesterday", 1]),
        _raw_cursor([20260101, 1]),
        _raw_cursor(["2026-01-01T00:00:00+00:00", "1"]),
        _raw_cursor(["2026-01-01T00:00:00+00:00", 1.5]),
        _raw_cursor(["2026-01-01T00:00:00+00:00", True]),
        _raw_cursor(["2026-01-01T00:00:00+00:00", None]),
        _raw_cursor(["0001-01-01T00:00:00+14:00", 1]),  # before year 1 in UTC
        _raw_cursor(["9999-12-31T23:59:59-14:00", 1]),  # after year 9999 in UTC
        _raw_cursor(b"[" * 5000),
    ],
)
def test_invalid_cursor_is_400(api: APIClient, cursor: str) -> None:
    make(2)
    assert_api_error(api.get(LIST, {"cursor": cursor}), 400, fields={"cursor"})


def test_cursor_round_trips_and_is_opaque_url_safe_text() -> None:
    moment = dt.datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=dt.UTC)
    cursor = encode_cursor(CursorKey(moment, 42))
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor)
    assert decode_cursor(cursor) == CursorKey(moment, 42)


def test_cursor_in_another_offset_means_the_same_instant() -> None:
    plus_two = dt.datetime(2026, 3, 4, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    key = decode_cursor(_raw_cursor([plus_two.isoformat(), 7]))
    assert key == CursorKey(dt.datetime(2026, 3, 4, 5, 0, tzinfo=dt.UTC), 7)


def test_a_cursor_past_the_end_is_an_empty_page(api: APIClient) -> None:
    make(3)
    cursor = encode_cursor(CursorKey(START - dt.timedelta(days=1), 1))
    response = api.get(LIST, {"cursor": cursor})
    assert response.status_code == 200
    assert response.json() == []
    assert "Link" not in response


def test_a_cursor_with_a_huge_id_is_accepted(api: APIClient) -> None:
    tickets = make(2, same_time=True)
    response = api.get(LIST, {"cursor": encode_cursor(CursorKey(START, 10**30))})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == newest_first(tickets)


def _unsaved(n: int) -> list[Ticket]:
    return [
        Ticket(
            title=f"Ticket {i}",
            description="text",
            category="general",
            priority="low",
            created_at=START + dt.timedelta(seconds=i),
        )
        for i in range(n)
    ]
