"""Thin HTTP edges of the triage engine: read its state for the dashboard."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.schema import READ_ERRORS, RETRY_AFTER
from triage import selectors
from triage.api.serializers import TriageStatusSerializer


class TriageStatusView(APIView):
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
