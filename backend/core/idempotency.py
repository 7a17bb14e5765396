"""Idempotent creation: a retried request with the same `Idempotency-Key` creates nothing new.

Contract (for `POST` endpoints that opt in):

- No header: the request is handled normally.
- A key first seen: the object is created, and the key is stored with a fingerprint of the body
  in the *same transaction* as the object, so either both exist or neither does.
- The same key and the same body again, within `IDEMPOTENCY_KEY_TTL` seconds: nothing is created;
  the original object is answered (callers use the original status code and set
  `Idempotent-Replayed: true`).
- The same key with a different body: 422 `idempotency_key_reused`.
- After the TTL the key is forgotten and may be used again; `purge_idempotency_keys` deletes
  expired rows.

Two requests racing with one key (several processes, several machines) are safe: the database's
unique constraint on `(scope, key)` lets exactly one transaction commit; the other rolls back its
object and replays the winner's.

The caller drives it in one direction: `claim_from_request` (view), then `replay` before doing
any work, then the creating service calls `record` inside its transaction; on `IntegrityError`
the caller `replay`s again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.request import Request

from core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 255
# Visible ASCII only: keys are opaque tokens (UUIDs in the web app), never free text.
KEY_PATTERN = r"^[!-~]+$"
_KEY_PATTERN = re.compile(KEY_PATTERN)

M = TypeVar("M", bound=models.Model)


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        "This Idempotency-Key was already used with a different request body; use a new key "
        "for a new request."
    )
    default_code = "idempotency_key_reused"


@dataclass(frozen=True)
class Claim:
    """A request's wish to be executed at most once."""

    scope: str
    key: str
    fingerprint: str


def fingerprint(payload: Any) -> str:
    """SHA-256 of the payload as canonical JSON: key order and whitespace do not matter."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim_from_request(request: Request, *, scope: str, payload: Any) -> Claim | None:
    """The request's claim, or None without the header. Raises 400 for a malformed key."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if len(key) > KEY_MAX_LENGTH or not _KEY_PATTERN.fullmatch(key):
        raise exceptions.ValidationError(
            {HEADER: [f"Must be 1-{KEY_MAX_LENGTH} visible ASCII characters (a UUID is ideal)."]}
        )
    return Claim(scope=scope, key=key, fingerprint=fingerprint(payload))


def ttl() -> dt.timedelta:
    return dt.timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL)


def replay(claim: Claim, model: type[M]) -> M | None:
    """The object an earlier request with this key made, or None (no such key, or expired).

    Raises `IdempotencyKeyReused` when the earlier request had another body.
    """
    record = IdempotencyKey.objects.filter(
        scope=claim.scope, key=claim.key, expires_at__gt=timezone.now()
    ).first()
    if record is None:
        return None
    if record.fingerprint != claim.fingerprint:
        raise IdempotencyKeyReused()
    obj = model._default_manager.filter(pk=record.object_id).first()
    if obj is None:
        # What the key made was deleted by hand: the key no longer means anything.
        record.delete()
    return obj


def record(claim: Claim, obj: models.Model) -> None:
    """Store the key for `obj`. Call it inside the transaction that creates `obj`, so a failure
    to store the key undoes the object. A concurrent request that stored the same key first
    makes it raise `IntegrityError` (the unique `(scope, key)` constraint): roll back, then
    `replay` the winner's object."""
    now = timezone.now()
    # An expired row would still hold the unique (scope, key) slot.
    IdempotencyKey.objects.filter(scope=claim.scope, key=claim.key, expires_at__lte=now).delete()
    IdempotencyKey.objects.create(
        scope=claim.scope,
        key=claim.key,
        fingerprint=claim.fingerprint,
        object_id=obj.pk,
        created_at=now,
        expires_at=now + ttl(),
    )


def purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete expired keys; returns how many. Safe to run at any time, from any process."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
