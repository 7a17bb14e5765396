"""The history endpoint: GET /api/tickets/<id>/history/."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Action, request_caller
from audit import selectors
from audit.selectors import TRACKED_FIELDS
from core.schema import NOT_FOUND, READ_ERRORS
from tickets.models import Ticket, visible_to


class ActorSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    field = serializers.ChoiceField(choices=TRACKED_FIELDS)
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)
    # The metaclass moves declared fields off the class, so this does not shadow Field.source.
    source = serializers.CharField(  # type: ignore[assignment]
        help_text="Who or what made the change: api, triage (a label the AI chose), system, ..."
    )
    actor = ActorSerializer(
        allow_null=True, help_text="The signed-in user who made it; null for triage, the system."
    )


class TicketHistoryView(APIView):
    permission_actions = {"GET": Action.TICKET_HISTORY}

    @extend_schema(
        operation_id="tickets_history",
        responses={200: HistoryEntrySerializer(many=True), 404: NOT_FOUND, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        """The ticket's changes, oldest first: when, which field, old and new value, by whom."""
        caller = request_caller(request)
        if not Ticket.objects.filter(visible_to(caller), pk=pk).exists():
            raise NotFound("No ticket with this id.")
        entries = selectors.ticket_history(ticket_id=pk)
        return Response(HistoryEntrySerializer(entries, many=True).data)
