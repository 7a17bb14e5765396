"""Assignment under concurrency (PostgreSQL, real threads on their own connections): N creates at
once into a round-robin team of N agents give each agent exactly one; with fewest-open, N*k
creates at once leave every agent with exactly k (no create reads a count another has not yet
committed)."""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections

from accounts.access import SYSTEM
from accounts.models import User
from intake.services import ticket_file
from routing import services
from routing.models import Assignment, Team
from routing.tests.conftest import MakeTeam, make_agent
from tickets.models import Category, Priority, Ticket

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections"),
    pytest.mark.django_db(transaction=True),
]

AGENTS = 6
LABELS = list(itertools.product(Category.values, Priority.values))


@pytest.fixture(autouse=True)
def _slow_pick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the window between reading (whose turn, how many open) and writing the choice, so
    that without the team's row lock the creates would overlap there and pick the same agent
    (checked by hand: dropping the lock makes both tests fail)."""
    pick = services._pick

    def slow_pick(team: Team) -> User | None:
        chosen = pick(team)
        time.sleep(0.05)
        return chosen

    monkeypatch.setattr(services, "_pick", slow_pick)


def file_at_once(count: int) -> list[str]:
    """File `count` tickets from `count` threads released together; the errors, if any."""
    barrier = threading.Barrier(count)
    failures: list[str] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            # Distinct labels: tickets with the same ones update the same counter row (a trigger,
            # tickets/migrations/0003), which alone would make the creates take turns.
            category, priority = LABELS[n % len(LABELS)]
            ticket_file(
                caller=SYSTEM,
                title=f"Ticket {n}",
                description="Help, please.",
                category=category,
                priority=priority,
            )
        except Exception as exc:
            failures.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def assignees() -> Counter[int | None]:
    return Counter(Ticket.objects.values_list("assignee_id", flat=True))


def test_round_robin_gives_each_agent_exactly_one(make_team: MakeTeam) -> None:
    agents = [make_agent(n) for n in range(AGENTS)]
    make_team("All", categories=tuple(Category.values), members=agents)
    assert file_at_once(AGENTS) == []
    assert assignees() == Counter({agent.pk: 1 for agent in agents})


def test_fewest_open_never_reads_a_stale_count(make_team: MakeTeam) -> None:
    agents = [make_agent(n) for n in range(AGENTS)]
    make_team(
        "All",
        categories=tuple(Category.values),
        members=agents,
        assignment=Assignment.FEWEST_OPEN,
    )
    assert file_at_once(AGENTS * 2) == []
    assert assignees() == Counter({agent.pk: 2 for agent in agents})
