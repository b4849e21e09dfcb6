"""What the proxy saw: one `Call` per request, kept in a bounded, thread-safe `CallLog`.

A call is recorded when its request has been read (so a call that is still hanging is
already there) and completed with its status and outcome when it ends. ``at`` is
``time.monotonic()`` of this process: compare it with your own monotonic readings to
count calls and measure the pauses between them.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

__all__ = ["RECORDED_HEADERS", "Call", "CallLog", "digest", "select_headers"]

RECORDED_HEADERS: tuple[str, ...] = (
    "idempotency-key",
    "x-request-id",
    "x-correlation-id",
    "traceparent",
    "retry-attempt",
)
"""Request headers every call keeps (lower case); `FaultProxy` takes more."""


@dataclass(frozen=True, slots=True)
class Call:
    """One request the proxy received, the fault it applied and how it ended.

    ``outcome`` is ``forwarded`` (the upstream answered ``status``), ``injected`` (the
    proxy answered ``status`` itself), ``hanging`` then ``held`` (a hang, let go
    after ``duration`` seconds), ``reset``, ``refused``, ``upstream unreachable`` or
    ``upstream timeout`` (the proxy answered 502 / 504). ``body_digest`` tells retries
    of the same request (same method, path and body) from different requests.
    """

    index: int
    at: float
    method: str
    path: str
    headers: Mapping[str, str]
    body_digest: str
    body_size: int
    fault: str
    status: int | None = None
    outcome: str = "pending"
    duration: float | None = None

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")

    def header(self, name: str) -> str | None:
        """A recorded request header (any case), None when absent or not recorded."""
        return self.headers.get(name.lower())

    @property
    def signature(self) -> tuple[str, str, str]:
        """Method, path and body digest: equal for a request and its retries."""
        return (self.method, self.path, self.body_digest)

    def describe(self, since: float | None = None) -> str:
        """One line for a report: ``+0.012s POST /charges key=… → 503 (injected)``."""
        offset = f"+{self.at - since:.3f}s " if since is not None else ""
        if not self.method:
            return f"{offset}a connection, closed at once ({self.fault})"
        key = f" key={self.idempotency_key}" if self.idempotency_key else ""
        status = f" → {self.status}" if self.status is not None else ""
        return f"{offset}{self.method} {self.path}{key}{status} ({self.outcome}, {self.fault})"


@dataclass
class CallLog:
    """The calls of one proxy, oldest first, at most ``limit`` (older ones drop out)."""

    limit: int = 10_000
    _calls: deque[Call] = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _next: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        self._calls = deque(maxlen=self.limit)

    def add(self, call: Call) -> Call:
        """Keep `call` under the next index; returns it as kept."""
        with self._lock:
            kept = replace(call, index=self._next)
            self._next += 1
            self._calls.append(kept)
            return kept

    def update(self, call: Call, **changes: object) -> Call:
        """Replace the kept `call` (same index) with its completed form."""
        done = replace(call, **changes)  # type: ignore[arg-type]
        with self._lock:
            for position, kept in enumerate(self._calls):
                if kept.index == call.index:
                    self._calls[position] = done
                    break
        return done

    def all(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def __len__(self) -> int:
        with self._lock:
            return len(self._calls)

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()

    def since(self, moment: float) -> list[Call]:
        """The calls that arrived at or after ``moment`` (``time.monotonic()``)."""
        return [c for c in self.all() if c.at >= moment]

    def matching(self, method: str | None = None, path: str | None = None) -> list[Call]:
        """The calls with `method` (any when None) whose path starts with `path`."""
        wanted = method.upper() if method else None
        return [
            c
            for c in self.all()
            if (wanted is None or c.method == wanted) and (path is None or c.path.startswith(path))
        ]

    def caused_by(self, request_id: str, since: float, header: str = "x-request-id") -> list[Call]:
        """The calls one caller request caused: those carrying its ``request_id`` in
        `header`, and those since ``since`` that carry no such header at all (a caller
        that does not pass the id on; nothing else may call meanwhile)."""
        return [
            c
            for c in self.since(since)
            if c.header(header) == request_id or c.header(header) is None
        ]


def select_headers(headers: Iterable[tuple[str, str]], names: Iterable[str]) -> dict[str, str]:
    """The headers among `names` (lower case), first value of each."""
    wanted = set(names)
    found: dict[str, str] = {}
    for name, value in headers:
        lowered = name.lower()
        if lowered in wanted and lowered not in found:
            found[lowered] = value
    return found


def digest(body: bytes) -> str:
    """A short digest of a request body (retries of one request share it)."""
    return hashlib.sha256(body).hexdigest()[:16]
