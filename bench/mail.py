"""Mail benchmarks: webhook ingest rate (triage included) and draining a 1,000-message mailbox
through the poller while it is killed mid-batch.

On loopback only, against its own PostgreSQL database `triagedesk_bench_mail` (dropped and
recreated each run) on the server of `--database-url`:

1. Webhook: starts the real server (uvicorn serving config.asgi, the default TRIAGE_PROVIDERS,
   so every new ticket is triaged by the local model) and POSTs `--messages` distinct raw
   messages to /api/inbound/email/, first one at a time, then from `--concurrency` clients.
   Each is a new request: parsed, stored, triaged, filed by intake, its "received" notification
   queued. Reports messages per second and checks that every one became exactly one ticket.
2. Mailbox: starts Debian's dovecot on a free port, appends `--mailbox` messages, runs
   `manage.py poll_mailbox --once` and SIGKILLs it after `--kill-after` seconds (mid-batch),
   then runs it again until the mailbox is drained. Checks: every message filed exactly once
   (tickets, stored emails, distinct Message-IDs), none left unseen.

Results go to bench/results/mail.json and between the mail markers in bench/RESULTS.md.

    .venv/bin/python bench/mail.py --database-url postgres://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from email.message import EmailMessage

import httpx
import psycopg
from run import ROOT as REPO
from run import run_info, server, server_env, write_markdown

sys.path.insert(0, str(REPO / "backend"))
from mail.tests.conftest import running_dovecot

DB_NAME = "triagedesk_bench_mail"
SECRET = "bench-inbound-secret"
START_MARK = "<!-- mail:start -->"
END_MARK = "<!-- mail:end -->"
PY = str(REPO / ".venv" / "bin" / "python")
MANAGE = str(REPO / "backend" / "manage.py")

SUBJECTS = [
    ("Charged twice for my subscription", "My card was charged twice for the May invoice."),
    ("Cannot log in", "The login page says my password is wrong after the reset."),
    ("App crashes on export", "Exporting a report to PDF crashes the app every time."),
    ("Change my plan", "How do I move from the monthly to the yearly plan?"),
]


def message(i: int, run: str) -> bytes:
    subject, body = SUBJECTS[i % len(SUBJECTS)]
    mail = EmailMessage()
    mail["From"] = f"Customer {i} <customer{i}@bench.example>"
    mail["To"] = "support@desk.example"
    mail["Subject"] = f"{subject} ({i})"
    mail["Message-ID"] = f"<{run}-{i}@bench.example>"
    mail.set_content(f"Hello,\n\n{body}\n\nThanks,\nCustomer {i}\n")
    return mail.as_bytes()


def database_url(server_url: str) -> str:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return server_url.rsplit("/", 1)[0] + f"/{DB_NAME}"


def count(url: str, sql: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql).fetchone()
        return int(row[0]) if row else 0


def mail_env(url: str, **extra: str) -> dict[str, str]:
    return {
        **server_env(url),
        "INBOUND_EMAIL_SECRET": SECRET,
        "SUPPORT_EMAIL": "support@desk.example",
        "MAIL_RATE_LIMIT": "off",
        **extra,
    }


async def post_all(base: str, raws: list[bytes], concurrency: int) -> tuple[float, list[int]]:
    statuses: list[int] = []
    queue = list(raws)
    headers = {"Authorization": f"Bearer {SECRET}", "Content-Type": "message/rfc822"}

    async def worker(client: httpx.AsyncClient) -> None:
        while queue:
            raw = queue.pop()
            response = await client.post("/api/inbound/email/", content=raw, headers=headers)
            statuses.append(response.status_code)

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        return time.perf_counter() - started, statuses


def webhook(url: str, n: int, concurrency: int) -> dict[str, object]:
    env = mail_env(url)
    subprocess.run([PY, MANAGE, "train_triage", "--if-missing"], env=env, check=True)
    with server(env, workers=1) as base:
        results: dict[str, object] = {}
        for label, clients, run in (("sequential", 1, "seq"), ("concurrent", concurrency, "con")):
            raws = [message(i, run) for i in range(n)]
            seconds, statuses = asyncio.run(post_all(base, raws, clients))
            results[label] = {
                "clients": clients,
                "messages": n,
                "seconds": round(seconds, 2),
                "per_second": round(n / seconds, 1),
                "accepted_202": statuses.count(202),
                "other": len(statuses) - statuses.count(202),
            }
            print(f"webhook {label}: {n} messages in {seconds:.1f} s = {n / seconds:.1f}/s")
        tickets = count(url, "SELECT count(*) FROM tickets_ticket")
        results["tickets_filed"] = tickets
        results["ok"] = tickets == 2 * n
        return results


def mailbox(url: str, n: int, kill_after: float) -> dict[str, object]:
    from imapclient import IMAPClient

    before = count(url, "SELECT count(*) FROM tickets_ticket")
    with running_dovecot() as imap:
        with IMAPClient("127.0.0.1", port=imap.port, ssl=False) as client:
            client.login(imap.user, imap.password)
            for i in range(n):
                client.append("INBOX", message(i, "box"))
        env = mail_env(url, IMAP_URL=imap.url)
        command = [PY, MANAGE, "poll_mailbox", "--once"]
        started = time.perf_counter()
        first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        time.sleep(kill_after)
        killed = first.poll() is None
        first.kill()
        first.wait()
        filed_before_restart = count(url, "SELECT count(*) FROM tickets_ticket") - before
        runs = 1
        while True:
            runs += 1
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
            with IMAPClient("127.0.0.1", port=imap.port, ssl=False) as client:
                client.login(imap.user, imap.password)
                client.select_folder("INBOX", readonly=True)
                unseen = len(client.search(["UNSEEN"]))
            if unseen == 0 or runs > 5:
                break
        seconds = time.perf_counter() - started
    tickets = count(url, "SELECT count(*) FROM tickets_ticket") - before
    emails = count(url, "SELECT count(*) FROM mail_email WHERE message_id LIKE 'box-%'")
    distinct = count(
        url,
        "SELECT count(DISTINCT title) FROM tickets_ticket WHERE id IN "
        "(SELECT ticket_id FROM mail_email WHERE message_id LIKE 'box-%')",
    )
    result = {
        "messages": n,
        "killed_mid_batch": killed,
        "filed_before_kill": filed_before_restart,
        "poller_runs": runs,
        "seconds_total": round(seconds, 1),
        "tickets_filed": tickets,
        "emails_stored": emails,
        "distinct_titles": distinct,
        "unseen_left": unseen,
        "lost": n - emails,
        "duplicated": tickets - emails,
        "ok": tickets == n and emails == n and distinct == n and unseen == 0,
    }
    print(f"mailbox: {json.dumps(result)}")
    return result


def render(info: dict[str, str], hook: dict[str, object], box: dict[str, object]) -> str:
    seq, con = hook["sequential"], hook["concurrent"]
    assert isinstance(seq, dict) and isinstance(con, dict)
    sent = int(seq["messages"]) + int(con["messages"])
    every = "ok" if hook["ok"] else "MISMATCH"
    drained = "ok" if box["ok"] else "FAILED"
    rows = [
        (
            "webhook ingest, 1 client",
            f"{seq['messages']} messages in {seq['seconds']} s: **{seq['per_second']}/s**",
        ),
        (
            f"webhook ingest, {con['clients']} clients",
            f"{con['messages']} messages in {con['seconds']} s: **{con['per_second']}/s**",
        ),
        ("every POST a ticket", f"{hook['tickets_filed']} tickets for {sent} messages ({every})"),
        (
            f"mailbox drained, poller SIGKILLed after {box['filed_before_kill']} filed",
            f"{box['messages']} messages, {box['poller_runs']} runs, {box['seconds_total']} s; "
            f"lost {box['lost']}, duplicated {box['duplicated']}, unseen left "
            f"{box['unseen_left']} ({drained})",
        ),
    ]
    return "\n".join(
        [
            "## Mail (bench/mail.py)",
            "",
            f"{info.get('when')}, load {info.get('load')}, {info.get('cpu')}, "
            f"{info.get('postgres')}. One uvicorn process, local-model triage.",
            "",
            "| measure | result |",
            "| --- | --- |",
            *(f"| {name} | {value} |" for name, value in rows),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--mailbox", type=int, default=1000)
    parser.add_argument("--kill-after", type=float, default=4.0)
    args = parser.parse_args()
    url = database_url(args.database_url)
    subprocess.run([PY, MANAGE, "migrate", "--noinput", "-v", "0"], env=server_env(url), check=True)
    info = run_info(args.database_url)
    hook = webhook(url, args.messages, args.concurrency)
    box = mailbox(url, args.mailbox, args.kill_after)
    out = REPO / "bench" / "results" / "mail.json"
    out.write_text(json.dumps({"run": info, "webhook": hook, "mailbox": box}, indent=2) + "\n")
    write_markdown(render(info, hook, box), START_MARK, END_MARK)
    if not (hook["ok"] and box["ok"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
