"""Fixtures for the resilience tests: a stub dependency on 127.0.0.1 (`Upstream`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class _Handler(BaseHTTPRequestHandler):
    """Answers every request with JSON naming what it got; POSTs get 201, chunked."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._json(200, {"method": "GET", "path": self.path})

    def do_DELETE(self) -> None:
        self._json(200, {"method": "DELETE", "path": self.path})

    def do_POST(self) -> None:
        size = int(self.headers.get("Content-Length", "0"))
        received = self.rfile.read(size).decode()
        body = json.dumps({"method": "POST", "path": self.path, "body": received}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("X-Seen-Key", self.headers.get("Idempotency-Key", ""))
        self.end_headers()
        self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))

    def _json(self, status: int, payload: object) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def upstream() -> Iterator[str]:
    """The base URL of a stub dependency (``http://127.0.0.1:PORT``), stopped after."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)
