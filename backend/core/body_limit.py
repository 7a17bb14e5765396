"""ASGI wrapper that bounds request bodies before Django buffers them.

Django refuses a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` only when it declares its length; a
chunked body (no `Content-Length`) is read to the end, spilling to disk, before any view runs, and
DRF then ignores it (no length, so no body). This wrapper refuses a declared length over the limit
at once, reads a chunked body itself up to the limit (413 past it), and hands Django the body with
its `Content-Length`, so chunked JSON works like any other.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
# Loose on purpose: Django's ASGIHandler and other apps annotate these slightly differently.
ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]

_BODY = json.dumps(
    {
        "error": {
            "status": 413,
            "code": "payload_too_large",
            "message": "The request body is too large.",
        }
    }
).encode()


# How much of an oversized chunked body is read and dropped before answering 413.
DRAIN_BYTES = 4 * 1024 * 1024


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(_BODY)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": _BODY})


class BodySizeLimit:
    """Wrap an ASGI app so no HTTP request body larger than `max_bytes` reaches it; `per_path`
    gives exact paths a limit of their own (the inbound email webhook takes whole messages)."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, per_path: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = per_path or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.per_path.get(scope.get("path", ""), self.max_bytes)
        declared = _declared_length(scope)
        if declared is not None:
            # The server enforces the framing: no more than the declared bytes will arrive.
            if declared > max_bytes:
                await _refuse(send)
                return
            await self.app(scope, receive, send)
            return

        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > max_bytes:
                await self._drain(receive, more=bool(message.get("more_body")))
                await _refuse(send)
                return
            if not message.get("more_body"):
                break
        if body:
            scope = {
                **scope,
                "headers": [*scope["headers"], (b"content-length", b"%d" % len(body))],
            }
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                # Later calls are the app listening for the client going away.
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)

    async def _drain(self, receive: Receive, *, more: bool) -> None:
        # A client still sending when the connection closes sees a reset, not the 413: read (and
        # drop) a bounded amount more first, like a web server's lingering close.
        dropped = 0
        while more and dropped < DRAIN_BYTES:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            dropped += len(message.get("body", b""))
            more = bool(message.get("more_body"))
