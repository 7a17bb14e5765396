"""Conversation benchmark: a 200-message thread at 1M tickets and 5M messages.

On loopback only, against PostgreSQL:

1. Creates (if needed) and migrates its own database, `bench_convo`; seeds 1M tickets over
   10,000 requesters with `manage.py seed_tickets` unless they are there already.
2. Seeds the messages in SQL (`INSERT ... SELECT ... FROM generate_series`, one statement):
   `--messages` (5M) spread over every ticket (authorless, one in five internal), unless the
   table already holds that many. Then one requester's ticket gets a thread of exactly
   `--thread` (200) messages: the requester's and an agent's replies alternating, one in five
   an internal note. VACUUM (ANALYZE) afterwards.
3. Starts a real server (uvicorn serving config.asgi, `ACCESS_MODE=accounts`, rate limits off)
   and measures, with bearer tokens (bench/run.py's `measure`: sequential p50/p95, then
   concurrent clients): the agent reading the whole thread in one page
   (`GET /api/tickets/<id>/messages/?limit=200`), the requester reading it (public messages
   only), the default first page (100), and an agent posting an internal note on a ticket
   with a thread (the note keeps the thread's length for the reads: it goes to another ticket).
4. EXPLAIN (ANALYZE, BUFFERS) of the thread's query as the API sends it.

Results: bench/results/conversations-1m.json and the section between the conversations markers
of bench/RESULTS.md.

    .venv/bin/python bench/conversations.py --database-url postgres://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import asdict

import httpx
import psycopg
from run import (
    RESULTS_DIR,
    Figures,
    ensure_database,
    manage,
    measure,
    run_info,
    server,
    server_env,
    ticket_count,
    with_db,
    write_markdown,
)

START_MARK = "<!-- bench-conversations:start -->"
END_MARK = "<!-- bench-conversations:end -->"
DATABASE = "bench_convo"
TARGET_THREAD_MS = 20.0

SEED_MESSAGES = """
INSERT INTO conversations_message (ticket_id, author_id, body, internal, via, created_at)
SELECT t.id, NULL,
       'Seeded reply ' || g || E'.\\nThanks for your patience; we are looking into it.',
       g %% 5 = 0, 'web', t.created_at + make_interval(secs => (g %% 100000)::int)
FROM generate_series(1::bigint, %(messages)s) AS g
JOIN tickets_ticket t ON t.id = %(min_id)s + (g * 7919) %% %(span)s
"""

SEED_THREAD = """
INSERT INTO conversations_message (ticket_id, author_id, body, internal, via, created_at)
SELECT %(ticket)s,
       CASE WHEN g %% 2 = 0 THEN %(requester)s ELSE %(agent)s END,
       'Thread message ' || g || E'.\\nLine two of message ' || g || '.',
       g %% 5 = 0 AND g %% 2 = 1, 'web',
       now() - make_interval(mins => %(count)s - g)
FROM generate_series(1, %(count)s) AS g
"""

SETUP = """
import json
from accounts.models import ApiToken, Role, User
from accounts.services import token_create, user_create
from tickets.models import Ticket

agent = User.objects.filter(email="bench-convo-agent@example.com").first() or user_create(
    email="bench-convo-agent@example.com", name="Bench agent", role=Role.AGENT
)
ticket = Ticket.objects.filter(requester__isnull=False).order_by("id").first()
other = Ticket.objects.filter(requester__isnull=False).order_by("-id").first()
out = {"ticket": ticket.pk, "other": other.pk, "agent": agent.pk, "requester": ticket.requester_id}
for key, user in (("agent_token", agent), ("requester_token", ticket.requester)):
    ApiToken.objects.filter(user=user, name="bench-convo").delete()
    out[key] = token_create(user=user, name="bench-convo").secret
