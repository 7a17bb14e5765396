"""Bad input of every kind gets a 4xx in the one error shape, never a 500.

Hypothesis generates JSON bodies and query strings; an oracle written from the contract decides
whether each one must be accepted or refused, so the tests check the decision, not only the code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django import Settings
from rest_framework.test import APIClient

from core.tests.helpers import assert_api_error
from tickets.models import Category, Priority, Status, Ticket
from tickets.tests.factories import TicketFactory

if TYPE_CHECKING:
    from rest_framework.response import _MonkeyPatchedResponse

    # One endpoint that takes a body, called with (body, content_type).
    WriteRequest = Callable[[bytes, str], _MonkeyPatchedResponse]

# The fixed provider (always technical/critical) makes the oracle's expected labels known.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_triage")]

LIST = "/api/tickets/"
CLASSIFY = "/api/tickets/classify/"
TITLE_MAX, DESCRIPTION_MAX = 200, 10_000
FIELDS = ("title", "description", "category", "priority", "status")

examples = hypothesis_settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# ---- strategies --------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
padding = st.sampled_from(["", " ", "\t", "\n", " \u00a0", "\u3000"])


def texts(maximum: int) -> st.SearchStrategy[Any]:
    """Strings around every edge of a text field's rules, plus arbitrary JSON."""
    near_limit = st.builds(
        lambda pad_left, n, pad_right: pad_left + "x" * n + pad_right,
        padding,
        st.sampled_from([maximum - 1, maximum, maximum + 1]),
        padding,
    )
    return st.one_of(
        st.text(min_size=1, max_size=40),
        st.text(alphabet=" \t\n\r\x0b\x0c\u00a0\u2003\u3000", max_size=5),  # blank
        st.builds(lambda a, b: a + "\x00" + b, st.text(max_size=5), st.text(max_size=5)),
        near_limit,
        json_values,
    )


def choices(values: list[str]) -> st.SearchStrategy[Any]:
    near_misses = [v.upper() for v in values] + [f" {v}" for v in values] + ["", "other"]
    return st.sampled_from(values) | st.sampled_from(near_misses) | json_values


ANY_VALUE = {
    "title": texts(TITLE_MAX),
    "description": texts(DESCRIPTION_MAX),
    "category": choices(Category.values),
    "priority": choices(Priority.values),
    "status": choices(Status.values),
}

readable = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and "\x00" not in s)
padded = st.builds(lambda left, text, right: left + text + right, padding, readable, padding)
VALID_VALUE = {
    "title": padded,
    "description": padded,
    "category": st.sampled_from(Category.values),
    "priority": st.sampled_from(Priority.values),
    "status": st.sampled_from(Status.values),
}


@st.composite
def bodies(draw: st.DrawFn, fields: tuple[str, ...]) -> Any:
    """Mostly objects whose fields are each absent, valid or anything; sometimes any JSON.

    Weighted so that a good share of bodies are valid: the oracle must see both outcomes.
    """
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    body = {}
    for name in fields:
        roll = draw(st.integers(0, 5))  # 1/6 absent, 1/6 anything, 4/6 valid
        if roll == 0:
            continue
        body[name] = draw(ANY_VALUE[name] if roll == 1 else VALID_VALUE[name])
    body.update(draw(st.dictionaries(st.sampled_from(["id", "extra", "created_at"]), json_values)))
    return body


# ---- the oracle: the contract's rules, written independently of the serializers ---------------


def valid_text(value: Any, maximum: int, *, allow_blank: bool = False) -> bool:
    if not isinstance(value, str):
        return False
    stripped = value.strip()
    if "\x00" in stripped or len(stripped) > maximum:
        return False
    return allow_blank or bool(stripped)


def valid_choice(value: Any, values: list[str]) -> bool:
    return isinstance(value, str) and value in values


