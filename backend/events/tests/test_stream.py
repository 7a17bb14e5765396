"""The event stream end to end: a real server, a real HTTP client, changes made through the API."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from events import payloads
from events.hub import OVERFLOW, Subscriber, get_hub
from tickets.tests.factories import TicketFactory

SSE = "/api/events/"


def events(response: httpx.Response) -> Iterator[dict[str, Any]]:
    """Parse server-sent events (comments included, as {"comment": ...})."""
    current: dict[str, Any] = {}
    for line in response.iter_lines():
        if line == "":
            if current:
                yield current
            current = {}
        elif line.startswith(":"):
            yield {"comment": line[1:].strip()}
        else:
            field, _, value = line.partition(":")
            current[field] = value.removeprefix(" ")


def next_event(stream: Iterator[dict[str, Any]], name: str, timeout: float = 5.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    for event in stream:
        if event.get("event") == name:
            return event
        if time.monotonic() > deadline:
            break
    raise AssertionError(f"no {name!r} event within {timeout} s")


@pytest.mark.django_db(transaction=True)
def test_a_ticket_created_through_the_api_reaches_the_stream(asgi_server: str) -> None:
    with (
        httpx.Client(base_url=asgi_server, timeout=10) as client,
        client.stream("GET", SSE) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = events(response)
        first = next_event(stream, "stats")
        assert json.loads(first["data"])["total_tickets"] == 0

        started = time.monotonic()
        created = client.post(
            "/api/tickets/", json={"title": "Printer on fire", "description": "Smoke."}
        )
        assert created.status_code == 201, created.text
        event = next_event(stream, "ticket.created")
        latency = time.monotonic() - started
        assert json.loads(event["data"]) == created.json()
        assert event["id"].isdigit()
        assert latency < 1.0

        stats = json.loads(next_event(stream, "stats")["data"])
        assert stats["total_tickets"] == 1
        assert stats["open_tickets"] == 1


@pytest.mark.django_db(transaction=True)
def test_an_update_through_the_api_reaches_the_stream(asgi_server: str) -> None:
    ticket = TicketFactory(status="open")
    with (
        httpx.Client(base_url=asgi_server, timeout=10) as client,
        client.stream("GET", SSE) as response,
    ):
        stream = events(response)
        next_event(stream, "stats")
        patched = client.patch(f"/api/tickets/{ticket.pk}/", json={"status": "resolved"})
        assert patched.status_code == 200
        event = next_event(stream, "ticket.updated")
        assert json.loads(event["data"])["status"] == "resolved"
        assert json.loads(next_event(stream, "stats")["data"])["open_tickets"] == 0


@pytest.mark.django_db(transaction=True)
def test_reconnecting_with_last_event_id_replays_what_was_missed(asgi_server: str) -> None:
    seen = TicketFactory()
    since = payloads.event_id(seen)
    missed = TicketFactory(title="Created while away")
    with httpx.Client(base_url=asgi_server, timeout=10) as client:
        headers = {"Last-Event-ID": since}
        with client.stream("GET", SSE, headers=headers) as response:
            stream = events(response)
            replayed = next_event(stream, "ticket.created")
            assert json.loads(replayed["data"])["id"] == missed.pk
            next_event(stream, "stats")


@pytest.mark.django_db(transaction=True)
def test_too_much_to_replay_asks_the_client_to_resync(asgi_server: str, settings: Any) -> None:
    settings.EVENTS_REPLAY_LIMIT = 2
    first = TicketFactory()
    TicketFactory.create_batch(3)
    with httpx.Client(base_url=asgi_server, timeout=10) as client:
        params = {"last_event_id": payloads.event_id(first)}
        with client.stream("GET", SSE, params=params) as response:
            stream = events(response)
            assert next_event(stream, "resync")["data"]
            next_event(stream, "stats")


@pytest.mark.django_db(transaction=True)
def test_idle_streams_get_heartbeats(asgi_server: str, settings: Any) -> None:
    settings.EVENTS_HEARTBEAT_SECONDS = 0.2
    with (
        httpx.Client(base_url=asgi_server, timeout=10) as client,
        client.stream("GET", SSE) as response,
    ):
        for event in events(response):
            if event.get("comment") == "ping":
                break


def test_a_slow_client_holds_a_bounded_queue(settings: Any) -> None:
    settings.EVENTS_QUEUE_SIZE = 3
    subscriber = Subscriber()
    for n in range(1000):
        subscriber.offer(payloads.Event(name="ticket.updated", data="{}", id=str(n)))
    assert subscriber.queue.qsize() == 1
    assert subscriber.queue.get_nowait() is OVERFLOW


@pytest.mark.django_db
def test_stream_stats_are_two_queries(django_assert_num_queries: Any) -> None:
    TicketFactory.create_batch(5)
    # The counters with the live at-risk and breached counts, then the 30-day attainment.
    with django_assert_num_queries(2):
        data = json.loads(payloads.stats_json())
    assert data["total_tickets"] == 5


@pytest.mark.django_db
def test_a_burst_of_changes_is_read_in_one_query(django_assert_num_queries: Any) -> None:
    tickets = TicketFactory.create_batch(20)
    pending = {t.pk: "ticket.updated" for t in tickets}
    with django_assert_num_queries(1):
        out = payloads.ticket_events(pending)
    assert [json.loads(e.data)["id"] for e in out] == [t.pk for t in tickets]


def test_the_stream_refuses_other_methods(client: Any) -> None:
    assert client.post(SSE).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_a_closed_connection_leaves_no_subscriber_behind(asgi_server: str) -> None:
    hub = get_hub()
    for _ in range(3):
        with (
            httpx.Client(base_url=asgi_server, timeout=10) as client,
            client.stream("GET", SSE) as response,
        ):
            stream = events(response)  # held: dropping it would close the response early
            next_event(stream, "stats")
            assert hub.subscribers
    deadline = time.monotonic() + 5
    while hub.subscribers and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not hub.subscribers


@pytest.mark.django_db(transaction=True)
def test_past_the_stream_limit_new_streams_are_refused(asgi_server: str, settings: Any) -> None:
    settings.EVENTS_MAX_STREAMS = 1
    with (
        httpx.Client(base_url=asgi_server, timeout=10) as client,
        client.stream("GET", SSE) as first,
    ):
        stream = events(first)
        next_event(stream, "stats")
        refused = client.get(SSE)
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "too_many_streams"
        assert refused.headers["Retry-After"] == "30"
