"""Cross-cutting records that belong to no single domain."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """One use of an `Idempotency-Key` header and what the first request with it created.

    `(scope, key)` is unique in the database, so two processes racing with the same key cannot
    both create: the loser's transaction fails on this constraint and it replays the winner.
    """

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    # SHA-256 of the request body in canonical JSON: the same key with another body is refused.
    fingerprint = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
