"""How a request says who it is: a session cookie (the web app) or a bearer token (scripts).

DRF tries `BearerTokenAuthentication` first, so an anonymous request in accounts mode answers 401
with `WWW-Authenticate: Bearer`; `SessionAuthentication` enforces CSRF on the writes it
authenticates (and only those: a token is not sent by a browser on its own).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts import tokens
from accounts.models import ApiToken, User

# A token's `last_used_at` is written at most this often: not a write per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def user_for_token(raw: str) -> User | None:
    """The active user a presented token belongs to, or None (unknown, revoked, inactive)."""
    if not tokens.looks_like_token(raw):
        return None
    # `get` on the unique prefix, not `first`: no ORDER BY to compile, on every request.
    try:
        row = ApiToken.objects.select_related("user").get(prefix=raw[: tokens.PREFIX_LENGTH])
    except ApiToken.DoesNotExist:
        return None
    if not tokens.matches(raw, row.key_hash) or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None without one."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, str] | None:
        raw = bearer_token(request._request)
        if raw is None:
            return None
        user = user_for_token(raw)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return user, raw

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def authenticate_plain_request(request: HttpRequest) -> User | None:
    """For views outside DRF (the event stream): the token's user, else the session's.

    A GET only, so no CSRF check is due. An invalid token is no user at all, not a fallback to
    the session: a script must learn its token is dead.
    """
    raw = bearer_token(request)
    if raw is not None:
        return user_for_token(raw)
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_active:
        return user
    return None
