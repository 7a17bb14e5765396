"""ASGI wrapper that bounds request bodies before Django buffers them.

Django refuses a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` only when it declares its length; a
chunked body (no `Content-Length`) is read to the end, spilling to disk, before any view runs.
This wrapper cuts such a body off at the limit and answers 413 in the API's error shape.
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
    """Wrap an ASGI app so no HTTP request body larger than `max_bytes` reaches it."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _refuse(send)
            return

        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    # Django stops reading and sends nothing when the client "disconnects".
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, tracking_send)
        if exceeded and not started:
            await _refuse(send)
