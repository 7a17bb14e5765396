"""Reads on users and tokens."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import ApiToken, User


def user_list(*, role: str | None = None, search: str | None = None) -> QuerySet[User]:
    """Users in id order, narrowed to a role and to a case-insensitive search of email/name."""
    users = User.objects.order_by("id")
    if role:
        users = users.filter(role=role)
    if search:
        users = users.filter(Q(email__icontains=search) | Q(name__icontains=search))
    return users


def token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
