"""Request validation and response shapes for teams."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.serializers import StrictCharField
from routing.models import TEAM_NAME_MAX_LENGTH, Assignment, Team
from tickets.models import Category

MEMBERS_MAX = 1000


class TeamSerializer(serializers.ModelSerializer[Team]):
    members = serializers.SerializerMethodField(help_text="The member agents' ids, ascending.")
    categories = serializers.SerializerMethodField(help_text="The categories it handles.")

    class Meta:
        model = Team
        fields = ["id", "name", "members", "categories", "assignment"]
        read_only_fields = fields

    def get_members(self, team: Team) -> list[int]:
        return sorted(member.pk for member in team.members.all())

    def get_categories(self, team: Team) -> list[str]:
        return sorted(row.category for row in team.categories.all())


class TeamWriteSerializer(serializers.Serializer[dict[str, Any]]):
    name = StrictCharField(max_length=TEAM_NAME_MAX_LENGTH)
    members = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=MEMBERS_MAX,
        required=False,
        help_text="Agent ids: the whole list (it replaces the current one).",
    )
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices),
        max_length=len(Category.values),
        required=False,
        help_text="The categories it handles (the whole list); each has at most one team.",
    )
    assignment = serializers.ChoiceField(
        choices=Assignment.choices,
        required=False,
        help_text="How it hands a routed ticket to a member: off (queue only), round_robin, "
        "fewest_open.",
    )


class TeamUpdateSerializer(TeamWriteSerializer):
    name = StrictCharField(max_length=TEAM_NAME_MAX_LENGTH, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                "Nothing to update: send at least one of name, members, categories, assignment."
            )
        return attrs
