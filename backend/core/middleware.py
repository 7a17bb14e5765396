"""Middleware that keeps failures inside the API's error shape."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.errors import DATABASE_UNAVAILABLE, database_unavailable_response

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is down answers 503 JSON with `Retry-After`.

    DRF views are covered by `api_exception_handler` already; this catches the rest (plain
    Django views), which would otherwise become a 500. Recovery needs nothing from here: the
    broken connection is discarded at the end of the request and health-checked next time.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.warning("Database unavailable on %s: %s", request.path, exception)
            return database_unavailable_response()
        return None
