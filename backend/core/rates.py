"""Rate-limit settings: `"30/min"`-style strings, or `"off"`.

Kept free of DRF imports so `config.settings` can validate `RATE_LIMIT_*` at startup: a typo
must stop the server, not turn every request into a 500.
"""

from __future__ import annotations

import re

from django.core.exceptions import ImproperlyConfigured

OFF = frozenset({"off", "none", "0", "false", "disabled"})
_RATE = re.compile(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)")


def parse_rate_setting(raw: str, *, name: str = "rate limit") -> str | None:
    """`"30/min"` → `"30/min"`; `"off"` → None. Raises ImproperlyConfigured for anything else."""
    value = raw.strip().lower()
    if value in OFF:
        return None
    if not _RATE.fullmatch(value):
        raise ImproperlyConfigured(
            f"Invalid {name} {raw!r}: use N/second, N/minute, N/hour or N/day, or 'off'."
        )
    return value
