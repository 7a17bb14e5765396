"""Reads. Each returns a queryset or plain data computed by the database."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypedDict, cast

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.access import OPEN, Caller, access_mode
from accounts.permissions import Action, require
from tickets import counters, search
from tickets.filters import TicketFilter, sla_condition
from tickets.models import Category, Priority, Status, Ticket, visible_to
from tickets.pagination import Page, due_page, keyset_page

LABEL_FILTERS = ("category", "priority", "status")
# Filters the counters know nothing of (they count labels only): a list narrowed by one is
# counted by the database.
UNCOUNTED_FILTERS = ("assignee", "team", "needs_triage", "sla")
# Every list and detail reads these with the ticket, in the same query (accounts mode: open
# mode never shows them, see `with_related`).
RELATED = ("requester", "team", "assignee")
ORDERINGS = ("", "newest", "relevance", "due")
RUNNING = frozenset({Status.OPEN, Status.IN_PROGRESS})


def with_related(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """`queryset` reading who asked and who works on each ticket in the same query. Only in
    accounts mode: the open contract never shows them, and the three joins cost more planning
    time than the page's own index scan (bench/RESULTS.md, *Throughput*)."""
    return queryset.select_related(*RELATED) if access_mode() != OPEN else queryset


@dataclass(frozen=True)
class TotalCount:
    value: int
    exact: bool


@dataclass
class TicketListing:
    """The list's queryset in page order and how to count it; see `ticket_listing`."""

    queryset: QuerySet[Ticket]
    labels: dict[str, list[str]]
    searching: bool
    # Narrowed to one requester's tickets: the counters (which cover every ticket) do not apply.
    scoped: bool = False
    # Set for a search matching so many tickets that counting them would cost more than the page.
    estimate: int | None = None
    # Set when the search's plan already counted its matches exactly.
    total: int | None = None
    by_relevance: bool = False
    # `?ordering=due`: running targets soonest due first, then the rest newest first; which of
    # the two parts the filters allow (a running status always has a due time, a closed never).
    by_due: bool = False
    dated: bool = True
    undated: bool = True

    def page(self, *, cursor: str | None, limit: int) -> Page[Ticket]:
        """One keyset page in this listing's order (newest first, relevance, or due)."""
        if self.by_due:
            return due_page(
                with_related(self.queryset),
                cursor=cursor,
                limit=limit,
                dated=self.dated,
                undated=self.undated,
            )
        rank_field = search.RANK_ANNOTATION if self.by_relevance else None
        return keyset_page(
            with_related(self.queryset),
            cursor=cursor,
            limit=limit,
            rank_field=rank_field,
        )

    def count(self, page: Page[Ticket] | None = None, *, first: bool = True) -> TotalCount:
        """How many tickets match over all pages, given the page already read from `queryset`
        (`first`: it is the first page, read without a cursor).

        Without a search term: exact, from the counters, for any label combination (one query).
        Narrowed to one requester or by an `UNCOUNTED_FILTERS` filter: `bounded_count` (one
        query below `search.EXACT_COUNT_LIMIT` matches, two on PostgreSQL above it).
        A first page that is also the last: exact, its own length (no query), whatever the
        planner guessed; so an empty result never claims matches.
        A search the plan counted (fewer than `search.EXACT_COUNT_LIMIT` matches): exact.
        A sparse search: exact, carried by the page's rows (no query unless the page is empty).
        A dense search of at least `search.EXACT_COUNT_LIMIT` matches: PostgreSQL's estimate
        (never below that limit), flagged inexact, since counting 30,000 matches of a common
        word would cost several times the page itself (no query).
        """
        rows: Sequence[Ticket] = page.items if page is not None else ()
        if self.scoped and not self.searching:
            if first and page is not None and page.next_cursor is None:
                return TotalCount(len(rows), exact=True)
            # One requester's tickets, or a list narrowed by an uncounted filter (a team's
            # unassigned tickets: 100,000 rows at a million tickets): counted no further than
            # the search path counts.
            return bounded_count(self.queryset)
        if not self.searching:
            return TotalCount(counters.count(self.labels), exact=True)
        if first and page is not None and page.next_cursor is None:
            return TotalCount(len(rows), exact=True)
        if self.total is not None:
            return TotalCount(self.total, exact=True)
        if self.estimate is not None:
            return TotalCount(self.estimate, exact=False)
        if rows and hasattr(rows[0], search.TOTAL_ANNOTATION):
            return TotalCount(int(getattr(rows[0], search.TOTAL_ANNOTATION)), exact=True)
        return TotalCount(self.queryset.order_by().count(), exact=True)


