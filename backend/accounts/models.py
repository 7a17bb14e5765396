"""Users, their roles, and personal API tokens.

A user signs in with an email address (stored lower-cased, unique). The role says what they may
do (`accounts.permissions` holds the one table); admins are agents who also manage users. Tokens
are stored as a visible prefix and a hash, never the secret itself.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Role(models.TextChoices):
    REQUESTER = "requester", "Requester"
    AGENT = "agent", "Agent"
    ADMIN = "admin", "Admin"


EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 150


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalize_email(username or ""))


def normalize_email(email: str) -> str:
    """The one spelling of an address we store and look up: trimmed and lower-cased whole.

    Mailbox names are case-sensitive in theory, never in practice; two accounts differing only by
    case would be a support nightmare and a spoofing aid.
    """
    return email.strip().lower()


class User(AbstractBaseUser):
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH, unique=True)
    name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True, default="")
    role = models.CharField(
        max_length=16, choices=Role.choices, default=Role.REQUESTER, db_default=Role.REQUESTER
    )
    is_active = models.BooleanField(default=True, db_default=True)
    # An agent who is away gets no new tickets from routing (they keep the ones they have).
    available = models.BooleanField(default=True, db_default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["role", "id"], name="user_role")]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower("email")), name="user_email_lowercase"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_agent(self) -> bool:
        """Agents and admins (an admin is an agent who also manages users)."""
        return self.role in (Role.AGENT, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    # Django's admin site asks these; only active admins get in, and they may do everything there.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.is_admin

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff


class ApiToken(models.Model):
    """A personal API token: `Authorization: Bearer <token>`.

    `prefix` is the token's first characters, shown in lists so a person can tell tokens apart,
    and the index a presented token is looked up by; `key_hash` is the SHA-256 of the whole
    token, compared in constant time. The secret itself is shown once, at creation.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user")]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
