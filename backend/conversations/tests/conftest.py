"""A requester A and B, an agent and an admin; one ticket of A's (see accounts' test fixtures)."""

from __future__ import annotations

import pytest
from pytest_django import Settings

from accounts.models import Role
from accounts.tests.conftest import People, make_ticket, make_user


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def accounts_mode(settings: Settings) -> None:
    settings.ACCESS_MODE = "accounts"


@pytest.fixture
def people(db: None) -> People:
    a = make_user("a@example.com", Role.REQUESTER, "Ann Asker")
    b = make_user("b@example.com", Role.REQUESTER, "Bob Other")
    return People(
        requester_a=a,
        requester_b=b,
        agent=make_user("agent@example.com", Role.AGENT, "Ada Agent"),
        admin=make_user("admin@example.com", Role.ADMIN, "Root Admin"),
        ticket_a=make_ticket(a, "A's printer"),
        ticket_b=make_ticket(b, "B's printer"),
    )
