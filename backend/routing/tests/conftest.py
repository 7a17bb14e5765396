"""Fixtures for routing tests: agents, and a way to make teams."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accounts.models import Role, User
from routing.models import Assignment, Team, TeamCategory
from tickets.tests.providers import FixedProvider


@pytest.fixture(autouse=True)
def _fixed(fixed_triage: type[FixedProvider]) -> None:
    """Triage answers technical/critical, confidence 0.7 (the weaker of its two)."""


def make_agent(n: int, *, role: str = Role.AGENT, **fields: object) -> User:
    return User.objects.create(
        email=f"agent{n}@example.com", name=f"Agent {n}", role=role, **fields
    )


MakeTeam = Callable[..., Team]


@pytest.fixture
def make_team(db: None) -> MakeTeam:
    def make(
        name: str,
        *,
        categories: tuple[str, ...] = ("technical",),
        members: list[User] | tuple[User, ...] = (),
        assignment: str = Assignment.ROUND_ROBIN,
    ) -> Team:
        team = Team.objects.create(name=name, assignment=assignment)
        team.members.set(members)
        for category in categories:
            TeamCategory.objects.create(team=team, category=category)
        return team

    return make
