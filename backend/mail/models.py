"""Email in and out: every message received or sent for a ticket, its attachments, and the
addresses whose mail bounces.

An `Email` is one RFC 5322 message, kept whole (`raw`) so agents can read the original. Its
`message_id` is unique: a message fetched or posted twice is stored once, which is what makes the
mailbox poller and the webhook safe to repeat.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from conversations.models import Message
from sla.domain_events import FIRST_RESPONSE, RESOLUTION
from tickets.models import Ticket


class Direction(models.TextChoices):
    INBOUND = "in", "Received"
    OUTBOUND = "out", "Sent"


class Kind(models.TextChoices):
    """What an email is: a customer's new request or reply, a bounce, or one we send."""

    REQUEST = "request", "New request"
    REPLY = "reply", "Reply"
    BOUNCE = "bounce", "Delivery failure report"
    AGENT_REPLY = "agent_reply", "Agent's reply"
    RECEIVED = "received", "Request received notification"
    RESOLVED = "resolved", "Request resolved notification"
    SLA_BREACH = "sla_breach", "Service level breach notice (internal)"


# Kinds only staff see: a bounce report, a notice sent to agents.
INTERNAL_KINDS = (Kind.BOUNCE, Kind.SLA_BREACH)
SLA_TARGETS = (FIRST_RESPONSE, RESOLUTION)


class Delivery(models.TextChoices):
    """Where an email stands: received ones are `received`; sent ones go queued -> sent, or
    -> failed after the last retry (or when a bounce reports it undeliverable)."""

    RECEIVED = "received", "Received"
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


MESSAGE_ID_MAX_LENGTH = 998  # a header line's limit in RFC 5322


class Email(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="emails")
    # The thread entry this email became (a reply) or came from (an agent's reply); null for a
    # new request (its text is the ticket's description), notifications and bounces.
    thread_message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Without angle brackets. Unique: the deduplication of everything received and the anchor
    # of threading (a reply's In-Reply-To names one of these).
    message_id = models.CharField(max_length=MESSAGE_ID_MAX_LENGTH, unique=True)
    sender = models.EmailField(max_length=254)
    recipient = models.EmailField(max_length=254, blank=True, default="")
    subject = models.CharField(max_length=998, blank=True, default="")
    raw = models.BinaryField()
    status = models.CharField(max_length=8, choices=Delivery.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The SLA target a breach notice is about (`first_response` | `resolution`); blank otherwise.
    sla_target = models.CharField(max_length=14, blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="email_ticket"),
            # The per-sender rate limit counts a sender's recent inbound mail.
            models.Index(fields=["sender", "created_at"], name="email_sender_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="email_direction_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="email_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=Delivery.values), name="email_status_valid"
            ),
            models.CheckConstraint(condition=~Q(message_id=""), name="email_message_id_not_blank"),
            # Received mail is `received`; mail we send is never `received`.
            models.CheckConstraint(
                condition=(Q(direction=Direction.INBOUND) & Q(status=Delivery.RECEIVED))
                | (~Q(direction=Direction.INBOUND) & ~Q(status=Delivery.RECEIVED)),
                name="email_status_matches_direction",
            ),
            # A breach notice names its target; no other email does.
            models.CheckConstraint(
                condition=(Q(kind=Kind.SLA_BREACH) & Q(sla_target__in=SLA_TARGETS))
                | (~Q(kind=Kind.SLA_BREACH) & Q(sla_target="")),
                name="email_sla_target_matches_kind",
            ),
            # One breach notice per ticket, target and recipient: a repeated event sends none.
            models.UniqueConstraint(
                fields=["ticket", "sla_target", "recipient"],
                condition=Q(kind=Kind.SLA_BREACH),
                name="email_one_sla_breach_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"email {self.pk} ({self.direction}) on ticket {self.ticket_id}"


class Attachment(models.Model):
    email = models.ForeignKey(Email, on_delete=models.CASCADE, related_name="attachments")
    # The name the sender gave, for the download; never used as a path.
    filename = models.CharField(max_length=255)
    # Sniffed from the bytes, not taken from the sender's header.
    content_type = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(filename=""), name="attachment_filename_not_blank"),
        ]

    def __str__(self) -> str:
        return f"attachment {self.pk} ({self.filename})"


class BouncingAddress(models.Model):
    """An address a delivery failure report named. Kept in `mail`, not on the user: it is a fact
    about delivery, and the address need not be a user's (a bounce may name any recipient).
    Mail from the address clears it."""

    email = models.EmailField(max_length=254, unique=True)
    reason = models.TextField(blank=True, default="")
    bounced_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.email
