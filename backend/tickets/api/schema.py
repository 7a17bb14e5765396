"""The tickets API's OpenAPI declarations: query parameters, headers, and refinements the
serializers cannot express by themselves. Kept here so the views stay short.

The schema is fuzzed (core/tests/test_schema_fuzz.py): whatever it calls valid must be accepted,
so rules enforced in code are written into it here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import TextChoices
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from core import idempotency
from core.schema import RETRY_AFTER, PatchBodySchema
from tickets.models import Category, Priority, Status
from tickets.search import SEARCH_MAX_LENGTH
from tickets.selectors import ORDERINGS


class TicketUpdateSchema(PatchBodySchema):  # type: ignore[no-untyped-call]
    target_class = "tickets.api.serializers.TicketUpdateSerializer"


TOTAL_EXACT_HEADER = "X-Total-Count-Exact"

LIST_HEADERS = [
    OpenApiParameter(
        "Link",
        str,
        location=OpenApiParameter.HEADER,
        response=[200],
        description='`<url>; rel="next"` when there is a next page.',
    ),
    OpenApiParameter(
        "X-Total-Count",
        OpenApiTypes.INT,
        location=OpenApiParameter.HEADER,
        response=[200],
        description="How many tickets match the filters, over all pages. Exact, except when a "
        "search, or a list narrowed by assignee, team, needs_triage, sla or requester, matches "
        "10,000 tickets or more: then an estimate, at least 10,000 (see the next header).",
    ),
    OpenApiParameter(
        TOTAL_EXACT_HEADER,
        str,
        location=OpenApiParameter.HEADER,
        response=[200],
        description='"true" when X-Total-Count is exact, "false" when it is an estimate.',
    ),
]

CREATE_HEADERS = [
    OpenApiParameter(
        idempotency.HEADER,
        {
            "type": "string",
            "pattern": idempotency.KEY_PATTERN,
            "maxLength": idempotency.KEY_MAX_LENGTH,
        },
        location=OpenApiParameter.HEADER,
        description="Any unique token (a UUID) per submission: a retry with the same key and "
        "body answers the ticket already created instead of creating another. Remembered "
        "for IDEMPOTENCY_KEY_TTL (24 h by default).",
    ),
    OpenApiParameter(
        "Location",
        str,
        location=OpenApiParameter.HEADER,
        response=[201],
        description="The new ticket's URL.",
    ),
    OpenApiParameter(
        idempotency.REPLAYED_HEADER,
        str,
        location=OpenApiParameter.HEADER,
        response=[201],
        description="`true` when the answer is the ticket an earlier request with the same "
        "Idempotency-Key created.",
    ),
    RETRY_AFTER,
]


def _choice_list(choices: type[TextChoices]) -> dict[str, str]:
    one = "|".join(choices.values)
    return {"type": "string", "pattern": f"^(({one})(,({one}))*)?$"}


LIST_PARAMETERS = [
    OpenApiParameter(
        "category",
        _choice_list(Category),
        description="One or more of billing,technical,account,general (comma-separated).",
    ),
    OpenApiParameter(
        "priority",
        _choice_list(Priority),
        description="One or more of low,medium,high,critical (comma-separated).",
    ),
    OpenApiParameter(
        "status",
        _choice_list(Status),
        description="One or more of open,in_progress,resolved,closed (comma-separated).",
    ),
    OpenApiParameter(
        "search",
        {"type": "string", "maxLength": SEARCH_MAX_LENGTH},
        description="Case-insensitive text searched in title and description: every word must "
        "occur; the last one may be unfinished (a prefix). Stemmed on PostgreSQL.",
    ),
    OpenApiParameter(
        "ordering",
        # Empty is accepted as the default, as for the label filters: a form may send `?ordering=`.
        {"type": "string", "enum": list(ORDERINGS)},
        description='"newest" (default, also when empty). "relevance" ranks search matches on '
        "PostgreSQL, title above description, ties newest first; without a search term, or on "
        "SQLite, the order stays newest first.",
    ),
    OpenApiParameter(
        "assignee",
        # Empty is accepted as no filter, as for the label filters.
        {"type": "string", "pattern": "^(me|none|[0-9]{1,18})?$"},
        description='Who has it: "me" (the signed-in user), "none" (nobody yet) or a user id.',
    ),
    OpenApiParameter(
        "team",
        {"type": "string", "pattern": "^(none|[0-9]{1,18})?$"},
        description='Whose queue it is in: a team id, or "none".',
    ),
    OpenApiParameter(
        "needs_triage",
        {"type": "string", "enum": ["true", "false", ""]},
        description="true: only tickets triage was unsure of, waiting for a person to route.",
    ),
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": settings.TICKET_PAGE_SIZE_MAX},
        description="Page size, 1-200 (default 50).",
    ),
    OpenApiParameter(
        "cursor", str, description="Opaque cursor from the previous page's Link header."
    ),
]


def requester_is_optional(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: a ticket's `requester`, `team`, `assignee` and
    `needs_triage` are present in accounts mode only (in open mode a ticket has exactly the
    seed contract's fields), so they are not required.
    """
    ticket = result.get("components", {}).get("schemas", {}).get("Ticket", {})
    for key in ("requester", "team", "assignee", "needs_triage"):
        if key in ticket.get("required", []):
            ticket["required"].remove(key)
    return result
