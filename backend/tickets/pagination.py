"""Keyset pagination over (created_at, id), newest first.

The cursor is opaque to clients (URL-safe base64 of the last row's key). Unlike offsets it stays
correct while tickets are being added (no duplicates, no gaps) and costs the same on page 10,000
as on page 1, because the (created_at, id) index answers it directly.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

M = TypeVar("M", bound=Model)


def encode_cursor(created_at: dt.datetime, pk: int) -> str:
    raw = json.dumps([created_at.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, pk = json.loads(raw)
        created_at = dt.datetime.fromisoformat(created)
        if not isinstance(pk, int) or isinstance(pk, bool) or created_at.tzinfo is None:
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
    return created_at, pk


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


def keyset_page(queryset: QuerySet[M], *, cursor: str | None, limit: int) -> Page[M]:
    """One page of a queryset ordered by (-created_at, -id)."""
    if cursor:
        created_at, pk = decode_cursor(cursor)
        queryset = queryset.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)
        )
    rows = list(queryset[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if has_more and rows:
        last = rows[-1]
        next_cursor = encode_cursor(last.created_at, last.pk)  # type: ignore[attr-defined]
    return Page(rows, next_cursor)


def next_link(request: Request, cursor: str) -> str:
    url = replace_query_param(request.build_absolute_uri(), "cursor", cursor)
    return f'<{url}>; rel="next"'