VALID = {
    "title": lambda v: valid_text(v, TITLE_MAX),
    "description": lambda v: valid_text(v, DESCRIPTION_MAX),
    "category": lambda v: valid_choice(v, Category.values),
    "priority": lambda v: valid_choice(v, Priority.values),
    "status": lambda v: valid_choice(v, Status.values),
}


def invalid_fields(body: dict[str, Any], fields: tuple[str, ...]) -> set[str]:
    return {name for name in fields if name in body and not VALID[name](body[name])}


# ---- generated bodies ---------------------------------------------------------------------------


@examples
@given(body=bodies(("title", "description", "category", "priority")))
def test_create_accepts_exactly_the_valid_bodies(api: APIClient, body: Any) -> None:
    before = Ticket.objects.count()
    response = api.post(LIST, body, format="json")

    if not isinstance(body, dict):
        assert_api_error(response, 400)
        return
    missing = {"title", "description"} - set(body)
    wrong = invalid_fields(body, ("title", "description", "category", "priority"))
    if missing or wrong:
        assert_api_error(response, 400, fields=missing | wrong)
        assert Ticket.objects.count() == before
        return
    event("created")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["title"] == body["title"].strip()
    assert created["description"] == body["description"].strip()
    assert created["category"] == body.get("category", "technical")
    assert created["priority"] == body.get("priority", "critical")
    assert created["status"] == "open"
    assert Ticket.objects.filter(pk=created["id"], title=created["title"]).exists()


@examples
@given(body=bodies(FIELDS))
def test_update_accepts_exactly_the_valid_bodies(api: APIClient, body: Any) -> None:
    ticket = TicketFactory()
    before = Ticket.objects.filter(pk=ticket.pk).values().get()
    response = api.patch(f"/api/tickets/{ticket.pk}/", body, format="json")

    if not isinstance(body, dict):
        assert_api_error(response, 400)
    elif wrong := invalid_fields(body, FIELDS):
        assert_api_error(response, 400, fields=wrong)
    elif not set(FIELDS) & set(body):
        assert_api_error(response, 400, fields=None)
    else:
        event("updated")
        assert response.status_code == 200, response.content
        ticket.refresh_from_db()
        for name in set(FIELDS) & set(body):
            value = body[name].strip() if name in ("title", "description") else body[name]
            assert response.json()[name] == value == getattr(ticket, name)
        return
    assert Ticket.objects.filter(pk=ticket.pk).values().get() == before


@examples
@given(body=bodies(("title", "description")))
def test_classify_accepts_exactly_the_valid_bodies(api: APIClient, body: Any) -> None:
    response = api.post(CLASSIFY, body, format="json")

    if not isinstance(body, dict):
        assert_api_error(response, 400)
        return
    wrong = set()
    if not VALID["description"](body.get("description")):
        wrong.add("description")
    if "title" in body and not valid_text(body["title"], TITLE_MAX, allow_blank=True):
        wrong.add("title")
    if wrong:
        assert_api_error(response, 400, fields=wrong)
        return
    event("classified")
    assert response.status_code == 200, response.content
    assert response.json()["suggested_category"] == "technical"


list_params = st.dictionaries(
    st.sampled_from(["category", "priority", "status", "search", "limit", "cursor", "other"]),
    st.sampled_from(
        [*Category.values, *Priority.values, *Status.values, "open,closed", "billing,x", "0", "1"]
    )
    | st.text(max_size=30),
    max_size=4,
)


@examples
@given(params=list_params)
def test_list_answers_any_query_string_with_200_or_a_400(
    api: APIClient, params: dict[str, str]
) -> None:
    response = api.get(LIST, params)
    if response.status_code == 200:
        event("listed")
        assert isinstance(response.json(), list)
        assert int(response["X-Total-Count"]) >= 0
        return
    error = assert_api_error(response, 400)
    assert set(error["fields"]) <= {"category", "priority", "status", "search", "limit", "cursor"}
    assert set(error["fields"]) <= set(params)


