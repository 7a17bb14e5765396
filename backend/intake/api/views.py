"""`POST /api/tickets/`: filing a ticket over HTTP (the web app and API clients).

The URL is shared with the list (`GET`), which stays the tickets app's: this view extends it
with `POST`, which calls the one intake path.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from accounts.permissions import Action, request_caller
from core import idempotency
from core.schema import IDEMPOTENCY_KEY_REUSED, THROTTLED, WRITE_ERRORS
from core.throttles import CreateRateThrottle
from intake.services import ticket_file
from tickets.api.schema import CREATE_HEADERS
from tickets.api.serializers import TicketCreateSerializer, TicketSerializer
from tickets.api.views import TicketListView


class TicketListCreateView(TicketListView):
    permission_actions = {"GET": Action.TICKET_LIST, "POST": Action.TICKET_CREATE}

    def get_throttles(self) -> list[BaseThrottle]:
        # Only filing is limited; browsing the list is not.
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
        """Create a ticket; omitted category/priority are filled by triage. The caller is its
        requester; an agent may file for someone else with `requester_email`.

        With an `Idempotency-Key`, a retry of the same body answers the same ticket (201,
        `Idempotent-Replayed: true`) and creates nothing; the same key with another body is 422.
        """
        serializer = TicketCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        claim = idempotency.claim_from_request(request, scope="tickets.create", payload=data)
        data.pop("status", None)  # always "open" once valid: a new ticket starts open
        ticket, replayed = ticket_file(**data, caller=request_caller(request), claim=claim)
        # Answered from the instance as filed: its service levels went into its INSERT and its
        # routing into the same transaction, and no subscriber of a new ticket writes to it
        # (`test_the_create_answer_is_the_ticket_as_stored`), so reading it back is not needed.
        headers = {"Location": reverse("ticket-detail", kwargs={"pk": ticket.pk})}
        if replayed:
            headers[idempotency.REPLAYED_HEADER] = "true"
        return Response(
            TicketSerializer(ticket).data, status=status.HTTP_201_CREATED, headers=headers
        )
