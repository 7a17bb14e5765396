"""Reads of the change history."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django.apps import apps

from accounts.models import User
from audit.context import TRIAGE

# The fields a person can change, in the order the history lists them within one change.
TRACKED_FIELDS = ("status", "category", "priority", "title", "description")
# At creation only the workflow and the labels are worth a line: who set them is the point.
CREATION_FIELDS = ("status", "category", "priority")
# A label is the AI's while its `<field>_by_human` flag is false.
LABEL_FLAGS = {"category": "category_by_human", "priority": "priority_by_human"}
# The newest changes shown; older ones stay in the table.
HISTORY_MAX_ROWS = 500


def _source(row: Any, field: str) -> str:
    flag = LABEL_FLAGS.get(field)
    if flag is not None and not getattr(row, flag):
        return TRIAGE
    return str(row.history_source)


class Actor(TypedDict):
    id: int
    name: str


class HistoryEntry(TypedDict):
    """One field's change: when, from what to what, and who made it (`source`; `actor` is the
    signed-in user, None for triage and the system)."""

    at: dt.datetime
    field: str
    old: Any
    new: Any
    source: str
    actor: Actor | None


def _entry(row: Any, field: str, old: Any, actors: dict[int, Actor]) -> HistoryEntry:
    source = _source(row, field)
    actor = None if source == TRIAGE else actors.get(row.history_user_id)
    return {
        "at": row.history_date,
        "field": field,
        "old": old,
        "new": getattr(row, field),
        "source": source,
        "actor": actor,
    }


def _actors(rows: list[Any]) -> dict[int, Actor]:
    ids = {row.history_user_id for row in rows if row.history_user_id is not None}
    if not ids:
        return {}
    users = User.objects.filter(pk__in=ids).values_list("id", "name", "email")
    # A user without a name is shown by their address.
    return {pk: {"id": pk, "name": name or email} for pk, name, email in users}


def ticket_history(*, ticket_id: int) -> list[HistoryEntry]:
    """A ticket's field changes, oldest first: `{at, field, old, new, source, actor}` each.

    The creation contributes its status and labels (old `None`); every later save one entry per
    tracked field whose value changed. A label the AI chose (not marked as a person's) has source
    `triage`; everything else the source stamped on the change (`api`, `system`, ...). At most
    the newest `HISTORY_MAX_ROWS` saves are read: one query, and one more for the actors'
    names when any change was made by a signed-in user.
    """
    historical = apps.get_model("audit", "HistoricalTicket")
    rows = list(
        historical.objects.filter(id=ticket_id).order_by("-history_date", "-history_id")[
            : HISTORY_MAX_ROWS + 1
        ]
    )
    rows.reverse()
    actors = _actors(rows)
    entries: list[HistoryEntry] = []
    previous: Any = None
    for row in rows:
        if previous is None:
            # The oldest row read is either the creation or, when capped, only a baseline.
            if row.history_type == "+" and len(rows) <= HISTORY_MAX_ROWS:
                entries.extend(_entry(row, field, None, actors) for field in CREATION_FIELDS)
        else:
            entries.extend(
                _entry(row, field, getattr(previous, field), actors)
                for field in TRACKED_FIELDS
                if getattr(row, field) != getattr(previous, field)
            )
        previous = row
    return entries
