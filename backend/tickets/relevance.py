"""Keyset pages in relevance order: (rank, created_at, id) descending.

The cursor is opaque to clients like the newest-first one (tickets.pagination), and carries the
last row's rank exactly: the rank is `ts_rank` cast to float8 (tickets.filters.SearchRank), which
a Python float round-trips through JSON without loss, so "rank below the cursor's, or equal and
older" selects exactly the rows after it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError

from tickets.models import Ticket
from tickets.pagination import Page

RANK_ANNOTATION = "search_rank"
_KIND = "rank"


def encode_cursor(rank: float, created_at: dt.datetime, pk: int) -> str:
    raw = json.dumps([_KIND, rank, created_at.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, rank, created, pk = json.loads(raw)
        created_at = dt.datetime.fromisoformat(created)
        valid = (
            kind == _KIND
            and isinstance(rank, int | float)
            and not isinstance(rank, bool)
            and isinstance(pk, int)
            and not isinstance(pk, bool)
            and created_at.tzinfo is not None
        )
        if not valid:
            raise ValueError("bad cursor")
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationError({"cursor": ["Invalid cursor."]}) from exc
    return float(rank), created_at, pk


def relevance_page(queryset: QuerySet[Ticket], *, cursor: str | None, limit: int) -> Page[Ticket]:
    """One page of a queryset annotated with RANK_ANNOTATION and ordered by it, newest first."""
    if cursor:
        rank, created_at, pk = decode_cursor(cursor)
        rank_field = RANK_ANNOTATION
        queryset = queryset.filter(
            Q(**{f"{rank_field}__lt": rank})
            | Q(**{rank_field: rank, "created_at__lt": created_at})
            | Q(**{rank_field: rank, "created_at": created_at, "pk__lt": pk})
        )
    rows = list(queryset[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(getattr(last, RANK_ANNOTATION), last.created_at, last.pk)
    return Page(rows[:limit], next_cursor)
