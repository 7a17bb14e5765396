"""Query plans on a seeded table (PostgreSQL): search and the filters stay on their indexes.

Nothing here is timed; a plan that falls back to reading the whole table is the regression the
benchmarks would otherwise catch late (bench/RESULTS.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from accounts.access import SYSTEM
from accounts.models import User
from devtools.seeding import writer
from devtools.seeding.requesters import EMAIL
from tickets import search, selectors
from tickets.models import Ticket

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
    pytest.mark.django_db,
]

SEEDED = 30_000
COMMON = "password"  # in a few percent of the seeded tickets
RARE = "kerberos"  # in about one in ten thousand
# The list's order, (created_at, id) descending.
NEWEST = {"ticket_newest"}
# Tickets belong to requesters, as in accounts mode: the page joins them.
REQUESTERS = 300


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        writer.seed(
            count=SEEDED, seed=11, truncate=True, progress=lambda rows: None, requesters=REQUESTERS
        )
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Ticket._meta.db_table} RESTART IDENTITY CASCADE")
        # Written outside any test's transaction, like the tickets: other tests count users.
        User.objects.filter(email__in=[EMAIL.format(n) for n in range(1, REQUESTERS + 1)]).delete()


def plan_nodes(params: dict[str, str]) -> list[dict[str, Any]]:
    listing = selectors.ticket_listing(caller=SYSTEM, filters=params)
    # As `TicketListing.page` reads it: joined to the requesters.
    page = listing.queryset.select_related("requester")[:51]
    plan = json.loads(page.explain(format="json"))[0]["Plan"]
    nodes, stack = [], [plan]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


def indexes_used(params: dict[str, str]) -> set[str]:
    return {n["Index Name"] for n in plan_nodes(params) if "Index Name" in n}


def assert_no_table_scan(params: dict[str, str]) -> None:
    # The requesters may well be read whole for a hash join (a page's worth of users or all).
    scans = [
        n
        for n in plan_nodes(params)
        if n["Node Type"] == "Seq Scan" and n["Relation Name"] == Ticket._meta.db_table
    ]
    assert scans == [], f"{params} reads the whole table"


def test_seeded_search_vectors_are_what_the_trigger_computes() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT count(*) FROM {Ticket._meta.db_table}
            WHERE search_vector IS DISTINCT FROM
                setweight(to_tsvector('english', title), 'A')
                || setweight(to_tsvector('english', description), 'B')"""
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"search": RARE},
        {"search": RARE[:5]},
        {"search": f"{RARE} {COMMON}"},
        {"search": RARE, "category": "technical"},
        {"search": RARE, "status": "open,closed"},
    ],
)
def test_a_rare_term_is_found_through_the_gin_index(params: dict[str, str]) -> None:
    assert "ticket_search" in indexes_used(params)
    assert_no_table_scan(params)


@pytest.mark.parametrize(
    "params",
    [
        {"search": "zzqqxx"},  # a typo: the planner guesses "common" for an unknown prefix
        {"search": "zzqqxx", "status": "open", "category": "billing"},
        {"search": "refund zzqq"},
        {"search": "INV-2024-0042"},
        {"search": "9F3KQ7ZX2M8WLT4RB6NC1YHD5PJ0VGSA"},
        {"search": "jo.reyes@example-shop.com"},
        {"search": "7731"},
    ],
)
def test_a_search_matching_little_is_found_through_the_trigram_index(
    params: dict[str, str],
) -> None:
    """Not a walk of the newest-first index (the whole table for a search matching nothing)."""
    used = indexes_used(params)
    # Narrowed to open tickets, it reads the open tickets' own trigram index (migration 0013).
    trigram = "ticket_open_search_trigram" if params.get("status") else "ticket_search_trigram"
    assert trigram in used, used
    assert not used & NEWEST, used
    assert_no_table_scan(params)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"search": RARE, "status": "open"}, "open"),
        ({"search": RARE, "status": "open", "category": "technical"}, "open"),
        ({"search": f"{RARE} 7731", "status": "in_progress"}, "in_progress"),
        ({"search": "zzqqxx", "status": "in_progress", "priority": "high"}, "in_progress"),
    ],
)
def test_a_search_within_a_working_status_reads_only_that_status_indexes(
    params: dict[str, str], status: str
) -> None:
    """Not a bitmap of every ticket's matches intersected with one of every ticket in that
    status: both grow with the table (965 ms at 10M for a common word and `status=open`)."""
    used = indexes_used(params)
    assert f"ticket_{status}_search_trigram" in used, used
    assert not used & {"ticket_search", "ticket_search_trigram", "ticket_status_newest"}, used
    assert_no_table_scan(params)


