from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _policies(request: pytest.FixtureRequest) -> None:
    """Tests that touch the database start from the default policies and calendar (see
    `sla_defaults`); the pure business-time tests need neither."""
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("sla_defaults")
