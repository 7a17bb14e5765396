"""Teams: agents list them, admins create and change them."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Action
from core.schema import NOT_FOUND, READ_ERRORS, WRITE_ERRORS
from routing import selectors, services
from routing.api import schema  # noqa: F401 - registers the PATCH body's OpenAPI extension
from routing.api.serializers import TeamSerializer, TeamUpdateSerializer, TeamWriteSerializer
from routing.models import Team


class TeamListView(APIView):
    permission_actions = {"GET": Action.TEAM_LIST, "POST": Action.TEAM_MANAGE}

    @extend_schema(
        operation_id="teams_list", responses={200: TeamSerializer(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        """Every team by name (agents)."""
        return Response(TeamSerializer(selectors.team_list(), many=True).data)

    @extend_schema(
        operation_id="teams_create",
        request=TeamWriteSerializer,
        responses={201: TeamSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        """Create a team (admins): 400 for a taken name, a member who is not an active agent,
        or a category another team handles already."""
        serializer = TeamWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            team = services.team_create(**serializer.validated_data)
        except services.TeamInvalid as exc:
            raise ValidationError(exc.errors) from exc
        return Response(
            TeamSerializer(selectors.team_get(team_id=team.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class TeamDetailView(APIView):
    http_method_names = ["patch", "options"]
    permission_actions = {"PATCH": Action.TEAM_MANAGE}

    @extend_schema(
        operation_id="teams_partial_update",
        request=TeamUpdateSerializer,
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: TeamSerializer, 404: NOT_FOUND, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change a team (admins). `members` and `categories` replace the whole list."""
        serializer = TeamUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.team_update(team_id=pk, data=serializer.validated_data)
        except Team.DoesNotExist as exc:
            raise NotFound("No team with this id.") from exc
        except services.TeamInvalid as exc:
            raise ValidationError(exc.errors) from exc
        return Response(TeamSerializer(selectors.team_get(team_id=pk)).data)
