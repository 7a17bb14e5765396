"""Password reset by email (Django's own flow), accounts mode: the same answer for any address,
one email for a known one, a link to the web app, and a confirmation that sets the password."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from pytest_django import Settings
from rest_framework.test import APIClient

from accounts.models import Role, User
from accounts.tests.conftest import PASSWORD, People, client_for, make_user
from core.tests.helpers import assert_api_error

if TYPE_CHECKING:
    from rest_framework.response import _MonkeyPatchedResponse

RESET = "/api/auth/password-reset/"
CONFIRM = "/api/auth/password-reset/confirm/"
NEW_PASSWORD = "a fresh and long passphrase"


@pytest.fixture(autouse=True)
def _clear_throttles(db: None) -> None:
    cache.clear()


def ask(email: str, client: APIClient | None = None) -> dict[str, str]:
    response = (client or APIClient()).post(RESET, {"email": email}, format="json")
    assert response.status_code == 202, response.content
    body: dict[str, str] = response.json()
    return body


def link_in(message: mail.EmailMessage) -> tuple[str, str, str]:
    """The emailed link: its URL without query, its uid and its token."""
    match = re.search(r"https?://\S+", str(message.body))
    assert match, message.body
    parts = urlsplit(match.group(0))
    query = parse_qs(parts.query)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", query["uid"][0], query["token"][0]


def confirm(uid: str, token: str, password: str = NEW_PASSWORD) -> _MonkeyPatchedResponse:
    return APIClient().post(
        CONFIRM, {"uid": uid, "token": token, "new_password": password}, format="json"
    )


def signs_in(email: str, password: str) -> bool:
    response = APIClient().post(
        "/api/auth/login/", {"email": email, "password": password}, format="json"
    )
    return response.status_code == 200


@pytest.mark.usefixtures("accounts_mode")
class TestRequest:
    def test_known_and_unknown_addresses_get_the_same_answer_and_one_email(
        self, people: People
    ) -> None:
        known = ask("A@Example.com")
        unknown = ask("nobody@example.com")
        assert known == unknown
        assert set(known) == {"detail"}
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["a@example.com"]
        url, uid, token = link_in(message)
        assert url == "http://testserver/reset-password"
        assert uid and token

    def test_an_inactive_account_gets_no_email(self, people: People) -> None:
        User.objects.filter(pk=people.requester_b.pk).update(is_active=False)
        ask("b@example.com")
        assert mail.outbox == []

    def test_an_account_without_a_password_yet_gets_a_link(self, db: None) -> None:
        user = User.objects.create(email="new@example.com", role=Role.AGENT)
        user.set_unusable_password()
        user.save()
        ask("new@example.com")
        _, uid, token = link_in(mail.outbox[0])
        assert confirm(uid, token).status_code == 204
        assert signs_in("new@example.com", NEW_PASSWORD)

    def test_an_invalid_address_is_a_400(self, people: People) -> None:
        response = APIClient().post(RESET, {"email": "not an address"}, format="json")
        assert_api_error(response, 400, fields={"email"})
        assert mail.outbox == []

    def test_requests_are_limited_per_account(self, people: People, settings: Settings) -> None:
        settings.RATE_LIMIT_LOGIN_ACCOUNT = "2/min"
        for address in ("10.0.0.1", "10.0.0.2"):
            ask("a@example.com", APIClient(REMOTE_ADDR=address))
        response = APIClient(REMOTE_ADDR="10.0.0.3").post(
            RESET, {"email": "a@example.com"}, format="json"
        )
        assert_api_error(response, 429)
        assert int(response["Retry-After"]) > 0
        assert len(mail.outbox) == 2
        ask("b@example.com", APIClient(REMOTE_ADDR="10.0.0.3"))

    def test_requests_are_limited_per_address(self, people: People, settings: Settings) -> None:
        settings.RATE_LIMIT_LOGIN_ADDRESS = "2/min"
        client = APIClient(REMOTE_ADDR="10.0.0.9")
        ask("a@example.com", client)
        ask("nobody@example.com", client)
        assert_api_error(client.post(RESET, {"email": "b@example.com"}, format="json"), 429)
        ask("b@example.com", APIClient(REMOTE_ADDR="10.0.0.10"))


@pytest.mark.usefixtures("accounts_mode")
class TestConfirm:
    def test_the_new_password_signs_in_and_the_old_one_and_old_sessions_do_not(
        self, people: People
    ) -> None:
        session = client_for(people.requester_a)
        assert session.get("/api/auth/me/").status_code == 200
        ask("a@example.com")
        _, uid, token = link_in(mail.outbox[0])
        response = confirm(uid, token)
        assert response.status_code == 204
        assert signs_in("a@example.com", NEW_PASSWORD)
        assert not signs_in("a@example.com", PASSWORD)
        assert session.get("/api/auth/me/").status_code == 401

    def test_a_link_works_once(self, people: People) -> None:
        ask("a@example.com")
        _, uid, token = link_in(mail.outbox[0])
        assert confirm(uid, token).status_code == 204
        error = assert_api_error(confirm(uid, token, "yet another long passphrase"), 400)
        assert error["code"] == "invalid_reset_link"
        assert signs_in("a@example.com", NEW_PASSWORD)

    @pytest.mark.parametrize("which", ["token", "uid", "garbage_uid"])
    def test_a_bad_link_is_a_400(self, people: People, which: str) -> None:
        ask("a@example.com")
        _, uid, token = link_in(mail.outbox[0])
        other = make_user("c@example.com", Role.REQUESTER)
        if which == "token":
            token = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
        elif which == "uid":
            uid = urlsafe_base64_encode(force_bytes(other.pk))  # another user, A's token
        else:
            uid = "!!not base64"
        error = assert_api_error(confirm(uid, token), 400)
        assert error["code"] == "invalid_reset_link"
        assert signs_in("a@example.com", PASSWORD)
        assert signs_in("c@example.com", PASSWORD)

    def test_a_weak_password_is_a_400_on_the_field_and_the_link_still_works(
        self, people: People
    ) -> None:
        ask("a@example.com")
        _, uid, token = link_in(mail.outbox[0])
        assert_api_error(confirm(uid, token, "123"), 400, fields={"new_password"})
        # Not by signing in: a sign-in changes `last_login`, which (by design) voids the link.
        assert User.objects.get(pk=people.requester_a.pk).check_password(PASSWORD)
        assert confirm(uid, token).status_code == 204

    def test_failed_confirmations_are_limited_per_address(
        self, people: People, settings: Settings
    ) -> None:
        settings.RATE_LIMIT_LOGIN_ADDRESS = "2/min"
        ask("a@example.com", APIClient(REMOTE_ADDR="10.0.0.1"))
        _, uid, token = link_in(mail.outbox[0])
        client = APIClient(REMOTE_ADDR="10.0.0.5")
        body = {"uid": uid, "token": "wrong-token", "new_password": NEW_PASSWORD}
        for _ in range(2):
            assert_api_error(client.post(CONFIRM, body, format="json"), 400)
        body["token"] = token
        assert_api_error(client.post(CONFIRM, body, format="json"), 429)
        assert (
            APIClient(REMOTE_ADDR="10.0.0.6").post(CONFIRM, body, format="json").status_code == 204
        )


class TestOpenMode:
    def test_both_endpoints_are_404_and_send_nothing(
        self, people: People, settings: Settings
    ) -> None:
        settings.ACCESS_MODE = "open"
        assert_api_error(APIClient().post(RESET, {"email": "a@example.com"}, format="json"), 404)
        body = {"uid": "MQ", "token": "x", "new_password": NEW_PASSWORD}
        assert_api_error(APIClient().post(CONFIRM, body, format="json"), 404)
        assert mail.outbox == []

    @pytest.mark.parametrize("method", ["get", "put", "delete", "trace"])
    def test_a_method_neither_endpoint_has_is_a_405_in_open_mode_too(
        self, settings: Settings, method: str
    ) -> None:
        settings.ACCESS_MODE = "open"
        for path in (RESET, CONFIRM):
            response = APIClient().generic(method.upper(), path)
            assert_api_error(response, 405)
