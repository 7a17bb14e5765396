"""Sign-in, sessions, CSRF, tokens, deactivation and rate limits (accounts mode)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings
from rest_framework.test import APIClient

from accounts.models import ApiToken, Role, User
from accounts.services import token_create
from accounts.tests.conftest import PASSWORD, People, client_for
from core.tests.helpers import assert_api_error

pytestmark = pytest.mark.usefixtures("accounts_mode")


def sign_in(client: APIClient, email: str, password: str = PASSWORD) -> int:
    response = client.post(
        "/api/auth/login/", {"email": email, "password": password}, format="json"
    )
    return response.status_code


class TestSessions:
    def test_login_answers_the_user_and_me_follows(self, people: People) -> None:
        client = APIClient()
        response = client.post(
            "/api/auth/login/", {"email": "A@Example.com ", "password": PASSWORD}, format="json"
        )
        assert response.status_code == 200
        assert response.json() == {
            "id": people.requester_a.pk,
            "email": "a@example.com",
            "name": "A",
            "role": "requester",
            "available": True,
        }
        cookie = response.cookies["sessionid"]
        assert cookie["httponly"] and cookie["samesite"] == "Lax"
        assert client.get("/api/auth/me/").json()["email"] == "a@example.com"

    def test_the_session_id_is_rotated_at_sign_in(self, people: People) -> None:
        # Session fixation: a session id planted before sign-in must not survive it.
        planted = SessionStore()
        planted["seen"] = True
        planted.create()
        client = APIClient()
        client.cookies["sessionid"] = str(planted.session_key)
        assert sign_in(client, "a@example.com") == 200
        assert client.cookies["sessionid"].value != planted.session_key
        assert client.get("/api/auth/me/").status_code == 200

    def test_a_wrong_password_and_an_unknown_email_are_the_same_400(self, people: People) -> None:
        for email, password in (("a@example.com", "nope"), ("nobody@example.com", PASSWORD)):
            response = APIClient().post(
                "/api/auth/login/", {"email": email, "password": password}, format="json"
            )
            assert assert_api_error(response, 400)["message"] == "Wrong email or password."

    def test_logout_ends_the_session(self, people: People) -> None:
        client = APIClient()
        sign_in(client, "a@example.com")
        assert client.post("/api/auth/logout/").status_code == 204
        assert_api_error(client.get("/api/auth/me/"), 401)

    def test_no_response_carries_a_password_hash(self, people: People) -> None:
        admin = client_for(people.admin)
        bodies = [
            admin.get("/api/users/").content,
            admin.post(
                "/api/users/",
                {"email": "x@example.com", "role": "agent", "password": PASSWORD},
                format="json",
            ).content,
            admin.get("/api/auth/me/").content,
        ]
        for body in bodies:
            assert b"password" not in body and b"md5$" not in body


class TestCsrf:
    def test_sign_in_needs_the_csrf_token_from_config(self, people: People) -> None:
        client = APIClient(enforce_csrf_checks=True)
        assert sign_in(client, "a@example.com") == 403
        config = client.get("/api/auth/config/")
        assert config.json() == {"access_mode": "accounts", "signup": False}
        token = client.cookies["csrftoken"].value
        response = client.post(
            "/api/auth/login/",
            {"email": "a@example.com", "password": PASSWORD},
            format="json",
            HTTP_X_CSRFTOKEN=token,
        )
        assert response.status_code == 200

    def test_session_writes_need_the_token_and_token_writes_do_not(self, people: People) -> None:
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(people.agent)
        url = f"/api/tickets/{people.ticket_a.pk}/"
        assert_api_error(client.patch(url, {"status": "in_progress"}, format="json"), 403)
        client.get("/api/auth/config/")
        response = client.patch(
            url,
            {"status": "in_progress"},
            format="json",
            HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        )
        assert response.status_code == 200
        secret = client.post(
            "/api/auth/tokens/",
            {"name": "ci"},
            format="json",
            HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        ).json()["token"]
        script = APIClient(enforce_csrf_checks=True)
        script.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert script.patch(url, {"status": "resolved"}, format="json").status_code == 200


class TestTokens:
    def test_the_secret_is_shown_once_and_only_its_hash_is_stored(self, people: People) -> None:
        client = client_for(people.requester_a)
        created = client.post("/api/auth/tokens/", {"name": "laptop"}, format="json")
        assert created.status_code == 201
        body = created.json()
        assert set(body) == {"id", "name", "token", "prefix", "created_at"}
        secret = body["token"]
        assert secret.startswith("tdk_") and body["prefix"] == secret[:12]
        row = ApiToken.objects.get(pk=body["id"])
        assert secret not in (row.key_hash, row.prefix, row.name)
        listed = client.get("/api/auth/tokens/")
        assert secret.encode() not in listed.content
        assert [t["name"] for t in listed.json()] == ["laptop"]
        assert "token" not in listed.json()[0]

    def test_a_token_authenticates_until_revoked(self, people: People) -> None:
        owner = client_for(people.requester_a)
        created = owner.post("/api/auth/tokens/", {"name": "cron"}, format="json").json()
        script = APIClient()
        script.credentials(HTTP_AUTHORIZATION=f"Bearer {created['token']}")
        assert script.get("/api/auth/me/").json()["email"] == "a@example.com"
        assert owner.delete(f"/api/auth/tokens/{created['id']}/").status_code == 204
        response = script.get("/api/tickets/")
        assert_api_error(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_a_token_costs_one_query(self, people: People, settings: Settings) -> None:
        """The agent's list with a token is the open-mode list plus the token's lookup; its
        `last_used_at` is written on first use, then at most every few minutes."""
        secret = token_create(user=people.agent, name="bench").secret
        script = APIClient()
        script.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert script.get("/api/tickets/").status_code == 200  # first use: writes last_used_at
        with CaptureQueriesContext(connection) as with_token:
            assert script.get("/api/tickets/").status_code == 200
        settings.ACCESS_MODE = "open"
        with CaptureQueriesContext(connection) as open_mode:
            assert APIClient().get("/api/tickets/").status_code == 200
        assert len(with_token) == len(open_mode) + 1
        assert "accounts_apitoken" in with_token.captured_queries[0]["sql"]

    @pytest.mark.parametrize(
        "header", ["Bearer tdk_not-a-real-token-at-all", "Bearer x", "Bearer "]
    )
    def test_a_bad_token_is_401_not_anonymous(
        self, people: People, settings: Settings, header: str
    ) -> None:
        settings.ACCESS_MODE = "open"  # even where anonymous callers are welcome
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        if header.strip() == "Bearer":
            # An empty credential is no token at all.
            assert client.get("/api/tickets/").status_code in (200, 401)
            return
        assert_api_error(client.get("/api/tickets/"), 401)


class TestDeactivation:
    def test_deactivating_ends_sessions_and_revokes_tokens_at_once(self, people: People) -> None:
        user_client = client_for(people.requester_a)
        secret = user_client.post("/api/auth/tokens/", {"name": "t"}, format="json").json()["token"]
        script = APIClient()
        script.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert script.get("/api/auth/me/").status_code == 200

        admin = client_for(people.admin)
        response = admin.patch(
            f"/api/users/{people.requester_a.pk}/", {"is_active": False}, format="json"
        )
        assert response.status_code == 200 and response.json()["is_active"] is False

        assert_api_error(user_client.get("/api/auth/me/"), 401)
        assert_api_error(script.get("/api/auth/me/"), 401)
        assert not ApiToken.objects.filter(user=people.requester_a).exists()
        assert sign_in(APIClient(), "a@example.com") == 400

    def test_the_last_admin_cannot_be_demoted_or_deactivated(self, people: People) -> None:
        admin = client_for(people.admin)
        url = f"/api/users/{people.admin.pk}/"
        assert_api_error(admin.patch(url, {"role": "agent"}, format="json"), 400)
        assert_api_error(admin.patch(url, {"is_active": False}, format="json"), 400)
        admin.patch(f"/api/users/{people.agent.pk}/", {"role": "admin"}, format="json")
        assert admin.patch(url, {"role": "agent"}, format="json").status_code == 200

    def test_a_role_change_applies_to_the_next_request(self, people: People) -> None:
        agent = client_for(people.agent)
        assert agent.get("/api/tickets/stats/").status_code == 200
        client_for(people.admin).patch(
            f"/api/users/{people.agent.pk}/", {"role": "requester"}, format="json"
        )
        assert_api_error(agent.get("/api/tickets/stats/"), 403)


class TestThrottling:
    @pytest.fixture(autouse=True)
    def _clear(self, db: None) -> None:
        cache.clear()

    def test_failed_sign_ins_are_limited_per_account(
        self, people: People, settings: Settings
    ) -> None:
        settings.RATE_LIMIT_LOGIN_ACCOUNT = "3/min"
        for _ in range(3):
            assert sign_in(APIClient(REMOTE_ADDR="10.0.0.1"), "a@example.com", "wrong") == 400
        # From another address, with the right password: the account is what is limited.
        response = APIClient(REMOTE_ADDR="10.0.0.2").post(
            "/api/auth/login/", {"email": "a@example.com", "password": PASSWORD}, format="json"
        )
        assert_api_error(response, 429)
        assert int(response["Retry-After"]) > 0
        assert sign_in(APIClient(REMOTE_ADDR="10.0.0.2"), "b@example.com") == 200

    def test_failed_sign_ins_are_limited_per_address(
        self, people: People, settings: Settings
    ) -> None:
        settings.RATE_LIMIT_LOGIN_ADDRESS = "2/min"
        client = APIClient(REMOTE_ADDR="10.0.0.9")
        assert sign_in(client, "a@example.com", "wrong") == 400
        assert sign_in(client, "b@example.com", "wrong") == 400
        assert sign_in(client, "agent@example.com") == 429
        assert sign_in(APIClient(REMOTE_ADDR="10.0.0.10"), "agent@example.com") == 200

    def test_successful_sign_ins_do_not_count(self, people: People, settings: Settings) -> None:
        settings.RATE_LIMIT_LOGIN_ACCOUNT = "2/min"
        settings.RATE_LIMIT_LOGIN_ADDRESS = "2/min"
        for _ in range(5):
            assert sign_in(APIClient(), "a@example.com") == 200

    def test_classify_is_limited_per_user(self, people: People, settings: Settings) -> None:
        settings.RATE_LIMIT_CLASSIFY = "2/min"
        body = {"description": "I was charged twice."}
        a, b = client_for(people.requester_a), client_for(people.requester_b)
        for _ in range(2):
            assert a.post("/api/tickets/classify/", body, format="json").status_code == 200
        assert_api_error(a.post("/api/tickets/classify/", body, format="json"), 429)
        assert b.post("/api/tickets/classify/", body, format="json").status_code == 200


class TestSignup:
    def test_open_signup_makes_a_signed_in_requester(self, db: None, settings: Settings) -> None:
        settings.SIGNUP = "open"
        client = APIClient()
        response = client.post(
            "/api/auth/signup/",
            {"email": "New@Example.com", "name": "New", "password": PASSWORD},
            format="json",
        )
        assert response.status_code == 201
        assert response.json()["role"] == "requester"
        assert client.get("/api/auth/me/").json()["email"] == "new@example.com"
        again = client.post(
            "/api/auth/signup/",
            {"email": "new@example.com", "password": PASSWORD},
            format="json",
        )
        assert_api_error(again, 400, fields={"email"})

    def test_weak_passwords_are_refused(self, db: None, settings: Settings) -> None:
        settings.SIGNUP = "open"
        response = APIClient().post(
            "/api/auth/signup/", {"email": "n@example.com", "password": "12345678"}, format="json"
        )
        assert_api_error(response, 400, fields={"password"})
        assert not User.objects.filter(email="n@example.com").exists()


class TestUsers:
    def test_admins_create_users_with_or_without_a_password(self, people: People) -> None:
        admin = client_for(people.admin)
        response = admin.post(
            "/api/users/",
            {"email": "Kim@Example.com", "name": "Kim", "role": "agent"},
            format="json",
        )
        assert response.status_code == 201
        assert response.json() == {
            "id": response.json()["id"],
            "email": "kim@example.com",
            "name": "Kim",
            "role": "agent",
            "is_active": True,
            "available": True,
        }
        assert not User.objects.get(email="kim@example.com").has_usable_password()
        assert_api_error(
            admin.post("/api/users/", {"email": "kim@example.com", "role": "agent"}, format="json"),
            400,
            fields={"email"},
        )

    def test_the_list_filters_by_role(self, people: People) -> None:
        agent = client_for(people.agent)
        emails = [u["email"] for u in agent.get("/api/users/?role=requester").json()]
        assert emails == ["a@example.com", "b@example.com"]
        assert_api_error(agent.get("/api/users/?role=boss"), 400, fields={"role"})
        assert people.admin.role == Role.ADMIN
