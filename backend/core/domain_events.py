"""Domain events: a write service announces what happened; the apps that care subscribe.

This is how dependencies keep pointing one way. `tickets` does not know that the live stream,
the triage learning loop or the audit trail exist: its services publish a small immutable event
(`publish_on_commit`), and each of those apps subscribes a handler in its `AppConfig.ready()`.

Contract:
- An event is delivered only after the transaction that published it commits; a rolled-back
  write announces nothing. Outside a transaction it is delivered at once.
- Handlers run in the order they subscribed, which is the order of `INSTALLED_APPS` (each app
  subscribes in `ready()`). An app listed earlier hears of a change first.
- A handler that raises is logged and the others still run: the write is committed, and a failing
  subscriber must not turn its response into an error.
- Subscribing the same handler twice for one event type keeps one subscription.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DomainEvent:
    """Base of every domain event: plain, immutable data (ids, names), never model instances,
    so a handler reads the current state from the database itself."""


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any], None]

_handlers: dict[type[DomainEvent], list[Handler]] = {}


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Call `handler(event)` for every committed event of `event_type` (subclasses included)."""
    handlers = _handlers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def unsubscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Remove a subscription (tests); unknown handlers are ignored."""
    handlers = _handlers.get(event_type, [])
    if handler in handlers:
        handlers.remove(handler)


def publish_on_commit(event: DomainEvent) -> None:
    """Deliver `event` to its subscribers once the current transaction commits."""
    transaction.on_commit(partial(dispatch, event))


def dispatch(event: DomainEvent) -> None:
    """Deliver `event` now, to the handlers of its type and of its base types, in order."""
    for event_type in type(event).__mro__:
        for handler in list(_handlers.get(event_type, ())):
            try:
                handler(event)
            except Exception:
                logger.exception("Handler %r failed for %r.", handler, event)
