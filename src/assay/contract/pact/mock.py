"""The mock provider a consumer's tests talk to: in-process ASGI, or real HTTP on 127.0.0.1.

It answers each request with the response of the interaction it matches and remembers
what it received, so the test can check that the consumer made exactly the expected
calls. A request no interaction matches is answered 500 with a JSON body that says
which interaction came closest and how it differs (the consumer's test sees it, and
the verification at the end reports it).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from assay.contract.pact.comparison import Received, compare_request, is_json_type
from assay.contract.pact.matching import Mismatch
from assay.contract.pact.model import Interaction, PactResponse

__all__ = ["MockProvider", "Unexpected"]

Answer = tuple[int, list[tuple[str, str]], bytes]


@dataclass(frozen=True, slots=True)
class Unexpected:
    """A request no interaction matched, with the closest interaction's differences."""

    request: Received
    closest: str | None = None
    mismatches: tuple[Mismatch, ...] = ()

    def describe(self) -> str:
        text = f"unexpected request {self.request.describe()}"
        if self.closest is not None:
            lines = "\n".join(f"      - {m}" for m in self.mismatches)
            text += f"\n    closest interaction {self.closest} differs:\n{lines}"
        return text


def render_response(response: PactResponse) -> Answer:
    """The bytes the mock answers with for an interaction's response."""
    headers = list(response.headers.items())
    names = {name.lower() for name, _ in headers}
    body = b""
    if response.has_body and response.body is not None:
        content_type = response.headers.get("Content-Type") or {
            k.lower(): v for k, v in headers
        }.get("content-type")
        if isinstance(response.body, dict | list) or is_json_type(content_type):
            body = json.dumps(response.body).encode()
            if "content-type" not in names:
                headers.append(("Content-Type", "application/json"))
        else:
            body = str(response.body).encode()
    return response.status, headers, body


@dataclass(slots=True)
class MockProvider:
    """Answers requests from a list of interactions and records what happened."""

    interactions: list[Interaction] = field(default_factory=list)
    received: dict[int, int] = field(default_factory=dict)
    unexpected: list[Unexpected] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: Received) -> Answer:
        """The answer to one request (recorded as matched or unexpected)."""
        best: tuple[int, Interaction, list[Mismatch]] | None = None
        for index, interaction in enumerate(self.interactions):
            mismatches = compare_request(interaction.request, request)
            if not mismatches:
                with self.lock:
                    self.received[index] = self.received.get(index, 0) + 1
                return render_response(interaction.response)
            if best is None or len(mismatches) < len(best[2]):
                best = (index, interaction, mismatches)
        miss = Unexpected(request)
        if best is not None:
            miss = Unexpected(request, best[1].label, tuple(best[2]))
        with self.lock:
            self.unexpected.append(miss)
        body = {"error": "no interaction matches this request", "detail": miss.describe()}
        return 500, [("Content-Type", "application/json")], json.dumps(body).encode()

    def missing(self) -> list[Interaction]:
        """Interactions the consumer never called."""
        return [i for n, i in enumerate(self.interactions) if not self.received.get(n)]

    # ASGI ---------------------------------------------------------------------------------

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        query = scope.get("query_string", b"").decode("latin-1")
        request = Received.request(scope["method"], scope["path"], query, headers, b"".join(chunks))
        status, answer_headers, body = self.handle(request)
        raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in answer_headers]
        raw.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    # real HTTP ----------------------------------------------------------------------------

    @contextmanager
    def serve(self, port: int = 0) -> Iterator[str]:
        """Serve over HTTP on 127.0.0.1 (a free port by default); yields the base URL."""
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        server.daemon_threads = True
        thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="assay-pact-mock", daemon=True
        )
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


async def _lifespan(
    receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
    send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _handler_for(mock: MockProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _body(self) -> bytes:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                parts = []
                while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                    parts.append(self.rfile.read(size))
                    self.rfile.readline()
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _answer(self) -> None:
            body = self._body()
            url = urlsplit(self.path)
            headers = dict(self.headers.items())
            request = Received.request(self.command, url.path, url.query, headers, body)
            status, answer_headers, payload = mock.handle(request)
            self.send_response(status)
            for name, value in answer_headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _answer

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet: the test output is the place for mismatches

    return Handler