print(json.dumps(out))
"""


def message_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM conversations_message").fetchone()
        return int(row[0]) if row else 0


def seed_messages(url: str, messages: int) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT min(id), max(id) FROM tickets_ticket").fetchone()
        assert row and row[0] is not None
        min_id, max_id = row
        # Mail rows point at messages (an email is stored beside the message it became).
        conn.execute("TRUNCATE conversations_message CASCADE")
        started = time.perf_counter()
        conn.execute(
            SEED_MESSAGES,
            {"messages": messages, "min_id": min_id, "span": max_id - min_id + 1},
        )
        elapsed = time.perf_counter() - started
        conn.execute("VACUUM (ANALYZE) conversations_message")
    return f"{messages:,} messages in {elapsed:.1f} s ({messages / elapsed:,.0f}/s), one statement"


def seed_thread(url: str, ticket: int, requester: int, agent: int, count: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "DELETE FROM conversations_message WHERE ticket_id = %s", [ticket], prepare=False
        )
        conn.execute(
            SEED_THREAD,
            {"ticket": ticket, "requester": requester, "agent": agent, "count": count},
        )
        conn.execute("ANALYZE conversations_message")


def explain(url: str, ticket: int, limit: int) -> str:
    sql = (
        "SELECT m.*, u.* FROM conversations_message m LEFT JOIN accounts_user u "
        "ON u.id = m.author_id WHERE m.ticket_id = %s ORDER BY m.created_at, m.id LIMIT %s"
    )
    with psycopg.connect(url) as conn:
        rows = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", [ticket, limit + 1]).fetchall()
    return "\n".join(str(row[0]) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="any database on the server")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--requesters", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=5_000_000)
    parser.add_argument("--thread", type=int, default=200)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--load-calls", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    info = run_info(args.database_url)
    ensure_database(args.database_url, DATABASE)
    url = with_db(args.database_url, DATABASE)
    env = {**server_env(url), "ACCESS_MODE": "accounts"}
    manage(env, "migrate", "--noinput", "-v", "0")

    tickets = ticket_count(url)
    if args.tickets <= tickets <= args.tickets * 1.05:
        ticket_seed = f"reused ({tickets:,} tickets already there)"
    else:
        print(f"seeding {args.tickets:,} tickets ...", flush=True)
        output = manage(
            env,
            "seed_tickets",
            "--count",
            str(args.tickets),
            "--truncate",
            "--requesters",
            str(args.requesters),
        )
        ticket_seed = next((x for x in output.splitlines() if x.startswith("Added")), output)
        tickets = ticket_count(url)
    messages = message_count(url)
    if args.messages <= messages <= args.messages * 1.05:
        message_seed = f"reused ({messages:,} messages already there)"
    else:
        print(f"seeding {args.messages:,} messages ...", flush=True)
        message_seed = seed_messages(url, args.messages)

    ids = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
    seed_thread(url, ids["ticket"], ids["requester"], ids["agent"], args.thread)
    messages = message_count(url)
    public = args.thread - sum(1 for g in range(1, args.thread + 1) if g % 5 == 0 and g % 2 == 1)

    agent = {"Authorization": f"Bearer {ids['agent_token']}"}
    requester = {"Authorization": f"Bearer {ids['requester_token']}"}
    thread_url = f"/api/tickets/{ids['ticket']}/messages/"

    def read(headers: dict[str, str], limit: int, expect: int):  # type: ignore[no-untyped-def]
        async def call(client: httpx.AsyncClient, n: int) -> httpx.Response:
            response = await client.get(thread_url, params={"limit": limit}, headers=headers)
            if response.status_code == 200 and len(response.json()) != expect:
                raise SystemExit(f"expected {expect} messages, got {len(response.json())}")
            return response

        return call

    async def post_note(client: httpx.AsyncClient, n: int) -> httpx.Response:
        return await client.post(
            f"/api/tickets/{ids['other']}/messages/",
            json={"body": f"Bench note {n}", "internal": True},
            headers=agent,
        )

    calls = {
        f"agent reads the {args.thread}-message thread (limit=200)": read(agent, 200, args.thread),
        f"requester reads it (public only: {public})": read(requester, 200, public),
        "agent reads the first page (limit=100)": read(agent, 100, 100),
        "agent posts an internal note": post_note,
    }
    figures: list[Figures] = []
    with server(env, args.workers) as base:
        for name, call in calls.items():
            print(f"  {name} ...", flush=True)
            figures.append(
                asyncio.run(
                    measure(base, name, call, args.calls, args.load_calls, args.concurrency)
                )
            )
    plan = explain(url, ids["ticket"], 200)
    thread = figures[0]
    verdict = "met" if thread.p50_ms <= TARGET_THREAD_MS else "NOT met"

    result = {
        "info": info,
        "command": ".venv/bin/python bench/conversations.py " + " ".join(sys.argv[1:]),
        "tickets": tickets,
        "messages": messages,
        "ticket_seed": ticket_seed,
        "message_seed": message_seed,
        "thread": args.thread,
        "target_p50_ms": TARGET_THREAD_MS,
        "verdict": verdict,
        "figures": [asdict(f) for f in figures],
        "plan": plan,
        "args": vars(args),
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "conversations-1m.json").write_text(json.dumps(result, indent=2) + "\n")

    lines = [
        "## Conversations: a 200-message thread at 1M tickets / 5M messages",
        "",
        f"Run {info['when']} on {info['cpu']}, {info['memory']} RAM, {info['os']}, "
        f"{info['postgres']}, Python {info['python']}; uvicorn with {args.workers} worker(s), "
        f"ACCESS_MODE=accounts, bearer tokens; load average before the run: {info['load']}.",
        "",
        f"Command: `{result['command']}`.",
        "",
        f"{tickets:,} tickets ({ticket_seed}); {messages:,} messages ({message_seed}). The "
        f"thread: {args.thread} messages on one requester's ticket, one in ten an internal note.",
        "",
        f"Latency: {args.calls} sequential calls after 3 warm-ups; throughput: "
        f"{args.concurrency} concurrent clients, {args.load_calls} calls. Client and server "
        "share the machine.",
        "",
        f"| call | p50 ms | p95 ms | req/s (x{args.concurrency}) | p50 / p95 ms under load "
        "| errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in figures:
        lines.append(
            f"| {f.name} | {f.p50_ms} | {f.p95_ms} | {f.load_rps} | "
            f"{f.load_p50_ms} / {f.load_p95_ms} | {f.errors} |"
        )
    lines += [
        "",
        f"Target: the thread p50 ≤ {TARGET_THREAD_MS:.0f} ms: **{verdict}** ({thread.p50_ms} ms).",
        "",
        "The thread's query (EXPLAIN ANALYZE):",
        "",
        "```",
        plan,
        "```",
    ]
    write_markdown("\n".join(lines), START_MARK, END_MARK)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
