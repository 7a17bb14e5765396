"""Who or what is making changes right now: stamped on every history row written meanwhile.

Sources are short words: `api` (a request to the API: the web app or any other client; there are
no accounts, so no person's name), `triage` (the AI engine, e.g. a background re-classification),
`system` (commands, the shell, migrations: the default). Callers may use others (`seed`,
`import`).

Who (which user) is the request's authenticated user, read when a history row is written: the
API authenticates inside the view (session or token), after this module's middleware has run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

API = "api"
TRIAGE = "triage"
SYSTEM = "system"

_source: ContextVar[str] = ContextVar("audit_change_source", default=SYSTEM)
_request: ContextVar[Any] = ContextVar("audit_change_request", default=None)


def current_source() -> str:
    return _source.get()


def current_actor_id() -> int | None:
    """The id of the signed-in user making the change, if any."""
    user = getattr(_request.get(), "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return int(user.pk)


@contextmanager
def change_request(request: Any) -> Iterator[None]:
    """Attribute every change made inside the block to `request`'s user (once known)."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextmanager
def change_source(source: str) -> Iterator[None]:
    """Attribute every change made inside the block to `source`."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)