def bounded_count(queryset: QuerySet[Ticket]) -> TotalCount:
    """How many rows `queryset` has, reading no more than `search.EXACT_COUNT_LIMIT` + 1 of
    them (`SELECT count(*) FROM (SELECT ... LIMIT n)`): exact up to the limit. Above it, an
    estimate flagged inexact, as for a dense search: PostgreSQL's planner estimate, never
    below the limit (one EXPLAIN more); the limit itself elsewhere."""
    limit = search.EXACT_COUNT_LIMIT
    found = queryset.order_by().values("id")[: limit + 1].count()
    if found <= limit:
        return TotalCount(found, exact=True)
    estimate = limit
    if connection.vendor == "postgresql":
        plan = json.loads(queryset.order_by().values("id").explain(format="json"))[0]["Plan"]
        estimate = max(limit, int(plan["Plan Rows"]))
    return TotalCount(estimate, exact=False)


def _requester_filter(caller: Caller, raw: str | None) -> Q:
    """`?requester=me` (anyone signed in) or `?requester=<id>` (agents)."""
    if raw is None or raw == "":
        return Q()
    if raw == "me":
        if caller.user is None:
            raise ValidationError({"requester": ['"me" needs a signed-in user.']})
        return Q(requester_id=caller.user_id)
    require(caller, Action.TICKET_FILTER_REQUESTER)
    if not raw.isdigit() or len(raw) > 18:
        raise ValidationError({"requester": ['Must be "me" or a user id.']})
    return Q(requester_id=int(raw))


def ticket_listing(
    *,
    caller: Caller,
    filters: QueryDict | dict[str, Any] | None = None,
    ordering: str | None = None,
) -> TicketListing:
    """The filtered tickets the caller may see, newest first (ties broken by id), and their
    count. `?requester=me|<id>` narrows to one requester (an id: agents only, else 403).

    `ordering="relevance"` with a search term orders best matches first where the database can
    rank them (PostgreSQL; see `tickets.search`). Elsewhere, or without a term, the order stays
    newest first.

    Raises `ValidationError` for an unknown choice or ordering, or an over-long search term.
    """
    if ordering is not None and ordering not in ORDERINGS:
        raise ValidationError({"ordering": ['Must be "newest", "relevance" or "due".']})
    raw_requester = (filters or {}).get("requester")
    scope = visible_to(caller) & _requester_filter(
        caller, raw_requester if isinstance(raw_requester, str) or raw_requester is None else ""
    )
    queryset = Ticket.objects.filter(scope).order_by("-created_at", "-id")
    data: dict[str, Any] = {}
    if filters and any(name in filters for name in TicketFilter.base_filters):
        filterset = TicketFilter(filters, queryset=queryset, user_id=caller.user_id)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        data, queryset = filterset.form.cleaned_data, filterset.qs
    # Else no filter is named (the plain list, the commonest call): the filterset would
    # answer the same queryset, after deep-copying its filters and building a form.
    labels = {
        field: values
        for field in LABEL_FILTERS
        if (values := [value for value in data.get(field) or () if value])
    }
    text = data.get("search") or ""
    uncounted = any(data.get(field) not in (None, "") for field in UNCOUNTED_FILTERS)
    listing = TicketListing(
        queryset, labels, searching=bool(text.strip()), scoped=bool(scope) or uncounted
    )
    if listing.searching:
        labelled = Ticket.objects.filter(scope, **{f"{f}__in": v for f, v in labels.items()})
        plan = search.backend().plan(
            listing.queryset, labelled=labelled, text=text, relevance=ordering == "relevance"
        )
        listing.queryset = plan.queryset
        listing.estimate = plan.estimate
        listing.total = plan.total
        listing.by_relevance = plan.by_relevance
    if ordering == "due":
        statuses = set(labels.get("status") or Status.values)
        listing.by_due, listing.by_relevance = True, False
        listing.dated = bool(statuses & RUNNING)
        # A running ticket always has a due time (unless its priority has no policy: then it
        # is listed only without a status filter), and an at-risk one by definition.
        listing.undated = not statuses <= RUNNING and data.get("sla") != "at_risk"
    return listing


