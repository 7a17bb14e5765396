"""Who sees a ticket's emails, attachments and originals, and how files are served."""

from __future__ import annotations

import pytest
from pytest_django import Settings

from accounts.models import Role
from accounts.tests.conftest import People, client_for, make_ticket, make_user
from mail.models import Attachment, Email, Kind
from mail.services import email_receive
from mail.tests.conftest import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> People:
    a = make_user("a@example.com", Role.REQUESTER)
    b = make_user("b@example.com", Role.REQUESTER)
    return People(
        requester_a=a,
        requester_b=b,
        agent=make_user("agent@example.com", Role.AGENT),
        admin=make_user("admin@example.com", Role.ADMIN),
        ticket_a=make_ticket(a),
        ticket_b=make_ticket(b),
    )


@pytest.fixture
def filed(people: People, settings: Settings) -> Email:
    """A's mail with two attachments, filed on a new ticket of A's."""
    settings.ACCESS_MODE = "accounts"
    raw = corpus("attachments.eml").replace(b"Erin <erin@studio.example>", b"a@example.com")
    received = email_receive(raw=raw)
    assert received.email_id is not None
    return Email.objects.get(pk=received.email_id)


def test_requester_sees_own_emails_without_originals_or_errors(
    people: People, filed: Email
) -> None:
    response = client_for(people.requester_a).get(f"/api/tickets/{filed.ticket_id}/emails/")
    assert response.status_code == 200
    rows = response.json()
    assert [r["kind"] for r in rows] == ["request", "received"]
    request = rows[0]
    assert request["raw_url"] is None and request["last_error"] is None
    assert [a["filename"] for a in request["attachments"]] == ["screen.png", "página.html"]
    assert (
        client_for(people.requester_b).get(f"/api/tickets/{filed.ticket_id}/emails/").status_code
        == 404
    )


def test_agent_sees_originals(people: People, filed: Email) -> None:
    rows = client_for(people.agent).get(f"/api/tickets/{filed.ticket_id}/emails/").json()
    assert rows[0]["raw_url"] == f"/api/mail/emails/{filed.pk}/raw/"
    response = client_for(people.agent).get(rows[0]["raw_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == bytes(filed.raw)


def test_attachments_download_as_files_never_inline(people: People, filed: Email) -> None:
    page = Attachment.objects.get(email=filed, filename="página.html")
    response = client_for(people.requester_a).get(f"/api/mail/attachments/{page.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"  # sniffed: never text/html
    assert response["Content-Disposition"] == (
        "attachment; filename=\"p?gina.html\"; filename*=UTF-8''p%C3%A1gina.html"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content == bytes(page.data)
    other = client_for(people.requester_b).get(f"/api/mail/attachments/{page.pk}/")
    assert other.status_code == 404


def test_requesters_never_see_bounce_reports(people: People, filed: Email) -> None:
    ack = Email.objects.get(ticket_id=filed.ticket_id, kind=Kind.RECEIVED)
    bounce = (
        corpus("bounce.eml.template")
        .decode()
        .format(n=1, recipient="a@example.com", original=ack.message_id)
    )
    email_receive(raw=bounce.encode())
    kinds = [
        r["kind"]
        for r in client_for(people.requester_a)
        .get(f"/api/tickets/{filed.ticket_id}/emails/")
        .json()
    ]
    assert "bounce" not in kinds
    staff = client_for(people.agent).get(f"/api/tickets/{filed.ticket_id}/emails/").json()
    assert [r["kind"] for r in staff] == ["request", "received", "bounce"]
    assert staff[1]["status"] == "failed"


def test_list_query_count_does_not_grow_with_emails(
    people: People, filed: Email, django_assert_max_num_queries: object
) -> None:
    client = client_for(people.agent)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        client.get(f"/api/tickets/{filed.ticket_id}/emails/")
