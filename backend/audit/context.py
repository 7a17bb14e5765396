"""Who or what is making changes right now: stamped on every history row written meanwhile.

Sources are short words: `api` (a request to the API: the web app or any other client; there are
no accounts, so no person's name), `triage` (the AI engine, e.g. a background re-classification),
`system` (commands, the shell, migrations: the default). Callers may use others (`seed`,
`import`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

API = "api"
TRIAGE = "triage"
SYSTEM = "system"

_source: ContextVar[str] = ContextVar("audit_change_source", default=SYSTEM)


def current_source() -> str:
    return _source.get()


@contextmanager
def change_source(source: str) -> Iterator[None]:
    """Attribute every change made inside the block to `source`."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)
