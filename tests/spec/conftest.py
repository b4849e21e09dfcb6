"""Fixtures for the spec tests: the fixture documents, a local HTTP server, bad sockets."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

DOCUMENTS = Path(__file__).parent / "documents"

MINIMAL: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Minimal", "version": "1"},
    "paths": {},
}


@pytest.fixture
def documents() -> Path:
    return DOCUMENTS


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the documents folder, plus an HTML page and a JSON document at fixed paths."""

    def do_GET(self) -> None:
        if self.path == "/page.html":
            self._send(200, "text/html", b"<!doctype html><html><body>docs</body></html>")
        elif self.path == "/openapi.json":
            self._send(200, "application/json", json.dumps(MINIMAL).encode())
        elif self.path == "/list.json":
            self._send(200, "application/json", b"[1, 2]")
        else:
            super().do_GET()

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@pytest.fixture
def http_server() -> Iterator[str]:
    """The base URL of a real HTTP server on 127.0.0.1 serving `documents/`."""
    handler = partial(_Handler, directory=str(DOCUMENTS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield int(sock.getsockname()[1])
