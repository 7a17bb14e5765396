"""Thin HTTP edges of the triage engine: suggest labels for a text, read its state."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Action
from core.schema import READ_ERRORS, RETRY_AFTER, THROTTLED, WRITE_ERRORS
from core.throttles import ClassifyRateThrottle
from triage import chain, selectors
from triage.api.serializers import (
    ClassifyRequestSerializer,
    ClassifyResponseSerializer,
    TriageStatusSerializer,
)


class ClassifyView(APIView):
    throttle_classes = [ClassifyRateThrottle]
    permission_actions = {"POST": Action.TICKET_CLASSIFY}

    @extend_schema(
        operation_id="tickets_classify",
        request=ClassifyRequestSerializer,
        parameters=[RETRY_AFTER],
        responses={200: ClassifyResponseSerializer, **WRITE_ERRORS, 429: THROTTLED},
    )
    def post(self, request: Request) -> Response:
        """Suggest a category and priority. Always answers: a failing model falls back."""
        serializer = ClassifyRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = chain.classify(
            title=serializer.validated_data.get("title", ""),
            description=serializer.validated_data["description"],
        )
        return Response(ClassifyResponseSerializer(result).data)


class TriageStatusView(APIView):
    permission_actions = {"GET": Action.TRIAGE_STATUS}
    # Not throttled, like the ticket reads: one single-row query and a small file per call.

    @extend_schema(
        operation_id="triage_status",
        parameters=[RETRY_AFTER],
        responses={200: TriageStatusSerializer, **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Whether the triage model is learning: the provider chain and which providers can
        answer, the live local model (version, training data, held-out scores; null before the
        first training) and how many labels remain until the next retrain."""
        return Response(TriageStatusSerializer(selectors.triage_status()).data)
