"""Sign-in, sign-out, sign-up, the caller's own account and tokens, and user management."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from accounts import access, selectors, services
from accounts.api.serializers import (
    AuthConfigSerializer,
    LoginSerializer,
    MeSerializer,
    MeUpdateSerializer,
    NewTokenSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSentSerializer,
    PasswordResetSerializer,
    SignupSerializer,
    TokenCreateSerializer,
    TokenSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from accounts.models import ApiToken, Role, User
from accounts.permissions import Action, request_caller
from core.schema import (
    FORBIDDEN,
    NOT_FOUND,
    READ_ERRORS,
    RETRY_AFTER,
    THROTTLED,
    WRITE_ERRORS,
    error,
)
from core.throttles import (
    FailureThrottle,
    LoginAccountThrottle,
    LoginAddressThrottle,
    PasswordResetAccountThrottle,
    PasswordResetAddressThrottle,
    PasswordResetConfirmThrottle,
    SignupRateThrottle,
)

USERS_LIMIT_MAX = 200
CSRF_FAILED = error(
    "The CSRF check failed: send the `csrftoken` cookie's value as `X-CSRFToken` "
    "(GET /api/auth/config/ sets the cookie)."
)
INVALID_CREDENTIALS = "invalid_credentials"


def enforce_csrf(request: Request) -> None:
    """The CSRF check for the views anyone may call (sign-in, sign-up, sign-out): signing a
    browser into an attacker's account is an attack too (login CSRF)."""
    SessionAuthentication().enforce_csrf(request)


def _record_failure(view: APIView, request: Request) -> None:
    """Count a failed attempt on each of the view's failure throttles."""
    for throttle in view.get_throttles():
        if isinstance(throttle, FailureThrottle):
            throttle.record_failure(request, view)


def _password_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError({"password": list(exc.messages)})


@method_decorator(ensure_csrf_cookie, name="dispatch")
class AuthConfigView(APIView):
    """Public: how this server is set up for access. Also sets the CSRF cookie."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_config",
        responses={200: AuthConfigSerializer, 406: READ_ERRORS[406], 503: READ_ERRORS[503]},
    )
    def get(self, request: Request) -> Response:
        """`access_mode` (`open`: no sign-in needed; `accounts`: sign in) and whether self
        sign-up is open. Sets the `csrftoken` cookie the web app sends back as `X-CSRFToken`."""
        data = {"access_mode": access.access_mode(), "signup": access.signup_open()}
        return Response(AuthConfigSerializer(data).data)


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get_throttles(self) -> list[BaseThrottle]:
        return [LoginAddressThrottle(), LoginAccountThrottle()]

    @extend_schema(
        operation_id="auth_login",
        request=LoginSerializer,
        parameters=[RETRY_AFTER],
        responses={
            200: MeSerializer,
            **WRITE_ERRORS,
            403: CSRF_FAILED,
            429: THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        """Sign in with email and password: a session cookie, and a fresh session id. A wrong
        email or password is one 400 (`invalid_credentials`), whichever was wrong; failures
        are limited per account and per client address (429 with `Retry-After`)."""
        enforce_csrf(request)
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if not isinstance(user, User):
            _record_failure(self, request)
            raise ValidationError(
                {"non_field_errors": ["Wrong email or password."]}, code=INVALID_CREDENTIALS
            )
        login(request._request, user)
        return Response(MeSerializer(user).data)


class LogoutView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_logout",
        request=None,
        responses={204: None, 401: READ_ERRORS[401], 403: CSRF_FAILED, **READ_ERRORS},
    )
    def post(self, request: Request) -> Response:
        """End the session (if any). Always 204."""
        enforce_csrf(request)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignupView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [SignupRateThrottle]

    @extend_schema(
        operation_id="auth_signup",
        request=SignupSerializer,
        parameters=[RETRY_AFTER],
        responses={
            201: MeSerializer,
            **WRITE_ERRORS,
            403: error("Self sign-up is off (`SIGNUP`), or the CSRF check failed."),
            429: THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        """Create a requester account and sign it in (only with `SIGNUP=open`)."""
        if not access.signup_open():
            raise PermissionDenied("Self sign-up is off on this server.", code="signup_closed")
        enforce_csrf(request)
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = _create_user(
            email=data["email"],
            name=data.get("name", ""),
            role=Role.REQUESTER,
            password=data["password"],
        )
        login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response(MeSerializer(user).data, status=status.HTTP_201_CREATED)


RESET_OFF = error("Open access mode (`ACCESS_MODE=open`): there are no passwords to reset.")
RESET_SENT = (
    "If an account exists for this address, we sent it an email with a link to choose a new "
    "password."
)
INVALID_RESET_LINK = "invalid_reset_link"


class _AccountsOnly(APIView):
    """Answers 404 in open mode, before any throttle counts the request."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # An `Accept` the API cannot answer is a 406 on every endpoint, in either mode.
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(
            request
        )
        # A method the view does not have is a 405 in either mode (DRF answers it after this).
        method = request.method.lower() if request.method else ""
        handled = method in self.http_method_names and hasattr(self, method)
        if handled and access.access_mode() != access.ACCOUNTS:
            raise NotFound("Password reset is only for accounts mode.")
        super().initial(request, *args, **kwargs)


