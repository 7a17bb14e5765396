"""The permission matrix: every endpoint x {anonymous, requester A, requester B, agent, admin}
x {open, accounts}, and the status each must answer. The table is the spec; each cell is one
test. Paths name A's ticket, B's user id and a token of A's; every test starts from the same
data (see conftest), so one cell never depends on another.

Requesters see only their own tickets: B reaching A's ticket is 404, never 403. In open mode
every caller acts as an agent (a signed-in admin stays admin), and what is about a user
(/me, tokens) or for admins needs one signed in. An email's original is for staff (403 to
requesters, like stats); its attachments follow the ticket. The inbound webhook is authenticated
by its own secret, not a user: with none configured it is 404 for everyone.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_django import Settings

from accounts.models import ApiToken
from accounts.services import token_create
from accounts.tests.conftest import CALLERS, PASSWORD, People, client_for, make_ticket
from mail.models import Attachment, Delivery, Direction, Email, Kind
from routing.models import Team
from tickets.models import Status, Ticket

#                                                       open mode             accounts mode
# row                 method  path                       an  rA  rB  ag  ad    an  rA  rB  ag  ad
MATRIX = """
health                GET    /api/health/                200 200 200 200 200   200 200 200 200 200
schema                GET    /api/schema/                200 200 200 200 200   200 200 200 200 200
docs                  GET    /api/docs/                  200 200 200 200 200   200 200 200 200 200
config                GET    /api/auth/config/           200 200 200 200 200   200 200 200 200 200
login                 POST   /api/auth/login/            200 200 200 200 200   200 200 200 200 200
login_wrong           POST   /api/auth/login/            400 400 400 400 400   400 400 400 400 400
logout                POST   /api/auth/logout/           204 204 204 204 204   204 204 204 204 204
signup_off            POST   /api/auth/signup/           403 403 403 403 403   403 403 403 403 403
me                    GET    /api/auth/me/               401 200 200 200 200   401 200 200 200 200
tokens_list           GET    /api/auth/tokens/           401 200 200 200 200   401 200 200 200 200
tokens_create         POST   /api/auth/tokens/           401 201 201 201 201   401 201 201 201 201
token_revoke          DELETE /api/auth/tokens/{token_a}/ 401 204 404 404 404   401 204 404 404 404
users_list            GET    /api/users/                 200 200 200 200 200   401 403 403 200 200
users_create          POST   /api/users/                 401 403 403 403 201   401 403 403 403 201
users_update          PATCH  /api/users/{user_b}/        401 403 403 403 200   401 403 403 403 200
tickets_list          GET    /api/tickets/               200 200 200 200 200   401 200 200 200 200
tickets_create        POST   /api/tickets/               201 201 201 201 201   401 201 201 201 201
tickets_on_behalf     POST   /api/tickets/               201 201 201 201 201   401 403 403 201 201
by_requester GET  /api/tickets/?requester={user_b} 200 200 200 200 200   401 403 403 200 200
tickets_mine          GET    /api/tickets/?requester=me  400 200 200 200 200   401 200 200 200 200
ticket_get            GET    /api/tickets/{ticket_a}/    200 200 200 200 200   401 200 404 200 200
ticket_edit_text      PATCH  /api/tickets/{ticket_a}/    200 200 200 200 200   401 200 404 200 200
ticket_close          PATCH  /api/tickets/{ticket_a}/    200 200 200 200 200   401 200 404 200 200
ticket_set_status     PATCH  /api/tickets/{ticket_a}/    200 200 200 200 200   401 403 404 200 200
ticket_set_labels     PATCH  /api/tickets/{ticket_a}/    200 200 200 200 200   401 403 404 200 200
ticket_history GET /api/tickets/{ticket_a}/history/ 200 200 200 200 200   401 200 404 200 200
messages_list GET /api/tickets/{ticket_a}/messages/ 200 200 200 200 200   401 200 404 200 200
message_post POST /api/tickets/{ticket_a}/messages/  201 201 201 201 201   401 201 404 201 201
message_note POST /api/tickets/{ticket_a}/messages/  201 201 201 201 201   401 403 403 201 201
message_closed POST /api/tickets/{closed_a}/messages/ 409 409 409 409 409  401 409 404 409 409
emails_list GET /api/tickets/{ticket_a}/emails/       200 200 200 200 200   401 200 404 200 200
attachment GET /api/mail/attachments/{attachment_a}/ 200 200 200 200 200   401 200 404 200 200
email_raw  GET /api/mail/emails/{email_a}/raw/       200 200 200 200 200   401 403 403 200 200
inbound_off POST /api/inbound/email/                 404 404 404 404 404   404 404 404 404 404
stats                 GET    /api/tickets/stats/         200 200 200 200 200   401 403 403 200 200
classify              POST   /api/tickets/classify/      200 200 200 200 200   401 200 200 200 200
triage_status         GET    /api/triage/status/         200 200 200 200 200   401 403 403 200 200
events                GET    /api/events/                200 200 200 200 200   401 200 200 200 200
sla_policies          GET    /api/sla/policies/          200 200 200 200 200   401 403 403 200 200
sla_policy_update     PATCH  /api/sla/policies/high/     401 403 403 403 200   401 403 403 403 200
sla_calendar          GET    /api/sla/calendar/          200 200 200 200 200   401 403 403 200 200
sla_calendar_update   PATCH  /api/sla/calendar/          401 403 403 403 200   401 403 403 403 200
me_available          PATCH  /api/auth/me/               401 200 200 200 200   401 403 403 200 200
users_available       PATCH  /api/users/{user_b}/        401 403 403 403 200   401 403 403 403 200
teams_list            GET    /api/teams/                 200 200 200 200 200   401 403 403 200 200
teams_create          POST   /api/teams/                 401 403 403 403 201   401 403 403 403 201
teams_update          PATCH  /api/teams/{team}/          401 403 403 403 200   401 403 403 403 200
ticket_assign         PATCH  /api/tickets/{ticket_a}/    200 200 200 200 200   401 403 404 200 200
ticket_assign_team    PATCH  /api/tickets/{ticket_a}/    200 200 200 200 200   401 403 404 200 200
by_assignee   GET /api/tickets/?assignee=me&team=none    200 200 200 200 200   401 200 200 200 200
needs_triage  GET /api/tickets/?needs_triage=true        200 200 200 200 200   401 200 200 200 200
"""

BODIES: dict[str, dict[str, Any]] = {
    "login": {"email": "a@example.com", "password": PASSWORD},
    "login_wrong": {"email": "a@example.com", "password": "not the password"},
    "signup_off": {"email": "new@example.com", "name": "New", "password": PASSWORD},
    "tokens_create": {"name": "laptop script"},
    "users_create": {"email": "new@example.com", "name": "New", "role": "agent"},
    "users_update": {"name": "Bea"},
    "tickets_create": {"title": "VPN down", "description": "Cannot connect since 9am."},
    "tickets_on_behalf": {
        "title": "VPN down",
        "description": "Cannot connect since 9am.",
        "requester_email": "caller@example.com",
    },
    "ticket_edit_text": {"title": "A's printer, still on fire"},
    "ticket_close": {"status": "closed"},
    "ticket_set_status": {"status": "in_progress"},
    "ticket_set_labels": {"priority": "critical"},
    "classify": {"description": "I was charged twice for my subscription."},
    "message_post": {"body": "Any news?"},
    "message_note": {"body": "Customer is on the legacy plan.", "internal": True},
    "message_closed": {"body": "It broke again."},
    "sla_policy_update": {"first_response_minutes": 120},
    "sla_calendar_update": {"time_zone": "Europe/London"},
    "me_available": {"available": False},
    "users_available": {"available": False},
    "teams_create": {"name": "Billing", "categories": ["billing"], "assignment": "round_robin"},
    "teams_update": {"assignment": "fewest_open"},
    "ticket_assign": {"assignee": "{agent}"},
    "ticket_assign_team": {"team": "{team}", "assignee": None},
}


def _cases() -> list[Any]:
    cases = []
    for line in MATRIX.strip().splitlines():
        row, method, path, *statuses = line.split()
        assert len(statuses) == 10, row
        for m, mode in enumerate(("open", "accounts")):
            for c, caller in enumerate(CALLERS):
                expected = int(statuses[m * 5 + c])
                cases.append(
                    pytest.param(
                        row, method, path, mode, caller, expected, id=f"{row}-{mode}-{caller}"
                    )
                )
    return cases


@pytest.mark.parametrize(("row", "method", "path", "mode", "caller", "expected"), _cases())
def test_permission_matrix(
    people: People,
    settings: Settings,
    row: str,
    method: str,
    path: str,
    mode: str,
    caller: str,
    expected: int,
) -> None:
    settings.ACCESS_MODE = mode
    token_a = token_create(user=people.requester_a, name="A's script").token
    team = Team.objects.create(name="Support")
    team.members.set([people.agent])
    closed_a = make_ticket(people.requester_a, "A's old printer")
    Ticket.objects.filter(pk=closed_a.pk).update(status=Status.CLOSED)
    email_a = Email.objects.create(
        ticket=people.ticket_a,
        direction=Direction.INBOUND,
        kind=Kind.REQUEST,
        message_id="a-1@example.com",
        sender="a@example.com",
        raw=b"From: a@example.com\r\n\r\nHello",
        status=Delivery.RECEIVED,
    )
    attachment_a = Attachment.objects.create(
        email=email_a, filename="a.txt", content_type="text/plain", size=2, data=b"hi"
    )
    url = path.format(
        email_a=email_a.pk,
        attachment_a=attachment_a.pk,
        ticket_a=people.ticket_a.pk,
        user_b=people.requester_b.pk,
        token_a=token_a.pk,
        closed_a=closed_a.pk,
        team=team.pk,
    )
    client = client_for(people.user(caller))
    ids = {"{agent}": people.agent.pk, "{team}": team.pk}
    body = (
        json.dumps({k: ids.get(v, v) if isinstance(v, str) else v for k, v in BODIES[row].items()})
        if row in BODIES
        else ""
    )
    response = client.generic(method, url, body, content_type="application/json")
    try:
        assert response.status_code == expected, (row, mode, caller, response.content[:300])
        if expected == 401:
            assert response.has_header("WWW-Authenticate")
        if expected >= 400 and row != "docs":
            assert set(response.json()) == {"error"}
        if row == "message_closed" and expected == 409:
            assert response.json()["error"]["code"] == "ticket_closed"
        if row == "token_revoke" and expected == 204:
            assert not ApiToken.objects.filter(pk=token_a.pk).exists()
    finally:
        response.close()
