"""The LLM provider: OpenAI or any OpenAI-compatible server (Azure, Ollama, vLLM, LM Studio).

Contract with the chain: answer within `OPENAI_TIMEOUT` seconds (the whole call, one retry
included) with labels from the allowed sets, or decline. It declines when no key is set, on any
transport error, HTTP error, timeout, refusal, truncated or non-JSON answer, labels outside the
enums, or a confidence under `TRIAGE_LLM_MIN_CONFIDENCE`.

The deadline is enforced twice: each HTTP attempt gets the remaining budget as its timeout, and
the call runs on a small thread pool whose result is awaited for the remaining budget only, so
even a server that trickles bytes cannot hold a request past it. A bounded number of calls may be
in flight per process; past that the provider declines at once rather than queueing.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypedDict, cast

import openai
from django.conf import settings
from django.db import DatabaseError
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from openai.types.shared_params import ReasoningEffort, ResponseFormatJSONSchema

from tickets.models import Ticket
from triage import prompts
from triage.labels import CATEGORIES, PRIORITIES
from triage.providers.base import Prediction, ProviderDeclined, TicketText, TriageProvider

logger = logging.getLogger(__name__)

PROMPT_FILE = "classify.md"
MAX_IN_FLIGHT = 16
# A retry is attempted only if this share of the budget is left: a retry that cannot finish
# would only delay the next provider.
RETRY_MIN_BUDGET = 0.25
RETRY_BACKOFF_SECONDS = 0.2
FEW_SHOT_TTL_SECONDS = 60.0
FEW_SHOT_TOKENS = 80
REASON_MAX_CHARS = 300
TRUNCATION_MARK = "\n[... truncated ...]\n"

# Shared by every provider instance in the process (the chain rebuilds providers on reset).
_POOL = ThreadPoolExecutor(max_workers=MAX_IN_FLIGHT, thread_name_prefix="triage-llm")
_SLOTS = threading.BoundedSemaphore(MAX_IN_FLIGHT)

RESPONSE_FORMAT: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {
        "name": "ticket_triage",
        "strict": True,
        "schema": {
            "type": "object",
            # The reason comes first so the model states the facts before it commits to labels.
            "properties": {
                "reason": {"type": "string", "description": "One sentence, at most 25 words."},
                "category": {"type": "string", "enum": list(CATEGORIES)},
                "priority": {"type": "string", "enum": list(PRIORITIES)},
                "category_confidence": {"type": "number", "description": "From 0 to 1."},
                "priority_confidence": {"type": "number", "description": "From 0 to 1."},
            },
            "required": [
                "reason",
                "category",
                "priority",
                "category_confidence",
                "priority_confidence",
            ],
            "additionalProperties": False,
        },
    },
}


class Answer(TypedDict):
    """The model's answer, checked against `RESPONSE_FORMAT`."""

    reason: str
    category: str
    priority: str
    category_confidence: float
    priority_confidence: float


class LabelledTicket(TypedDict):
    """A ticket whose labels a person chose, as the few-shot examples carry it."""

    title: str
    description: str
    category: str
    priority: str


def estimate_tokens(text: str) -> int:
    """A conservative token count without a tokenizer (none ships offline): about four ASCII
    characters per token, and one per other character (accents, CJK, emoji cost more)."""
    ascii_chars = sum(1 for char in text if char.isascii())
    return math.ceil(ascii_chars / 4) + (len(text) - ascii_chars)


def truncate(text: str, budget: int) -> str:
    """Cut `text` to about `budget` tokens, keeping its start and, more briefly, its end (where
    people often restate the problem or the deadline)."""
    tokens = estimate_tokens(text)
    if tokens <= budget:
        return text
    chars = max(int(len(text) * budget / tokens) - len(TRUNCATION_MARK), 0)
    head = int(chars * 0.8)
    tail = chars - head
    return text[:head] + TRUNCATION_MARK + (text[-tail:] if tail else "")


