"""One error shape for the whole API.

Every 4xx/5xx under /api/ has the body::

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"title": ["..."]}}}

`fields` is present only for validation errors. DRF exceptions come through
`api_exception_handler`; errors raised outside DRF (unknown URLs, crashes) through the
`handler404`/`handler500` views and `core.middleware.DatabaseUnavailableMiddleware`.

A database that is down or restarting (`OperationalError`, `InterfaceError`) is not a bug: it is
answered with 503 `unavailable` and a `Retry-After` header, so clients retry instead of giving up.
"""

from __future__ import annotations

import logging
from typing import Any, NotRequired, TypedDict

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    """409: the request is valid but the object's state refuses it (e.g. a reply on a closed
    ticket). Subclasses name a precise `default_code` and say what to do instead."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the object."
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    """503 with `Retry-After: RETRY_AFTER_UNAVAILABLE` (DRF's handler sets it from `wait`)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is temporarily unavailable; retry shortly."
    default_code = "unavailable"

    def __init__(self, detail: str | None = None, code: str | None = None) -> None:
        super().__init__(detail, code)
        self.wait = settings.RETRY_AFTER_UNAVAILABLE


# Errors that mean "the database cannot be reached right now" rather than "this code is wrong".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


class ErrorDetail(TypedDict):
    status: int
    code: str
    message: str
    # Per-field messages; only on validation errors.
    fields: NotRequired[dict[str, list[str]]]


class ErrorBody(TypedDict):
    """The API's one error shape, for every 4xx and 5xx."""

    error: ErrorDetail


def error_body(
    status_code: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> ErrorBody:
    error: ErrorDetail = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [msg for value in detail.values() for msg in _flatten(value)]
    if isinstance(detail, list):
        return [msg for value in detail for msg in _flatten(value)]
    return [str(detail)]


def _first_code(codes: Any) -> str:
    if isinstance(codes, dict):
        for value in codes.values():
            return _first_code(value)
    if isinstance(codes, list) and codes:
        return _first_code(codes[0])
    return str(codes) if codes else "invalid"


def _validation_body(exc: exceptions.ValidationError) -> ErrorBody:
    detail = exc.detail
    if isinstance(detail, dict):
        fields = {key: _flatten(value) for key, value in detail.items()}
        general = fields.pop("non_field_errors", [])
        message = general[0] if general else "Invalid input: " + ", ".join(sorted(fields)) + "."
        code = "invalid" if fields else _first_code(exc.get_codes())
        return error_body(400, code, message, fields or None)
    messages = _flatten(detail)
    return error_body(400, "invalid", messages[0] if messages else "Invalid input.")


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, re-shaped into the API's one error body."""
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, DATABASE_UNAVAILABLE):
        logger.warning("Database unavailable: %s", exc)
        exc = ServiceUnavailable()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    elif isinstance(exc, exceptions.APIException):
        message = " ".join(_flatten(exc.detail))
        response.data = error_body(response.status_code, _first_code(exc.get_codes()), message)
    elif isinstance(exc, Http404):
        response.data = error_body(404, "not_found", "Not found.")
    else:
        response.data = error_body(response.status_code, "error", "Request refused.")
    return response


def json_error(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(status_code, code, message), status=status_code)


def database_unavailable_response() -> JsonResponse:
    response = json_error(503, "unavailable", str(ServiceUnavailable.default_detail))
    response["Retry-After"] = str(settings.RETRY_AFTER_UNAVAILABLE)
    return response


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, DisallowedHost):
        # Usually an operator opening a new deployment by an address or name the settings do
        # not list yet: say what to change. The name itself is not echoed back.
        return json_error(
            400,
            "unknown_host",
            "This server does not answer to the host name in the request. "
            "Its operator can add that name to ALLOWED_HOSTS.",
        )
    return json_error(400, "bad_request", "Bad request.")


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_error(404, "not_found", "Not found.")
    return HttpResponse("Not found.", status=404, content_type="text/plain")


def handler500(request: HttpRequest) -> HttpResponse:
    return json_error(500, "server_error", "Internal server error.")
