from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _rules_triage(rules_triage: None) -> None:
    """Ticket tests triage with the rules provider (see the root conftest); tests that need
    other providers use `triage_providers` or `fixed_triage`."""
