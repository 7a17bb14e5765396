"""Writes on users and tokens. Typed, keyword-only, each in one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TypedDict

from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction

from accounts import tokens
from accounts.models import ApiToken, Role, User, normalize_email

logger = logging.getLogger(__name__)


class EmailTaken(Exception):
    """A user with this email address exists already."""


class LastAdmin(Exception):
    """The change would leave no active admin."""


class UserChanges(TypedDict, total=False):
    name: str
    role: str
    is_active: bool
    available: bool  # an agent away gets no routed tickets


def user_create(
    *, email: str, name: str = "", role: str = Role.REQUESTER, password: str | None = None
) -> User:
    """Create a user. Without a password the account cannot sign in until one is set (an
    admin's `changepassword`, later a reset link). The password must pass Django's validators
    (`ValidationError` otherwise). Raises `EmailTaken`."""
    user = User(email=normalize_email(email), name=name.strip(), role=role)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user=user)
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        if User.objects.filter(email=user.email).exists():
            raise EmailTaken(user.email) from exc
        raise
    return user


def requester_for_email(*, email: str) -> User:
    """The user with this address, created as a requester with no usable password when there
    is none (filing a ticket on someone's behalf). An existing user keeps their role."""
    address = normalize_email(email)
    existing = User.objects.filter(email=address).first()
    if existing is not None:
        return existing
    try:
        return user_create(email=address, name=address.split("@", 1)[0], role=Role.REQUESTER)
    except EmailTaken:
        # Created meanwhile by a concurrent request: that one is the user.
        return User.objects.get(email=address)


def _active_admins_besides(user: User) -> bool:
    return User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk).exists()


def user_update(*, user_id: int, data: UserChanges) -> User:
    """Change a user's name, role or active flag. Deactivating revokes every token of the user
    at once; their sessions die with the flag (a session's user is only loaded while active).
    Raises `User.DoesNotExist`, and `LastAdmin` when no active admin would remain."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        losing_admin = (
            user.role == Role.ADMIN
            and user.is_active
            and (data.get("role", Role.ADMIN) != Role.ADMIN or data.get("is_active") is False)
        )
        if losing_admin and not _active_admins_besides(user):
            raise LastAdmin()
        for field in ("name", "role", "is_active", "available"):
            if field in data:
                setattr(user, field, data[field])
        user.save()
        if not user.is_active:
            ApiToken.objects.filter(user=user).delete()
        return user


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    # The secret: returned once, here, and stored nowhere.
    secret: str


def token_create(*, user: User, name: str) -> CreatedToken:
    new = tokens.generate()
    row = ApiToken.objects.create(user=user, name=name, prefix=new.prefix, key_hash=new.key_hash)
    return CreatedToken(token=row, secret=new.token)


def token_revoke(*, user: User, token_id: int) -> None:
    """Delete one of the user's tokens: refused from the next request on. Raises
    `ApiToken.DoesNotExist` for an id that is not one of theirs."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise ApiToken.DoesNotExist()


class AdminOutcome(TypedDict):
    created: bool
    message: str


def admin_ensure(*, email: str | None, password: str | None) -> AdminOutcome:
    """The first start: create the admin `email`/`password` when no active admin exists.

    Idempotent and never overwrites: an existing admin (any) means nothing is done, and an
    existing user with that address is left as is. Says what happened, for the server log.
    """
    if User.objects.filter(role=Role.ADMIN, is_active=True).exists():
        return {"created": False, "message": ""}
    if not email or not password:
        return {
            "created": False,
            "message": "No admin account exists. Set ADMIN_EMAIL and ADMIN_PASSWORD and restart, "
            "or run `python backend/manage.py create_admin`.",
        }
    address = normalize_email(email)
    if User.objects.filter(email=address).exists():
        return {
            "created": False,
            "message": f"No admin account exists, and {address} (ADMIN_EMAIL) is already a "
            "non-admin user: it was left unchanged. Run `manage.py create_admin` with another "
            "address.",
        }
    user_create(email=address, name="Admin", role=Role.ADMIN, password=password)
    return {"created": True, "message": f"Created the first admin, {address} (ADMIN_EMAIL)."}
