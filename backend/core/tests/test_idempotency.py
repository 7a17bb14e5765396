"""POST /api/tickets/ with an Idempotency-Key: retries never duplicate a ticket."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from pytest_django import Settings
from rest_framework.test import APIClient

from core import idempotency
from core.models import IdempotencyKey
from core.tests.helpers import assert_api_error
from tickets.models import Ticket

if TYPE_CHECKING:
    from rest_framework.response import _MonkeyPatchedResponse

pytestmark = pytest.mark.django_db

URL = "/api/tickets/"
BODY = {"title": "Card charged twice", "description": "I was billed twice for March."}


def post(api: APIClient, body: dict[str, str], key: str | None) -> _MonkeyPatchedResponse:
    headers: dict[str, Any] = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return api.post(URL, body, format="json", **headers)


def test_a_retry_with_the_same_key_and_body_answers_the_original_ticket(api: APIClient) -> None:
    key = str(uuid.uuid4())
    first = post(api, BODY, key)
    again = post(api, {"description": BODY["description"], "title": BODY["title"]}, key)

    assert first.status_code == 201
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(api: APIClient) -> None:
    key = str(uuid.uuid4())
    assert post(api, BODY, key).status_code == 201
    error = assert_api_error(post(api, {**BODY, "title": "Something else"}, key), 422)
    assert error["code"] == "idempotency_key_reused"
    assert Ticket.objects.count() == 1


def test_without_a_key_every_post_creates(api: APIClient) -> None:
    assert post(api, BODY, None).status_code == 201
    assert post(api, BODY, None).status_code == 201
    assert Ticket.objects.count() == 2


def test_keys_are_independent(api: APIClient) -> None:
    post(api, BODY, "key-a")
    post(api, BODY, "key-b")
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize("key", ["", "a" * 256, "has space", "naïve"])
def test_a_malformed_key_is_a_400(api: APIClient, key: str) -> None:
    assert_api_error(post(api, BODY, key), 400, fields={"Idempotency-Key"})
    assert Ticket.objects.count() == 0


def test_an_invalid_body_stores_no_key(api: APIClient) -> None:
    assert_api_error(post(api, {"title": ""}, "k1"), 400)
    assert IdempotencyKey.objects.count() == 0
    assert post(api, BODY, "k1").status_code == 201


def test_a_key_expires_after_the_ttl(api: APIClient, settings: Settings) -> None:
    settings.IDEMPOTENCY_KEY_TTL = 60
    with time_machine.travel(dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC), tick=False) as clock:
        first = post(api, BODY, "k1")
        clock.shift(59)
        assert post(api, BODY, "k1").json()["id"] == first.json()["id"]
        clock.shift(2)
        later = post(api, {**BODY, "title": "A new problem"}, "k1")
    assert later.status_code == 201
    assert later.json()["id"] != first.json()["id"]
    assert IdempotencyKey.objects.count() == 1


def test_purge_deletes_only_expired_keys(api: APIClient, settings: Settings) -> None:
    settings.IDEMPOTENCY_KEY_TTL = 60
    with time_machine.travel(dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC), tick=False) as clock:
        post(api, BODY, "old")
        clock.shift(50)
        post(api, BODY, "new")
        clock.shift(20)
        call_command("purge_idempotency_keys", verbosity=0)
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_a_failed_creation_leaves_no_key(api: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key is stored in the ticket's transaction: a failure after it undoes both."""
    original = idempotency.record

    def record_then_fail(claim: idempotency.Claim, obj: Ticket) -> None:
        original(claim, obj)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(idempotency, "record", record_then_fail)
    api.raise_request_exception = False
    assert post(api, BODY, "k1").status_code == 500
    assert Ticket.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_create_one_ticket() -> None:
    """Eight clients send the same key at once: one ticket, eight 201s naming it."""
    workers = 8
    barrier = threading.Barrier(workers)
    answers: list[tuple[int, int]] = []
    lock = threading.Lock()

    def client() -> None:
        try:
            barrier.wait()
            response = post(APIClient(), BODY, "shared-key")
            with lock:
                answers.append((response.status_code, response.json()["id"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Ticket.objects.count() == 1
    ticket_id = Ticket.objects.get().pk
    assert answers == [(201, ticket_id)] * workers