def ticket_list(
    *, caller: Caller, filters: QueryDict | dict[str, Any] | None = None
) -> QuerySet[Ticket]:
    """Tickets the caller may see, newest first (ties broken by id), narrowed by the list's
    query-string filters.

    Raises `ValidationError` for an unknown choice or an over-long search term.
    """
    return ticket_listing(caller=caller, filters=filters).queryset


def ticket_get(*, caller: Caller, ticket_id: int) -> Ticket:
    """One ticket the caller may see; raises `Ticket.DoesNotExist` for any other."""
    return with_related(Ticket.objects.filter(visible_to(caller))).get(pk=ticket_id)


class AcceptanceStats(TypedDict):
    """How often people kept the AI's category: overall and per suggested category (None until
    a person has reviewed one)."""

    rate: float | None
    reviewed: int
    by_category: dict[str, float | None]


class TargetAttainment(TypedDict):
    """The share of decided targets (met, or missed) met in time; None when none was decided."""

    first_response: float | None
    resolution: float | None


class SlaStats(TypedDict):
    """Service levels now: running tickets at risk and past due, and attainment per priority
    over the tickets filed in the last `window_days` days."""

    at_risk: int
    breached: int
    window_days: int
    attainment: dict[str, TargetAttainment]


SLA_WINDOW_DAYS = 30


def _attainment(fr_ok: int, fr_missed: int, res_ok: int, res_missed: int) -> TargetAttainment:
    return {
        "first_response": _rate(fr_ok, fr_ok + fr_missed),
        "resolution": _rate(res_ok, res_ok + res_missed),
    }


# The entry is (computed at, figures); the key names that shape, so an entry an earlier version
# wrote (the figures alone) is never read as one.
SLA_ATTAINMENT_CACHE_KEY = "tickets:sla-attainment:v2"
# This process's copy of the shared entry (when the figures were computed, the figures): most
# dashboard refreshes then cost no cache query either.
_attainment_memo: tuple[dt.datetime, dict[str, TargetAttainment]] | None = None


def _sla_attainment(now: dt.datetime) -> dict[str, TargetAttainment]:
    """Attainment per priority over the tickets filed in the last `SLA_WINDOW_DAYS` days: one
    aggregate over them (the newest-first index), reused for `SLA_STATS_MAX_AGE` seconds from
    the shared cache, since it grows with the month's tickets (0.45 s for 111,000 at load 10;
    bench/RESULTS.md) and every dashboard reads the stats again on each ticket event. Each
    process also keeps the entry in memory until it is that old, so most reads cost no query."""
    global _attainment_memo
    max_age = dt.timedelta(seconds=settings.SLA_STATS_MAX_AGE)
    if max_age:
        memo = _attainment_memo
        if memo is None or now >= memo[0] + max_age:  # not in memory: the shared cache
            memo = cast(Any, cache.get(SLA_ATTAINMENT_CACHE_KEY))
            if not (isinstance(memo, tuple) and len(memo) == 2):
                memo = None
        if memo is not None and now < memo[0] + max_age:
            _attainment_memo = memo
            return memo[1]
    missed_fr = Q(sla_first_response_breached=True) | Q(
        first_response_at__isnull=True, sla_first_response_due_at__lte=now
    )
    ok_fr = Q(first_response_at__isnull=False, sla_first_response_breached=False)
    missed_res = Q(sla_resolution_breached=True) | Q(
        sla_resolved_at__isnull=True, sla_resolution_due_at__lte=now
    )
    ok_res = Q(sla_resolved_at__isnull=False, sla_resolution_breached=False)
    figures: dict[str, Any] = {}
    for priority in Priority.values:
        mine = Q(priority=priority, sla_first_response_due_at__isnull=False)
        figures[f"{priority}:fr_ok"] = Count("id", filter=mine & ok_fr)
        figures[f"{priority}:fr_missed"] = Count("id", filter=mine & missed_fr)
        figures[f"{priority}:res_ok"] = Count("id", filter=mine & ok_res)
        figures[f"{priority}:res_missed"] = Count("id", filter=mine & missed_res)
    since = now - dt.timedelta(days=SLA_WINDOW_DAYS)
    row = Ticket.objects.filter(created_at__gte=since).aggregate(**figures)
    attainment = {
        p: _attainment(
            row[f"{p}:fr_ok"], row[f"{p}:fr_missed"], row[f"{p}:res_ok"], row[f"{p}:res_missed"]
        )
        for p in Priority.values
    }
    if max_age:
        _attainment_memo = (now, attainment)
        cache.set(SLA_ATTAINMENT_CACHE_KEY, _attainment_memo, settings.SLA_STATS_MAX_AGE)
    return attainment


