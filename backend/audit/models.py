"""Append-only change history of tickets (django-simple-history), owned by this app.

Every save of a ticket (create, PATCH, a job) inserts one full snapshot row in
`audit_historicalticket`, in the same transaction as the change, stamped with when it happened
and its source (`audit.context`). Rows are never updated or deleted: on PostgreSQL a trigger
refuses UPDATE and DELETE on the table (migration 0002).
"""

from __future__ import annotations

import simple_history
from django.db import models

from audit.context import SYSTEM
from tickets.models import Ticket


class ChangeSourceFields(models.Model):
    """Extra columns on each history row."""

    history_source = models.CharField(max_length=32, default=SYSTEM)

    class Meta:
        abstract = True


# The SLA columns are derived (the `sla` app recomputes them from the history that is kept).
SLA_FIELDS = [field.name for field in Ticket._meta.fields if field.name.startswith("sla_")]
# `updated_at` changes on every save and says nothing a history row's own date does not. The
# user who made a change is a plain id column (`history_user_id`, set by audit.receivers): a
# foreign key would tie the append-only table to the user table's deletes.
simple_history.register(
    Ticket,
    app="audit",
    bases=[ChangeSourceFields],
    excluded_fields=["updated_at", *SLA_FIELDS],
    history_user_id_field=models.BigIntegerField(null=True, blank=True),
    history_id_field=models.BigAutoField(primary_key=True, serialize=False),
)
