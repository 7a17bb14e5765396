"""Filing a ticket: triage fills the labels not given and is recorded beside the final ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from accounts.access import SYSTEM
from intake.services import ticket_file
from tickets.tests.providers import CRASHING, DECLINING, FIXED, RULES, FixedProvider
from triage import chain

pytestmark = pytest.mark.django_db


class TestTicketFile:
    def test_omitted_labels_are_filled_by_triage_and_the_suggestion_recorded(
        self, fixed_triage: type[FixedProvider]
    ) -> None:
        ticket = ticket_file(
            caller=SYSTEM, title="Export fails", description="The CSV export times out."
        ).ticket

        ticket.refresh_from_db()
        assert (ticket.category, ticket.priority) == ("technical", "critical")
        assert (ticket.suggested_category, ticket.suggested_priority) == ("technical", "critical")
        assert ticket.triage_provider == "fixed"
        assert ticket.triage_confidence == pytest.approx(0.7)  # the weaker of 0.9 and 0.7
        assert ticket.category_by_human is False
        assert ticket.priority_by_human is False
        assert ticket.status == "open"

    def test_triage_sees_the_title_and_description(self, fixed_triage: type[FixedProvider]) -> None:
        ticket_file(
            caller=SYSTEM, title="  Export fails ", description=" The CSV export times out.\n"
        )
        assert len(fixed_triage.seen) == 1
        assert fixed_triage.seen[0].title == "Export fails"
        assert fixed_triage.seen[0].description == "The CSV export times out."

    def test_given_labels_are_kept_and_count_as_a_persons_choice(
        self, fixed_triage: type[FixedProvider]
    ) -> None:
        ticket = ticket_file(
            caller=SYSTEM,
            title="Refund",
            description="Please refund me.",
            category="billing",
            priority="low",
        ).ticket

        ticket.refresh_from_db()
        assert (ticket.category, ticket.priority) == ("billing", "low")
        assert ticket.category_by_human is True
        assert ticket.priority_by_human is True
        # The overridden suggestion is kept: it is how the model is measured.
        assert (ticket.suggested_category, ticket.suggested_priority) == ("technical", "critical")
        assert ticket.triage_provider == "fixed"

    @pytest.mark.parametrize(
        ("given", "expected", "by_human"),
        [
            ({"category": "account"}, ("account", "critical"), (True, False)),
            ({"priority": "medium"}, ("technical", "medium"), (False, True)),
        ],
    )
    def test_one_given_label_the_other_from_triage(
        self,
        fixed_triage: type[FixedProvider],
        given: dict[str, Any],
        expected: tuple[str, str],
        by_human: tuple[bool, bool],
    ) -> None:
        ticket = ticket_file(
            caller=SYSTEM, title="Locked", description="Locked out of the app.", **given
        ).ticket

        ticket.refresh_from_db()
        assert (ticket.category, ticket.priority) == expected
        assert (ticket.category_by_human, ticket.priority_by_human) == by_human

    def test_a_label_equal_to_the_suggestion_still_counts_as_chosen(
        self, fixed_triage: type[FixedProvider]
    ) -> None:
        ticket = ticket_file(caller=SYSTEM, title="t", description="d", category="technical").ticket
        assert ticket.category_by_human is True

    def test_a_real_providers_answer_is_recorded(
        self, triage_providers: Callable[..., None]
    ) -> None:
        triage_providers(RULES)
        title, description = "Charged twice", "My card was charged twice for the same invoice."
        expected = chain.classify(title=title, description=description).prediction

        ticket = ticket_file(caller=SYSTEM, title=title, description=description).ticket

        ticket.refresh_from_db()
        assert ticket.category == ticket.suggested_category == expected.category
        assert ticket.priority == ticket.suggested_priority == expected.priority
        assert ticket.triage_provider == expected.provider == "rules"
        assert ticket.triage_confidence == pytest.approx(expected.confidence)
        assert ticket.triage_confidence is not None
        assert 0 <= ticket.triage_confidence <= 1

    def test_failing_providers_fall_through_to_the_next(
        self, triage_providers: Callable[..., None]
    ) -> None:
        triage_providers(CRASHING, DECLINING, FIXED, RULES)
        ticket = ticket_file(caller=SYSTEM, title="t", description="d").ticket
        assert ticket.triage_provider == "fixed"

    def test_a_ticket_is_created_even_when_every_provider_fails(
        self, triage_providers: Callable[..., None]
    ) -> None:
        triage_providers(CRASHING, DECLINING)
        ticket = ticket_file(caller=SYSTEM, title="Help", description="Something happened.").ticket

        ticket.refresh_from_db()
        assert (ticket.category, ticket.priority) == ("general", "medium")
        assert ticket.triage_provider == "fallback"
        assert ticket.triage_confidence == 0.0

    def test_created_at_is_set_by_the_server(self, fixed_triage: type[FixedProvider]) -> None:
        moment = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
        with time_machine.travel(moment, tick=False):
            ticket = ticket_file(caller=SYSTEM, title="t", description="d").ticket
        ticket.refresh_from_db()
        assert ticket.created_at == moment
        assert ticket.updated_at == moment
