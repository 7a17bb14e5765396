"""Every rule of the contract is enforced by the database itself, on SQLite and PostgreSQL.

These tests bypass Django's validation entirely: raw SQL through `connection.cursor()`.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from core.text import WHITESPACE
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

TABLE = Ticket._meta.db_table


def _valid_row(**overrides: Any) -> dict[str, Any]:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    row: dict[str, Any] = {
        "title": "Cannot log in",
        "description": "The login page says my password is wrong.",
        "category": "account",
        "priority": "high",
        "status": "open",
        "created_at": now,
        "updated_at": now,
        "triage_provider": "",
        "category_by_human": False,
        "priority_by_human": False,
    }
    row.update(overrides)
    return row


def _insert_row(row: dict[str, Any]) -> int:
    columns = ", ".join(connection.ops.quote_name(column) for column in row)
    placeholders = ", ".join(["%s"] * len(row))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} ({columns}) VALUES ({placeholders})", list(row.values())
        )
    return Ticket.objects.order_by("-id").values_list("id", flat=True)[0]


def _insert(**overrides: Any) -> int:
    return _insert_row(_valid_row(**overrides))


def _update(pk: int, column: str, value: Any) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET {connection.ops.quote_name(column)} = %s WHERE id = %s",
            [value, pk],
        )


BROKEN_VALUES = [
    ("category", "bogus"),
    ("category", ""),
    ("category", "Billing"),
    ("category", None),
    ("priority", "urgent"),
    ("priority", ""),
    ("priority", None),
    ("status", "new"),
    ("status", "OPEN"),
    ("status", ""),
    ("status", None),
    ("title", ""),
    ("title", " "),
    ("title", "     "),
    ("title", "\t\n\r "),
    ("title", "\u00a0\u3000"),
    ("title", None),
    ("description", ""),
    ("description", "   "),
    ("description", "\n\n\t  \n"),
    ("description", "x" * 10_001),
    ("description", None),
    ("suggested_category", "bogus"),
    ("suggested_priority", "urgent"),
    ("triage_confidence", -0.01),
    ("triage_confidence", 1.01),
    ("triage_confidence", 42.0),
    ("created_at", None),
    ("updated_at", None),
    ("triage_provider", None),
    ("category_by_human", None),
    ("priority_by_human", None),
]


def test_a_valid_row_is_accepted() -> None:
    pk = _insert()
    ticket = Ticket.objects.get(pk=pk)
    assert (ticket.category, ticket.priority, ticket.status) == ("account", "high", "open")


@pytest.mark.parametrize(("column", "value"), BROKEN_VALUES)
def test_insert_breaking_a_rule_is_refused(column: str, value: object) -> None:
    with pytest.raises(IntegrityError):
        _insert(**{column: value})
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(("column", "value"), BROKEN_VALUES)
def test_update_breaking_a_rule_is_refused(column: str, value: object) -> None:
    pk = _insert()
    before = Ticket.objects.filter(pk=pk).values().get()
    with pytest.raises(IntegrityError):
        _update(pk, column, value)
    assert Ticket.objects.filter(pk=pk).values().get() == before


@pytest.mark.parametrize("title", ["x" * 201, "é" * 201, "😀" * 201])
def test_title_longer_than_200_characters_is_refused(title: str) -> None:
    # PostgreSQL's varchar(200) refuses it before the CHECK does (DataError); SQLite does not
    # enforce varchar length, so there the CHECK constraint refuses it (IntegrityError).
    expected = DataError if connection.vendor == "postgresql" else IntegrityError
    with pytest.raises(expected):
        _insert(title=title)
    pk = _insert()
    with pytest.raises(expected):
        _update(pk, "title", title)


@pytest.mark.parametrize("title", ["x", "x" * 200, "é" * 200, "😀" * 200, "\tx\u3000", "a  b"])
def test_boundary_titles_are_accepted(title: str) -> None:
    pk = _insert(title=title)
    assert Ticket.objects.get(pk=pk).title == title


def test_description_of_exactly_the_maximum_is_accepted() -> None:
    pk = _insert(description="d" * 10_000)
    assert len(Ticket.objects.get(pk=pk).description) == 10_000


@pytest.mark.parametrize("confidence", [0.0, 0.5, 1.0, None])
def test_confidence_within_0_and_1_or_null_is_accepted(confidence: float | None) -> None:
    pk = _insert(triage_confidence=confidence)
    assert Ticket.objects.get(pk=pk).triage_confidence == confidence


def test_suggestions_may_be_null_or_a_valid_label() -> None:
    pk = _insert(suggested_category=None, suggested_priority=None)
    assert Ticket.objects.filter(pk=pk, suggested_category__isnull=True).exists()
    pk = _insert(suggested_category="billing", suggested_priority="critical")
    assert Ticket.objects.get(pk=pk).suggested_priority == "critical"


def test_database_defaults_status_open_and_labels_not_by_a_person() -> None:
    row = _valid_row()
    for column in ("status", "category_by_human", "priority_by_human"):
        del row[column]
    ticket = Ticket.objects.get(pk=_insert_row(row))
    assert ticket.status == "open"
    assert ticket.category_by_human is False
    assert ticket.priority_by_human is False


@pytest.mark.parametrize(
    "column", ["title", "description", "category", "priority", "created_at", "updated_at"]
)
def test_omitting_a_required_column_is_refused(column: str) -> None:
    row = _valid_row()
    del row[column]
    with pytest.raises(IntegrityError):
        _insert_row(row)
    assert not Ticket.objects.exists()


def test_whitespace_set_is_exactly_what_str_strip_removes() -> None:
    # The API strips with str.strip(); the database must call the same texts blank.
    python = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert set(WHITESPACE) == python


def test_orm_writes_hit_the_same_constraints() -> None:
    ticket = Ticket.objects.create(title="ok", description="ok", category="billing", priority="low")
    ticket.priority = "urgent"
    with pytest.raises(IntegrityError), transaction.atomic():
        ticket.save()
