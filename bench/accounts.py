"""Accounts benchmark: 1M tickets over 10,000 requesters, token-authenticated lists and sign-in.

On loopback only, against PostgreSQL:

1. Creates (if needed) and migrates its own database, `triagedesk_bench_accounts_<size>`, and
   seeds it with `manage.py seed_tickets --requesters N` unless it already holds that many
   tickets (within 5%) spread over that many requesters: the seed is done once (`--reseed`
   forces a fresh one).
2. Picks the requester with the median number of tickets (and, for contrast, the busiest),
   creates an agent, gives both a password and a fresh API token (`manage.py shell`), and times
   the password hasher alone in the same settings.
3. Starts two real servers on the same database (uvicorn serving config.asgi, rate limits off):
   one in `ACCESS_MODE=accounts`, one in `ACCESS_MODE=open`.
4. Per call: `--calls` sequential requests (p50, p95), then `--concurrency` clients sending
   `--load-calls` requests in total (bench/run.py's `measure`): the requester's own list, the
   agent's list (plain, a filter, a search) with `Authorization: Bearer`, and the same lists
   in open mode without any credentials.
5. Token vs open, paired: `--paired` rounds, each one token-authenticated call then one open
   call of the same list, so drift in the machine's load hits both alike; p50 of each and the
   median of the per-round difference.
6. The same comparison in-process: `--paired` rounds in one `manage.py shell`, Django's test
   client through the whole middleware and DRF stack, the mode switched call by call: what
   the server spends on a token, free of which worker and connection served each call.
7. Sign-in: `--logins` sequential `POST /api/auth/login/` from a fresh client each (the CSRF
   cookie from `GET /api/auth/config/` first, untimed), p50 and p95.

Results go to bench/results/accounts-<size>.json and the section between the accounts markers in
bench/RESULTS.md.

    .venv/bin/python bench/accounts.py --database-url postgres://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field

import httpx
import psycopg
from run import (
    RESULTS_DIR,
    Call,
    Figures,
    ensure_database,
    manage,
    measure,
    percentile,
    run_info,
    server,
    server_env,
    size_label,
    ticket_count,
    with_db,
    write_markdown,
)

START_MARK = "<!-- bench-accounts:start -->"
END_MARK = "<!-- bench-accounts:end -->"
AGENT_EMAIL = "bench-agent@example.com"
TOKEN_NAME = "bench"
TARGET_LIST_MS = 20.0
TARGET_TOKEN_OVERHEAD_MS = 2.0

# Run inside `manage.py shell`: the agent and the two requesters get a password and a fresh token;
# the hasher's own cost is timed with the server's settings. Prints one JSON line.
SETUP = """
import json, os, time
from accounts.models import ApiToken, Role, User
from accounts.services import token_create, user_create
from django.contrib.auth.hashers import check_password

password = os.environ["BENCH_PASSWORD"]
agent = User.objects.filter(email={agent!r}).first() or user_create(
    email={agent!r}, name="Bench agent", role=Role.AGENT
)
users = {{"agent": agent}}
for key, pk in (("requester", {requester}), ("busiest", {busiest})):
    users[key] = User.objects.get(pk=pk)
out = {{}}
for key, user in users.items():
    user.set_password(password)
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user, name={token_name!r}).delete()
    out[key] = {{"id": user.pk, "email": user.email,
                 "token": token_create(user=user, name={token_name!r}).secret}}
timings = []
for n in range(12):
    started = time.perf_counter()
    assert check_password(password, agent.password)
    if n >= 2:  # two warm-ups
        timings.append((time.perf_counter() - started) * 1000)
