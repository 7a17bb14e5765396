"""Writes on users and tokens. Typed, keyword-only, each in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypedDict
from urllib.parse import urlencode

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

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


# Password reset: Django's own flow (`PasswordResetForm`, `default_token_generator`). The link
# goes to the web app's page, which posts the uid and token back with the new password.


class _ResetForm(PasswordResetForm):
    """Django's form, with our lookup (active users by normalized address, with a usable
    password or none yet: a reset link is how an account created without one gets one) and a
    plain-text message whose link points at the web app rather than a Django view."""

    def get_users(self, email: str) -> Iterator[Any]:
        yield from User.objects.filter(email=normalize_email(email), is_active=True)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        query = urlencode({"uid": context["uid"], "token": context["token"]})
        link = f"{context['reset_url']}?{query}"
        body = (
            "Someone asked to reset the password of your support account "
            f"({to_email}).\n\nTo choose a new password, open this link:\n\n{link}\n\n"
            "The link works once and expires after a few days. If you did not ask for this, "
            "ignore this email: your password stays as it is.\n"
        )
        send_mail("Reset your password", body, from_email, [to_email])


def password_reset_request(*, email: str, reset_url: str) -> None:
    """Email a reset link (`reset_url?uid=…&token=…`) to the active account with this address,
    if there is one. Says nothing either way, and a failed send is logged, not raised: the
    caller's answer must not tell whether the address has an account."""
    form = _ResetForm(data={"email": email})
    if not form.is_valid():
        return
    try:
        form.save(domain_override="support", extra_email_context={"reset_url": reset_url})
    except Exception:
        logger.exception("Could not send a password reset email")


class InvalidResetLink(Exception):
    """The uid names no active user, or the token is wrong, expired or already used."""


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password from a reset link. The token is bound to the old password hash and
    the last sign-in, so it works once. Raises `InvalidResetLink`, or Django's
    `ValidationError` when the password fails the validators. Other sessions end (the session
    hash changes with the password)."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
        user = User.objects.select_for_update().get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist) as exc:
        raise InvalidResetLink from exc
    if not default_token_generator.check_token(user, token):
        raise InvalidResetLink
    validate_password(new_password, user=user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user