def build_messages(
    text: TicketText, examples: list[LabelledTicket]
) -> list[ChatCompletionMessageParam]:
    """System prompt, then optional labelled examples, then the ticket, each as JSON data."""
    ticket = {
        "title": truncate(text.title, 60),
        "description": truncate(text.description, settings.TRIAGE_LLM_INPUT_TOKENS),
    }
    messages: list[ChatCompletionMessageParam] = [
        {"role": "system", "content": prompts.load(PROMPT_FILE)}
    ]
    if examples:
        messages.append(
            {
                "role": "user",
                "content": json.dumps({"labelled_examples": examples}, ensure_ascii=False),
            }
        )
    messages.append({"role": "user", "content": json.dumps({"ticket": ticket}, ensure_ascii=False)})
    return messages


def parse_answer(content: str | None) -> Answer:
    """Validate the model's answer against the schema again; raise `ProviderDeclined` if off."""
    try:
        data = json.loads(content or "")
    except ValueError as exc:
        raise ProviderDeclined("answer is not JSON") from exc
    if not isinstance(data, dict):
        raise ProviderDeclined("answer is not a JSON object")
    category, priority = data.get("category"), data.get("priority")
    if not isinstance(category, str) or category not in CATEGORIES:
        raise ProviderDeclined(f"category {category!r} not allowed")
    if not isinstance(priority, str) or priority not in PRIORITIES:
        raise ProviderDeclined(f"priority {priority!r} not allowed")
    category_confidence = _confidence(data, "category_confidence")
    priority_confidence = _confidence(data, "priority_confidence")
    reason = data.get("reason")
    if not isinstance(reason, str):
        raise ProviderDeclined("reason missing")
    return {
        "reason": " ".join(reason.split())[:REASON_MAX_CHARS],
        "category": category,
        "priority": priority,
        "category_confidence": category_confidence,
        "priority_confidence": priority_confidence,
    }


