"""Tunables of the event stream, read from Django settings with these defaults."""

from __future__ import annotations

from django.conf import settings


def heartbeat_seconds() -> float:
    """A comment line this often keeps proxies and browsers from closing an idle stream."""
    return float(getattr(settings, "EVENTS_HEARTBEAT_SECONDS", 15.0))


def queue_size() -> int:
    """Events held per connection for a slow client before it is switched to a resync."""
    return int(getattr(settings, "EVENTS_QUEUE_SIZE", 100))


def replay_limit() -> int:
    """Most tickets replayed after a reconnection; beyond it the client is told to resync."""
    return int(getattr(settings, "EVENTS_REPLAY_LIMIT", 200))


def stats_interval() -> float:
    """Fresh stats are sent at most this often (seconds), after any change."""
    return float(getattr(settings, "EVENTS_STATS_INTERVAL", 0.5))


def batch_seconds() -> float:
    """Changes arriving within this window are read from the database in one query."""
    return float(getattr(settings, "EVENTS_BATCH_SECONDS", 0.01))


def retry_ms() -> int:
    """The reconnection delay the stream asks EventSource clients to use."""
    return int(getattr(settings, "EVENTS_RETRY_MS", 2000))


def max_streams() -> int:
    """Open streams one process serves; past it new ones get 503 and retry later."""
    return int(getattr(settings, "EVENTS_MAX_STREAMS", 1000))
