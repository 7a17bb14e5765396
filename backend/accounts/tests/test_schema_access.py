"""The schema in accounts mode: fuzzed with an admin's token, every operation behaves as the
schema says (schemathesis also replays each case without credentials and expects 401 where
the schema requires them); and without credentials every protected operation is 401."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from hypothesis import HealthCheck, settings
from pytest_django import Settings
from rest_framework.test import APIClient
from schemathesis.checks import ignored_auth

from accounts.models import Role, User
from accounts.services import token_create
from tickets.models import Ticket

with override_settings(ACCESS_MODE="accounts"):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
schema.config.generation.update(allow_x00=False)


@pytest.fixture(autouse=True)
def _accounts(settings: Settings) -> None:
    settings.ACCESS_MODE = "accounts"


@pytest.fixture
def admin_token(db: None) -> str:
    admin = User.objects.create(email="fuzz-admin@example.com", name="Fuzz", role=Role.ADMIN)
    for n in range(3):
        Ticket.objects.create(
            title=f"Ticket {n}", description="Seeded", category="general", priority="low"
        )
    return token_create(user=admin, name="fuzz").secret


pytestmark = pytest.mark.usefixtures("keep_the_test_connection")


VALID_CALENDAR: dict[str, Any] = {
    "time_zone": "Europe/London",
    "windows": [{"day": 0, "start": "09:00", "end": "17:00"}],
    "country": "",
    "subdivision": "",
}


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_accounts_mode_conforms_with_a_token(
    case: schemathesis.Case[Any], admin_token: str
) -> None:
    meta = case.meta
    if meta is not None and meta.generation.mode.is_positive:
        case.query.pop("cursor", None)
        if "Idempotency-Key" in case.headers:
            case.headers["Idempotency-Key"] = str(uuid.uuid4())
        if case.operation.path == "/api/users/" and isinstance(case.body, dict):
            # Django's password validators (length, common, numeric, likeness to the email)
            # are not a JSON schema: test_auth covers them. An account without one is valid.
            case.body.pop("password", None)
            # One account per address: examples share the database, so each gets its own.
            case.body["email"] = f"{uuid.uuid4().hex}@example.com"
        if case.operation.path.startswith("/api/teams/") and isinstance(case.body, dict):
            # Names are unique and each category has one team: examples share the database.
            # Members must be agents that exist: routing's tests cover those refusals.
            if "name" in case.body:
                case.body["name"] = uuid.uuid4().hex
            for key in ("members", "categories"):
                if key in case.body:
                    case.body[key] = []
        if case.operation.path == "/api/sla/calendar/" and isinstance(case.body, dict):
            # A zone, a country and a window are checked against the tz database, the holidays
            # library and the clock, not a JSON schema: sla's API tests cover those refusals.
            case.body.update(
                {key: value for key, value in VALID_CALENDAR.items() if key in case.body}
            )
        if case.operation.path == "/api/tickets/{id}/" and isinstance(case.body, dict):
            # A team and an assignee are ids of rows that must exist (tested in routing).
            for key in ("team", "assignee"):
                if key in case.body:
                    case.body[key] = None
    case.headers["Authorization"] = f"Bearer {admin_token}"
    # `ignored_auth` would swap the session cookie for a bad one while the token stays and
    # call the success a failure: the two are alternatives. The test below covers 401s.
    case.call_and_validate(excluded_checks=[ignored_auth])


def test_without_credentials_every_protected_operation_is_401(db: None) -> None:
    client = APIClient()
    document = client.get("/api/schema/?format=json").json()
    protected = 0
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if {} in operation.get("security", [{}]):
                continue
            protected += 1
            url = path.replace("{id}", "1")
            response = getattr(client, method)(url, {}, format="json")
            assert response.status_code == 401, (method, path, response.status_code)
            assert response["WWW-Authenticate"].startswith("Bearer")
    assert protected >= 15
