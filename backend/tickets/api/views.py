"""Thin HTTP edges: validate, call one service or selector, serialize.

Filing a ticket (`POST /api/tickets/`) is intake's (`intake.api`), suggesting labels is
triage's (`triage.api`); this module reads tickets and changes them.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Action, request_caller
from core.schema import BAD_REQUEST, NOT_FOUND, READ_ERRORS, RETRY_AFTER, WRITE_ERRORS
from tickets import selectors, services
from tickets.api.schema import LIST_HEADERS, LIST_PARAMETERS, TOTAL_EXACT_HEADER
from tickets.api.serializers import StatsSerializer, TicketSerializer, TicketUpdateSerializer
from tickets.models import Ticket
from tickets.pagination import next_link, parse_limit


class TicketListView(APIView):
    permission_actions = {"GET": Action.TICKET_LIST}

    @extend_schema(
        operation_id="tickets_list",
        parameters=[*LIST_PARAMETERS, *LIST_HEADERS, RETRY_AFTER],
        responses={200: TicketSerializer(many=True), 400: BAD_REQUEST, **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Tickets newest first; next page in the `Link` header, the total in `X-Total-Count`."""
        listing = selectors.ticket_listing(
            caller=request_caller(request),
            filters=request.query_params,
            ordering=request.query_params.get("ordering"),
        )
        limit = parse_limit(
            request.query_params.get("limit"),
            default=settings.TICKET_PAGE_SIZE,
            maximum=settings.TICKET_PAGE_SIZE_MAX,
        )
        page = listing.page(cursor=request.query_params.get("cursor"), limit=limit)
        response = Response(TicketSerializer(page.items, many=True).data)
        total = listing.count(page, first=not request.query_params.get("cursor"))
        response["X-Total-Count"] = str(total.value)
        response[TOTAL_EXACT_HEADER] = "true" if total.exact else "false"
        if page.next_cursor:
            response["Link"] = next_link(request, page.next_cursor)
        return response


class TicketDetailView(APIView):
    http_method_names = ["get", "patch", "options"]
    permission_actions = {"GET": Action.TICKET_VIEW, "PATCH": Action.TICKET_UPDATE}

    @extend_schema(
        operation_id="tickets_retrieve",
        parameters=[RETRY_AFTER],
        responses={200: TicketSerializer, 404: NOT_FOUND, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            ticket = selectors.ticket_get(caller=request_caller(request), ticket_id=pk)
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
        """Change any of status, category, priority, title, description; agents also the
        `team` and `assignee` (400 for an assignee who is not an active agent, or not a member
        of the ticket's team). A new category on a ticket nobody has is routed again to its
        team (the answer shows where it went). A requester may change only the title and
        description of their own ticket while it is open, and close it (403 otherwise);
        another's ticket is 404."""
        serializer = TicketUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        caller = request_caller(request)
        try:
            services.ticket_update(caller=caller, ticket_id=pk, data=serializer.validated_data)
            # Read again: what the change set off on commit (routing a new category to its
            # team, the service levels' columns) is part of the answer; the subscribers have
            # run by now (on commit, before the service returned).
            ticket = selectors.ticket_get(caller=caller, ticket_id=pk)
        except Ticket.DoesNotExist as exc:
            raise NotFound("No ticket with this id.") from exc
        return Response(TicketSerializer(ticket).data)


class TicketStatsView(APIView):
    permission_actions = {"GET": Action.TICKET_STATS}

    @extend_schema(
        operation_id="tickets_stats",
        parameters=[RETRY_AFTER],
        responses={200: StatsSerializer, **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Aggregated figures for the dashboard, computed by the database."""
        # Already in the declared shape (plain ints, floats and nulls; `test_stats` holds it
        # equal to `StatsSerializer`'s output): the nested serializers' per-request field copies
        # cost more than the query itself.
        return Response(selectors.ticket_stats())
