"""Routing benchmark: 1M tickets, 50 agents, 10 teams; an agent's queue, a team's unassigned
tickets, and filing with triage, routing and auto-assignment.

In-process (Django's test client through the whole middleware and DRF stack, accounts mode, the
agent authenticated without a session lookup), against PostgreSQL:

1. Expects a database already migrated and seeded (`manage.py seed_tickets --count 1000000
   --requesters 10000`). Creates, if missing, 50 agents and 10 teams of 5 (teams 0-3 handle the
   four categories: two round robin, two fewest-open; the rest are queues only), then spreads
   the tickets over them with one bulk UPDATE: ticket `id` goes to team `id % 10`; one in five
   of each team's tickets (`(id / 50) % 5 = 0`) stays unassigned, the rest go to member
   `(id / 10) % 5` of that team. The two digits are independent, so every agent (agent 0, who
   calls `?assignee=me`, included) gets a fifth of its team's assigned tickets; an earlier
   formula (`id % 5 = 0` unassigned) left teams 0 and 5, so agent 0, with none. `--reassign`
   redoes the spread; then ANALYZE.
2. `--calls` sequential calls each (p50, p95) of `GET /api/tickets/?assignee=me&status=open`,
   `GET /api/tickets/?team=<id>&assignee=none` and `?team=<id>` (first page, 50 rows, with the
   count), and their query plans.
3. `--creates` tickets (0: none) filed through `intake.services.ticket_file` as an agent with
   distinct text (the triage cache misses: the configured chain, the local model, answers
   each), each routed and assigned in its transaction: p50, p95.

    .venv/bin/python bench/routing.py --database-url postgres://postgres@127.0.0.1:5432/bench_routing
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--creates", type=int, default=30)
    parser.add_argument("--reassign", action="store_true")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "routing-1m.json")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["ACCESS_MODE"] = "accounts"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("RATE_LIMIT_CREATE", "")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from accounts.access import Caller
    from accounts.models import Role, User
    from intake.services import ticket_file
    from routing.models import Assignment, Team, TeamCategory
    from tickets.models import Category, Ticket

    agents = list(User.objects.filter(email__startswith="bench-agent-").order_by("id"))
    if len(agents) < 50:
        User.objects.bulk_create(
            [
                User(email=f"bench-agent-{n}@example.com", name=f"Agent {n}", role=Role.AGENT)
                for n in range(len(agents), 50)
            ]
        )
        agents = list(User.objects.filter(email__startswith="bench-agent-").order_by("id"))
    teams = list(Team.objects.filter(name__startswith="Bench team ").order_by("id"))
    if len(teams) < 10:
        rules = [Assignment.ROUND_ROBIN] * 2 + [Assignment.FEWEST_OPEN] * 2 + [Assignment.OFF] * 6
        for n in range(len(teams), 10):
            team = Team.objects.create(name=f"Bench team {n}", assignment=rules[n])
            team.members.set(agents[n * 5 : n * 5 + 5])
            if n < len(Category.values):
                TeamCategory.objects.create(team=team, category=Category.values[n])
        teams = list(Team.objects.filter(name__startswith="Bench team ").order_by("id"))
        args.reassign = True
    total = Ticket.objects.count()
    if args.reassign:
        started = time.perf_counter()
        team_ids = [t.pk for t in teams]
        agent_ids = [a.pk for a in agents]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE tickets_ticket SET
                  team_id = (%s::bigint[])[id %% 10 + 1],
                  assignee_id = CASE WHEN (id / 50) %% 5 = 0 THEN NULL
                    ELSE (%s::bigint[])[(id %% 10) * 5 + (id / 10) %% 5 + 1] END,
                  needs_triage = false
                """,
                [team_ids, agent_ids],
            )
            cursor.execute("ANALYZE tickets_ticket")
        print(f"assigned {total} tickets in {time.perf_counter() - started:.0f} s")

    agent = agents[0]
    team = teams[0]
    client = APIClient()
    client.force_authenticate(agent)
    results: dict[str, object] = {
        "tickets": total,
        "agents": len(agents),
        "teams": len(teams),
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL {getattr(connection, 'pg_version', '?')}",
    }

    def timed_list(name: str, params: dict[str, str]) -> None:
        client.get("/api/tickets/", params)  # warm
        times = []
        for _ in range(args.calls):
            started = time.perf_counter()
            response = client.get("/api/tickets/", params)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
        rows = len(response.json())
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/tickets/", params)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + queries.captured_queries[0]["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        results[name] = {
            "params": params,
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "rows": rows,
            "total": response["X-Total-Count"],
            "queries": len(queries.captured_queries),
            # The SQL of one call (page, count, EXPLAIN when over the limit), as Django timed it:
            # the rest of the p50 is Python (DRF, serialisation) on a shared, loaded machine.
            "sql_ms": [round(float(q["time"]) * 1000, 2) for q in queries.captured_queries],
            "plan": plan,
        }
        print(
            f"{name}: p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} "
            f"ms, {rows} rows of {response['X-Total-Count']}, {len(queries)} queries"
        )

    timed_list("assignee_me_open", {"assignee": "me", "status": "open"})
    timed_list("team_unassigned", {"team": str(team.pk), "assignee": "none"})
    # A team's whole queue (100,000 tickets): counted no further than 10,001 rows.
    timed_list("team_all", {"team": str(team.pk)})

    if args.creates:  # --creates 0: the lists only
        caller = Caller(role=Role.AGENT, user=agent)
        # The first classification loads the local model, or trains it from the people's labels
        # when TRIAGE_MODEL_DIR holds none (minutes at a million tickets): not timed.
        ticket_file(caller=caller, title="Warm-up", description="Warm the local model up.")
        times = []
        routed = 0
        stamp = time.time_ns()
        for n in range(args.creates):
            started = time.perf_counter()
            filed = ticket_file(
                caller=caller,
                title=f"Request {stamp}-{n}",
                description=f"My invoice {n} shows a charge I do not recognise, ref {stamp}-{n}.",
            )
            times.append((time.perf_counter() - started) * 1000)
            filed.ticket.refresh_from_db()
            routed += filed.ticket.assignee_id is not None
        results["create_routed"] = {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "creates": args.creates,
            "assigned": routed,
            "provider": filed.ticket.triage_provider,
        }
        print(
            f"create: p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
            f"{routed}/{args.creates} assigned, provider {filed.ticket.triage_provider}"
        )
    args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
