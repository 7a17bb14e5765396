"""Django's admin at /admin/: admins manage users there too (the API is the other way)."""

from __future__ import annotations

from django.contrib import admin

from accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ["email", "name", "role", "is_active", "available", "created_at"]
    list_filter = ["role", "is_active", "available"]
    search_fields = ["email", "name"]
    ordering = ["email"]
    # The hash is never shown or edited here: `manage.py changepassword` sets a password.
    fields = ["email", "name", "role", "is_active", "available", "created_at", "last_login"]
    readonly_fields = ["created_at", "last_login"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at"]
    search_fields = ["prefix", "name", "user__email"]
    # Tokens are made by their owners (the secret is shown once); an admin may only revoke.
    fields = ["prefix", "name", "user", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "name", "user", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False
