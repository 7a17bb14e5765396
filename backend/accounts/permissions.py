"""The one permission table: which roles may perform which action. Every API view names the
action each of its methods performs (`permission_actions`); `ActionPermission` checks it, and
services check the finer actions of a change (which fields of a ticket) against the same table.

Which tickets a requester sees is not an action but a scope: selectors narrow every ticket query
to the caller's own (`tickets.selectors`), so another ticket's id answers 404, never 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.access import Caller, caller_for
from accounts.models import Role


class Action(StrEnum):
    TICKET_LIST = "ticket.list"  # requesters: their own tickets only
    TICKET_VIEW = "ticket.view"  # requesters: their own tickets only
    TICKET_HISTORY = "ticket.history"  # requesters: their own tickets only
    TICKET_CREATE = "ticket.create"
    TICKET_FILE_ON_BEHALF = "ticket.file_on_behalf"  # `requester_email` on create
    TICKET_UPDATE = "ticket.update"  # reach PATCH at all; the fields are checked below
    TICKET_EDIT_TEXT_OPEN = "ticket.edit_text_open"  # title, description while open
    TICKET_EDIT_TEXT = "ticket.edit_text"  # title, description in any status
    TICKET_CLOSE = "ticket.close"  # status -> closed
    TICKET_SET_STATUS = "ticket.set_status"  # status -> anything
    TICKET_SET_LABELS = "ticket.set_labels"  # category, priority after filing
    TICKET_FILTER_REQUESTER = "ticket.filter_requester"  # ?requester=
    TICKET_ASSIGN = "ticket.assign"  # team, assignee on PATCH
    TEAM_LIST = "team.list"
    TEAM_MANAGE = "team.manage"  # create, rename, categories, members, rule
    AVAILABILITY_SET = "availability.set"  # one's own `available` (PATCH /api/auth/me/)
    TICKET_STATS = "ticket.stats"
    TICKET_CLASSIFY = "ticket.classify"
    TRIAGE_STATUS = "triage.status"
    MESSAGE_LIST = "message.list"  # a ticket's thread; requesters: their own, public only
    MESSAGE_LIST_INTERNAL = "message.list_internal"  # see internal notes in a thread
    MESSAGE_POST = "message.post"  # a public reply; requesters: on their own tickets
    MESSAGE_POST_INTERNAL = "message.post_internal"  # an internal note
    EVENTS_STREAM = "events.stream"  # requesters: their own tickets' events only
    EVENTS_STATS = "events.stats"  # stats on the stream
    USER_LIST = "user.list"
    USER_MANAGE = "user.manage"  # create, change role/name, deactivate
    TOKEN_MANAGE = "token.manage"  # one's own tokens
    SESSION_VIEW = "session.view"  # GET /api/auth/me/
    MAIL_LIST = "mail.list"  # a ticket's emails; requesters: their own tickets only
    MAIL_ATTACHMENT = "mail.attachment"  # download; requesters: their own tickets only
    MAIL_RAW = "mail.raw"  # an email's original, as received or sent
    SLA_VIEW = "sla.view"  # service-level policies and the business calendar
    SLA_MANAGE = "sla.manage"  # change them


EVERYONE = frozenset(Role)
STAFF = frozenset({Role.AGENT, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})

PERMISSIONS: Mapping[Action, frozenset[Role]] = {
    Action.TICKET_LIST: EVERYONE,
    Action.TICKET_VIEW: EVERYONE,
    Action.TICKET_HISTORY: EVERYONE,
    Action.TICKET_CREATE: EVERYONE,
    Action.TICKET_FILE_ON_BEHALF: STAFF,
    Action.TICKET_UPDATE: EVERYONE,
    Action.TICKET_EDIT_TEXT_OPEN: EVERYONE,
    Action.TICKET_EDIT_TEXT: STAFF,
    Action.TICKET_CLOSE: EVERYONE,
    Action.TICKET_SET_STATUS: STAFF,
    Action.TICKET_SET_LABELS: STAFF,
    Action.TICKET_FILTER_REQUESTER: STAFF,
    Action.TICKET_ASSIGN: STAFF,
    Action.TEAM_LIST: STAFF,
    Action.TEAM_MANAGE: ADMINS,
    Action.AVAILABILITY_SET: STAFF,
    Action.TICKET_STATS: STAFF,
    Action.TICKET_CLASSIFY: EVERYONE,
    Action.TRIAGE_STATUS: STAFF,
    Action.MESSAGE_LIST: EVERYONE,
    Action.MESSAGE_LIST_INTERNAL: STAFF,
    Action.MESSAGE_POST: EVERYONE,
    Action.MESSAGE_POST_INTERNAL: STAFF,
    Action.EVENTS_STREAM: EVERYONE,
    Action.EVENTS_STATS: STAFF,
    Action.USER_LIST: STAFF,
    Action.USER_MANAGE: ADMINS,
    Action.TOKEN_MANAGE: EVERYONE,
    Action.SESSION_VIEW: EVERYONE,
    Action.MAIL_LIST: EVERYONE,
    Action.MAIL_ATTACHMENT: EVERYONE,
    Action.MAIL_RAW: STAFF,
    Action.SLA_VIEW: STAFF,
    Action.SLA_MANAGE: ADMINS,
}

# Actions that need a signed-in user even in open mode: they are about that user.
NEEDS_USER = frozenset({Action.TOKEN_MANAGE, Action.SESSION_VIEW, Action.AVAILABILITY_SET})


def allowed(caller: Caller, action: Action) -> bool:
    if action in NEEDS_USER and caller.user is None:
        return False
    return caller.role in PERMISSIONS[action]


def require(caller: Caller, *actions: Action) -> None:
    """Raise a 403 (`PermissionDenied`) unless the caller may perform every action."""
    for action in actions:
        if not allowed(caller, action):
            raise PermissionDenied(f"Your role ({caller.role}) may not do this ({action}).")


def request_caller(request: Request) -> Caller:
    """The caller of a request that passed `ActionPermission` (which guarantees there is one)."""
    caller = caller_for(request.user)
    if caller is None:  # pragma: no cover - ActionPermission refused the request already
        raise PermissionDenied()
    return caller


class ActionPermission(BasePermission):
    """The default permission of every API view: the view's `permission_actions` names the
    action of each HTTP method (HEAD and OPTIONS are GET's); the caller's role must allow it.

    Without a caller (accounts mode, nobody signed in) DRF answers 401 with `WWW-Authenticate`.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        actions: Mapping[str, Action] | None = getattr(view, "permission_actions", None)
        if actions is None:
            raise ImproperlyConfigured(f"{type(view).__name__} declares no permission_actions.")
        method = "GET" if request.method in ("HEAD", "OPTIONS") else str(request.method)
        action = actions.get(method)
        if action is None:
            return True  # DRF answers 405 for a method the view does not have
        caller = caller_for(request.user)
        if caller is None:
            return False
        if not allowed(caller, action):
            if caller.user is None:
                return False  # open mode, nobody signed in: signing in may help (401)
            self.message = f"Your role ({caller.role}) may not do this."
            return False
        return True
