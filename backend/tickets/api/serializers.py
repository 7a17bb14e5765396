"""Request validation and response shapes. No business logic lives here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.access import OPEN, access_mode
from accounts.api.serializers import StrictEmailField, UserRefSerializer
from accounts.models import EMAIL_MAX_LENGTH, User
from core.serializers import StrictCharField, iso_datetime
from tickets.models import (
    ASSIGNMENT_FIELDS,
    DESCRIPTION_MAX_LENGTH,
    EDITABLE_FIELDS,
    TITLE_MAX_LENGTH,
    Category,
    Priority,
    Status,
    Ticket,
)
from tickets.selectors import TicketStats

# Keys a ticket has in accounts mode only (see `TicketSerializer.to_representation`).
OPEN_MODE_HIDDEN = ("requester", "team", "assignee", "needs_triage")


class TeamRefSerializer(serializers.Serializer[Any]):
    """A ticket's team: `{id, name}` (read from the related row; tickets never import routing)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class AssigneeRefSerializer(serializers.ModelSerializer[User]):
    """A ticket's assignee: `{id, name}`."""

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields


class SlaTargetSerializer(serializers.Serializer[dict[str, Any]]):
    due_at = serializers.DateTimeField(allow_null=True, help_text="Null: no policy applies.")
    met_at = serializers.DateTimeField(allow_null=True)
    breached = serializers.BooleanField(
        help_text="Met after its due time, or still running past it."
    )


class SlaSerializer(serializers.Serializer[dict[str, Any]]):
    first_response = SlaTargetSerializer()
    resolution = SlaTargetSerializer()


def _target(
    due_at: dt.datetime | None,
    met_at: dt.datetime | None,
    recorded: bool,
    *,
    running: bool,
    now: dt.datetime,
    tz: dt.tzinfo,
) -> dict[str, Any]:
    overdue = due_at is not None and met_at is None and running and due_at <= now
    return {
        "due_at": iso_datetime(due_at, tz),
        "met_at": iso_datetime(met_at, tz),
        "breached": recorded or overdue,
    }


def sla_of(ticket: Ticket, tz: dt.tzinfo | None = None) -> dict[str, Any]:
    """The ticket's service-level targets as stored (the `sla` app computes them), in their
    JSON shape (`SlaSerializer`); a running target past due counts as breached before the
    sweep records it."""
    running = ticket.status in (Status.OPEN, Status.IN_PROGRESS)
    now, tz = timezone.now(), tz or timezone.get_current_timezone()
    return {
        "first_response": _target(
            ticket.sla_first_response_due_at,
            ticket.first_response_at,
            ticket.sla_first_response_breached,
            running=running,
            now=now,
            tz=tz,
        ),
        "resolution": _target(
            ticket.sla_resolution_due_at,
            ticket.sla_resolved_at,
            ticket.sla_resolution_breached,
            running=running,
            now=now,
            tz=tz,
        ),
    }


class TicketSerializer(serializers.ModelSerializer[Ticket]):
    sla = serializers.SerializerMethodField(help_text="Service-level targets.")
    requester = UserRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="Who the ticket is for; null if filed anonymously.",
    )
    team = TeamRefSerializer(
        read_only=True, allow_null=True, help_text="The team whose queue it is in, if any."
    )
    assignee = AssigneeRefSerializer(
        read_only=True, allow_null=True, help_text="The agent who has it, if anyone."
    )

    class Meta:
        model = Ticket
        fields = [
            "id",
            "title",
            "description",
            "category",
            "priority",
            "status",
            "created_at",
            "updated_at",
            "suggested_category",
            "suggested_priority",
            "triage_provider",
            "triage_confidence",
            "category_by_human",
            "priority_by_human",
            "requester",
            "team",
            "assignee",
            "needs_triage",
            "sla",
        ]
        read_only_fields = fields

    @extend_schema_field(SlaSerializer)
    def get_sla(self, instance: Ticket) -> dict[str, Any]:
        return sla_of(instance)

    def to_representation(self, instance: Ticket) -> dict[str, Any]:
        return ticket_json(instance, accounts=access_mode() != OPEN)


def _ref(user: User | None, *, email: bool = False) -> dict[str, Any] | None:
    if user is None:
        return None
    if email:
        return {"id": user.pk, "email": user.email, "name": user.name}
    return {"id": user.pk, "name": user.name}


def ticket_json(ticket: Ticket, *, accounts: bool) -> dict[str, Any]:
    """What `TicketSerializer` declares, built directly: DRF's generic field loop (a nested
    serializer per ticket for `sla` alone, each deep-copying its fields) was most of a list
    request's time in the profile (bench/RESULTS.md). `test_ticket_json` holds it equal to the
    generic output. In open mode the seed's contract, exactly: who asked and who works on it
    need accounts (`OPEN_MODE_HIDDEN`)."""
    confidence = ticket.triage_confidence
    tz = timezone.get_current_timezone()
    data: dict[str, Any] = {
        "id": ticket.pk,
        "title": ticket.title,
        "description": ticket.description,
        "category": ticket.category,
        "priority": ticket.priority,
        "status": ticket.status,
        "created_at": iso_datetime(ticket.created_at, tz),
        "updated_at": iso_datetime(ticket.updated_at, tz),
        "suggested_category": ticket.suggested_category,
        "suggested_priority": ticket.suggested_priority,
        "triage_provider": ticket.triage_provider,
        "triage_confidence": None if confidence is None else float(confidence),
        "category_by_human": ticket.category_by_human,
        "priority_by_human": ticket.priority_by_human,
    }
    if accounts:
        team = ticket.team
        data["requester"] = _ref(ticket.requester, email=True)
        data["team"] = None if team is None else {"id": team.pk, "name": team.name}
        data["assignee"] = _ref(ticket.assignee)
        data["needs_triage"] = ticket.needs_triage
    data["sla"] = sla_of(ticket, tz)
    return data


