"""Realistic synthetic tickets, generated fast enough to load a million in seconds.

Texts are assembled from the phrase banks: every template is expanded once into a pool of concrete
sentences ("fragments"), and a ticket is a handful of fragments plus one per-ticket number. On
PostgreSQL the search vector of each fragment is computed once by the database (`to_tsvector`),
and a ticket's vector is assembled from its fragments' vectors with the positions shifted exactly
as `to_tsvector(whole text)` and the `||` operator would shift them. The database would otherwise
spend ~60 µs per ticket parsing text, which alone would cap loading near 15,000 tickets/s on one
core; `tickets/tests/test_search_plans.py` checks the assembled vectors equal what the trigger
computes.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from devtools.seeding import phrases
from tickets.models import Category, Priority, Status

# Stands in for the per-ticket number while fragments are analysed; a plain integer is one token
# and one lexeme, so swapping it for another integer changes neither positions nor tokenization.
SENTINEL = "987654321"
# Appended to a fragment to learn how many positions the fragment consumes (stop words take a
# position without leaving a lexeme, so the highest lexeme position is not enough).
_PROBE = "zzqxprobe"
_VECTOR_ENTRY = re.compile(r"('(?:[^']|'')*'):([0-9,]+)")

CATEGORY_WEIGHTS = {"technical": 0.36, "billing": 0.25, "account": 0.22, "general": 0.17}
PRIORITY_WEIGHTS = {"low": 0.28, "medium": 0.42, "high": 0.22, "critical": 0.08}
# Status by age: fresh tickets are mostly open, last quarter's almost all closed.
STATUS_BY_AGE: tuple[tuple[float, dict[str, float]], ...] = (
    (2.0, {"open": 0.62, "in_progress": 0.28, "resolved": 0.08, "closed": 0.02}),
    (14.0, {"open": 0.22, "in_progress": 0.26, "resolved": 0.34, "closed": 0.18}),
    (60.0, {"open": 0.06, "in_progress": 0.06, "resolved": 0.30, "closed": 0.58}),
    (float("inf"), {"open": 0.01, "in_progress": 0.01, "resolved": 0.18, "closed": 0.80}),
)
PROVIDERS = (("local", 0.72), ("rules", 0.23), ("openai", 0.05))
RARE_SHARE = 0.0004

# title, description, category, priority, status, created_at, updated_at, suggested_category,
# suggested_priority, triage_provider, triage_confidence, category_by_human, priority_by_human,
# search_vector
Row = tuple[str, str, str, str, str, str, str, str, str, str, float, bool, bool, str | None]
Vectorize = Callable[[Sequence[str]], Sequence[tuple[str, str]]]


@dataclass(eq=False)
class Fragment:
    text: str
    # (lexeme as tsvector input quotes it, positions relative to the fragment's start)
    vector: tuple[tuple[str, tuple[int, ...]], ...] = ()
    npos: int = 0
    maxpos: int = 0
    has_number: bool = False
    _formatted: dict[int, str] = field(default_factory=dict, repr=False)

    def vector_text(self, offset: int, weight: str) -> str:
        """The fragment's lexemes with positions shifted by `offset`, in tsvector input syntax."""
        cached = self._formatted.get(offset)
        if cached is None:
            cached = " ".join(
                f"{lexeme}:{','.join(f'{p + offset}{weight}' for p in positions)}"
                for lexeme, positions in self.vector
            )
            self._formatted[offset] = cached
        return cached


def iso_timestamps(us: np.ndarray) -> list[str]:
    """µs since the epoch as ISO 8601 UTC strings, vectorised (a datetime per row is slow)."""
    text = np.datetime_as_string(us.astype("datetime64[us]"), unit="us")
    return [f"{value}+00:00" for value in text]


def _parse_vector(text: str) -> list[tuple[str, tuple[int, ...]]]:
    return [
        (lexeme, tuple(int(p) for p in positions.split(",")))
        for lexeme, positions in _VECTOR_ENTRY.findall(text)
    ]


def _fill(template: str, rng: random.Random) -> str:
    return re.sub(
        r"\{(\w+)\}",
        lambda m: SENTINEL if m.group(1) == "n" else rng.choice(phrases.SLOTS[m.group(1)]),
        template,
    )


def _expand(templates: Sequence[str], rng: random.Random, variants: int) -> list[str]:
    out: list[str] = []
    for template in templates:
        seen: set[str] = set()
        for _ in range(variants if "{" in template else 1):
            seen.add(_fill(template, rng))
        out.extend(sorted(seen))
    return out


