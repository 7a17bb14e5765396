"""Keyset pagination, newest first over (created_at, id), or by a rank and then newest first, or
oldest first over (created_at, id) (a ticket's conversation).

The cursor is opaque to clients (URL-safe base64 of the last row's key). Unlike offsets it stays
correct while tickets are being added (no duplicates, no gaps) and costs the same on page 10,000
as on page 1, because an index answers it directly. One codec serves both orders: a cursor
minted for one order is refused by the other.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

M = TypeVar("M", bound=Model)
_RANKED = "rank"
_DUE = "due"


@dataclass(frozen=True)
class CursorKey:
    """The sort key of the last row of a page; `rank` only in ranked order."""

    created_at: dt.datetime
    pk: int
    rank: float | None = None


def encode_cursor(key: CursorKey) -> str:
    values: list[Any] = [key.created_at.isoformat(), key.pk]
    if key.rank is not None:
        values = [_RANKED, key.rank, *values]
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def decode_cursor(cursor: str, *, ranked: bool = False) -> CursorKey:
    """The key a cursor carries; raises `ValidationError` (400) for anything the server did not
    mint for this order, forged dates included."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list):
            raise ValueError("bad cursor")
        rank = None
        if ranked:
            kind, rank, *values = values
            if kind != _RANKED or not (_is_int(rank) or isinstance(rank, float)):
                raise ValueError("bad cursor")
        created, pk = values
        created_at = dt.datetime.fromisoformat(created)
        if not _is_int(pk) or created_at.tzinfo is None:
            raise ValueError("bad cursor")
        # A forged offset near year 1 or 9999 must fail here, not when the database adapts it.
        created_at = created_at.astimezone(dt.UTC)
    except (
        ValueError,
        TypeError,
        OverflowError,
        RecursionError,
        binascii.Error,
        UnicodeDecodeError,
    ) as exc:
        raise ValidationError({"cursor": ["Invalid cursor."]}) from exc
    return CursorKey(created_at, pk, None if rank is None else float(rank))


@dataclass(frozen=True)
class DueKey:
    """The sort key of the last row of a page in due order: its due time and id, or (a ticket
    with no running target, listed after all others, newest first) its creation time and id."""

    due_at: dt.datetime | None
    created_at: dt.datetime
    pk: int


def encode_due_cursor(key: DueKey) -> str:
    due = key.due_at.isoformat() if key.due_at else None
    values = [_DUE, due, key.created_at.isoformat(), key.pk]
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _aware(raw: Any) -> dt.datetime:
    value = dt.datetime.fromisoformat(raw)
    if value.tzinfo is None:
        raise ValueError("bad cursor")
    return value.astimezone(dt.UTC)


def decode_due_cursor(cursor: str) -> DueKey:
    """The key a due-order cursor carries; `ValidationError` (400) for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != 4 or values[0] != _DUE:
            raise ValueError("bad cursor")
        _, due, created, pk = values
        if not _is_int(pk):
            raise ValueError("bad cursor")
        key = DueKey(None if due is None else _aware(due), _aware(created), pk)
    except (
        ValueError,
        TypeError,
        OverflowError,
        RecursionError,
        binascii.Error,
        UnicodeDecodeError,
    ) as exc:
        raise ValidationError({"cursor": ["Invalid cursor."]}) from exc
    return key


def due_page(
    queryset: QuerySet[M], *, cursor: str | None, limit: int, dated: bool, undated: bool
) -> Page[M]:
    """One page soonest due first: the rows with a due time (`sla_due_at`) by (due, id), then
    (`undated`) those without, newest first. Two range reads, each on its own index (the
    partial due index, the newest-first ones); a caller whose filters rule a part out says so
    (`dated`/`undated` False) and that part is not read at all."""
    key = decode_due_cursor(cursor) if cursor else None
    rows: list[M] = []
    if dated and (key is None or key.due_at is not None):
        with_due = queryset.filter(sla_due_at__isnull=False).order_by("sla_due_at", "id")
        if key is not None:
            with_due = with_due.filter(sla_due_at__gte=key.due_at).filter(
                Q(sla_due_at__gt=key.due_at) | Q(pk__gt=key.pk)
            )
        rows = list(with_due[: limit + 1])
    if undated and len(rows) <= limit:
        without = queryset.filter(sla_due_at__isnull=True).order_by("-created_at", "-id")
        if key is not None and key.due_at is None:
            without = without.filter(
                Q(created_at__lt=key.created_at) | Q(created_at=key.created_at, pk__lt=key.pk)
            )
        rows += list(without[: limit + 1 - len(rows)])
    next_cursor = None
    if len(rows) > limit:
        last: Any = rows[limit - 1]
        next_cursor = encode_due_cursor(DueKey(last.sla_due_at, last.created_at, last.pk))
    return Page(rows[:limit], next_cursor)


def parse_limit(raw: str | None, *, default: int, maximum: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        limit = int(raw)
    except ValueError as exc:
        raise ValidationError({"limit": ["A whole number is required."]}) from exc
    if not 1 <= limit <= maximum:
        raise ValidationError({"limit": [f"Must be between 1 and {maximum}."]})
    return limit


@dataclass
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def keyset_page(
    queryset: QuerySet[M],
    *,
    cursor: str | None,
    limit: int,
    rank_field: str | None = None,
    oldest_first: bool = False,
) -> Page[M]:
    """One page of a queryset ordered by (-created_at, -id), or by (-<rank_field>, -created_at,
    -id) when `rank_field` names an annotation of its rows, or by (created_at, id) with
    `oldest_first` (a conversation's thread; not combined with a rank)."""
    if oldest_first and rank_field is not None:
        raise ValueError("A ranked page is newest first.")
    if cursor:
        key = decode_cursor(cursor, ranked=rank_field is not None)
        if oldest_first:
            after = Q(created_at__gt=key.created_at) | Q(created_at=key.created_at, pk__gt=key.pk)
        else:
            after = Q(created_at__lt=key.created_at) | Q(created_at=key.created_at, pk__lt=key.pk)
        if rank_field is not None:
            after = Q(**{f"{rank_field}__lt": key.rank}) | (Q(**{rank_field: key.rank}) & after)
        queryset = queryset.filter(after)
    rows = list(queryset[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        rank = float(getattr(last, rank_field)) if rank_field is not None else None
        next_cursor = encode_cursor(CursorKey(last.created_at, last.pk, rank))  # type: ignore[attr-defined]
    return Page(rows[:limit], next_cursor)


def next_link(request: Request, cursor: str) -> str:
    url = replace_query_param(request.build_absolute_uri(), "cursor", cursor)
    return f'<{url}>; rel="next"'
