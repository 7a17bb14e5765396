"""Request validation and response shapes for sign-in, tokens and users. No password hash and
no token secret is ever part of a response, but a new token's secret once."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.models import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, ApiToken, Role, User
from core.serializers import StrictCharField

PASSWORD_MAX_LENGTH = 1024


class StrictEmailField(serializers.EmailField):
    default_error_messages = {"not_a_string": "Must be a string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return str(super().to_internal_value(data))


class StrictBooleanField(serializers.BooleanField):
    """Only JSON true/false: "yes" or 1 for a flag that signs a person out is a mistake."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "email", "name", "role", "is_active", "available"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "email", "name", "role", "available"]
        read_only_fields = fields


class MeUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    available = StrictBooleanField(
        help_text="Agents: false while away; routing then gives you no new tickets."
    )


class UserRefSerializer(serializers.ModelSerializer[User]):
    """A ticket's requester: `{id, email, name}`."""

    class Meta:
        model = User
        fields = ["id", "email", "name"]
        read_only_fields = fields


class LoginSerializer(serializers.Serializer[dict[str, Any]]):
    email = StrictCharField(max_length=EMAIL_MAX_LENGTH, trim_whitespace=True)
    password = StrictCharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False)


class SignupSerializer(serializers.Serializer[dict[str, Any]]):
    email = StrictEmailField(max_length=EMAIL_MAX_LENGTH)
    name = StrictCharField(max_length=NAME_MAX_LENGTH, allow_blank=True, required=False)
    password = StrictCharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False)


class UserCreateSerializer(serializers.Serializer[dict[str, Any]]):
    email = StrictEmailField(max_length=EMAIL_MAX_LENGTH)
    name = StrictCharField(max_length=NAME_MAX_LENGTH, allow_blank=True, required=False)
    role = serializers.ChoiceField(choices=Role.choices)
    password = StrictCharField(
        max_length=PASSWORD_MAX_LENGTH,
        trim_whitespace=False,
        required=False,
        help_text="Omit for an account that cannot sign in with a password yet.",
    )


class UserUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    name = StrictCharField(max_length=NAME_MAX_LENGTH, allow_blank=True, required=False)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = StrictBooleanField(
        required=False, help_text="false signs the user out everywhere and revokes their tokens."
    )
    available = StrictBooleanField(
        required=False, help_text="An agent's availability: routing assigns nothing while false."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                "Nothing to update: send at least one of name, role, is_active."
            )
        return attrs


class TokenCreateSerializer(serializers.Serializer[dict[str, Any]]):
    name = StrictCharField(max_length=100)


class TokenSerializer(serializers.ModelSerializer[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]
        read_only_fields = fields


class NewTokenSerializer(serializers.Serializer[Any]):
    """The one response that carries a token's secret."""

    id = serializers.IntegerField(source="token.pk")
    name = serializers.CharField(source="token.name")
    token = serializers.CharField(source="secret", help_text="Shown once; store it now.")
    prefix = serializers.CharField(source="token.prefix")
    created_at = serializers.DateTimeField(source="token.created_at")


class AuthConfigSerializer(serializers.Serializer[dict[str, Any]]):
    access_mode = serializers.ChoiceField(choices=["open", "accounts"])
    signup = serializers.BooleanField(help_text="Whether POST /api/auth/signup/ is open.")


class PasswordResetSerializer(serializers.Serializer[dict[str, Any]]):
    email = StrictEmailField(max_length=EMAIL_MAX_LENGTH)


class PasswordResetSentSerializer(serializers.Serializer[dict[str, Any]]):
    detail = serializers.CharField(
        help_text="The same sentence whether or not the address has an account."
    )


class PasswordResetConfirmSerializer(serializers.Serializer[dict[str, Any]]):
    uid = StrictCharField(max_length=64, help_text="`uid` from the emailed link.")
    token = StrictCharField(max_length=128, help_text="`token` from the emailed link.")
    new_password = StrictCharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False)
