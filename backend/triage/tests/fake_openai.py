"""A stand-in OpenAI-compatible server for tests: real HTTP on loopback, scripted answers.

The LLM provider talks to it through the real `openai` SDK (`OPENAI_BASE_URL` points here), so
the tests exercise real requests, real timeouts and real response parsing. Each request to
`POST /v1/chat/completions` consumes the next scripted reply (or the default one) and is
recorded with its JSON body.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    content: str | None = None
    finish_reason: str = "stop"
    refusal: str | None = None
    body: str | None = None  # a raw body instead of a chat completion
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to sit on the request before answering
    trickle: float = 0.0  # seconds between body bytes: every read is quick, the whole is slow


def answer(
    category: str = "billing",
    priority: str = "high",
    category_confidence: object = 0.9,
    priority_confidence: object = 0.8,
    reason: str = "The customer was charged twice.",
    **extra: object,
) -> Reply:
    """A well-formed structured answer (any field can be overridden, even with bad values)."""
    data = {
        "reason": reason,
        "category": category,
        "priority": priority,
        "category_confidence": category_confidence,
        "priority_confidence": priority_confidence,
        **extra,
    }
    return Reply(content=json.dumps(data))


def prose(text: str = "I think this is probably a billing issue, fairly urgent.") -> Reply:
    return Reply(content=text)


def error(status: int, message: str = "upstream trouble", **headers: str) -> Reply:
    body = json.dumps({"error": {"message": message, "type": "server_error", "code": None}})
    return Reply(status=status, body=body, headers=headers)


def trickle(seconds_per_byte: float = 0.1) -> Reply:
    """A correct answer sent one byte at a time."""
    return Reply(content=answer().content, trickle=seconds_per_byte)


def hang(seconds: float = 30.0) -> Reply:
    """Answer correctly, but only after `seconds` (or when the server stops)."""
    return Reply(content=answer().content, delay=seconds)


class FakeOpenAI:
    """Start with `FakeOpenAI()`; stop with `close()`. Script with `queue(...)` or `default`."""

    def __init__(self) -> None:
        self.default: Reply = answer()
        self.requests: list[dict[str, Any]] = []
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self.requests.clear()
            self.default = answer()

    def close(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            return self._script.popleft() if self._script else self.default

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, json.dumps({"error": {"message": "not found"}}), {})
                    return
                reply = fake._next(body)
                if reply.delay and fake._stopping.wait(reply.delay):
                    return
                text = reply.body if reply.body is not None else _completion(body, reply)
                self._send(reply.status, text, reply.headers, reply.trickle)

            def _send(
                self, status: int, text: str, headers: dict[str, str], trickle: float = 0.0
            ) -> None:
                payload = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in headers.items():
                        self.send_header(name.replace("_", "-"), value)
                    self.end_headers()
                    if not trickle:
                        self.wfile.write(payload)
                    for byte in payload if trickle else b"":
                        if fake._stopping.wait(trickle):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout): nothing left to answer

            def log_message(self, format: str, *args: Any) -> None:
                """Silence the per-request log lines."""

        return Handler


def _completion(request: dict[str, Any], reply: Reply) -> str:
    return json.dumps(
        {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.get("model", "fake"),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": reply.finish_reason,
                    "message": {
                        "role": "assistant",
                        "content": reply.content,
                        "refusal": reply.refusal,
                    },
                }
            ],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        }
    )