@pytest.mark.parametrize("params", [{"search": COMMON}, {"search": COMMON[:5]}])
def test_a_common_word_walks_the_newest_first_index(params: dict[str, str]) -> None:
    used = indexes_used(params)
    assert used & NEWEST, used
    assert_no_table_scan(params)


@pytest.mark.parametrize(
    ("params", "own_index"),
    [
        ({"status": "open"}, "ticket_status_newest"),
        ({"category": "billing"}, "ticket_category_newest"),
        ({"priority": "critical"}, "ticket_priority_newest"),
        ({"category": "general", "priority": "critical"}, "ticket_cat_prio_newest"),
        (
            {"category": "general", "priority": "critical", "status": "closed"},
            "ticket_cat_prio_newest",
        ),
    ],
)
def test_each_filter_reads_an_index_in_list_order(params: dict[str, str], own_index: str) -> None:
    # Its own (label, created_at) index, or, when the label is common, the newest-first index
    # filtered on the way: both hand rows over already ordered, so the page stops early.
    used = indexes_used(params)
    assert used & (NEWEST | {own_index}), used
    assert not [n for n in plan_nodes(params) if n["Node Type"] == "Sort"]
    assert_no_table_scan(params)


def test_the_list_joined_to_its_requesters_reads_the_newest_first_index() -> None:
    """No sort above the join: with a single-column created_at index as well, the planner
    walked that one and re-sorted ties (an Incremental Sort), joining every row it read."""
    assert indexes_used({}) & NEWEST
    assert not [n for n in plan_nodes({}) if "Sort" in n["Node Type"]]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "open,in_progress"},
        {"status": "open", "priority": "high"},
        {"category": "general", "priority": "low", "status": "closed"},
        {"category": "billing,account", "priority": "critical", "status": "resolved"},
        {"status": "open", "search": COMMON},
    ],
)
def test_filter_combinations_never_read_the_whole_table(params: dict[str, str]) -> None:
    assert_no_table_scan(params)


@pytest.mark.parametrize(
    ("term", "exact", "queries"),
    [
        # The EXPLAIN, then the page carrying its total.
        (RARE, "true", 2),
        # The EXPLAIN, the sample of the newest tickets (its estimate is well above the limit:
        # no count), then the page.
        (COMMON, "false", 3),
    ],
)
def test_a_search_page_says_if_its_count_is_exact(
    api: Any,
    django_assert_num_queries: Any,
    monkeypatch: pytest.MonkeyPatch,
    term: str,
    exact: str,
    queries: int,
) -> None:
    # The seeded table is small: a limit below the common word's matches stands for 10,000.
    monkeypatch.setattr(search, "EXACT_COUNT_LIMIT", 100)
    with django_assert_num_queries(queries):
        response = api.get("/api/tickets/", {"search": term})
    assert response.status_code == 200
    assert response["X-Total-Count-Exact"] == exact
    total = int(response["X-Total-Count"])
    matching = Ticket.objects.filter(description__icontains=term).count()
    if exact == "true":
        assert total == len(response.json()) == matching
    else:
        assert 0.5 * matching < total < 2 * matching
