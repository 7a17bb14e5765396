"""The conversation on a ticket: public replies between requester and agents, and agents'
internal notes. A message is stored exactly as written and always rendered as text."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

from tickets.models import StripWhitespace, Ticket

MESSAGE_MAX_LENGTH = 10_000


class Via(models.TextChoices):
    """The channel a message came through."""

    WEB = "web", "Web"
    API = "api", "API"
    EMAIL = "email", "Email"


class Message(models.Model):
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="messages",
        db_index=False,  # the thread index below leads with the ticket
    )
    # NULL for messages the system wrote (e.g. a delivery-failure note). Users are deactivated,
    # never deleted, while they have messages.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    # An agent's note: never shown to the requester, never emailed.
    internal = models.BooleanField(default=False, db_default=False)
    via = models.CharField(max_length=8, choices=Via.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # A ticket's thread, oldest first, paged by (created_at, id).
            models.Index(fields=["ticket", "created_at", "id"], name="message_thread"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(via__in=Via.values), name="message_via_valid"),
            models.CheckConstraint(
                condition=Q(GreaterThan(Length(StripWhitespace("body")), 0)),
                name="message_body_not_blank",
            ),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("body"), MESSAGE_MAX_LENGTH)),
                name="message_body_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} on ticket {self.ticket_id}"