def _confidence(data: dict[str, object], key: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ProviderDeclined(f"{key} {value!r} is not a number from 0 to 1")
    return float(value)


class LLMProvider(TriageProvider):
    name = "llm"

    def __init__(self) -> None:
        self._client: openai.OpenAI | None = None
        if settings.OPENAI_API_KEY:
            # Retries are ours (at most one, within the deadline), not the SDK's.
            self._client = openai.OpenAI(
                api_key=settings.OPENAI_API_KEY,
                base_url=settings.OPENAI_BASE_URL,
                timeout=settings.OPENAI_TIMEOUT,
                max_retries=0,
            )
        self._few_shot: tuple[float, list[LabelledTicket]] = (0.0, [])
        self._few_shot_lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self._client is not None

    def predict(self, text: TicketText) -> Prediction:
        if self._client is None:
            raise ProviderDeclined("OPENAI_API_KEY is not set")
        budget = settings.OPENAI_TIMEOUT
        deadline = time.monotonic() + budget
        messages = build_messages(text, self._examples())
        if not _SLOTS.acquire(blocking=False):
            raise ProviderDeclined(f"{MAX_IN_FLIGHT} LLM calls already in flight")
        future: Future[ChatCompletion] = _POOL.submit(_complete, self._client, messages, deadline)
        future.add_done_callback(lambda _: _SLOTS.release())
        try:
            completion = future.result(timeout=max(deadline - time.monotonic(), 0))
        except FutureTimeout as exc:
            raise ProviderDeclined(f"no answer within {budget:g}s") from exc
        if completion.usage is not None:
            logger.debug("triage llm tokens: %s", completion.usage.total_tokens)
        if not completion.choices:
            raise ProviderDeclined("answer has no choices")
        choice = completion.choices[0]
        if choice.finish_reason == "length":
            raise ProviderDeclined("answer cut off at the output token limit")
        if getattr(choice.message, "refusal", None):
            raise ProviderDeclined("the model refused")
        data = parse_answer(choice.message.content)
        prediction = Prediction(
            category=data["category"],
            priority=data["priority"],
            category_confidence=data["category_confidence"],
            priority_confidence=data["priority_confidence"],
            provider=self.name,
            reason=data["reason"],
        )
        if prediction.confidence < settings.TRIAGE_LLM_MIN_CONFIDENCE:
            raise ProviderDeclined(f"confidence {prediction.confidence:.2f} under threshold")
        return prediction

    def _examples(self) -> list[LabelledTicket]:
        """The organisation's latest fully human-labelled tickets, a few per category, cached
        for a minute (one small query per minute per process, not one per ticket)."""
        limit = settings.TRIAGE_LLM_FEW_SHOT
        if limit <= 0:
            return []
        with self._few_shot_lock:
            expires, examples = self._few_shot
            if time.monotonic() < expires:
                return examples
            try:
                rows: list[LabelledTicket] = list(
                    Ticket.objects.filter(category_by_human=True, priority_by_human=True)
                    .order_by("-updated_at", "-id")
                    .values("title", "description", "category", "priority")[: limit * 5]
                )
            except DatabaseError:
                logger.warning("triage llm: few-shot examples unavailable", exc_info=True)
                rows = []
            examples = _balanced(rows, limit)
            self._few_shot = (time.monotonic() + FEW_SHOT_TTL_SECONDS, examples)
            return examples


def _complete(
    client: openai.OpenAI, messages: list[ChatCompletionMessageParam], deadline: float
) -> ChatCompletion:
    """One request, and one retry on a transient failure (429, 5xx, connection) if enough of
    the budget is left. Raises `ProviderDeclined` on anything else."""
    budget = settings.OPENAI_TIMEOUT
    # No temperature: reasoning models reject anything but the default, and with no reasoning
    # a strict schema over five fields leaves little room for sampling to matter.
    effort = cast(ReasoningEffort, settings.OPENAI_REASONING_EFFORT or None) or openai.omit
    attempt = 1
    while True:
        try:
            return client.chat.completions.create(
                model=settings.OPENAI_MODEL,
                messages=messages,
                response_format=RESPONSE_FORMAT,
                reasoning_effort=effort,
                max_completion_tokens=settings.OPENAI_MAX_OUTPUT_TOKENS,
                timeout=max(deadline - time.monotonic(), 0.01),
            )
        except openai.APITimeoutError as exc:
            raise ProviderDeclined(f"no answer within {budget:g}s") from exc
        except (
            openai.RateLimitError,
            openai.InternalServerError,
            openai.APIConnectionError,
        ) as exc:
            pause = _retry_after(exc)
            if attempt == 2 or deadline - time.monotonic() - pause < budget * RETRY_MIN_BUDGET:
                raise ProviderDeclined(f"{_describe(exc)} (attempt {attempt})") from exc
            logger.info("triage llm: %s, retrying in %.2fs", _describe(exc), pause)
            time.sleep(pause)
            attempt += 1
        except openai.OpenAIError as exc:
            raise ProviderDeclined(_describe(exc)) from exc


def _balanced(rows: Sequence[LabelledTicket], limit: int) -> list[LabelledTicket]:
    """Up to `limit` rows, newest first, taking categories in turn so one busy category does
    not crowd out the others, each cut to a few tokens."""
    by_category: dict[str, list[LabelledTicket]] = {}
    for row in rows:
        by_category.setdefault(row["category"], []).append(row)
    picked: list[LabelledTicket] = []
    while len(picked) < limit and any(by_category.values()):
        for queue in by_category.values():
            if queue and len(picked) < limit:
                picked.append(queue.pop(0))
    return [
        {
            "title": truncate(row["title"], 30),
            "description": truncate(row["description"], FEW_SHOT_TOKENS),
            "category": row["category"],
            "priority": row["priority"],
        }
        for row in picked
    ]


def _retry_after(exc: openai.OpenAIError) -> float:
    """Seconds the server asked us to wait (Retry-After), else a short pause."""
    response = getattr(exc, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    try:
        return max(float(header), 0.0) if header else RETRY_BACKOFF_SECONDS
    except ValueError:
        return RETRY_BACKOFF_SECONDS


def _describe(exc: openai.OpenAIError) -> str:
    status = getattr(exc, "status_code", None)
    return f"HTTP {status}" if status else type(exc).__name__
