"""Service-level policies (one per priority) and the business calendar they count in."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from tickets.models import Priority

DEFAULT_TIME_ZONE = "UTC"
# Monday to Friday, 09:00-17:00: one business day is 8 hours.
DEFAULT_WINDOWS = [{"day": day, "start": "09:00", "end": "17:00"} for day in range(5)]


class SlaPolicy(models.Model):
    """The targets of one priority, in whole minutes, counted in the calendar's opening hours
    (`business_hours`) or around the clock."""

    priority = models.CharField(max_length=16, choices=Priority.choices, unique=True)
    first_response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()
    business_hours = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="sla_policy_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(first_response_minutes__gte=1), name="sla_policy_first_response_min"
            ),
            models.CheckConstraint(
                condition=Q(resolution_minutes__gte=1), name="sla_policy_resolution_min"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority}: {self.first_response_minutes} / {self.resolution_minutes} min"


class BusinessCalendar(models.Model):
    """The one business calendar (row id 1): time zone, weekly opening windows
    (`[{"day": 0-6 (Monday = 0), "start": "HH:MM", "end": "HH:MM"}]`, an end before the start
    crossing midnight, "24:00" the end of the day), a country (and subdivision) whose public
    holidays close it, and the organisation's own closed dates (`["YYYY-MM-DD"]`)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE)
    windows = models.JSONField(default=list)
    country = models.CharField(max_length=8, blank=True, default="")
    subdivision = models.CharField(max_length=16, blank=True, default="")
    holidays = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="sla_calendar_singleton"),
            models.CheckConstraint(condition=~Q(time_zone=""), name="sla_calendar_time_zone"),
        ]

    def __str__(self) -> str:
        return f"Business calendar ({self.time_zone})"