def _sla_live_counts(now: dt.datetime) -> tuple[QuerySet[Ticket], QuerySet[Ticket]]:
    """The tickets at risk and those past due now, each counted on its own index (the at-risk
    one, the running targets' due one); `ticket_stats` counts both in its one query."""
    return (
        Ticket.objects.filter(sla_condition("at_risk", now)),
        Ticket.objects.filter(sla_due_at__lte=now),
    )


class TicketStats(TypedDict):
    """`GET /api/tickets/stats/`: the contract's keys, then the extra figures."""

    total_tickets: int
    open_tickets: int
    avg_tickets_per_day: float
    priority_breakdown: dict[str, int]
    category_breakdown: dict[str, int]
    status_breakdown: dict[str, int]
    acceptance: AcceptanceStats
    sla: SlaStats


def _days_inclusive(first: dt.datetime | None, today: dt.date) -> int:
    if first is None:
        return 0
    return (today - timezone.localtime(first).date()).days + 1


def ticket_stats() -> TicketStats:
    """The dashboard's figures in one query over the trigger-kept counters (`tickets.counters`),
    with the live service-level counts as subqueries of the same query, then the 30-day
    attainment (`_sla_attainment`: from memory or the cache, else one aggregate).

    Summing a few hundred counter rows costs the same at a million tickets as at ten; a filtered
    aggregate over the tickets themselves grows with the table (bench/RESULTS.md).
    """
    now = timezone.now()
    row, first_created, (at_risk, breached) = counters.figures(*_sla_live_counts(now))
    total = row["total"]
    days = _days_inclusive(first_created, timezone.localdate())

    def breakdown(field: str, choices: type[Category | Priority | Status]) -> dict[str, int]:
        return {value: row[f"{field}:{value}"] for value in choices.values}

    return {
        "total_tickets": total,
        "open_tickets": row["status:open"],
        "avg_tickets_per_day": round(total / days, 1) if days else 0.0,
        "priority_breakdown": breakdown("priority", Priority),
        "category_breakdown": breakdown("category", Category),
        "status_breakdown": breakdown("status", Status),
        "acceptance": {
            "rate": _rate(row["accepted"], row["reviewed"]),
            "reviewed": row["reviewed"],
            "by_category": {
                value: _rate(row[f"accepted:{value}"], row[f"reviewed:{value}"])
                for value in Category.values
            },
        },
        # The at-risk and past-due counts live; the attainment per priority up to
        # `SLA_STATS_MAX_AGE` seconds old (`_sla_attainment`).
        "sla": {
            "at_risk": at_risk,
            "breached": breached,
            "window_days": SLA_WINDOW_DAYS,
            "attainment": _sla_attainment(now),
        },
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None
