"""Database state the triage engine shares across processes and machines."""

from __future__ import annotations

from django.db import models


class TrainingState(models.Model):
    """One row (pk=1): how many labels people chose since the model last trained, and whether
    a retrain is already queued. Every web process and worker reads and updates it with
    single-row UPDATEs, so the "retrain every N labels" rule holds however many there are."""

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    labels_since_training = models.PositiveIntegerField(default=0)
    retrain_enqueued_at = models.DateTimeField(null=True, blank=True)
    trained_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.labels_since_training} labels since training"

    @classmethod
    def load(cls) -> TrainingState:
        """The row, created on first use."""
        state, _ = cls.objects.get_or_create(pk=cls.SINGLETON)
        return state
