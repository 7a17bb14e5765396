"""Reads of teams."""

from __future__ import annotations

from django.db.models import QuerySet

from routing.models import Team


def team_list() -> QuerySet[Team]:
    """Every team by name, with its members and categories (three queries in all)."""
    return Team.objects.order_by("name").prefetch_related("members", "categories")


def team_get(*, team_id: int) -> Team:
    """One team; raises `Team.DoesNotExist`."""
    return team_list().get(pk=team_id)
