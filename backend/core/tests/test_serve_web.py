"""scripts/serve_web.py: several server processes, each on a listening socket of its own."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "serve_web.py"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listeners(port: int) -> set[str]:
    """The pids holding a listening socket on `port` (from `ss`)."""
    out = subprocess.run(
        ["ss", "-tlnpH", f"( sport = :{port} )"], capture_output=True, text=True, check=True
    ).stdout
    return set(re.findall(r"pid=(\d+)", out))


def start(port: int, tmp_path: Path, workers: int, **extra: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
        "TRIAGE_PROVIDERS": "triage.providers.rules.RulesProvider",
        "APP_ENV": "development",
        **extra,
    }
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_healthy(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health/", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not answer")


def test_each_process_listens_on_its_own_socket_and_all_stop_together(tmp_path: Path) -> None:
    port = free_port()
    process = start(port, tmp_path, workers=2)
    try:
        wait_healthy(port, process)
        deadline = time.monotonic() + 60
        while len(listeners(port)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        pids = listeners(port)
        assert len(pids) == 2  # two sockets, so the kernel spreads connections over both
        assert str(process.pid) not in pids  # the parent only supervises
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert listeners(port) == set()
    finally:
        if process.poll() is None:
            process.kill()


def test_a_port_in_use_by_another_program_is_refused(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        process = start(port, tmp_path, workers=2)
        assert process.wait(timeout=30) == 1


def test_processes_that_cannot_start_stop_the_server_instead_of_restarting(
    tmp_path: Path,
) -> None:
    process = start(free_port(), tmp_path, workers=2, ACCESS_MODE="nonsense")
    assert process.wait(timeout=60) == 1
