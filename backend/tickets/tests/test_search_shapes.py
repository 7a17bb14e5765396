"""Every shape of search a help desk sees (issue 14), on SQLite and PostgreSQL, through the API:
what is found, and what X-Total-Count says about it.

Words, prefixes, typos that match nothing, whole and partial reference codes, email addresses,
hyphenated codes, numbers inside longer tokens, rare words with and without filters: fragments
are found case-insensitively on both databases, and the count of a small result is exact.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tickets.models import Ticket
from tickets.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

CODE = "Q7F3K9ZX2M8WLT4RB6NC1YHD5PJ0VGSA"  # 32 characters, one ticket
EMAIL = "Jo.Reyes@Example-Shop.com"
NOISE = 8  # tickets none of the searches below should find


@pytest.fixture
def tickets() -> dict[str, Ticket]:
    TicketFactory.create_batch(
        NOISE, title="Something else", description="Nothing to see here, all fine."
    )
    return {
        "refund": TicketFactory(
            title="Refund please", description="We were charged twice.", status="open"
        ),
        "refunded": TicketFactory(
            title="Was it refunded?", description="Asking about the refund.", status="closed"
        ),
        "invoice": TicketFactory(
            title="Invoice missing", description="No invoice this month.", category="billing"
        ),
        "code": TicketFactory(
            title="Crash report", description=f"The app shows reference {CODE} and quits."
        ),
        "email": TicketFactory(
            title="Cannot sign in", description=f"My address is {EMAIL}, mail never arrives."
        ),
        "hyphenated": TicketFactory(
            title="Question on INV-2024-0042", description="The total looks wrong."
        ),
        "number": TicketFactory(
            title="Order status", description="Where is order ORD877310X? Paid last week."
        ),
        "rare": TicketFactory(
            title="Kerberos ticket expired",
            description="Our quokka service cannot renew.",
            category="technical",
            priority="high",
            status="open",
        ),
        "rare_other_labels": TicketFactory(
            title="Kerberos realm",
            description="The quokka proxy drops it.",
            category="account",
            priority="low",
            status="closed",
        ),
    }


def search(api: APIClient, text: str, **filters: str) -> tuple[set[int], str, str]:
    response = api.get("/api/tickets/", {"search": text, **filters})
    assert response.status_code == 200, response.content
    ids = {row["id"] for row in response.json()}
    return ids, response["X-Total-Count"], response["X-Total-Count-Exact"]


def ids(tickets: dict[str, Ticket], *names: str) -> set[int]:
    return {tickets[name].pk for name in names}


@pytest.mark.parametrize(
    ("text", "filters", "expected"),
    [
        ("refund", {}, ("refund", "refunded")),  # a common word (and inside "refunded")
        ("invoic", {}, ("invoice",)),  # a prefix still being typed
        ("refund zzqq", {}, ()),  # two words, one unknown
        ("zzqqxx", {}, ()),  # a typo: one word matching nothing
        ("zzqqxx", {"status": "open", "category": "billing"}, ()),  # a typo with filters
        (CODE, {}, ("code",)),  # a whole 32-character reference code
        (CODE.lower(), {}, ("code",)),  # in any case
        (CODE[13:19], {}, ("code",)),  # six characters from its middle
        (CODE[13:19].lower(), {}, ("code",)),
        (EMAIL, {}, ("email",)),  # an email address
        (EMAIL.lower(), {}, ("email",)),
        ("example-shop", {}, ("email",)),  # part of one
        ("INV-2024-0042", {}, ("hyphenated",)),  # a hyphenated code
        ("inv-2024-0042", {}, ("hyphenated",)),
        ("2024-00", {}, ("hyphenated",)),  # part of one
        ("7731", {}, ("number",)),  # a number inside a longer token
        ("ord877", {}, ("number",)),
        ("kerberos quokka", {}, ("rare", "rare_other_labels")),  # two rare words
        ("kerberos", {"status": "open", "category": "technical"}, ("rare",)),  # rare + filters
        ("kerberos", {"status": "closed"}, ("rare_other_labels",)),
        ("quokka", {"priority": "critical"}, ()),
    ],
)
def test_each_shape_finds_exactly_its_tickets_with_an_exact_count(
    api: APIClient,
    tickets: dict[str, Ticket],
    text: str,
    filters: dict[str, str],
    expected: tuple[str, ...],
) -> None:
    found, total, exact = search(api, text, **filters)
    assert found == ids(tickets, *expected)
    assert (total, exact) == (str(len(expected)), "true")


@pytest.mark.parametrize("text", ["50%", "a_b", "x\\y"])
def test_like_wildcards_typed_by_a_user_are_plain_text(
    api: APIClient, tickets: dict[str, Ticket], text: str
) -> None:
    literal = TicketFactory(title="Odd characters", description="Costs 50% of x\\y, see a_b.")
    TicketFactory(title="Lookalikes", description="Costs 500 of xzy, see aXb.")
    assert search(api, text) == ({literal.pk}, "1", "true")


@pytest.mark.parametrize("text", ["%", "__"])
def test_a_wildcard_shorter_than_a_trigram_invents_no_match(
    api: APIClient, tickets: dict[str, Ticket], text: str
) -> None:
    literal = TicketFactory(title="Odd characters", description="Costs 50% of x__y.")
    found, total, exact = search(api, text)
    if connection.vendor == "postgresql":
        # Shorter than a trigram: a word of full-text search only, and punctuation is no word:
        # like a stop word it narrows nothing.
        assert found == set(Ticket.objects.values_list("pk", flat=True))
    else:
        assert (found, total, exact) == ({literal.pk}, "1", "true")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
def test_full_text_stemming_still_finds_other_forms_of_a_word(
    api: APIClient, tickets: dict[str, Ticket]
) -> None:
    found, _, _ = search(api, "charges")  # "charged" in the description
    assert found == ids(tickets, "refund")


def test_an_empty_result_never_claims_matches(api: APIClient, tickets: dict[str, Any]) -> None:
    for text in ("zzqqxx", "zzqqxx refund", "Q7F3K9ZX2M8WLT4RB6NC1YHD5PJ0VGSB"):
        found, total, exact = search(api, text)
        assert (found, total, exact) == (set(), "0", "true")
