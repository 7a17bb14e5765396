"""`message_post`'s contract for every channel (mail calls it too): events, locking, via."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections
from rest_framework.exceptions import PermissionDenied, ValidationError

from accounts.access import SYSTEM, Caller
from accounts.models import Role
from accounts.tests.conftest import People, make_ticket, make_user
from conversations.domain_events import MessageCreated
from conversations.models import Message
from conversations.services import TicketClosed, message_post
from core.domain_events import DomainEvent, subscribe, unsubscribe
from tickets.domain_events import TicketUpdated
from tickets.models import Status, Ticket


@pytest.fixture
def heard() -> Iterator[list[DomainEvent]]:
    events: list[DomainEvent] = []
    subscribe(DomainEvent, events.append)
    yield events
    unsubscribe(DomainEvent, events.append)


def as_(user: Any) -> Caller:
    return Caller(role=Role(user.role), user=user)


@pytest.mark.usefixtures("accounts_mode")
class TestAnnouncements:
    def test_a_public_reply_announces_the_message_and_the_first_response(
        self, people: People, heard: list[DomainEvent], django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            message = message_post(
                caller=as_(people.agent), ticket_id=people.ticket_a.pk, body="Hello", via="email"
            )
        assert heard == [
            TicketUpdated(ticket_id=people.ticket_a.pk, fields=frozenset({"first_response_at"})),
            MessageCreated(
                ticket_id=people.ticket_a.pk,
                message_id=message.pk,
                internal=False,
                author_id=people.agent.pk,
                via="email",
            ),
        ]

    def test_a_note_announces_only_the_message(
        self, people: People, heard: list[DomainEvent], django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            message_post(
                caller=as_(people.agent), ticket_id=people.ticket_a.pk, body="n", internal=True
            )
        assert [type(e) for e in heard] == [MessageCreated]
        assert isinstance(heard[0], MessageCreated) and heard[0].internal

    def test_a_reopening_reply_announces_the_status(
        self, people: People, heard: list[DomainEvent], django_capture_on_commit_callbacks: Any
    ) -> None:
        Ticket.objects.filter(pk=people.ticket_a.pk).update(status=Status.RESOLVED)
        with django_capture_on_commit_callbacks(execute=True):
            message_post(caller=as_(people.requester_a), ticket_id=people.ticket_a.pk, body="?")
        assert heard[0] == TicketUpdated(ticket_id=people.ticket_a.pk, fields=frozenset({"status"}))

    def test_a_refused_post_announces_nothing(
        self, people: People, heard: list[DomainEvent], django_capture_on_commit_callbacks: Any
    ) -> None:
        Ticket.objects.filter(pk=people.ticket_a.pk).update(status=Status.CLOSED)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(TicketClosed):
            message_post(caller=as_(people.agent), ticket_id=people.ticket_a.pk, body="late")
        assert heard == []


@pytest.mark.usefixtures("accounts_mode")
class TestRefusals:
    def test_what_the_service_refuses(self, people: People) -> None:
        a, b = as_(people.requester_a), as_(people.requester_b)
        with pytest.raises(Ticket.DoesNotExist):
            message_post(caller=b, ticket_id=people.ticket_a.pk, body="mine?")
        with pytest.raises(PermissionDenied):
            message_post(caller=a, ticket_id=people.ticket_a.pk, body="x", internal=True)
        with pytest.raises(ValidationError):
            message_post(caller=a, ticket_id=people.ticket_a.pk, body=" \n ")
        with pytest.raises(ValidationError):
            message_post(caller=a, ticket_id=people.ticket_a.pk, body="x", via="carrier-pigeon")
        assert not Message.objects.exists()

    def test_the_system_may_write_with_no_author(self, people: People) -> None:
        message = message_post(caller=SYSTEM, ticket_id=people.ticket_a.pk, body="Bounced.")
        assert message.author is None and message.via == "web"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_replies_set_first_response_once(settings: Any) -> None:
    """Agents replying at the same moment: the row lock makes one of them first, and
    `first_response_at` is exactly that message's time (never overwritten by a later one)."""
    settings.ACCESS_MODE = "accounts"
    workers = 6
    requester = make_user("r@example.com", Role.REQUESTER)
    agents = [make_user(f"agent{i}@example.com", Role.AGENT) for i in range(workers)]
    ticket = make_ticket(requester)
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []
    updates: list[DomainEvent] = []
    subscribe(TicketUpdated, updates.append)

    def reply(agent: Any) -> None:
        try:
            barrier.wait()
            message_post(caller=as_(agent), ticket_id=ticket.pk, body=f"{agent.email} here")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reply, args=(agent,)) for agent in agents]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        unsubscribe(TicketUpdated, updates.append)
    assert errors == []
    ticket.refresh_from_db()
    first = Message.objects.filter(ticket=ticket).order_by("created_at", "id").first()
    assert first is not None and Message.objects.filter(ticket=ticket).count() == workers
    assert ticket.first_response_at == first.created_at
    assert len(updates) == 1
