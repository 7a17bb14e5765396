"""Who is calling, and as what: the access mode and the caller passed into services and selectors.

`ACCESS_MODE=open` is the seed's contract: no sign-in, every caller acts as an agent (a signed-in
admin keeps the admin's powers; a signed-in requester is raised to agent, since signing out would
give them that anyway). `ACCESS_MODE=accounts`: a caller is a signed-in user with their own role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from accounts.models import Role, User

OPEN = "open"
ACCOUNTS = "accounts"
ACCESS_MODES = (OPEN, ACCOUNTS)


def access_mode() -> str:
    return str(settings.ACCESS_MODE)


def signup_open() -> bool:
    return str(settings.SIGNUP) == "open"


@dataclass(frozen=True)
class Caller:
    """Who a request acts as: a role, and the user when someone is signed in.

    Services and selectors take one as an argument rather than reading the request: the same
    rules then hold for every channel (API, commands, jobs).
    """

    role: Role
    user: User | None = None

    @property
    def is_requester(self) -> bool:
        return self.role == Role.REQUESTER

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None


# The caller of commands, jobs and tests: acts as an agent, on behalf of nobody.
SYSTEM = Caller(role=Role.AGENT)


def caller_for(user: Any) -> Caller | None:
    """The caller a request acts as, given its authenticated user (None or anonymous when
    nobody signed in); None when the request needs a user and has none."""
    signed_in = isinstance(user, User) and user.is_active
    if access_mode() == OPEN:
        if not signed_in:
            return SYSTEM
        role = Role.ADMIN if user.role == Role.ADMIN else Role.AGENT
        return Caller(role=role, user=user)
    if not signed_in:
        return None
    return Caller(role=Role(user.role), user=user)
