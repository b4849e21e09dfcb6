"""The transport seam: every request assay sends for testing goes through one of these.

Transports are httpx2 transports, composable as wrappers (DESIGN principle 3):

* `ASGIAppTransport` — calls an in-process ASGI app (lifespan handled by `AppRunner`);
* `httpx2.HTTPTransport` — the live network;
* `RecordingTransport` — wraps any transport and keeps every exchange with its timing
  in a bounded ring buffer (`Recorder`).

Fault injection and counting transports arrive as further wrappers of the same shape.

A group of requests sent at once (`APITestClient.send_together`) goes through the same
transports, one thread per request, each request marked with its `Group`. A transport
that needs to prepare for that offers `together()`, a context manager around the group:
`ASGIAppTransport` serves its app's loop from a thread of its own meanwhile; wrappers
pass it on to the transport they wrap (`together_of`).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import httpx2

from assay.client.asgi import AppRunner, ASGIApp

__all__ = [
    "GROUP",
    "ASGIAppTransport",
    "Exchange",
    "Group",
    "Recorder",
    "RecordingTransport",
    "together_of",
]

GROUP = "assay.group"
"""The request extension that marks a request of a group sent at once (its `Group`)."""

_GATE_TIMEOUT = 1.0
"""Seconds a request of a group waits at its body for the others, at most."""


class Group:
    """A group of requests sent at once, as the in-process transport sees it.

    The app's work before it reads a request's body (middleware, routing) runs on its
    one loop, request after request, and would space the group out by that much. So
    each request of the group is held when the app asks for its body until every
    request of the group has got that far (or has finished without asking), then all
    go on together — the last-byte synchronisation of race testing, in-process. Used
    on the app's loop only.
    """

    def __init__(self, size: int) -> None:
        self._missing = size
        self._open: asyncio.Event | None = None

    def _event(self) -> asyncio.Event:
        if self._open is None:
            self._open = asyncio.Event()
        return self._open

    def arrive(self) -> None:
        """One request of the group got to its body, or will not ask for it."""
        self._missing -= 1
        if self._missing <= 0:
            self._event().set()

    async def wait(self) -> None:
        """Arrive, then wait for the others (at most `_GATE_TIMEOUT`)."""
        self.arrive()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event().wait(), _GATE_TIMEOUT)


def together_of(transport: httpx2.BaseTransport) -> AbstractContextManager[None]:
    """What `transport` needs around a group of requests sent at once from several
    threads: its own `together()` when it has one, else nothing."""
    together = getattr(transport, "together", None)
    return together() if callable(together) else contextlib.nullcontext()


class ASGIAppTransport(httpx2.BaseTransport):
    """Send requests straight into an ASGI application, in this process.

    `raise_app_exceptions=True` lets an exception escaping the app propagate to the test
    (the traceback points at the bug); `False` turns it into a 500 response, as a server
    would.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        lifespan: bool = True,
        raise_app_exceptions: bool = True,
        client: tuple[str, int] = ("127.0.0.1", 50000),
        root_path: str = "",
    ) -> None:
        self.runner = AppRunner(app, lifespan=lifespan)
        self.raise_app_exceptions = raise_app_exceptions
        self._client = client
        self._root_path = root_path

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = request.read()
        scope = self._scope(request)
        timeout = (request.extensions.get("timeout") or {}).get("read")
        group = request.extensions.pop(GROUP, None)  # held once (not on an auth retry)
        exchange = _ASGIExchange(
            body,
            keep_body=request.method != "HEAD",
            group=group if isinstance(group, Group) else None,
        )
        try:
            status, headers, content = self.runner.run(self._bounded(scope, exchange, timeout))
        except TimeoutError:
            # An app that never answers (a deadlock, a lost connection): the same error a
            # server would give, so the caller sees a timeout, not a hang.
            raise httpx2.ReadTimeout(
                f"the app did not answer within {timeout} s", request=request
            ) from None
        return httpx2.Response(status, headers=headers, content=content, request=request)

    def together(self) -> AbstractContextManager[None]:
        """Serve the app's loop from a thread of its own, so several threads can send
        into the app at once (`AppRunner.serving`)."""
        return self.runner.serving()

    def _scope(self, request: httpx2.Request) -> dict[str, Any]:
        url = request.url
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": url.scheme,
            "path": url.path,
            "raw_path": url.raw_path.split(b"?", 1)[0],
            "query_string": url.query,
            "root_path": self._root_path,
            "headers": [(key.lower(), value) for key, value in request.headers.raw],
            "server": (url.host, url.port or (443 if url.scheme == "https" else 80)),
            "client": self._client,
            "state": {},
            "extensions": {},
        }

    async def _bounded(
        self, scope: dict[str, Any], exchange: _ASGIExchange, timeout: float | None
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        if timeout is None:
            return await self._call(scope, exchange)
        return await asyncio.wait_for(self._call(scope, exchange), timeout)

    async def _call(
        self, scope: dict[str, Any], exchange: _ASGIExchange
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        try:
            await self.runner.app(scope, exchange.receive, exchange.send)
        except Exception:
            if self.raise_app_exceptions:
                raise
            if not exchange.started:
                plain = [(b"content-type", b"text/plain; charset=utf-8")]
                return 500, plain, b"Internal Server Error"
        finally:
            exchange.leave_group()
        if exchange.status is None:
            raise RuntimeError("the ASGI app returned without sending a response")
        return exchange.status, exchange.headers, b"".join(exchange.parts)

    def close(self) -> None:
        self.runner.close()


class _ASGIExchange:
    """receive/send callables for one request, the whole body in one message."""

    __slots__ = (
        "_body",
        "_done",
        "_group",
        "_keep",
        "_sent_request",
        "headers",
        "parts",
        "started",
        "status",
    )

    def __init__(self, body: bytes, *, keep_body: bool, group: Group | None = None) -> None:
        self._body = body
        self._keep = keep_body
        self._group = group
        self._sent_request = False
        self._done: asyncio.Event | None = None
        self.status: int | None = None
        self.headers: list[tuple[bytes, bytes]] = []
        self.parts: list[bytes] = []
        self.started = False

    async def receive(self) -> dict[str, Any]:
        if not self._sent_request:
            self._sent_request = True
            group, self._group = self._group, None
            if group is not None:
                await group.wait()
            return {"type": "http.request", "body": self._body, "more_body": False}
        # Nothing more will come: wait until the response is complete, then disconnect.
        if self._done is None:
            self._done = asyncio.Event()
        await self._done.wait()
        return {"type": "http.disconnect"}

    def leave_group(self) -> None:
        """The app finished without asking for the body: the group need not wait for it."""
        group, self._group = self._group, None
        if group is not None:
            group.arrive()

    async def send(self, message: Any) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.started = True
            self.status = int(message["status"])
            self.headers = list(message.get("headers", []))
        elif kind == "http.response.body":
            chunk = message.get("body", b"")
            if chunk and self._keep:
                self.parts.append(chunk)
            if not message.get("more_body", False) and self._done is not None:
                self._done.set()


@dataclass(slots=True)
class Exchange:
    """One request and its response, with timings and the identity that sent it.

    `elapsed_ms` is the wall time spent in the wrapped transport (the app or the
    network), measured with `time.perf_counter`.
    """

    request: httpx2.Request
    response: httpx2.Response
    elapsed_ms: float
    started_at: float
    identity: str | None = None
    operation: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Recorder:
    """A bounded ring buffer of exchanges (the newest `capacity` are kept)."""

    def __init__(self, capacity: int = 200) -> None:
        self._items: deque[Exchange] = deque(maxlen=max(capacity, 1))
        self._lock = threading.Lock()
        self.total = 0

    def add(self, exchange: Exchange) -> None:
        with self._lock:  # requests sent at once finish on several threads
            self._items.append(exchange)
            self.total += 1

    def __iter__(self) -> Iterator[Exchange]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    @property
    def last(self) -> Exchange | None:
        return self._items[-1] if self._items else None

    def clear(self) -> None:
        self._items.clear()


class RecordingTransport(httpx2.BaseTransport):
    """Wraps a transport and records every exchange into a `Recorder`."""

    def __init__(self, inner: httpx2.BaseTransport, recorder: Recorder) -> None:
        self.inner = inner
        self.recorder = recorder

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        started_at = time.time()
        start = time.perf_counter()
        response = self.inner.handle_request(request)
        elapsed_ms = (time.perf_counter() - start) * 1000.0
        identity = request.extensions.get("assay.identity")
        self.recorder.add(
            Exchange(
                request=request,
                response=response,
                elapsed_ms=elapsed_ms,
                started_at=started_at,
                identity=identity if isinstance(identity, str) else None,
            )
        )
        response.extensions["assay.elapsed_ms"] = elapsed_ms
        return response

    def together(self) -> AbstractContextManager[None]:
        """The wrapped transport's preparation for a group sent at once (`together_of`)."""
        return together_of(self.inner)

    def close(self) -> None:
        self.inner.close()