@examples
@given(raw=st.binary(max_size=200))
@pytest.mark.parametrize("target", ["create", "update", "classify"])
def test_arbitrary_bytes_never_cause_a_500(api: APIClient, target: str, raw: bytes) -> None:
    if target == "update":
        ticket = TicketFactory()
        response = api.patch(f"/api/tickets/{ticket.pk}/", raw, content_type="application/json")
    else:
        response = api.post(
            LIST if target == "create" else CLASSIFY, raw, content_type="application/json"
        )
    if response.status_code >= 300:
        assert_api_error(response, 400)


# ---- malformed requests -------------------------------------------------------------------------

MALFORMED = [
    b"{",
    b'{"title": "t",}',
    b"{'title': 't'}",
    b'{"title": "t"} trailing',
    b'{"title": NaN, "description": "d"}',
    b'{"title": Infinity, "description": "d"}',
    b'{"title": "\xff\xfe", "description": "d"}',
    b"\xef\xbb\xbf{}",
    b"[" * 10_000,
    b'{"a":' * 3000,
    b"9" * 5000,
]


@pytest.fixture
def write_requests(api: APIClient) -> dict[str, WriteRequest]:
    """The three endpoints that take a body, as callables taking (body, content_type)."""
    ticket = TicketFactory()

    def post_list(body: bytes, content_type: str) -> _MonkeyPatchedResponse:
        return api.post(LIST, body, content_type=content_type)

    def patch_detail(body: bytes, content_type: str) -> _MonkeyPatchedResponse:
        return api.patch(f"/api/tickets/{ticket.pk}/", body, content_type=content_type)

    def post_classify(body: bytes, content_type: str) -> _MonkeyPatchedResponse:
        return api.post(CLASSIFY, body, content_type=content_type)

    return {"create": post_list, "update": patch_detail, "classify": post_classify}


TARGETS = ["create", "update", "classify"]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("body", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_json_is_400_parse_error(
    write_requests: dict[str, WriteRequest], target: str, body: Any
) -> None:
    error = assert_api_error(write_requests[target](body, "application/json"), 400)
    assert error["code"] == "parse_error"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/xml",
        "application/octet-stream",
    ],
)
def test_a_body_that_is_not_json_is_415(
    write_requests: dict[str, WriteRequest], target: str, content_type: str
) -> None:
    response = write_requests[target](b'{"title": "t", "description": "d"}', content_type)
    error = assert_api_error(response, 415)
    assert error["code"] == "unsupported_media_type"


def test_json_with_a_charset_parameter_is_accepted(api: APIClient) -> None:
    response = api.post(
        LIST,
        '{"title": "Café", "description": "crème"}'.encode(),
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 201
    assert response.json()["title"] == "Café"


@pytest.mark.parametrize("target", TARGETS)
def test_an_oversized_body_is_413(
    write_requests: dict[str, WriteRequest], target: str, settings: Settings
) -> None:
    body = ('{"description": "' + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + '"}').encode()
    error = assert_api_error(write_requests[target](body, "application/json"), 413)
    assert error["code"] == "payload_too_large"
    assert Ticket.objects.count() == 1  # only write_requests' own ticket


def test_a_body_just_under_the_limit_is_read(api: APIClient, settings: Settings) -> None:
    # Under the byte limit but over the description's length: refused by validation, not size.
    description = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 100)
    response = api.post(LIST, {"title": "t", "description": description}, format="json")
    assert_api_error(response, 400, fields={"description"})


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("body", [b'"\\ud800"', b'"a\\u0000b"'])
def test_surrogates_and_nul_characters_are_refused(
    write_requests: dict[str, WriteRequest], target: str, body: Any
) -> None:
    document = b'{"title": ' + body + b', "description": ' + body + b"}"
    response = write_requests[target](document, "application/json")
    assert_api_error(response, 400)
