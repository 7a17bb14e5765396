"""Signed ticket references: the reply-to address `support+<ticket>-<mac>@domain` and the subject
token `[#<ticket>-<mac>]`. The MAC (HMAC-SHA256 under SECRET_KEY, cut to 16 hex digits) means a
stranger cannot write into someone else's ticket by guessing its number."""

from __future__ import annotations

import hmac
import re

from django.conf import settings
from django.utils.crypto import salted_hmac

_SALT = "mail.ticket-reference"
_MAC_LENGTH = 16
_SUBJECT = re.compile(r"\[#(\d{1,18})-([0-9a-f]{16})\]")


def mac(ticket_id: int) -> str:
    return salted_hmac(_SALT, str(ticket_id), algorithm="sha256").hexdigest()[:_MAC_LENGTH]


def subject_token(ticket_id: int) -> str:
    return f"[#{ticket_id}-{mac(ticket_id)}]"


def reply_address(ticket_id: int) -> str:
    local, _, domain = str(settings.SUPPORT_EMAIL).partition("@")
    return f"{local}+{ticket_id}-{mac(ticket_id)}@{domain}"


def _verified(ticket: str, signature: str) -> int | None:
    ticket_id = int(ticket)
    return ticket_id if hmac.compare_digest(mac(ticket_id), signature) else None


def ticket_from_address(address: str) -> int | None:
    """The ticket an address like `support+42-<mac>@domain` refers to, if its MAC is right."""
    local, _, domain = address.lower().partition("@")
    our_local, _, our_domain = str(settings.SUPPORT_EMAIL).lower().partition("@")
    base, plus, tag = local.partition("+")
    if not plus or base != our_local or domain != our_domain:
        return None
    match = re.fullmatch(r"(\d{1,18})-([0-9a-f]{16})", tag)
    return _verified(match.group(1), match.group(2)) if match else None


def ticket_from_subject(subject: str) -> int | None:
    match = _SUBJECT.search(subject)
    return _verified(match.group(1), match.group(2)) if match else None


def is_our_address(address: str) -> bool:
    """The support address itself or any of its +tag forms."""
    local, _, domain = address.lower().partition("@")
    our_local, _, our_domain = str(settings.SUPPORT_EMAIL).lower().partition("@")
    return domain == our_domain and local.partition("+")[0] == our_local
