"""A real HTTP receiver on 127.0.0.1 (http.server in a thread) that answers from a script of status codes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    answers: list[int] = field(default_factory=list)  # status codes to answer in turn; then 200
    received: list[Received] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.received.append(Received(headers=dict(self.headers.items()), body=body))
            code = state.answers.pop(0) if state.answers else 200
            self.send_response(code)
            self.end_headers()
            self.wfile.write(b"ok" if code < 300 else b"nope")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


# Debian's Chromium through Playwright, as the UI shell's browser tests drive it (one definition, reused).
from haicang.web.tests.test_browser import browser_page  # noqa: E402, F401
