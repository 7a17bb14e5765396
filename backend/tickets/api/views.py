"""Thin HTTP edges: validate, call one service or selector, serialize."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tickets import selectors, services
from tickets.api.serializers import (
    ClassifyRequestSerializer,
    ClassifyResponseSerializer,
    StatsSerializer,
    TicketCreateSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
)
from tickets.models import Ticket
from tickets.pagination import keyset_page, next_link, parse_limit
from triage import chain

ERRORS = {
    400: OpenApiResponse(description="Invalid input (the API's error shape)."),
    404: OpenApiResponse(description="Not found."),
}

LIST_PARAMETERS = [
    OpenApiParameter(
        "category",
        str,
        description="One or more of billing,technical,account,general (comma-separated).",
    ),
    OpenApiParameter(
        "priority", str, description="One or more of low,medium,high,critical (comma-separated)."
    ),
    OpenApiParameter(
        "status",
        str,
        description="One or more of open,in_progress,resolved,closed (comma-separated).",
    ),
    OpenApiParameter(
        "search", str, description="Case-insensitive text searched in title and description."
    ),
    OpenApiParameter("limit", int, description="Page size, 1-200 (default 50)."),
    OpenApiParameter(
        "cursor", str, description="Opaque cursor from the previous page's Link header."
    ),
]


class TicketListCreateView(APIView):
    @extend_schema(
        operation_id="tickets_list",
        parameters=LIST_PARAMETERS,
        responses={200: TicketSerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        """Tickets newest first; next page in the `Link` header, the total in `X-Total-Count`."""
        queryset = selectors.ticket_list(filters=request.query_params)
        limit = parse_limit(
            request.query_params.get("limit"),
            default=settings.TICKET_PAGE_SIZE,
            maximum=settings.TICKET_PAGE_SIZE_MAX,
        )
        page = keyset_page(queryset, cursor=request.query_params.get("cursor"), limit=limit)
        response = Response(TicketSerializer(page.items, many=True).data)
        response["X-Total-Count"] = str(queryset.count())
        if page.next_cursor:
            response["Link"] = next_link(request, page.next_cursor)
        return response

    @extend_schema(
        operation_id="tickets_create",
        request=TicketCreateSerializer,
        responses={201: TicketSerializer, 400: ERRORS[400]},
    )
    def post(self, request: Request) -> Response:
        """Create a ticket; omitted category/priority are filled by triage."""
        serializer = TicketCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = services.ticket_create(**serializer.validated_data)
        return Response(
            TicketSerializer(ticket).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("ticket-detail", kwargs={"pk": ticket.pk})},
        )


class TicketDetailView(APIView):
    http_method_names = ["get", "patch", "options"]

    @extend_schema(
        operation_id="tickets_retrieve", responses={200: TicketSerializer, 404: ERRORS[404]}
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            ticket = selectors.ticket_get(ticket_id=pk)
        except Ticket.DoesNotExist as exc:
            raise NotFound("No ticket with this id.") from exc
        return Response(TicketSerializer(ticket).data)

    @extend_schema(
        operation_id="tickets_partial_update",
        request=TicketUpdateSerializer,
        responses={200: TicketSerializer, 400: ERRORS[400], 404: ERRORS[404]},
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change any of status, category, priority, title, description."""
        serializer = TicketUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            ticket = services.ticket_update(ticket_id=pk, data=serializer.validated_data)
        except Ticket.DoesNotExist as exc:
            raise NotFound("No ticket with this id.") from exc
        return Response(TicketSerializer(ticket).data)


class TicketStatsView(APIView):
    @extend_schema(operation_id="tickets_stats", responses={200: StatsSerializer})
    def get(self, request: Request) -> Response:
        """Aggregated figures for the dashboard, computed by the database."""
        return Response(selectors.ticket_stats())


class TicketClassifyView(APIView):
    @extend_schema(
        operation_id="tickets_classify",
        request=ClassifyRequestSerializer,
        responses={200: ClassifyResponseSerializer, 400: ERRORS[400]},
    )
    def post(self, request: Request) -> Response:
        """Suggest a category and priority. Always answers: a failing model falls back."""
        serializer = ClassifyRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = chain.classify(
            title=serializer.validated_data.get("title", ""),
            description=serializer.validated_data["description"],
        )
        prediction = result.prediction
        return Response(
            {
                "suggested_category": prediction.category,
                "suggested_priority": prediction.priority,
                "confidence": {
                    "category": prediction.category_confidence,
                    "priority": prediction.priority_confidence,
                },
                "provider": prediction.provider,
                "reason": prediction.reason,
                "latency_ms": round(result.latency_ms, 2),
                "cached": result.cached,
            }
        )
