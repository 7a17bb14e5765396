from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mail.models import Delivery, Direction, Kind


class AttachmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    content_type = serializers.CharField(help_text="Sniffed from the file's bytes.")
    size = serializers.IntegerField()
    url = serializers.CharField(help_text="Download (always as an attachment, never inline).")


class EmailSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    kind = serializers.ChoiceField(choices=Kind.choices)
    message = serializers.IntegerField(
        source="thread_message_id",
        allow_null=True,
        help_text="The thread message this email became or was sent for; null for a new "
        "request (its text is the ticket's description) and notifications.",
    )
    sender = serializers.CharField()
    recipient = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=Delivery.choices)
    attempts = serializers.IntegerField()
    last_error = serializers.CharField(
        allow_null=True, help_text="Why the last send failed; staff only (null for requesters)."
    )
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    attachments = AttachmentSerializer(many=True)
    raw_url = serializers.CharField(
        allow_null=True, help_text="The original message; staff only (null for requesters)."
    )


class InboundAcceptedSerializer(serializers.Serializer[Any]):
    ticket = serializers.IntegerField()
    message = serializers.IntegerField(
        allow_null=True, help_text="The thread message a reply became; null for a new ticket."
    )
    email = serializers.IntegerField()


class InboundIgnoredSerializer(serializers.Serializer[Any]):
    ignored = serializers.CharField(help_text="Why the message was deliberately dropped.")
