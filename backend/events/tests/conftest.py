from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from events.hub import get_hub
from triage import chain


@pytest.fixture(autouse=True)
def _rules_triage(settings: Any) -> None:
    """Events tests create tickets; the rules provider triages them instantly."""
    settings.TRIAGE_PROVIDERS = ["triage.providers.rules.RulesProvider"]
    chain.reset()


@pytest.fixture
def asgi_server(transactional_db: None) -> Iterator[str]:
    """The ASGI app served by a real uvicorn on a free loopback port, in a thread.

    Transactional: the server's threads read what the test commits, through their own
    connections (PostgreSQL LISTEN included).
    """
    from config.asgi import application

    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=0,
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    # The hub's database thread outlives the server; its connection must not keep the test
    # database from being flushed or dropped.
    get_hub().close()