class TicketGenerator:
    """Draws tickets spread over the `days` before `now`, with growth and business hours.

    `vectorize(texts)` returns `(to_tsvector(text), to_tsvector(text || ' probe'))` as text for
    each input; pass None when the database keeps no search vector (SQLite).
    """

    def __init__(
        self, *, seed: int, now: dt.datetime, vectorize: Vectorize | None, days: int = 365
    ) -> None:
        self.rng = random.Random(seed)
        self.days = days
        self.np_rng = np.random.default_rng(seed)
        self.now = now
        self.with_vectors = vectorize is not None
        rng = self.rng
        self.titles = {c: self._pool(phrases.TITLES[c], 12) for c in Category.values}
        self.bodies = {c: self._pool(phrases.BODIES[c], 8) for c in Category.values}
        self.urgency = {p: self._pool(phrases.PRIORITY_SENTENCES[p], 4) for p in Priority.values}
        self.openers = self._pool(phrases.OPENERS, 6)
        self.closers = self._pool(phrases.CLOSERS, 6)
        self.rare = self._pool(phrases.RARE_SENTENCES, 1)
        if vectorize is not None:
            self._analyse(vectorize)
        del rng

    def _pool(self, templates: Sequence[str], variants: int) -> list[Fragment]:
        return [Fragment(text) for text in _expand(templates, self.rng, variants)]

    def _fragments(self) -> list[Fragment]:
        pools: list[list[Fragment]] = [self.openers, self.closers, self.rare]
        pools += list(self.titles.values()) + list(self.bodies.values())
        pools += list(self.urgency.values())
        return [fragment for pool in pools for fragment in pool]

    def _analyse(self, vectorize: Vectorize) -> None:
        fragments = self._fragments()
        results = vectorize([f.text for f in fragments])
        for fragment, (plain, probed) in zip(fragments, results, strict=True):
            fragment.vector = tuple(_parse_vector(plain))
            probe = next(pos for lex, pos in _parse_vector(probed) if lex == f"'{_PROBE}'")
            fragment.npos = probe[0] - 1
            fragment.maxpos = max((max(pos) for _, pos in fragment.vector), default=0)
            fragment.has_number = SENTINEL in fragment.text

    @staticmethod
    def probe_suffix() -> str:
        return " " + _PROBE

    def timestamps(self, count: int) -> np.ndarray:
        """`count` creation times over the last `days`, ascending (µs since the epoch, UTC).

        Volume grows over the span (twice as many tickets now as at its start), and most tickets
        arrive on weekdays during working hours.
        """
        rng = self.np_rng
        # Inverse CDF of a linearly increasing density on [0, 1]: t = (sqrt(1 + 3u) - 1) / 1.
        u = rng.random(count)
        age_fraction = 1.0 - (np.sqrt(1.0 + 3.0 * u) - 1.0)
        # Whole days back from today, today being 0: the oldest day, `days - 1` back, starts less
        # than `days` before now, so every ticket falls inside the span at any time of day.
        days_ago = np.minimum(np.floor(age_fraction * self.days), self.days - 1)
        start_of_today = self.now.replace(hour=0, minute=0, second=0, microsecond=0)
        weekday = (start_of_today.weekday() - days_ago) % 7
        # Weekend tickets are rarer: move three quarters of them to the previous Friday, unless
        # that Friday is older than the span.
        to_friday = weekday - 4
        weekend = (weekday >= 5) & (days_ago + to_friday < self.days) & (rng.random(count) < 0.75)
        days_ago = np.where(weekend, days_ago + to_friday, days_ago)
        day_start = start_of_today.timestamp() - days_ago * 86400.0
        hours = np.clip(rng.normal(13.0, 3.2, count), 0.0, 23.99)
        seconds = day_start + hours * 3600.0 + rng.random(count) * 60.0
        seconds = np.minimum(seconds, self.now.timestamp() - 1.0)
        return np.sort((seconds * 1_000_000).astype(np.int64))

    def rows(self, created_us: np.ndarray) -> Iterator[Row]:
        """One tuple per ticket, in the order of `created_us`.

        Fields: title, description, category, priority, status, created_at, updated_at (both
        ISO 8601 in UTC), suggested_category, suggested_priority, triage_provider,
        triage_confidence, category_by_human, priority_by_human, search_vector (or None).
        """
        count = len(created_us)
        rng = self.np_rng
        now_us = int(self.now.timestamp() * 1_000_000)
        # Everything random is drawn per chunk with numpy and turned into plain lists: indexing
        # numpy arrays element by element in the loop below would cost more than the rest.
        category_names = list(CATEGORY_WEIGHTS)
        priority_names = list(PRIORITY_WEIGHTS)
        category_ix = rng.choice(len(category_names), size=count, p=list(CATEGORY_WEIGHTS.values()))
        priority_ix = rng.choice(len(priority_names), size=count, p=list(PRIORITY_WEIGHTS.values()))
        # Triage agrees with the final label most of the time; a disagreement was a person's fix.
        category_miss = rng.random(count) > 0.88
        priority_miss = rng.random(count) > 0.76
        suggested_category_ix = np.where(
            category_miss, (category_ix + rng.integers(1, 4, count)) % 4, category_ix
        )
        suggested_priority_ix = np.where(
            priority_miss, (priority_ix + rng.integers(1, 4, count)) % 4, priority_ix
        )
        category_by_human = (category_miss | (rng.random(count) < 0.3)).tolist()
        priority_by_human = (priority_miss | (rng.random(count) < 0.25)).tolist()
        provider_names = [name for name, _ in PROVIDERS]
        provider_ix = np.searchsorted(
            np.cumsum([share for _, share in PROVIDERS]), rng.random(count) * 0.999999
        ).tolist()
        ages = (now_us - created_us) / 86_400e6
        statuses = np.empty(count, dtype=object)
        lower = -1.0
        for upper, weights in STATUS_BY_AGE:
            mask = (ages > lower) & (ages <= upper)
            statuses[mask] = rng.choice(
                list(weights), size=int(mask.sum()), p=list(weights.values())
            )
            lower = upper
        # Time to the last change: minutes to days for handled tickets, none for untouched ones.
        handled = statuses != Status.OPEN
        delay = np.where(handled, rng.exponential(2.0, count) * 86_400e6, 0.0)
        updated_us = np.minimum(created_us + delay.astype(np.int64), now_us)
        created_iso = iso_timestamps(created_us)
        updated_iso = iso_timestamps(updated_us)
        status_list = statuses.tolist()
        numbers = rng.integers(10_000, 999_999, size=count).astype(str).tolist()
        confidence = np.round(rng.beta(6.0, 2.0, count), 3).tolist()
        picks = rng.random((count, 9)).tolist()
        category_list = category_ix.tolist()
        priority_list = priority_ix.tolist()
        suggested_category_list = suggested_category_ix.tolist()
        suggested_priority_list = suggested_priority_ix.tolist()
        openers, closers, rare = self.openers, self.closers, self.rare
        n_open, n_close, n_rare = len(openers), len(closers), len(rare)

        for i in range(count):
            category = category_names[category_list[i]]
            priority = priority_names[priority_list[i]]
            u = picks[i]
            titles = self.titles[category]
            bodies = self.bodies[category]
            urgency = self.urgency[priority]
            n_bodies = len(bodies)
            title = titles[int(u[0] * len(titles))]
            chosen = [bodies[int(x * n_bodies)] for x in u[1 : 3 + int(u[4] * 3)]]
            parts = [openers[int(u[5] * n_open)], *dict.fromkeys(chosen)]
            if u[6] < RARE_SHARE:
                parts.append(rare[int(u[6] / RARE_SHARE * n_rare)])
            parts.append(urgency[int(u[7] * len(urgency))])
            parts.append(closers[int(u[8] * n_close)])
            number = numbers[i]
            description = (
                parts[0].text
                + "\n\n"
                + " ".join([p.text for p in parts[1:-1]])
                + "\n\n"
                + parts[-1].text
            )
            vector: str | None = None
            if self.with_vectors:
                pieces = [title.vector_text(0, "A")]
                offset = title.maxpos
                for part in parts:
                    pieces.append(part.vector_text(offset, "B"))
                    offset += part.npos
                vector = " ".join(pieces)
                if SENTINEL in vector:
                    vector = vector.replace(SENTINEL, number)
            if SENTINEL in description:
                description = description.replace(SENTINEL, number)
            yield (
                title.text,
                description,
                category,
                priority,
                status_list[i],
                created_iso[i],
                updated_iso[i],
                category_names[suggested_category_list[i]],
                priority_names[suggested_priority_list[i]],
                provider_names[provider_ix[i]],
                confidence[i],
                category_by_human[i],
                priority_by_human[i],
                vector,
            )
