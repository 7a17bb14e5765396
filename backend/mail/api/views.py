"""Mail endpoints: the inbound webhook, a ticket's emails, attachment downloads, originals."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Action, allowed, request_caller
from core.errors import PayloadTooLarge
from core.schema import BAD_REQUEST, NOT_ACCEPTABLE, NOT_FOUND, READ_ERRORS, UNAVAILABLE
from mail import selectors, services
from mail.api.serializers import (
    EmailSerializer,
    InboundAcceptedSerializer,
    InboundIgnoredSerializer,
)
from mail.models import Attachment, Email


def _download(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # Always a download: a sender's HTML or SVG must never run on our origin.
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_")
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class InboundEmailView(APIView):
    """Authenticated by the shared secret, not by a user: mail providers post here."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    parser_classes: list[Any] = []

    def get_authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="inbound-email"'

    @extend_schema(
        operation_id="inbound_email",
        request={"message/rfc822": OpenApiTypes.BINARY},
        responses={
            202: InboundAcceptedSerializer,
            200: InboundIgnoredSerializer,
            401: OpenApiResponse(description="Missing or wrong bearer secret."),
            404: OpenApiResponse(description="No INBOUND_EMAIL_SECRET configured."),
            413: OpenApiResponse(description="The message is over MAIL_INBOUND_MAX_BYTES."),
            415: OpenApiResponse(description="Not message/rfc822."),
            400: BAD_REQUEST,
            406: NOT_ACCEPTABLE,
            503: UNAVAILABLE,
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Receive one raw RFC 5322 message (`Authorization: Bearer <INBOUND_EMAIL_SECRET>`):
        202 with the ticket (and the thread message, for a reply), or 200 with why it was
        dropped (a duplicate, an auto-reply, a sender over the rate limit, ...)."""
        secret = str(settings.INBOUND_EMAIL_SECRET)
        if not secret:
            raise exceptions.NotFound("Inbound email is not configured.")
        given = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), secret.encode()
        ):
            raise exceptions.AuthenticationFailed("A valid bearer secret is required.")
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type != "message/rfc822":
            raise exceptions.UnsupportedMediaType(content_type or "none")
        limit = int(settings.MAIL_INBOUND_MAX_BYTES)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise PayloadTooLarge()
        # Read past Django's JSON-sized DATA_UPLOAD_MAX_MEMORY_SIZE: mail has its own limit.
        raw = request._request.read(limit + 1)
        if len(raw) > limit:
            raise PayloadTooLarge()
        if not raw.strip():
            raise exceptions.ValidationError({"message": ["The message is empty."]})
        received = services.email_receive(raw=raw)
        if received.ignored is not None:
            return Response({"ignored": received.ignored}, status=status.HTTP_200_OK)
        return Response(
            {
                "ticket": received.ticket_id,
                "message": received.message_id,
                "email": received.email_id,
            },
            status=status.HTTP_202_ACCEPTED,
        )


class TicketEmailsView(APIView):
    permission_actions = {"GET": Action.MAIL_LIST}

    @extend_schema(
        operation_id="tickets_emails",
        responses={200: EmailSerializer(many=True), 404: NOT_FOUND, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        """The ticket's emails, received and sent, oldest first, with delivery state and
        attachments."""
        caller = request_caller(request)
        if not selectors.ticket_visible(caller=caller, ticket_id=pk):
            raise exceptions.NotFound("No ticket with this id.")
        staff = allowed(caller, Action.MAIL_RAW)
        rows = [
            {
                "id": email.pk,
                "direction": email.direction,
                "kind": email.kind,
                "thread_message_id": email.thread_message_id,
                "sender": email.sender,
                "recipient": email.recipient,
                "subject": email.subject,
                "status": email.status,
                "attempts": email.attempts,
                "last_error": email.last_error if staff else None,
                "created_at": email.created_at,
                "sent_at": email.sent_at,
                "attachments": [_attachment(a) for a in email.attachments.all()],
                "raw_url": reverse("mail-email-raw", args=[email.pk]) if staff else None,
            }
            for email in selectors.email_list(caller=caller, ticket_id=pk)
        ]
        return Response(EmailSerializer(rows, many=True).data)


def _attachment(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "url": reverse("mail-attachment", args=[attachment.pk]),
    }


class AttachmentView(APIView):
    permission_actions = {"GET": Action.MAIL_ATTACHMENT}

    @extend_schema(
        operation_id="mail_attachment",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: NOT_FOUND,
            **READ_ERRORS,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        """Download an attachment of a ticket the caller may see (as a file, never inline)."""
        attachment = selectors.attachment_get(caller=request_caller(request), attachment_id=pk)
        if attachment is None:
            raise exceptions.NotFound("No attachment with this id.")
        return _download(
            bytes(attachment.data),
            filename=attachment.filename,
            content_type=attachment.content_type,
        )


class EmailRawView(APIView):
    permission_actions = {"GET": Action.MAIL_RAW}

    @extend_schema(
        operation_id="mail_email_raw",
        responses={(200, "message/rfc822"): OpenApiTypes.BINARY, 404: NOT_FOUND, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        """The original message as received or sent (staff), as a `.eml` download."""
        email: Email | None = selectors.email_get(caller=request_caller(request), email_id=pk)
        if email is None:
            raise exceptions.NotFound("No email with this id.")
        return _download(
            bytes(email.raw), filename=f"email-{email.pk}.eml", content_type="message/rfc822"
        )
