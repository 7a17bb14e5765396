"""Requester accounts for seeded tickets: created in bulk, and who files how many tickets.

Seeded requesters cannot sign in (an unusable password: hashing a real one costs ~50 ms each with
Argon2); a benchmark or a demo gives the one it needs a password. Their addresses are fixed
(`seed-requester-00001@example.com`, ...), so seeding again reuses the accounts already there.
"""

from __future__ import annotations

import numpy as np
from django.contrib.auth.hashers import make_password

from accounts.models import Role, User

EMAIL = "seed-requester-{:05d}@example.com"
BATCH = 2_000
# Spread of activity between requesters: a lognormal weight per requester, so most file a few
# tickets around the mean and a few file many times more (sigma 1: the busiest 1% file ~10x
# the median requester's share).
ACTIVITY_SIGMA = 1.0


def ensure_requesters(count: int) -> np.ndarray:
    """The ids of the `count` seeded requesters, creating those missing; ascending by number."""
    emails = [EMAIL.format(n) for n in range(1, count + 1)]
    users = [
        User(
            email=email,
            name=f"Requester {n:05d}",
            role=Role.REQUESTER,
            password=make_password(None),
        )
        for n, email in enumerate(emails, start=1)
    ]
    User.objects.bulk_create(users, batch_size=BATCH, ignore_conflicts=True)
    ids = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
    return np.array([ids[email] for email in emails], dtype=np.int64)


class RequesterPicker:
    """Draws the requester of each ticket; its own random stream, so the tickets themselves are
    the same with or without requesters for a given seed."""

    def __init__(self, ids: np.ndarray, *, seed: int) -> None:
        self.ids = ids
        self.rng = np.random.default_rng([seed, len(ids)])
        weights = self.rng.lognormal(0.0, ACTIVITY_SIGMA, len(ids))
        self.cumulative = np.cumsum(weights / weights.sum())

    def pick(self, count: int) -> list[int]:
        index = np.searchsorted(self.cumulative, self.rng.random(count), side="right")
        picked: list[int] = self.ids[np.minimum(index, len(self.ids) - 1)].tolist()
        return picked
