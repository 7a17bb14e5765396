"""The real URLconf plus two views that crash, to exercise the 500 path end to end."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from config.urls import handler400, handler404, handler500
from config.urls import urlpatterns as real_urlpatterns


@api_view(["GET"])
def crash_in_api_view(request: Request) -> Response:
    raise RuntimeError("boom")


def crash_in_django_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("api/test-crash/drf/", crash_in_api_view),
    path("api/test-crash/django/", crash_in_django_view),
    *real_urlpatterns,
]

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]
