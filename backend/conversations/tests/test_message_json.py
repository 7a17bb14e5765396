"""`MessageSerializer` builds its JSON directly; DRF's generic field loop is the reference."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework import serializers

from accounts.tests.conftest import People
from conversations.api.serializers import MessageSerializer
from conversations.models import Message, Via


def generic(message: Message) -> dict[str, Any]:
    return dict(serializers.ModelSerializer.to_representation(MessageSerializer(), message))


def test_matches_the_generic_serializer(people: People) -> None:
    when = dt.datetime(2026, 5, 4, 3, 2, 1, 987654, tzinfo=dt.UTC)
    written = [
        Message.objects.create(
            ticket=people.ticket_a, author=people.requester_a, body="Hi\n  there", via=Via.WEB
        ),
        Message.objects.create(
            ticket=people.ticket_a,
            author=people.agent,
            body="Note",
            internal=True,
            via=Via.API,
            created_at=when,
        ),
        Message.objects.create(ticket=people.ticket_a, author=None, body="System", via=Via.EMAIL),
    ]
    for message in Message.objects.select_related("author").filter(pk__in=[m.pk for m in written]):
        data = MessageSerializer(message).data
        assert data == generic(message)
        assert list(data) == list(MessageSerializer().fields)
    listed = MessageSerializer(
        Message.objects.select_related("author").order_by("id"), many=True
    ).data
    assert [m["author_role"] for m in listed] == ["requester", "agent", None]
    assert listed[1]["created_at"] == "2026-05-04T03:02:01.987654Z"
