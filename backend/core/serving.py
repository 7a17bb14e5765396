"""One ASGI application, two ways of running Django behind it.

Every API call but the event stream is synchronous code (views, ORM, triage). Served through
Django's ASGI handler, each such request hops between the event loop and threads several times:
a fresh thread per request (`ThreadSensitiveContext`), the middleware chain adapted back to the
loop and out again for the view, each hop a hand-over of the GIL. Measured with one process on
two cores and 8 clients, that overhead alone capped `GET /api/health/` at about 180-240
requests/s.

So `SplitApplication` sends the long-lived streams (`STREAMING_PREFIXES`, the server-sent event
stream) to Django's ASGI handler, where they wait on the loop without holding a thread, and every
other HTTP request to Django's WSGI handler on a fixed pool of threads (a2wsgi): one hop in, the
whole request in one thread, one hop out. The health check then answered about 475 requests/s.
Both handlers run the same settings, middleware and URLs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from a2wsgi import WSGIMiddleware
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

# Paths answered by Django's ASGI handler: responses that stay open for minutes.
STREAMING_PREFIXES = ("/api/events/",)

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


class SplitApplication:
    """Route streaming paths to Django's ASGI handler, everything else to its WSGI handler on
    `threads` threads. Non-HTTP scopes (lifespan) go to the ASGI handler."""

    def __init__(self, *, threads: int) -> None:
        self.streaming: ASGIApp = get_asgi_application()
        self.threaded: ASGIApp = WSGIMiddleware(get_wsgi_application(), workers=threads)  # type: ignore[arg-type]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(STREAMING_PREFIXES):
            await self.threaded(scope, receive, send)
        else:
            await self.streaming(scope, receive, send)
