"""`message.created` on the live stream reaches only those who may see the message: internal
notes agents only; public messages agents and the ticket's own requester."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.db import connection
from pytest_django import Settings

from accounts.models import Role, User
from accounts.services import token_create
from accounts.tests.conftest import make_ticket, make_user
from events.hub import MESSAGE_CREATED, Subscriber
from events.payloads import Event
from events.tests.test_stream import SSE, events

pytestmark = pytest.mark.django_db(transaction=True)


class Listener:
    """One caller's stream, read on a thread into a list of (event name, data)."""

    def __init__(self, base_url: str, user: User) -> None:
        secret = token_create(user=user, name="stream").secret
        self.client = httpx.Client(
            base_url=base_url, timeout=10, headers={"Authorization": f"Bearer {secret}"}
        )
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.ready = threading.Event()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(10), "stream did not open"

    def _run(self) -> None:
        try:
            with self.client.stream("GET", SSE) as response:
                assert response.status_code == 200
                for event in events(response):
                    # The stream subscribes to the hub before its first line (`retry:`).
                    self.ready.set()
                    if self.done.is_set():
                        return
                    if "event" in event:
                        data = json.loads(event["data"]) if event.get("data") else {}
                        self.received.append((event["event"], data))
        except httpx.HTTPError:
            if not self.done.is_set():  # the test closed the client: expected, else a failure
                raise

    def messages(self) -> list[str]:
        return [data["body"] for name, data in self.received if name == MESSAGE_CREATED]

    def close(self) -> None:
        self.done.set()
        self.client.close()


@pytest.fixture
def listeners(asgi_server: str) -> Iterator[list[Listener]]:
    opened: list[Listener] = []
    yield opened
    for listener in opened:
        listener.close()


def test_message_created_reaches_only_those_allowed(
    asgi_server: str, settings: Settings, listeners: list[Listener]
) -> None:
    settings.ACCESS_MODE = "accounts"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    a = make_user("a@example.com", Role.REQUESTER)
    b = make_user("b@example.com", Role.REQUESTER)
    agent = make_user("agent@example.com", Role.AGENT)
    ticket = make_ticket(a)
    listeners += [Listener(asgi_server, user) for user in (a, b, agent)]
    on_a, on_b, on_agent = listeners
    # An agent's stream sends stats once the hub listens (PostgreSQL: LISTEN is connected), and
    # the hub is shared by every stream of the process.
    for _ in range(100):
        if any(name == "stats" for name, _data in on_agent.received):
            break
        time.sleep(0.05)

    agent_secret = token_create(user=agent, name="writer").secret
    with httpx.Client(
        base_url=asgi_server, headers={"Authorization": f"Bearer {agent_secret}"}
    ) as writer:
        url = f"/api/tickets/{ticket.pk}/messages/"
        assert writer.post(url, json={"body": "secret note", "internal": True}).status_code == 201
        assert writer.post(url, json={"body": "public reply"}).status_code == 201

    for _ in range(50):
        if on_agent.messages() == ["secret note", "public reply"] and on_a.messages():
            break
        time.sleep(0.1)
    assert on_agent.messages() == ["secret note", "public reply"]
    assert on_a.messages() == ["public reply"]
    reply = next(data for name, data in on_a.received if name == MESSAGE_CREATED)
    assert reply["ticket"] == ticket.pk and reply["internal"] is False
    assert reply["author"] == {"id": agent.pk, "name": agent.name}
    # B's stream heard nothing of A's ticket (the agent's public reply arrived everywhere
    # it was going to before A's did, so waiting longer would not change this).
    assert on_b.messages() == []


class TestSubscriberScope:
    def test_a_requester_gets_public_messages_of_their_own_tickets_only(self) -> None:
        subscriber = Subscriber(only_requester=7)
        note = Event(name=MESSAGE_CREATED, data="{}", requester_id=7, staff_only=True)
        others = Event(name=MESSAGE_CREATED, data="{}", requester_id=8)
        anonymous = Event(name=MESSAGE_CREATED, data="{}", requester_id=None)
        mine = Event(name=MESSAGE_CREATED, data="{}", requester_id=7)
        for event in (note, others, anonymous, mine):
            subscriber.offer(event)
        assert subscriber.queue.qsize() == 1 and subscriber.queue.get_nowait() == mine

    def test_an_agent_gets_notes_too(self) -> None:
        subscriber = Subscriber()
        subscriber.offer(Event(name=MESSAGE_CREATED, data="{}", requester_id=7, staff_only=True))
        subscriber.offer(Event(name=MESSAGE_CREATED, data="{}", requester_id=8))
        assert subscriber.queue.qsize() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the connection pool is PostgreSQL's")
def test_an_open_stream_holds_no_connection_of_the_pool(
    asgi_server: str, settings: Settings, listeners: list[Listener]
) -> None:
    """A stream authenticates on its request's thread; that connection goes back to the pool
    at once, not when the client leaves: four streams hold as many connections as one."""
    settings.ACCESS_MODE = "accounts"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = [make_user(f"r{n}@example.com", Role.REQUESTER) for n in range(4)]
    pool = connection.pool  # type: ignore[attr-defined]

    def checked_out() -> int:
        stats = pool.get_stats()
        return int(stats["pool_size"] - stats["pool_available"])

    listeners.append(Listener(asgi_server, users[0]))
    time.sleep(0.3)
    with_one = checked_out()
    listeners.extend(Listener(asgi_server, user) for user in users[1:])
    time.sleep(0.3)

    assert checked_out() == with_one
