"""Open pages of a running server in headless Chromium; report Content-Security-Policy violations.

The policy is only proven by a browser enforcing it: this opens each page, waits for it to render,
and collects every console message about a refused script, style, image or connection.

    .venv/bin/python bench/csp_check.py --base http://127.0.0.1:8000 / /tickets /api/docs/

Exit status 0 when no page logged a violation. Needs /usr/bin/chromium (Debian's).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from typing import Any

import websockets


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


VERBOSE = False
# What the page rendered: its title, how many elements, how much text.
EXPRESSION = (
    "`${document.title}: ${document.querySelectorAll('body *').length} elements, "
    "${document.body.innerText.trim().length} characters of text`"
)


async def visit(ws_url: str, url: str, settle: float) -> tuple[list[str], str]:
    """Open `url` in a fresh target; return (CSP messages, page title)."""
    messages: list[str] = []
    async with websockets.connect(ws_url, max_size=None) as ws:
        ids = iter(range(1, 10_000))

        async def call(method: str, params: dict[str, Any] | None = None) -> int:
            number = next(ids)
            await ws.send(json.dumps({"id": number, "method": method, "params": params or {}}))
            return number

        await call("Log.enable")
        await call("Runtime.enable")
        await call("Page.enable")
        await call("Page.navigate", {"url": url})
        title_request = -1
        deadline = time.monotonic() + settle
        title = ""
        while True:
            timeout = deadline - time.monotonic()
            if timeout <= 0 and title_request < 0:
                title_request = await call(
                    "Runtime.evaluate",
                    {"expression": EXPRESSION},
                )
                deadline = time.monotonic() + 5
                continue
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=max(timeout, 0.1))
            except TimeoutError:
                if title_request >= 0:
                    break
                continue
            event = json.loads(raw)
            if event.get("id") == title_request:
                title = event.get("result", {}).get("result", {}).get("value", "")
                break
            text = ""
            if event.get("method") == "Log.entryAdded":
                text = event["params"]["entry"].get("text", "")
            elif event.get("method") == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", "")) for a in event["params"].get("args", []))
            elif event.get("method") == "Runtime.exceptionThrown":
                text = json.dumps(event["params"]["exceptionDetails"].get("text", ""))
            if "Content Security Policy" in text or "Content-Security-Policy" in text:
                messages.append(text)
            elif text and VERBOSE:
                print(f"     console: {text[:300]}")
    return messages, title


async def run(base: str, paths: list[str], chromium: str, settle: float) -> int:
    port = free_port()
    profile = tempfile.mkdtemp(prefix="csp-check-")
    browser = subprocess.Popen(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=1)
                break
            time.sleep(0.1)
        failed = 0
        for path in paths:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT"
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                target = json.load(response)
            violations, title = await visit(target["webSocketDebuggerUrl"], base + path, settle)
            status = "OK " if not violations else "CSP"
            print(f"{status} {path}  (rendered: {title})")
            for message in violations:
                print(f"     {message}")
            failed += bool(violations)
        return 1 if failed else 0
    finally:
        browser.terminate()
        browser.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to let a page render")
    parser.add_argument("paths", nargs="*", default=["/", "/api/docs/"])
    parser.add_argument("--verbose", action="store_true", help="print every console message")
    args = parser.parse_args()
    global VERBOSE
    VERBOSE = args.verbose
    return asyncio.run(run(args.base, args.paths, args.chromium, args.settle))


if __name__ == "__main__":
    sys.exit(main())