class PasswordResetView(_AccountsOnly):
    def get_throttles(self) -> list[BaseThrottle]:
        return [PasswordResetAddressThrottle(), PasswordResetAccountThrottle()]

    @extend_schema(
        operation_id="auth_password_reset",
        request=PasswordResetSerializer,
        parameters=[RETRY_AFTER],
        responses={
            202: PasswordResetSentSerializer,
            **WRITE_ERRORS,
            403: CSRF_FAILED,
            404: RESET_OFF,
            429: THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        """Email a link to choose a new password (to the web app's `/reset-password?uid=…&
        token=…`). Always 202 with the same answer, whether or not the address has an
        account. Requests are limited per address and per client (429)."""
        enforce_csrf(request)
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(
            email=serializer.validated_data["email"],
            reset_url=request.build_absolute_uri("/reset-password"),
        )
        return Response({"detail": RESET_SENT}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(_AccountsOnly):
    def get_throttles(self) -> list[BaseThrottle]:
        return [PasswordResetConfirmThrottle()]

    @extend_schema(
        operation_id="auth_password_reset_confirm",
        request=PasswordResetConfirmSerializer,
        parameters=[RETRY_AFTER],
        responses={
            204: None,
            400: error(
                "Invalid input (`fields`), a password the validators refuse "
                "(`fields.new_password`), or a link that is wrong, expired or used "
                "(`invalid_reset_link`)."
            ),
            **{k: v for k, v in WRITE_ERRORS.items() if k != 400},
            403: CSRF_FAILED,
            404: RESET_OFF,
            429: THROTTLED,
        },
    )
    def post(self, request: Request) -> Response:
        """Set a new password with the `uid` and `token` of an emailed link; then sign in
        with it. Other sessions of the account end. A wrong, expired or used link is a 400
        (`invalid_reset_link`); failures are limited per client address (429)."""
        enforce_csrf(request)
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.password_reset_confirm(
                uid=data["uid"], token=data["token"], new_password=data["new_password"]
            )
        except services.InvalidResetLink as exc:
            _record_failure(self, request)
            raise ValidationError(
                {
                    "non_field_errors": [
                        "This reset link is wrong, expired or already used: ask for a new one."
                    ]
                },
                code=INVALID_RESET_LINK,
            ) from exc
        except DjangoValidationError as exc:
            raise ValidationError({"new_password": list(exc.messages)}) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


def _create_user(*, email: str, name: str, role: str, password: str | None) -> User:
    try:
        return services.user_create(email=email, name=name, role=role, password=password)
    except DjangoValidationError as exc:
        raise _password_errors(exc) from exc
    except services.EmailTaken as exc:
        raise ValidationError({"email": ["A user with this email exists already."]}) from exc


class MeView(APIView):
    http_method_names = ["get", "patch", "options"]
    permission_actions = {"GET": Action.SESSION_VIEW, "PATCH": Action.AVAILABILITY_SET}

    @extend_schema(operation_id="auth_me", responses={200: MeSerializer, **READ_ERRORS})
    def get(self, request: Request) -> Response:
        """The signed-in user; 401 when nobody is."""
        return Response(MeSerializer(request_caller(request).user).data)

    @extend_schema(
        operation_id="auth_me_partial_update",
        request=MeUpdateSerializer,
        responses={200: MeSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request) -> Response:
        """Agents: set one's own availability (`available: false` while away: routing assigns
        nothing new). Requesters: 403."""
        user = request_caller(request).user
        assert user is not None  # AVAILABILITY_SET needs a user
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.user_update(
            user_id=user.pk, data={"available": serializer.validated_data["available"]}
        )
        return Response(MeSerializer(updated).data)


class TokenListView(APIView):
    permission_actions = {"GET": Action.TOKEN_MANAGE, "POST": Action.TOKEN_MANAGE}

    @extend_schema(
        operation_id="auth_tokens_list", responses={200: TokenSerializer(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        """One's own tokens, newest first, without their secrets."""
        user = request_caller(request).user
        assert user is not None  # TOKEN_MANAGE needs a user
        return Response(TokenSerializer(selectors.token_list(user=user), many=True).data)

    @extend_schema(
        operation_id="auth_tokens_create",
        request=TokenCreateSerializer,
        responses={201: NewTokenSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        """A new personal token. The answer's `token` is the secret, shown this once."""
        user = request_caller(request).user
        assert user is not None
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.token_create(user=user, name=serializer.validated_data["name"])
        return Response(NewTokenSerializer(created).data, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    http_method_names = ["delete", "options"]
    permission_actions = {"DELETE": Action.TOKEN_MANAGE}

    @extend_schema(
        operation_id="auth_tokens_destroy",
        responses={204: None, 404: NOT_FOUND, **READ_ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        """Revoke one of one's own tokens: refused from the next request on."""
        user = request_caller(request).user
        assert user is not None
        try:
            services.token_revoke(user=user, token_id=pk)
        except ApiToken.DoesNotExist as exc:
            raise NotFound("No token of yours with this id.") from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserQuerySerializer(serializers.Serializer[dict[str, Any]]):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    search = serializers.CharField(max_length=100, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=USERS_LIMIT_MAX, required=False)


class UserListView(APIView):
    permission_actions = {"GET": Action.USER_LIST, "POST": Action.USER_MANAGE}

    @extend_schema(
        operation_id="users_list",
        parameters=[UserQuerySerializer],
        responses={200: UserSerializer(many=True), 400: WRITE_ERRORS[400], **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Users in id order (at most `limit`, 200), by role and a search of email and name."""
        # A plain dict: an empty parameter is then refused, as the schema says, not ignored.
        query = UserQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        users = selectors.user_list(role=params.get("role"), search=params.get("search"))
        limit = params.get("limit", USERS_LIMIT_MAX)
        return Response(UserSerializer(users[:limit], many=True).data)

    @extend_schema(
        operation_id="users_create",
        request=UserCreateSerializer,
        responses={201: UserSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        """Create a user (admins). Without `password` the user cannot sign in with one yet."""
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = _create_user(
            email=data["email"],
            name=data.get("name", ""),
            role=data["role"],
            password=data.get("password"),
        )
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class UserDetailView(APIView):
    http_method_names = ["patch", "options"]
    permission_actions = {"PATCH": Action.USER_MANAGE}

    @extend_schema(
        operation_id="users_partial_update",
        request=UserUpdateSerializer,
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: UserSerializer, 404: NOT_FOUND, **WRITE_ERRORS, 403: FORBIDDEN},
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change a user's name, role, active flag or availability (admins). `is_active:
        false` signs them out everywhere and revokes their tokens at once. The last active
        admin cannot be demoted or deactivated (400)."""
        serializer = UserUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = services.user_update(user_id=pk, data=serializer.validated_data)
        except User.DoesNotExist as exc:
            raise NotFound("No user with this id.") from exc
        except services.LastAdmin as exc:
            raise ValidationError(
                "At least one active admin must remain: make another user admin first."
            ) from exc
        return Response(UserSerializer(user).data)
