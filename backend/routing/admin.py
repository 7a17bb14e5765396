"""Django's admin at /admin/: teams, their members, categories and rule (the API is the other
way). The one-team-per-category rule is the table's unique key; the admin shows its error."""

from __future__ import annotations

from django.contrib import admin

from routing.models import Team, TeamCategory


class TeamCategoryInline(admin.TabularInline[TeamCategory, Team]):
    model = TeamCategory
    extra = 1


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "assignment", "created_at"]
    list_filter = ["assignment"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    fields = ["name", "assignment", "members"]
    inlines = [TeamCategoryInline]
