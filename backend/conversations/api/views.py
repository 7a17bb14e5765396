"""`GET|POST /api/tickets/<id>/messages/`: a ticket's conversation. Thin: validate, call one
selector or service, serialize."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Action, request_caller
from conversations import selectors, services
from conversations.api.serializers import MessageCreateSerializer, MessageSerializer
from conversations.models import Via
from core.schema import BAD_REQUEST, CONFLICT, NOT_FOUND, READ_ERRORS, RETRY_AFTER, WRITE_ERRORS
from tickets.models import Ticket
from tickets.pagination import keyset_page, next_link, parse_limit

MESSAGE_PAGE_SIZE = 100
MESSAGE_PAGE_SIZE_MAX = 200

LIST_PARAMETERS = [
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MESSAGE_PAGE_SIZE_MAX},
        description=f"Page size, 1-{MESSAGE_PAGE_SIZE_MAX} (default {MESSAGE_PAGE_SIZE}).",
    ),
    OpenApiParameter(
        "cursor", str, description="Opaque cursor from the previous page's Link header."
    ),
    OpenApiParameter(
        "Link",
        str,
        location=OpenApiParameter.HEADER,
        response=[200],
        description='`<url>; rel="next"` when there are later messages.',
    ),
    RETRY_AFTER,
]


def request_via(request: Request) -> str:
    """`web` when a person signed in to the web app (a session, CSRF-checked) wrote it; `api`
    for everything else: a bearer token, or an open-mode caller nobody signed in as, which the
    server cannot tell from a script (a client-sent header would be taken on trust)."""
    if isinstance(request.successful_authenticator, SessionAuthentication):
        return Via.WEB
    return Via.API


class MessageListView(APIView):
    permission_actions = {"GET": Action.MESSAGE_LIST, "POST": Action.MESSAGE_POST}

    @extend_schema(
        operation_id="tickets_messages_list",
        parameters=LIST_PARAMETERS,
        responses={
            200: MessageSerializer(many=True),
            400: BAD_REQUEST,
            404: NOT_FOUND,
            **READ_ERRORS,
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        """The ticket's messages, oldest first; the next page in the `Link` header. A requester
        sees only public messages (internal notes are agents')."""
        limit = parse_limit(
            request.query_params.get("limit"),
            default=MESSAGE_PAGE_SIZE,
            maximum=MESSAGE_PAGE_SIZE_MAX,
        )
        try:
            messages = selectors.message_list(request_caller(request), pk)
        except Ticket.DoesNotExist as exc:
            raise NotFound("No ticket with this id.") from exc
        page = keyset_page(
            messages, cursor=request.query_params.get("cursor"), limit=limit, oldest_first=True
        )
        response = Response(MessageSerializer(page.items, many=True).data)
        if page.next_cursor:
            response["Link"] = next_link(request, page.next_cursor)
        return response

    @extend_schema(
        operation_id="tickets_messages_create",
        request=MessageCreateSerializer,
        parameters=[RETRY_AFTER],
        responses={201: MessageSerializer, 404: NOT_FOUND, 409: CONFLICT, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Reply (or, agents only, `internal: true` for a note). 403 for a requester's internal
        note; 409 on a closed ticket (open a new request instead). A requester's reply reopens
        a resolved ticket; an agent's first public reply sets its first response time."""
        serializer = MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            message = services.message_post(
                caller=request_caller(request),
                ticket_id=pk,
                body=serializer.validated_data["body"],
                internal=serializer.validated_data["internal"],
                via=request_via(request),
            )
        except Ticket.DoesNotExist as exc:
            raise NotFound("No ticket with this id.") from exc
        return Response(MessageSerializer(message).data, status=201)
