"""`GET /api/events/`: the live stream of ticket changes and stats (server-sent events)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import Caller, caller_for
from accounts.authentication import authenticate_plain_request
from accounts.models import User
from accounts.permissions import Action, allowed
from core.errors import error_body
from events import conf
from events.hub import OVERFLOW, Hub, get_hub
from events.payloads import Event, parse_event_id, replay, stats_json

LISTEN_WAIT_SECONDS = 5.0


@require_GET
async def event_stream(request: HttpRequest) -> HttpResponseBase:
    """Events `ticket.created` / `ticket.updated` (data: the ticket as the API returns it, id:
    a resume point) and `stats` (data: as `GET /api/tickets/stats/`), plus `: ping` comments.

    Past EVENTS_MAX_STREAMS open streams in this process, a new one is refused with 503.

    On connection the stream sends current stats. With a `Last-Event-ID` header (sent by
    EventSource when it reconnects by itself) or `?last_event_id=`, it first replays the
    tickets changed since; if there were more than EVENTS_REPLAY_LIMIT, it sends `resync`
    instead and the client should reload its lists. The same happens when a client reads too
    slowly to keep up: its queue is bounded, the backlog is dropped and reloaded.

    In accounts mode the stream needs a user (session cookie or bearer token; 401 otherwise);
    a requester's stream carries only their own tickets' events, and no stats.
    """
    user = await sync_to_async(_authenticate)(request)
    caller = caller_for(user)
    if caller is None or not allowed(caller, Action.EVENTS_STREAM):
        body = error_body(401, "not_authenticated", "Sign in, or send a valid bearer token.")
        return JsonResponse(body, status=401, headers={"WWW-Authenticate": 'Bearer realm="api"'})
    hub = get_hub()
    if len(hub.subscribers) >= conf.max_streams():
        # Each stream holds a task and a queue: refuse rather than let a flood of connections
        # exhaust the process. Clients fall back to polling and retry.
        body = error_body(503, "too_many_streams", "Too many open event streams; retry later.")
        return JsonResponse(body, status=503, headers={"Retry-After": "30"})
    since = parse_event_id(request.headers.get("Last-Event-ID") or request.GET.get("last_event_id"))
    response = StreamingHttpResponse(_stream(hub, since, caller), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-transform"
    # nginx (the web app's container) would otherwise buffer the stream.
    response["X-Accel-Buffering"] = "no"
    return response


def _authenticate(request: HttpRequest) -> User | None:
    """The stream's caller, on the request's thread; then that thread's database connection
    goes back to the pool. Django would return it only when the response ends, which for a
    stream is when the client leaves: every open stream held a connection of the pool
    (`DB_POOL_MAX_SIZE`) for its whole life, which the API's own requests then waited for. The
    stream's later reads go through the hub's one thread."""
    try:
        return authenticate_plain_request(request)
    finally:
        connection.close()


async def _stream(hub: Hub, since: dt.datetime | None, caller: Caller) -> AsyncIterator[bytes]:
    with_stats = allowed(caller, Action.EVENTS_STATS)
    subscriber = hub.subscribe(only_requester=None if with_stats else caller.user_id)
    connected_at = timezone.now()
    try:
        yield f"retry: {conf.retry_ms()}\n\n".encode()
        if hub.transport.cross_process:
            # Read the snapshot only once listening, so no change falls between the two.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(hub.listening.wait(), LISTEN_WAIT_SECONDS)
        if since is not None:
            async for chunk in _catch_up(hub, since, caller):
                yield chunk
        if with_stats:
            yield Event(name="stats", data=await hub.run_db(stats_json)).encode()

        last_seen = since or connected_at
        heartbeat = conf.heartbeat_seconds()
        while True:
            try:
                event = await asyncio.wait_for(subscriber.queue.get(), heartbeat)
            except TimeoutError:
                yield b": ping\n\n"
                continue
            if event is OVERFLOW:
                subscriber.overflowed = False
                async for chunk in _catch_up(hub, last_seen, caller):
                    yield chunk
                if with_stats:
                    yield Event(name="stats", data=await hub.run_db(stats_json)).encode()
                continue
            if event.id is not None:
                last_seen = parse_event_id(event.id) or last_seen
            yield event.encode()
    finally:
        hub.unsubscribe(subscriber)


async def _catch_up(hub: Hub, since: dt.datetime, caller: Caller) -> AsyncIterator[bytes]:
    events, complete = await hub.run_db(replay, since, conf.replay_limit(), caller)
    if not complete:
        yield Event(name="resync", data=json.dumps({"reason": "too many changes"})).encode()
        return
    for event in events:
        yield event.encode()
