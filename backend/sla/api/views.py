"""Thin HTTP edges for the policies and the calendar."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Action, request_caller
from core.schema import NOT_FOUND, READ_ERRORS, RETRY_AFTER, WRITE_ERRORS
from sla import selectors, services
from sla.api import schema  # noqa: F401 - registers the schema refinements
from sla.api.serializers import (
    CalendarSerializer,
    CalendarUpdateSerializer,
    PolicySerializer,
    PolicyUpdateSerializer,
)
from sla.models import SlaPolicy


class PolicyListView(APIView):
    permission_actions = {"GET": Action.SLA_VIEW}

    @extend_schema(
        operation_id="sla_policies_list",
        parameters=[RETRY_AFTER],
        responses={200: PolicySerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """One service-level policy per priority, low to critical."""
        return Response(PolicySerializer(selectors.policy_list(), many=True).data)


class PolicyDetailView(APIView):
    http_method_names = ["patch", "options"]
    permission_actions = {"PATCH": Action.SLA_MANAGE}

    @extend_schema(
        operation_id="sla_policies_partial_update",
        request=PolicyUpdateSerializer,
        parameters=[RETRY_AFTER],
        responses={200: PolicySerializer, 404: NOT_FOUND, **WRITE_ERRORS},
    )
    def patch(self, request: Request, priority: str) -> Response:
        """Change a priority's targets (whole minutes, at least 1) or whether they count in
        business hours. Applies to tickets filed or re-prioritised from now on."""
        serializer = PolicyUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            policy = services.policy_update(
                caller=request_caller(request), priority=priority, data=serializer.validated_data
            )
        except SlaPolicy.DoesNotExist as exc:
            raise NotFound("No policy for this priority.") from exc
        return Response(PolicySerializer(policy).data)


class CalendarView(APIView):
    http_method_names = ["get", "patch", "options"]
    permission_actions = {"GET": Action.SLA_VIEW, "PATCH": Action.SLA_MANAGE}

    @extend_schema(
        operation_id="sla_calendar_retrieve",
        parameters=[RETRY_AFTER],
        responses={200: CalendarSerializer, **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """The business calendar business-hours targets count in."""
        return Response(CalendarSerializer(selectors.calendar_get()).data)

    @extend_schema(
        operation_id="sla_calendar_partial_update",
        request=CalendarUpdateSerializer,
        parameters=[RETRY_AFTER],
        responses={200: CalendarSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request) -> Response:
        """Change the time zone, the weekly windows, the holiday country or the own holidays."""
        serializer = CalendarUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.calendar_update(
            caller=request_caller(request), data=serializer.validated_data
        )
        return Response(CalendarSerializer(row).data)
