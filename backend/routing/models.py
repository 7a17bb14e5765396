"""Teams: who handles which categories of ticket, and how a new ticket picks one of them.

A ticket refers to its team by a column (`tickets.Ticket.team`, declared by name): the ticket
app never imports this one; routing reads and writes tickets, never the other way round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tickets.models import Category

TEAM_NAME_MAX_LENGTH = 100


class Assignment(models.TextChoices):
    """How a team hands a routed ticket to one of its available members."""

    OFF = "off", "Off (the team's queue only)"
    ROUND_ROBIN = "round_robin", "Round robin"
    FEWEST_OPEN = "fewest_open", "Fewest open tickets"


class Team(models.Model):
    name = models.CharField(max_length=TEAM_NAME_MAX_LENGTH, unique=True)
    assignment = models.CharField(
        max_length=16, choices=Assignment.choices, default=Assignment.OFF, db_default=Assignment.OFF
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignment__in=Assignment.values), name="team_assignment_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="team_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamCategory(models.Model):
    """A category a team handles. Each category belongs to at most one team (the unique key),
    so routing by category never has to choose between two teams."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=16, choices=Category.choices, unique=True)

    class Meta:
        ordering = ["category"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="team_category_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} -> {self.team_id}"