out["hasher"] = {{"algorithm": agent.password.split("$", 1)[0],
                  "verify_ms": round(sorted(timings)[len(timings) // 2], 1)}}
print(json.dumps(out))
"""

# Run inside `manage.py shell`: the same comparison without HTTP, in one process, alternating
# the two modes call by call (Django's test client through the whole middleware and DRF stack):
# what the server itself spends on a token, free of which worker or connection served a call.
IN_PROCESS = """
import json, os, statistics, time
from django.test import Client, override_settings

client = Client(HTTP_HOST="127.0.0.1")
rounds = int(os.environ["BENCH_ROUNDS"])
pairs = {{
    "list (agent token vs open)": (os.environ["BENCH_AGENT_TOKEN"], {{}}),
    "requester's tickets (requester token vs open ?requester=)": (
        os.environ["BENCH_REQUESTER_TOKEN"], {{"requester": os.environ["BENCH_REQUESTER_ID"]}}
    ),
}}


out = {{}}
for name, (token, open_params) in pairs.items():
    header = {{"HTTP_AUTHORIZATION": "Bearer " + token}}
    with_token, without = [], []
    for n in range(rounds + 5):
        order = [("accounts", {{}}, header, with_token), ("open", open_params, {{}}, without)]
        for mode, params, extra, timings in order if n % 2 == 0 else order[::-1]:
            with override_settings(ACCESS_MODE=mode):
                started = time.perf_counter()
                response = client.get("/api/tickets/", params, **extra)
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.content[:200]
            if n >= 5:
                timings.append(elapsed)
    out[name] = {{
        "token_p50_ms": round(statistics.median(with_token), 2),
        "open_p50_ms": round(statistics.median(without), 2),
        "difference_p50_ms": round(
            statistics.median(a - b for a, b in zip(with_token, without)), 2
        ),
    }}
print(json.dumps(out))
"""


@dataclass
class Paired:
    name: str
    rounds: int
    token_p50_ms: float
    open_p50_ms: float
    difference_p50_ms: float
    token_p95_ms: float
    open_p95_ms: float


@dataclass
class AccountsResult:
    tickets: int
    requesters: int
    seeded: str
    requester: dict[str, int] = field(default_factory=dict)
    hasher: dict[str, object] = field(default_factory=dict)
    figures: list[Figures] = field(default_factory=list)
    paired: list[Paired] = field(default_factory=list)
    login: dict[str, float] = field(default_factory=dict)
    in_process: dict[str, dict[str, float]] = field(default_factory=dict)
    plans: dict[str, str] = field(default_factory=dict)


# -- database ---------------------------------------------------------------------------------


def requester_spread(url: str) -> list[tuple[int, int]]:
    """(requester id, tickets) of every requester with tickets, fewest first."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT requester_id, count(*) FROM tickets_ticket WHERE requester_id IS NOT NULL "
            "GROUP BY requester_id ORDER BY 2, 1"
        ).fetchall()
    return [(int(pk), int(n)) for pk, n in rows]


def prepare(
    url: str, size: int, requesters: int, env: dict[str, str], reseed: bool
) -> tuple[int, str]:
    manage(env, "migrate", "--noinput", "-v", "0")
    count = ticket_count(url)
    spread = len(requester_spread(url)) if size <= count <= size * 1.05 else 0
    if not reseed and spread >= requesters * 0.95:
        return count, f"reused ({count:,} tickets over {spread:,} requesters already there)"
    print(f"  seeding {size:,} tickets over {requesters:,} requesters ...", flush=True)
    output = manage(
        env, "seed_tickets", "--count", str(size), "--truncate", "--requesters", str(requesters)
    )
    summary = next((line for line in output.splitlines() if line.startswith("Added")), output)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) tickets_ticket")
    return ticket_count(url), summary.strip()


def explain(url: str, requester: int) -> dict[str, str]:
    """EXPLAIN ANALYZE of the requester's list as the API asks it (newest 50, one more to know
    whether a next page exists), plain and filtered."""
    select = (
        "SELECT t.*, u.* FROM tickets_ticket t LEFT JOIN accounts_user u ON u.id = t.requester_id "
        "WHERE t.requester_id = %s {extra} ORDER BY t.created_at DESC, t.id DESC LIMIT 51"
    )
    queries = {
        "requester list": select.format(extra=""),
        "requester list, status=open": select.format(extra="AND t.status = 'open'"),
    }
    plans = {}
    with psycopg.connect(url) as conn:
        for name, sql in queries.items():
            rows = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", [requester]).fetchall()
            plans[name] = "\n".join(str(row[0]) for row in rows)
    return plans


def setup_users(env: dict[str, str], requester: int, busiest: int) -> dict[str, dict[str, str]]:
    code = SETUP.format(
        agent=AGENT_EMAIL, requester=requester, busiest=busiest, token_name=TOKEN_NAME
    )
    output = manage(env, "shell", "-c", code)
    parsed: dict[str, dict[str, str]] = json.loads(output.strip().splitlines()[-1])
    return parsed


def in_process(
    env: dict[str, str], users: dict[str, dict[str, str]], rounds: int
) -> dict[str, dict[str, float]]:
    output = manage(
        {
            **env,
            "BENCH_ROUNDS": str(rounds),
            "BENCH_AGENT_TOKEN": users["agent"]["token"],
            "BENCH_REQUESTER_TOKEN": users["requester"]["token"],
            "BENCH_REQUESTER_ID": str(users["requester"]["id"]),
        },
        "shell",
        "-c",
        IN_PROCESS.format(),
    )
    parsed: dict[str, dict[str, float]] = json.loads(output.strip().splitlines()[-1])
    return parsed


# -- calls ------------------------------------------------------------------------------------


def get(path: str, token: str | None = None, **params: str) -> Call:
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def call(client: httpx.AsyncClient, n: int) -> httpx.Response:
        return await client.get(path, params=params, headers=headers)

    return call


async def paired(
    accounts_url: str, open_url: str, name: str, token_call: Call, open_call: Call, rounds: int
) -> Paired:
    """`rounds` rounds of one token call and one open call, the order alternating (token
    first in even rounds, open first in odd ones): both see the same machine, and neither is
    always the one that follows the other."""
    token_ms, open_ms = [], []
    async with (
        httpx.AsyncClient(base_url=accounts_url, timeout=30) as a,
        httpx.AsyncClient(base_url=open_url, timeout=30) as b,
    ):
        for n in range(3):
            await token_call(a, n)
            await open_call(b, n)
        for n in range(rounds):
            order = [(a, token_call, token_ms), (b, open_call, open_ms)]
            for client, call, timings in order if n % 2 == 0 else order[::-1]:
                started = time.perf_counter()
                response = await call(client, n)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: {response.status_code} {response.text[:200]}")
    return Paired(
        name=name,
        rounds=rounds,
        token_p50_ms=round(percentile(token_ms, 0.5), 1),
        open_p50_ms=round(percentile(open_ms, 0.5), 1),
        difference_p50_ms=round(
            statistics.median(t - o for t, o in zip(token_ms, open_ms, strict=True)), 2
        ),
        token_p95_ms=round(percentile(token_ms, 0.95), 1),
        open_p95_ms=round(percentile(open_ms, 0.95), 1),
    )


async def sign_in(url: str, email: str, password: str, calls: int) -> dict[str, float]:
    """`calls` sign-ins, each from a fresh client as a new browser: the CSRF cookie first
    (untimed), then the timed POST."""
    timings = []
    for n in range(calls + 2):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            (await client.get("/api/auth/config/")).raise_for_status()
            csrf = client.cookies.get("csrftoken", "")
            started = time.perf_counter()
            response = await client.post(
                "/api/auth/login/",
                json={"email": email, "password": password},
                headers={"X-CSRFToken": csrf, "Referer": url + "/"},
            )
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200 or "sessionid" not in client.cookies:
                raise SystemExit(f"sign-in failed: {response.status_code} {response.text[:200]}")
            if n >= 2:  # two warm-up sign-ins
                timings.append(elapsed)
    return {
        "calls": calls,
        "p50_ms": round(percentile(timings, 0.5), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
    }


async def run_calls(
    accounts_url: str,
    open_url: str,
    users: dict[str, dict[str, str]],
    password: str,
    args: argparse.Namespace,
    result: AccountsResult,
) -> None:
    requester, agent, busiest = users["requester"], users["agent"], users["busiest"]
    rid, bid = str(requester["id"]), str(busiest["id"])
    r_token, a_token, b_token = requester["token"], agent["token"], busiest["token"]
    typical = f"{result.requester['tickets']} tickets"
    heavy = f"{result.requester['busiest_tickets']} tickets"
    scenarios: list[tuple[str, str, Call]] = [
        (accounts_url, f"requester own list ({typical}), token", get("/api/tickets/", r_token)),
        (
            accounts_url,
            "requester own list, status=open, token",
            get("/api/tickets/", r_token, status="open"),
        ),
        (
            accounts_url,
            "requester own list, search password, token",
            get("/api/tickets/", r_token, search="password"),
        ),
        (accounts_url, f"busiest requester ({heavy}), token", get("/api/tickets/", b_token)),
        (
            accounts_url,
            "busiest requester, status=open, token",
            get("/api/tickets/", b_token, status="open"),
        ),
        (accounts_url, "agent list, token", get("/api/tickets/", a_token)),
        (accounts_url, "agent status=open, token", get("/api/tickets/", a_token, status="open")),
        (
            accounts_url,
            "agent search password, token",
            get("/api/tickets/", a_token, search="password"),
        ),
        (open_url, "open mode list", get("/api/tickets/")),
        (open_url, "open mode status=open", get("/api/tickets/", status="open")),
        (open_url, "open mode search password", get("/api/tickets/", search="password")),
        (open_url, "open mode ?requester=<typical>", get("/api/tickets/", requester=rid)),
        (
            open_url,
            "open mode ?requester=<typical>&status=open",
            get("/api/tickets/", requester=rid, status="open"),
        ),
        (open_url, "open mode ?requester=<busiest>", get("/api/tickets/", requester=bid)),
    ]
    for url, name, call in scenarios:
        figures = await measure(url, name, call, args.calls, args.load_calls, args.concurrency)
        print(
            f"  {name:<46} p50 {figures.p50_ms:7.1f} ms  p95 {figures.p95_ms:7.1f} ms  "
            f"{figures.load_rps:7.1f} req/s x{args.concurrency}  errors {figures.errors}",
            flush=True,
        )
        result.figures.append(figures)

    pairs: list[tuple[str, Call, Call]] = [
        ("list (agent token vs open)", get("/api/tickets/", a_token), get("/api/tickets/")),
        (
            "status=open (agent token vs open)",
            get("/api/tickets/", a_token, status="open"),
            get("/api/tickets/", status="open"),
        ),
        (
            "requester's tickets (requester token vs open ?requester=)",
            get("/api/tickets/", r_token),
            get("/api/tickets/", requester=rid),
        ),
    ]
    for name, token_call, open_call in pairs:
        pair = await paired(accounts_url, open_url, name, token_call, open_call, args.paired)
        print(
            f"  paired {name:<58} token {pair.token_p50_ms:6.1f}  open {pair.open_p50_ms:6.1f}"
            f"  difference p50 {pair.difference_p50_ms:+6.2f} ms",
            flush=True,
        )
        result.paired.append(pair)

    result.login = await sign_in(accounts_url, agent["email"], password, args.logins)
    print(f"  sign-in p50 {result.login['p50_ms']} ms  p95 {result.login['p95_ms']} ms", flush=True)


# -- report -----------------------------------------------------------------------------------


def verdicts(result: AccountsResult) -> list[tuple[str, str, bool]]:
    by_name = {f.name: f for f in result.figures}
    own = next(f for f in result.figures if f.name.startswith("requester own list ("))
    own_open = by_name["requester own list, status=open, token"]
    agent = by_name["agent list, token"]
    http_differences = [p.difference_p50_ms for p in result.paired]
    server_differences = [f["difference_p50_ms"] for f in result.in_process.values()]
    return [
        (
            f"requester's own list p50 ≤ {TARGET_LIST_MS:g} ms",
            f"{own.p50_ms} (p95 {own.p95_ms}); status=open {own_open.p50_ms} "
            f"(p95 {own_open.p95_ms})",
            max(own.p50_ms, own_open.p50_ms) <= TARGET_LIST_MS,
        ),
        (
            f"agent list unchanged, p50 ≤ {TARGET_LIST_MS:g} ms",
            f"{agent.p50_ms} (p95 {agent.p95_ms})",
            agent.p50_ms <= TARGET_LIST_MS,
        ),
        (
            "sign-in p50 reported",
            f"{result.login['p50_ms']} (p95 {result.login['p95_ms']}); the hasher alone "
            f"({result.hasher.get('algorithm')}) {result.hasher.get('verify_ms', 0):.1f}",
            True,
        ),
        (
            f"token list within {TARGET_TOKEN_OVERHEAD_MS:g} ms of the open-mode list (every pair)",
            "over HTTP, paired: "
            + ", ".join(f"{d:+.2f}" for d in http_differences)
            + "; in-process: "
            + ", ".join(f"{d:+.2f}" for d in server_differences),
            max(http_differences + server_differences) <= TARGET_TOKEN_OVERHEAD_MS,
        ),
    ]


def render(result: AccountsResult, info: dict[str, str], args: argparse.Namespace) -> str:
    lines = [
        f"Run {info['when']} on {info['cpu']}, {info['memory']} RAM, {info['os']}, "
        f"{info['postgres']}, Python {info['python']}; two servers (accounts and open mode) "
        f"with {args.workers} uvicorn worker(s) each on the same database; load average before "
        f"the run: {info['load']}.",
        "",
        f"{result.tickets:,} tickets over {result.requesters:,} requesters. Seed: {result.seeded}",
        f"Typical requester (the median): {result.requester['tickets']} tickets; the busiest: "
        f"{result.requester['busiest_tickets']}.",
        "",
        "| target | measured (ms) | met |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {t} | {m} | {'yes' if ok else 'NO'} |" for t, m, ok in verdicts(result)]
    lines += [
        "",
        f"Latency: {args.calls} sequential calls after 3 warm-up calls. Load: "
        f"{args.concurrency} concurrent clients sending {args.load_calls} calls in total. "
        "Client and servers share the machine.",
        "",
        f"| call | p50 ms | p95 ms | req/s (x{args.concurrency}) | p50 / p95 ms under load "
        "| errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {f.name} | {f.p50_ms} | {f.p95_ms} | {f.load_rps} | {f.load_p50_ms} / "
        f"{f.load_p95_ms} | {f.errors} |"
        for f in result.figures
    ]
    lines += [
        "",
        f"Token vs open, paired ({args.paired} rounds of one call each, which goes first "
        "alternating):",
        "",
        "| list | token p50 (p95) | open p50 (p95) | difference, median of rounds |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {p.name} | {p.token_p50_ms} ({p.token_p95_ms}) | {p.open_p50_ms} ({p.open_p95_ms}) "
        f"| {p.difference_p50_ms:+.2f} ms |"
        for p in result.paired
    ]
    lines += [
        "",
        f"The same, in-process ({args.paired} rounds in one `manage.py shell`, Django's test "
        "client through the whole middleware and DRF stack, no HTTP):",
        "",
        "| list | token p50 | open p50 | difference, median of rounds |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {name} | {f['token_p50_ms']} | {f['open_p50_ms']} | {f['difference_p50_ms']:+.2f} ms |"
        for name, f in result.in_process.items()
    ]
    lines += [
        "",
        f"Sign-in (`POST /api/auth/login/`, {result.login['calls']} calls, each from a new client "
        f"after `GET /api/auth/config/` for the CSRF cookie): p50 {result.login['p50_ms']} ms, "
        f"p95 {result.login['p95_ms']} ms; verifying the password alone "
        f"({result.hasher.get('algorithm')}, in-process, median of 10): "
        f"{result.hasher.get('verify_ms', 0):.1f} ms.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="any database on the server")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--requesters", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--load-calls", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--paired", type=int, default=200, help="token/open rounds")
    parser.add_argument("--logins", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--no-markdown", action="store_true", help="leave RESULTS.md alone")
    args = parser.parse_args()

    RESULTS_DIR.mkdir(exist_ok=True)
    info = run_info(args.database_url)

    label = size_label(args.size)
    name = f"triagedesk_bench_accounts_{label}"
    url = with_db(args.database_url, name)
    print(f"== {args.size:,} tickets over {args.requesters:,} requesters ({name}) ==", flush=True)
    ensure_database(args.database_url, name)
    env = server_env(url)
    tickets, seeded = prepare(url, args.size, args.requesters, env, args.reseed)
    print(f"  {seeded}", flush=True)
    spread = requester_spread(url)
    typical, busiest = spread[len(spread) // 2], spread[-1]
    result = AccountsResult(
        tickets=tickets,
        requesters=len(spread),
        seeded=seeded,
        requester={
            "id": typical[0],
            "tickets": typical[1],
            "busiest_id": busiest[0],
            "busiest_tickets": busiest[1],
        },
    )
    password = secrets.token_urlsafe(18)
    users = setup_users({**env, "BENCH_PASSWORD": password}, typical[0], busiest[0])
    result.hasher = dict(users.pop("hasher"))
    result.plans = explain(url, typical[0])
    print(f"  typical requester {typical}, busiest {busiest}; hasher {result.hasher}", flush=True)

    with (
        server({**env, "ACCESS_MODE": "accounts"}, args.workers) as accounts_url,
        server({**env, "ACCESS_MODE": "open"}, args.workers) as open_url,
    ):
        asyncio.run(run_calls(accounts_url, open_url, users, password, args, result))
    result.in_process = in_process(env, users, args.paired)
    for pair_name, figures in result.in_process.items():
        print(f"  in-process {pair_name}: {figures}", flush=True)

    (RESULTS_DIR / f"accounts-{label}.json").write_text(
        json.dumps({"machine": info, **asdict(result)}, indent=2)
    )
    section = render(result, info, args)
    print(section)
    for plan_name, plan in result.plans.items():
        print(f"-- EXPLAIN ANALYZE, {plan_name}:\n{plan}")
    if not args.no_markdown:
        write_markdown(section, START_MARK, END_MARK)


if __name__ == "__main__":
    sys.exit(main())