class TicketCreateSerializer(serializers.Serializer[dict[str, Any]]):
    title = StrictCharField(max_length=TITLE_MAX_LENGTH)
    description = StrictCharField(max_length=DESCRIPTION_MAX_LENGTH)
    category = serializers.ChoiceField(
        choices=Category.choices, required=False, help_text="Omit to let triage choose."
    )
    priority = serializers.ChoiceField(
        choices=Priority.choices, required=False, help_text="Omit to let triage choose."
    )
    # A ticket starts its life open; the field is accepted so a client that sends the whole
    # object does not fail, and anything else is refused instead of being silently dropped.
    status = serializers.ChoiceField(
        choices=[(Status.OPEN.value, Status.OPEN.label)],
        required=False,
        help_text='Only "open": a new ticket starts open; change it with a PATCH.',
        error_messages={
            "invalid_choice": '"{input}" is not a status for a new ticket: a ticket starts '
            '"open"; change its status with PATCH /api/tickets/<id>/.'
        },
    )
    requester_email = StrictEmailField(
        max_length=EMAIL_MAX_LENGTH,
        required=False,
        help_text="Agents: file on this person's behalf (a requester account is created if "
        "there is none). Others: 403.",
    )


class StrictIdField(serializers.IntegerField):
    """A row's id: a JSON integer (not "5", not 5.0, not true), 1 or more."""

    default_error_messages = {"not_an_id": "Must be an id (a whole number) or null."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("not_an_id")
        return int(super().to_internal_value(data))


class TicketUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    title = StrictCharField(max_length=TITLE_MAX_LENGTH, required=False)
    description = StrictCharField(max_length=DESCRIPTION_MAX_LENGTH, required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    team = StrictIdField(
        required=False, allow_null=True, help_text="Agents: a team's id, or null for none."
    )
    assignee = StrictIdField(
        required=False,
        allow_null=True,
        help_text="Agents: an active agent's id (a member of the ticket's team when it has "
        "one), or null for nobody.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            fields = ", ".join((*EDITABLE_FIELDS, *ASSIGNMENT_FIELDS))
            raise serializers.ValidationError(f"Nothing to update: send at least one of {fields}.")
        return attrs


class PriorityCountsSerializer(serializers.Serializer[dict[str, int]]):
    low = serializers.IntegerField()
    medium = serializers.IntegerField()
    high = serializers.IntegerField()
    critical = serializers.IntegerField()


class CategoryCountsSerializer(serializers.Serializer[dict[str, int]]):
    billing = serializers.IntegerField()
    technical = serializers.IntegerField()
    account = serializers.IntegerField()
    general = serializers.IntegerField()


class StatusCountsSerializer(serializers.Serializer[dict[str, int]]):
    open = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    resolved = serializers.IntegerField()
    closed = serializers.IntegerField()


class CategoryRatesSerializer(serializers.Serializer[dict[str, float | None]]):
    billing = serializers.FloatField(allow_null=True)
    technical = serializers.FloatField(allow_null=True)
    account = serializers.FloatField(allow_null=True)
    general = serializers.FloatField(allow_null=True)


class AcceptanceSerializer(serializers.Serializer[dict[str, Any]]):
    """How often people kept the AI's category: overall and per suggested category."""

    rate = serializers.FloatField(allow_null=True)
    reviewed = serializers.IntegerField()
    by_category = CategoryRatesSerializer()


class TargetAttainmentSerializer(serializers.Serializer[dict[str, Any]]):
    first_response = serializers.FloatField(allow_null=True)
    resolution = serializers.FloatField(allow_null=True)


class PriorityAttainmentSerializer(serializers.Serializer[dict[str, Any]]):
    low = TargetAttainmentSerializer()
    medium = TargetAttainmentSerializer()
    high = TargetAttainmentSerializer()
    critical = TargetAttainmentSerializer()


class SlaStatsSerializer(serializers.Serializer[dict[str, Any]]):
    """Running tickets at risk and past due now; the share of targets met in time per priority
    over the tickets filed in the last `window_days` days (null: none decided yet)."""

    at_risk = serializers.IntegerField()
    breached = serializers.IntegerField()
    window_days = serializers.IntegerField()
    attainment = PriorityAttainmentSerializer()


class StatsSerializer(serializers.Serializer[TicketStats]):
    total_tickets = serializers.IntegerField()
    open_tickets = serializers.IntegerField()
    avg_tickets_per_day = serializers.FloatField()
    priority_breakdown = PriorityCountsSerializer()
    category_breakdown = CategoryCountsSerializer()
    status_breakdown = StatusCountsSerializer()
    acceptance = AcceptanceSerializer()
    sla = SlaStatsSerializer()
