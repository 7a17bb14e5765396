"""The inbound webhook and what it files: new tickets, threaded replies, signed references,
noise, bounces, rate limits, attachments."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from accounts.models import Role, User
from conversations.models import Message
from mail import references
from mail.models import Attachment, BouncingAddress, Delivery, Direction, Email, Kind
from mail.services import email_receive
from mail.tests.conftest import SECRET, corpus, make_email
from tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db


def post(client: Client, raw: bytes, *, secret: str | None = SECRET) -> Any:
    headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
    return client.generic(
        "POST", "/api/inbound/email/", raw, content_type="message/rfc822", headers=headers
    )


def test_no_secret_configured_is_404(client: Client, settings: Settings) -> None:
    settings.INBOUND_EMAIL_SECRET = ""
    response = post(client, make_email())
    assert response.status_code == 404
    assert set(response.json()) == {"error"}


@pytest.mark.parametrize("secret", [None, "wrong", ""])
def test_missing_or_wrong_secret_is_401(client: Client, secret: str | None) -> None:
    response = post(client, make_email(), secret=secret)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Ticket.objects.exists()


def test_wrong_content_type_is_415(client: Client) -> None:
    response = client.post(
        "/api/inbound/email/",
        {"x": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {SECRET}",
    )
    assert response.status_code == 415


def test_message_over_the_size_limit_is_refused_cleanly(client: Client, settings: Settings) -> None:
    settings.MAIL_INBOUND_MAX_BYTES = 1000
    response = post(client, make_email(body="x" * 5000))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert not Ticket.objects.exists()


def test_a_new_message_files_a_triaged_ticket_for_a_new_requester(client: Client) -> None:
    response = post(
        client,
        make_email(
            subject="Re: Fwd: Refund for invoice 88",
            body="I was charged twice for my subscription.",
        ),
    )
    assert response.status_code == 202, response.content
    body = response.json()
    ticket = Ticket.objects.get(pk=body["ticket"])
    assert body["message"] is None
    assert ticket.title == "Refund for invoice 88"
    assert ticket.description == "I was charged twice for my subscription."
    assert ticket.category == "billing"  # triaged (rules provider) like any other ticket
    requester = ticket.requester
    assert requester is not None and requester.email == "carol@customer.example"
    assert requester.role == Role.REQUESTER and not requester.has_usable_password()
    email = Email.objects.get(pk=body["email"])
    assert (email.kind, email.direction, email.status) == (
        Kind.REQUEST,
        Direction.INBOUND,
        Delivery.RECEIVED,
    )
    assert bytes(email.raw).startswith(b"From: carol@customer.example")
    # The "request received" notification is queued, with the signed reference.
    ack = Email.objects.get(ticket=ticket, kind=Kind.RECEIVED)
    assert ack.status == Delivery.QUEUED and ack.recipient == "carol@customer.example"
    assert references.subject_token(ticket.pk) in ack.subject


def test_the_same_message_twice_is_filed_once(client: Client) -> None:
    raw = make_email(message_id="same")
    assert post(client, raw).status_code == 202
    response = post(client, raw)
    assert response.status_code == 200
    assert response.json() == {"ignored": "duplicate"}
    assert Ticket.objects.count() == 1


def _file_first(client: Client, sender: str = "carol@customer.example") -> Ticket:
    response = post(client, make_email(sender=sender, message_id="first"))
    return Ticket.objects.get(pk=response.json()["ticket"])


def test_a_reply_to_our_message_id_is_a_message_on_the_ticket(client: Client) -> None:
    ticket = _file_first(client)
    ack = Email.objects.get(ticket=ticket, kind=Kind.RECEIVED)
    raw = make_email(
        subject="Re: Request received",
        body=(
            "Still broken.\n\nOn Tue, Dec 1, 2026 at 5:02 PM Support <support@desk.example>"
            " wrote:\n> We have received your request"
        ),
        headers={"In-Reply-To": f"<{ack.message_id}>", "References": f"<{ack.message_id}>"},
    )
    response = post(client, raw)
    assert response.status_code == 202, response.content
    message = Message.objects.get(pk=response.json()["message"])
    assert message.ticket_id == ticket.pk
    assert message.body == "Still broken."
    assert message.via == "email" and not message.internal
    assert message.author is not None and message.author.email == "carol@customer.example"
    assert Ticket.objects.count() == 1


def test_a_reply_to_a_resolved_ticket_reopens_it(client: Client) -> None:
    ticket = _file_first(client)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.RESOLVED)
    raw = make_email(body="It broke again.", headers={"In-Reply-To": "<first@customer.example>"})
    assert post(client, raw).status_code == 202
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_a_reply_to_a_closed_ticket_starts_a_new_one(client: Client) -> None:
    ticket = _file_first(client)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.CLOSED)
    raw = make_email(body="Another problem.", headers={"In-Reply-To": "<first@customer.example>"})
    response = post(client, raw)
    assert response.status_code == 202
    assert response.json()["ticket"] != ticket.pk


def test_a_signed_reply_to_address_threads_without_headers(client: Client) -> None:
    ticket = _file_first(client)
    raw = make_email(
        subject="more info", body="Serial number 1234.", to=references.reply_address(ticket.pk)
    )
    response = post(client, raw)
    assert response.json()["ticket"] == ticket.pk
    assert response.json()["message"] is not None


def test_a_signed_subject_token_threads(client: Client) -> None:
    ticket = _file_first(client)
    raw = make_email(
        subject=f"Re: Printer jams {references.subject_token(ticket.pk)}", body="Model X200."
    )
    assert post(client, raw).json()["ticket"] == ticket.pk


def test_a_guessed_reference_starts_a_new_ticket(client: Client) -> None:
    ticket = _file_first(client)
    forged = f"support+{ticket.pk}-0123456789abcdef@desk.example"
    raw = make_email(subject=f"Re: [#{ticket.pk}-0123456789abcdef]", to=forged, body="Let me in.")
    response = post(client, raw)
    assert response.status_code == 202
    assert response.json()["ticket"] != ticket.pk
    assert not Message.objects.filter(ticket=ticket).exists()


def test_a_valid_reference_from_someone_else_starts_a_new_ticket(client: Client) -> None:
    ticket = _file_first(client)
    raw = make_email(
        sender="mallory@elsewhere.example",
        to=references.reply_address(ticket.pk),
        headers={"In-Reply-To": "<first@customer.example>"},
        body="I am not the requester.",
    )
    response = post(client, raw)
    new = Ticket.objects.get(pk=response.json()["ticket"])
    assert new.pk != ticket.pk
    assert new.requester is not None and new.requester.email == "mallory@elsewhere.example"
    assert not Message.objects.filter(ticket=ticket).exists()


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "automatic message (auto-submitted: auto-replied)"),
        (
            {"Auto-Submitted": "auto-generated"},
            "automatic message (auto-submitted: auto-generated)",
        ),
        ({"Precedence": "bulk"}, "automatic message (precedence: bulk)"),
        ({"Precedence": "list"}, "automatic message (precedence: list)"),
        ({"X-Autoreply": "yes"}, "automatic message (x-autoreply header)"),
    ],
)
def test_automatic_mail_is_ignored(client: Client, headers: dict[str, str], reason: str) -> None:
    response = post(client, make_email(headers=headers))
    assert response.status_code == 200
    assert response.json() == {"ignored": reason}
    assert not Ticket.objects.exists()


def test_auto_submitted_no_is_a_person(client: Client) -> None:
    assert post(client, make_email(headers={"Auto-Submitted": "no"})).status_code == 202


def test_mail_from_our_own_address_is_ignored(client: Client) -> None:
    for sender in ("support@desk.example", "Support+12-abc@desk.example"):
        response = post(client, make_email(sender=sender))
        assert response.json() == {"ignored": "our own address"}


def test_the_corpus_auto_reply_is_ignored(client: Client) -> None:
    assert post(client, corpus("auto_reply.eml")).status_code == 200


def test_malformed_mail_never_500s(client: Client) -> None:
    response = post(client, corpus("malformed_headers.eml"))
    assert response.status_code == 200
    assert response.json() == {"ignored": "no sender address"}


@pytest.mark.parametrize(
    "name",
    [
        "gmail_reply.eml",
        "outlook_reply.eml",
        "apple_reply.eml",
        "html_only.eml",
        "multipart_alternative.eml",
        "attachments.eml",
        "iso_8859_1.eml",
        "shift_jis.eml",
        "encoded_subject.eml",
    ],
)
def test_every_corpus_message_files_a_ticket(client: Client, name: str) -> None:
    response = post(client, corpus(name))
    assert response.status_code == 202, response.content
    ticket = Ticket.objects.get(pk=response.json()["ticket"])
    assert ticket.title.strip() and ticket.description.strip()


def test_shift_jis_ticket_text(client: Client) -> None:
    ticket = Ticket.objects.get(pk=post(client, corpus("shift_jis.eml")).json()["ticket"])
    assert ticket.title == "ログインできません"
    assert "パスワードを再設定" in ticket.description


def test_empty_subject_takes_the_first_line(client: Client) -> None:
    response = post(client, make_email(subject="", body="\nMy order never arrived.\nOrder 55."))
    assert Ticket.objects.get(pk=response.json()["ticket"]).title == "My order never arrived."


def test_rate_limit_per_sender(client: Client, settings: Settings) -> None:
    settings.MAIL_RATE_LIMIT = "2/hour"
    assert post(client, make_email()).status_code == 202
    assert post(client, make_email()).status_code == 202
    assert post(client, make_email()).json() == {"ignored": "rate limited"}
    assert post(client, make_email(sender="other@customer.example")).status_code == 202


def test_attachments_are_stored_sniffed_and_size_limited(
    client: Client, settings: Settings
) -> None:
    settings.MAIL_ATTACHMENT_MAX_BYTES = 60
    response = post(client, corpus("attachments.eml"))
    ticket = Ticket.objects.get(pk=response.json()["ticket"])
    kept = [(a.filename, a.content_type) for a in Attachment.objects.filter(email__ticket=ticket)]
    assert kept == [("página.html", "text/plain")]
    assert (
        "screen.png" in ticket.description and "not kept: over the size limit" in ticket.description
    )


def test_attachment_types_are_sniffed_not_taken_from_the_sender(client: Client) -> None:
    response = post(client, corpus("attachments.eml"))
    kept = {a.filename: a for a in Attachment.objects.filter(email_id=response.json()["email"])}
    # Declared application/octet-stream; the bytes are a PNG.
    assert kept["screen.png"].content_type == "image/png"
    # Declared and named HTML; stored and served as text, never as HTML.
    assert kept["página.html"].content_type == "text/plain"
    assert bytes(kept["página.html"].data) == b"<html><script>alert(1)</script></html>\n"


def test_bounce_marks_the_email_failed_notes_the_ticket_and_the_address(client: Client) -> None:
    ticket = _file_first(client)
    ack = Email.objects.get(ticket=ticket, kind=Kind.RECEIVED)
    raw = (
        corpus("bounce.eml.template")
        .decode()
        .format(n=1, recipient="carol@customer.example", original=ack.message_id)
        .encode()
    )
    response = post(client, raw)
    assert response.status_code == 202, response.content
    ack.refresh_from_db()
    assert ack.status == Delivery.FAILED and "User unknown" in ack.last_error
    note = Message.objects.get(pk=response.json()["message"])
    assert note.internal and note.author is None and note.ticket_id == ticket.pk
    assert "carol@customer.example" in note.body
    assert BouncingAddress.objects.filter(email="carol@customer.example").exists()
    # Mail from the address again clears the mark.
    post(client, make_email(body="New address works again."))
    assert not BouncingAddress.objects.exists()


def test_bounce_for_unknown_mail_is_ignored(client: Client) -> None:
    raw = (
        corpus("bounce.eml.template")
        .decode()
        .format(n=2, recipient="x@customer.example", original="nothing@desk.example")
        .encode()
    )
    assert post(client, raw).json() == {"ignored": "bounce for a message we did not send"}


def test_email_receive_is_the_same_path_without_http() -> None:
    received = email_receive(raw=make_email())
    assert received.ticket_id is not None and received.ignored is None
    assert User.objects.filter(email="carol@customer.example").exists()
