"""Serve the web app with uvicorn in `--workers` processes, each on a listening socket of its own.

`uvicorn --workers N` shares one listening socket: a burst of new connections wakes one
process, whose accept loop takes them all. With keep-alive clients that process then serves
every request while the others idle (measured: all 8 connections of a benchmark on one of two
processes in a third of the runs, and half the throughput; bench/RESULTS.md, *Throughput*).
Here every process binds the same address with SO_REUSEPORT, so the kernel hands each new
connection to one of the sockets. Where SO_REUSEPORT does not balance (not Linux), or with one
process, it runs uvicorn as usual.

    python scripts/serve_web.py --host 127.0.0.1 --port 8000 --workers 2 [--log-level info]

The parent restarts a process that dies, and stops them all (gracefully: open event streams
get 5 seconds) on SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

import uvicorn

ROOT = Path(__file__).resolve().parent.parent
APP = "config.asgi:application"
logger = logging.getLogger("serve_web")
# A process that exits sooner than this after starting is taken to have failed to start.
STARTUP_SECONDS = 30


def options(args: argparse.Namespace) -> dict[str, Any]:
    """uvicorn's settings for every process, whichever way they are started."""
    return {
        "host": args.host,
        "port": args.port,
        "proxy_headers": True,
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS") or None,
        "server_header": False,
        # Open event streams never finish by themselves: stop waiting for them after 5 s.
        "timeout_graceful_shutdown": 5,
        "log_level": args.log_level,
    }


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def worker(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "backend"))
    uvicorn.Server(uvicorn.Config(APP, **options(args))).run(sockets=[listen(args.host, args.port)])


def port_is_free(host: str, port: int) -> bool:
    """Another program on the port (bound without SO_REUSEPORT, or by another user) must make
    this fail at start, as uvicorn does, rather than share its traffic."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            logger.error("cannot listen on %s:%s: %s", host, port, exc)
            return False
    return True


def supervise(args: argparse.Namespace) -> int:
    context = multiprocessing.get_context("spawn")
    processes: list[Any] = []
    stopping = False

    def start() -> Any:
        process = context.Process(target=worker, args=(args,), daemon=False)
        process.start()
        return process

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for process in processes:
            if process.is_alive():
                os.kill(process.pid, signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    processes.extend(start() for _ in range(args.workers))
    started = [time.monotonic()] * len(processes)
    status = 0
    while not stopping:
        time.sleep(0.5)
        for i, process in enumerate(processes):
            if process.is_alive() or stopping:
                continue
            if time.monotonic() - started[i] < STARTUP_SECONDS:
                # It could not start (bad settings, the app failing to import): restarting would
                # only repeat the error twice a second.
                logger.error("web process %s failed to start (%s)", process.pid, process.exitcode)
                status = 1
                stop(signal.SIGTERM, None)
                break
            logger.warning("web process %s exited (%s): restarting", process.pid, process.exitcode)
            processes[i], started[i] = start(), time.monotonic()
    for process in processes:
        process.join(timeout=15)
        if process.is_alive():
            process.kill()
    return status


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")
    if args.workers < 2 or not sys.platform.startswith("linux"):
        # One process, or no balancing SO_REUSEPORT: uvicorn's own way.
        uvicorn.run(APP, app_dir=str(ROOT / "backend"), workers=args.workers, **options(args))
        return 0
    if not port_is_free(args.host, args.port):
        return 1
    return supervise(args)


if __name__ == "__main__":
    sys.exit(main())
