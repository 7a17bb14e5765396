"""Thin HTTP edges: validate, call one service or selector, serialize."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import TextChoices
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from core import idempotency
from core.schema import (
    IDEMPOTENCY_KEY_REUSED,
    NOT_FOUND,
    READ_ERRORS,
    RETRY_AFTER,
    THROTTLED,
    WRITE_ERRORS,
)
from core.throttles import ClassifyRateThrottle, CreateRateThrottle
from tickets import selectors, services
from tickets.api import schema as _schema  # noqa: F401 - registers the OpenAPI refinements
from tickets.api.serializers import (
    ClassifyRequestSerializer,
    ClassifyResponseSerializer,
    StatsSerializer,
    TicketCreateSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
)
from tickets.filters import SEARCH_MAX_LENGTH
from tickets.models import Category, Priority, Status, Ticket
from tickets.pagination import next_link, parse_limit
from triage import chain

TOTAL_EXACT_HEADER = "X-Total-Count-Exact"

LIST_HEADERS = [
    OpenApiParameter(
        "Link",
        str,
        location=OpenApiParameter.HEADER,
        response=[200],
        description='`<url>; rel="next"` when there is a next page.',
    ),
    OpenApiParameter(
        "X-Total-Count",
        OpenApiTypes.INT,
        location=OpenApiParameter.HEADER,
        response=[200],
        description="How many tickets match the filters, over all pages. Exact, except for a "
        "search matching thousands of tickets: then PostgreSQL's estimate (see the next header).",
    ),
    OpenApiParameter(
        TOTAL_EXACT_HEADER,
        str,
        location=OpenApiParameter.HEADER,
        response=[200],
        description='"true" when X-Total-Count is exact, "false" when it is an estimate.',
    ),
]

CREATE_HEADERS = [
    OpenApiParameter(
        idempotency.HEADER,
        {
            "type": "string",
            "pattern": idempotency.KEY_PATTERN,
            "maxLength": idempotency.KEY_MAX_LENGTH,
        },
        location=OpenApiParameter.HEADER,
        description="Any unique token (a UUID) per submission: a retry with the same key and "
        "body answers the ticket already created instead of creating another. Remembered "
        "for IDEMPOTENCY_KEY_TTL (24 h by default).",
    ),
    OpenApiParameter(
        "Location",
        str,
        location=OpenApiParameter.HEADER,
        response=[201],
        description="The new ticket's URL.",
    ),
    OpenApiParameter(
        idempotency.REPLAYED_HEADER,
        str,
        location=OpenApiParameter.HEADER,
        response=[201],
        description="`true` when the answer is the ticket an earlier request with the same "
        "Idempotency-Key created.",
    ),
    RETRY_AFTER,
]


def _choice_list(choices: type[TextChoices]) -> dict[str, str]:
    one = "|".join(choices.values)
    return {"type": "string", "pattern": f"^(({one})(,({one}))*)?$"}


LIST_PARAMETERS = [
    OpenApiParameter(
        "category",
        _choice_list(Category),
        description="One or more of billing,technical,account,general (comma-separated).",
    ),
    OpenApiParameter(
        "priority",
        _choice_list(Priority),
        description="One or more of low,medium,high,critical (comma-separated).",
    ),
    OpenApiParameter(
        "status",
        _choice_list(Status),
        description="One or more of open,in_progress,resolved,closed (comma-separated).",
    ),
    OpenApiParameter(
        "search",
        {"type": "string", "maxLength": SEARCH_MAX_LENGTH},
        description="Case-insensitive text searched in title and description: every word must "
        "occur; the last one may be unfinished (a prefix). Stemmed on PostgreSQL.",
    ),
    OpenApiParameter(
        "ordering",
        # Empty is accepted as the default, as for the label filters: a form may send `?ordering=`.
        {"type": "string", "enum": ["", "newest", "relevance"]},
        description='"newest" (default, also when empty). "relevance" ranks search matches on '
        "PostgreSQL, title above description, ties newest first; without a search term, or on "
        "SQLite, the order stays newest first.",
    ),
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": settings.TICKET_PAGE_SIZE_MAX},
        description="Page size, 1-200 (default 50).",
    ),
    OpenApiParameter(
        "cursor", str, description="Opaque cursor from the previous page's Link header."
    ),
]


class TicketListCreateView(APIView):
    @extend_schema(
        operation_id="tickets_list",
        parameters=[*LIST_PARAMETERS, *LIST_HEADERS, RETRY_AFTER],
        responses={200: TicketSerializer(many=True), 400: WRITE_ERRORS[400], **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Tickets newest first; next page in the `Link` header, the total in `X-Total-Count`."""
        listing = selectors.ticket_listing(
            filters=request.query_params, ordering=request.query_params.get("ordering")
        )
        limit = parse_limit(
            request.query_params.get("limit"),
            default=settings.TICKET_PAGE_SIZE,
            maximum=settings.TICKET_PAGE_SIZE_MAX,
        )
        page = listing.page(cursor=request.query_params.get("cursor"), limit=limit)
        response = Response(TicketSerializer(page.items, many=True).data)
        total = listing.count(page.items)
        response["X-Total-Count"] = str(total.value)
        response[TOTAL_EXACT_HEADER] = "true" if total.exact else "false"
        if page.next_cursor:
            response["Link"] = next_link(request, page.next_cursor)
        return response

    def get_throttles(self) -> list[BaseThrottle]:
        # Only creating is limited; browsing the list is not.
        if self.request.method == "POST":
            return [CreateRateThrottle()]
        return []

    @extend_schema(
        operation_id="tickets_create",
        request=TicketCreateSerializer,
        parameters=CREATE_HEADERS,
        responses={
            201: TicketSerializer,
            **WRITE_ERRORS,
            422: IDEMPOTENCY_KEY_REUSED,
            429: THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        """Create a ticket; omitted category/priority are filled by triage.

        With an `Idempotency-Key`, a retry of the same body answers the same ticket (201,
        `Idempotent-Replayed: true`) and creates nothing; the same key with another body is 422.
        """
        serializer = TicketCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        claim = idempotency.claim_from_request(request, scope="tickets.create", payload=data)
        ticket, replayed = idempotency.idempotent_create(
            claim=claim,
            model=Ticket,
            create=lambda bind: services.ticket_create(**data, on_created=bind),
        )
        headers = {"Location": reverse("ticket-detail", kwargs={"pk": ticket.pk})}
        if replayed:
            headers[idempotency.REPLAYED_HEADER] = "true"
        return Response(
            TicketSerializer(ticket).data, status=status.HTTP_201_CREATED, headers=headers
        )


class TicketDetailView(APIView):
    http_method_names = ["get", "patch", "options"]

    @extend_schema(
        operation_id="tickets_retrieve",
        parameters=[RETRY_AFTER],
        responses={200: TicketSerializer, 404: NOT_FOUND, **READ_ERRORS},
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
        parameters=[RETRY_AFTER],
        responses={200: TicketSerializer, 404: NOT_FOUND, **WRITE_ERRORS},
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
    @extend_schema(
        operation_id="tickets_stats",
        parameters=[RETRY_AFTER],
        responses={200: StatsSerializer, **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Aggregated figures for the dashboard, computed by the database."""
        return Response(selectors.ticket_stats())


class TicketClassifyView(APIView):
    throttle_classes = [ClassifyRateThrottle]

    @extend_schema(
        operation_id="tickets_classify",
        request=ClassifyRequestSerializer,
        parameters=[RETRY_AFTER],
        responses={200: ClassifyResponseSerializer, **WRITE_ERRORS, 429: THROTTLED},
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
