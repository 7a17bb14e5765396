"""The ticket: the public contract's fields, plus what triage suggested and who chose the labels.

Every rule of the contract is also a database constraint, so a bug in Python (or a raw SQL
script) cannot store a ticket the API would refuse.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

from accounts.access import Caller
from core.text import WHITESPACE


class Category(models.TextChoices):
    BILLING = "billing", "Billing"
    TECHNICAL = "technical", "Technical"
    ACCOUNT = "account", "Account"
    GENERAL = "general", "General"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


TITLE_MAX_LENGTH = 200
# What a person may change after a ticket is filed, in the order its history lists one change.
EDITABLE_FIELDS = ("status", "category", "priority", "title", "description")
# Who works on it: agents set these (`Action.TICKET_ASSIGN`); routing sets them on its own.
ASSIGNMENT_FIELDS = ("team", "assignee")
# Open work: what `fewest_open` counts and an agent's queue shows by default.
OPEN_STATUSES = ("open", "in_progress")
# The labels triage suggests; each has a `<label>_by_human` flag and a `suggested_<label>`.
LABEL_FIELDS = ("category", "priority")
DESCRIPTION_MAX_LENGTH: int = settings.TICKET_DESCRIPTION_MAX_LENGTH


class StripWhitespace(Func):
    """The text with `WHITESPACE` removed from both ends (BTRIM on PostgreSQL, TRIM on SQLite)."""

    function = "BTRIM"
    output_field = TextField()

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(expression, Value(WHITESPACE), **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, function="TRIM", **extra_context)


def _choice(field: str, choices: type[models.TextChoices], *, nullable: bool = False) -> Q:
    rule = Q(**{f"{field}__in": choices.values})
    return rule | Q(**{f"{field}__isnull": True}) if nullable else rule


class Ticket(models.Model):
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH)
    category = models.CharField(max_length=16, choices=Category.choices)
    priority = models.CharField(max_length=16, choices=Priority.choices)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN, db_default=Status.OPEN
    )
    # No index of its own: `ticket_newest` (created_at, id) serves every lookup by creation time,
    # and with a single-column one as well the planner walked it for the list joined to its
    # requesters, re-sorting ties by id, and read thousands of rows for a page (bench/RESULTS.md).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Who the ticket is for: the signed-in caller who filed it, or the person an agent filed it
    # for. NULL for tickets filed anonymously (open mode) and those older than accounts. A user
    # with tickets is deactivated, not deleted: the ticket keeps who asked.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_tickets",
        db_index=False,  # the (requester, newest) index below serves every lookup by requester
    )

    # Who works on it: the team whose queue it is in and the agent who has it. Routing fills
    # both on creation from the triaged category; a person's choice always wins. The team is
    # referred to by name: routing depends on tickets, never the reverse.
    team = models.ForeignKey(
        "routing.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        db_index=False,  # served by the (team, ...) list indexes
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        db_index=False,  # served by the (assignee, ...) list indexes
    )
    # True when triage was not confident enough to route: a person should choose the team.
    needs_triage = models.BooleanField(default=False, db_default=False)
    # When an agent first replied in public: the first-response clock stops here.
    first_response_at = models.DateTimeField(null=True, blank=True)

    # Service-level targets (computed by the `sla` app from its policy and business calendar;
    # the ticket only stores them, so lists can filter and sort on them with an index).
    # First response: due, and whether a breach was recorded (met = `first_response_at`).
    sla_first_response_due_at = models.DateTimeField(null=True, blank=True)
    sla_first_response_breached = models.BooleanField(default=False, db_default=False)
    # Resolution: due, when it was met (the move to resolved or closed; cleared by a reopen),
    # the business minutes it spent resolved before reopens (the clock resumes where it
    # stopped: the due moves by them), and whether a breach was recorded.
    sla_resolution_due_at = models.DateTimeField(null=True, blank=True)
    sla_resolved_at = models.DateTimeField(null=True, blank=True)
    sla_paused_minutes = models.FloatField(default=0, db_default=0)
    sla_resolution_breached = models.BooleanField(default=False, db_default=False)
    # The soonest due time of the targets still running (NULL when none runs), and when that
    # target gets at risk: the list's `?ordering=due`, `?sla=at_risk` and `?sla=breached`.
    sla_due_at = models.DateTimeField(null=True, blank=True)
    sla_at_risk_at = models.DateTimeField(null=True, blank=True)

    # What triage suggested when the ticket was created, and by which provider. Kept even when a
    # person overrode it: the gap between suggestion and final label is how we measure the model.
    suggested_category = models.CharField(  # noqa: DJ001 - NULL means "never triaged"
        max_length=16, choices=Category.choices, null=True, blank=True
    )
    suggested_priority = models.CharField(  # noqa: DJ001 - NULL means "never triaged"
        max_length=16, choices=Priority.choices, null=True, blank=True
    )
    triage_provider = models.CharField(max_length=64, blank=True, default="")
    triage_confidence = models.FloatField(null=True, blank=True)
    # True when a person chose the label (at creation or by a later edit). Only such labels are
    # used to train the local model: it must never learn from its own unreviewed guesses.
    category_by_human = models.BooleanField(default=False, db_default=False)
    priority_by_human = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="ticket_newest"),
            models.Index(fields=["status", "-created_at", "-id"], name="ticket_status_newest"),
            models.Index(fields=["category", "-created_at", "-id"], name="ticket_category_newest"),
            models.Index(fields=["priority", "-created_at", "-id"], name="ticket_priority_newest"),
            # Category and priority together can be rare (general + critical: ~1%) while neither
            # is rare alone; status is covered by its own index (open tickets are few).
            models.Index(
                fields=["category", "priority", "-created_at", "-id"],
                name="ticket_cat_prio_newest",
            ),
            # A requester's own list, newest first.
            models.Index(
                fields=["requester", "-created_at", "-id"], name="ticket_requester_newest"
            ),
            # Who works on what, newest first: an agent's own queue (`?assignee=me`, with or
            # without a status), a team's queue, its unassigned tickets, and those waiting for a
            # person to route them. The partial ones stay small: only the rows they list.
            models.Index(
                fields=["assignee", "status", "-created_at", "-id"],
                name="ticket_assignee_status_newest",
            ),
            models.Index(fields=["assignee", "-created_at", "-id"], name="ticket_assignee_newest"),
            models.Index(fields=["team", "-created_at", "-id"], name="ticket_team_newest"),
            models.Index(
                fields=["team", "-created_at", "-id"],
                condition=Q(assignee__isnull=True),
                name="ticket_team_unassigned_newest",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(needs_triage=True),
                name="ticket_needs_triage_newest",
            ),
            # `?ordering=due` and `?sla=at_risk` walk the running targets by due time; the
            # tickets with none running are few to read, not worth indexing.
            models.Index(
                fields=["sla_due_at", "id"],
                name="ticket_sla_due",
                condition=Q(sla_due_at__isnull=False),
            ),
            # `?sla=at_risk` and the dashboard's at-risk count (at-risk moment passed, due still
            # ahead): led by the at-risk moment, the scan covers only targets whose risk window
            # has begun (at risk, or overdue), not every running target (led by the due time it
            # read all 19,790 at a million tickets, 7.5 ms for every stats call); both bounds are
            # checked in the index, so only the matching tickets are read from the table.
            models.Index(
                fields=["sla_at_risk_at", "sla_due_at"],
                name="ticket_sla_at_risk",
                condition=Q(sla_due_at__isnull=False),
            ),
            # The breach sweep reads only targets running, unflagged and due: the rows it flags.
            models.Index(
                fields=["sla_first_response_due_at"],
                name="ticket_sla_fr_sweep",
                condition=Q(
                    sla_first_response_breached=False,
                    first_response_at__isnull=True,
                    status__in=[Status.OPEN, Status.IN_PROGRESS],
                ),
            ),
            models.Index(
                fields=["sla_resolution_due_at"],
                name="ticket_sla_res_sweep",
                condition=Q(
                    sla_resolution_breached=False, status__in=[Status.OPEN, Status.IN_PROGRESS]
                ),
            ),
            # `?sla=breached`, newest first: tickets with a recorded breach.
            models.Index(
                fields=["-created_at", "-id"],
                name="ticket_sla_breached_newest",
                condition=Q(sla_first_response_breached=True) | Q(sla_resolution_breached=True),
            ),
            # The event stream replays changes after a client's Last-Event-ID from this index.
            models.Index(fields=["updated_at", "id"], name="ticket_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_choice("category", Category), name="ticket_category_valid"
            ),
            models.CheckConstraint(
                condition=_choice("priority", Priority), name="ticket_priority_valid"
            ),
            models.CheckConstraint(condition=_choice("status", Status), name="ticket_status_valid"),
            models.CheckConstraint(
                condition=_choice("suggested_category", Category, nullable=True),
                name="ticket_suggested_category_valid",
            ),
            models.CheckConstraint(
                condition=_choice("suggested_priority", Priority, nullable=True),
                name="ticket_suggested_priority_valid",
            ),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("title"), TITLE_MAX_LENGTH)),
                name="ticket_title_max_length",
            ),
            models.CheckConstraint(
                condition=Q(GreaterThan(Length(StripWhitespace("title")), 0)),
                name="ticket_title_not_blank",
            ),
            models.CheckConstraint(
                condition=Q(GreaterThan(Length(StripWhitespace("description")), 0)),
                name="ticket_description_not_blank",
            ),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("description"), DESCRIPTION_MAX_LENGTH)),
                name="ticket_description_max_length",
            ),
            models.CheckConstraint(
                condition=Q(sla_paused_minutes__gte=0), name="ticket_sla_paused_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(sla_due_at__isnull=True)
                | Q(sla_at_risk_at__isnull=False, sla_at_risk_at__lte=F("sla_due_at")),
                name="ticket_sla_at_risk_before_due",
            ),
            models.CheckConstraint(
                condition=Q(triage_confidence__isnull=True)
                | Q(triage_confidence__gte=0, triage_confidence__lte=1),
                name="ticket_triage_confidence_range",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


def visible_to(caller: Caller) -> Q:
    """The tickets a caller may see: a requester only those they requested (any other is as if
    it did not exist: 404, never 403), agents and admins all. Every read and write of a ticket
    on a caller's behalf starts from this."""
    if caller.is_requester:
        return Q(requester_id=caller.user_id)
    return Q()


class TicketCounter(models.Model):
    """How many tickets share one combination of the labels that stats and list counts group by.

    Written only by database triggers on the ticket table (migration 0003), in the transaction
    that changes the ticket, so every write path (services, bulk loads, raw SQL) keeps it exact.
    Summing these few hundred rows answers the dashboard and `X-Total-Count` for any combination
    of category/priority/status filters without scanning the tickets.
    """

    category = models.CharField(max_length=16)
    priority = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    # "" stands for "never triaged" (NULL on the ticket): a unique key must not contain NULLs.
    suggested_category = models.CharField(max_length=16, blank=True)
    category_by_human = models.BooleanField()
    tickets = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "category",
                    "priority",
                    "status",
                    "suggested_category",
                    "category_by_human",
                ],
                name="ticket_counter_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}/{self.priority}/{self.status}: {self.tickets}"
