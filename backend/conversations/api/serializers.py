"""Request validation and response shapes of the conversation API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.models import Role, User
from conversations.models import MESSAGE_MAX_LENGTH, Message, Via
from core.serializers import StrictCharField, iso_datetime


class AuthorSerializer(serializers.ModelSerializer[User]):
    """Who wrote a message: `{id, name}` (no email: requesters read agents' messages)."""

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer[Message]):
    author = AuthorSerializer(
        read_only=True, allow_null=True, help_text="Who wrote it; null for the system."
    )
    author_role = serializers.ChoiceField(
        source="author.role",
        choices=Role.choices,
        read_only=True,
        allow_null=True,
        help_text="The author's role (requester, agent, admin); null for the system.",
    )
    via = serializers.ChoiceField(
        choices=Via.choices,
        read_only=True,
        help_text="web: a person signed in to the web app; api: a token or an unsigned-in "
        "(open mode) client; email: by mail.",
    )

    class Meta:
        model = Message
        fields = ["id", "ticket", "author", "author_role", "body", "internal", "via", "created_at"]
        read_only_fields = fields

    def to_representation(self, instance: Message) -> dict[str, Any]:
        """The declared fields, built directly (a 200-message thread is one page): DRF's
        generic loop cost more than the query. `test_message_json` holds it equal to it."""
        author = instance.author
        return {
            "id": instance.pk,
            "ticket": instance.ticket_id,
            "author": None if author is None else {"id": author.pk, "name": author.name},
            "author_role": None if author is None else author.role,
            "body": instance.body,
            "internal": instance.internal,
            "via": instance.via,
            "created_at": iso_datetime(instance.created_at),
        }


class MessageCreateSerializer(serializers.Serializer[dict[str, Any]]):
    # Stored exactly as written: no trimming (line breaks and indentation are the writer's).
    body = StrictCharField(
        max_length=MESSAGE_MAX_LENGTH,
        trim_whitespace=False,
        help_text="Plain text, shown as text (never HTML); not blank.",
    )
    internal = serializers.BooleanField(
        required=False,
        default=False,
        help_text="An internal note: agents only, never shown to the requester.",
    )

    def validate_body(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("A message needs some text.")
        return value
