"""Fixtures for the access tests: a requester A and B, an agent and an admin, each with a
signed-in client, and one ticket of A's and one of B's."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pytest_django import Settings
from rest_framework.test import APIClient

from accounts.models import Role, User
from tickets.models import Ticket

PASSWORD = "correct horse battery staple"
CALLERS = ("anonymous", "requester_a", "requester_b", "agent", "admin")


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Settings) -> None:
    """Argon2 is slow by design; these tests check who may do what, not the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _rules(rules_triage: None) -> None:
    """Filing and classifying triage with the rules provider: instant and deterministic."""


@pytest.fixture
def accounts_mode(settings: Settings) -> None:
    settings.ACCESS_MODE = "accounts"


@dataclass
class People:
    requester_a: User
    requester_b: User
    agent: User
    admin: User
    ticket_a: Ticket
    ticket_b: Ticket

    def user(self, caller: str) -> User | None:
        return None if caller == "anonymous" else getattr(self, caller)


def make_user(email: str, role: str, name: str = "") -> User:
    user = User(email=email, role=role, name=name or email.split("@")[0].title())
    user.set_password(PASSWORD)
    user.save()
    return user


def make_ticket(requester: User | None, title: str = "Printer on fire") -> Ticket:
    return Ticket.objects.create(
        title=title,
        description="Smoke everywhere.",
        category="technical",
        priority="high",
        requester=requester,
    )


@pytest.fixture
def people(db: None) -> People:
    a = make_user("a@example.com", Role.REQUESTER)
    b = make_user("b@example.com", Role.REQUESTER)
    return People(
        requester_a=a,
        requester_b=b,
        agent=make_user("agent@example.com", Role.AGENT),
        admin=make_user("admin@example.com", Role.ADMIN),
        ticket_a=make_ticket(a, "A's printer"),
        ticket_b=make_ticket(b, "B's printer"),
    )


def client_for(user: User | None) -> APIClient:
    """A client signed in as `user` with a session (the web app's way), or anonymous."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client
