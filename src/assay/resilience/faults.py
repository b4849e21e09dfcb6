"""Faults the proxy applies to the requests it receives: small values that compose.

    proxy.apply(Hang())                                        # every request hangs
    proxy.apply(Status(503, retry_after=1).on("POST", "/internal/payments/*"))
    proxy.apply(FailFirst(2, Reset()), Latency(0.2, jitter=0.1))

`FaultProxy.apply` takes faults in order: the first whose scope matches a request
decides what happens to it; a request no fault matches is passed through. A fault's
scope (`Fault.on`) is a method and a path pattern (``*`` matches any characters,
``/`` included; the query string is not part of the path).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, replace
from typing import Self

from assay.errors import AssayError

__all__ = [
    "FailFirst",
    "Fault",
    "Hang",
    "Latency",
    "PassThrough",
    "Refuse",
    "Reset",
    "Scope",
    "Status",
]


@dataclass(frozen=True, slots=True)
class Scope:
    """Which requests a fault applies to: a method and a path pattern (None: any)."""

    method: str | None = None
    path: str | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method.upper():
            return False
        bare = path.split("?", 1)[0]
        return self.path is None or fnmatch.fnmatchcase(bare, self.path)

    def __str__(self) -> str:
        if self.method is None and self.path is None:
            return ""
        return f" on {self.method or '*'} {self.path or '*'}"


@dataclass(frozen=True)
class Fault:
    """A fault value; `on` narrows it to some requests. Use one of the kinds below."""

    scope: Scope = field(default=Scope(), kw_only=True)

    def on(self, method: str | None = None, path: str | None = None) -> Self:
        """This fault for requests with `method` (any when None) on `path` (a pattern)."""
        return replace(self, scope=Scope(method.upper() if method else None, path))

    def applies(self, method: str, path: str) -> bool:
        return self.scope.matches(method, path)

    @property
    def label(self) -> str:
        """How records and reports name this fault: ``hang``, ``status 503``…"""
        return f"{self._kind()}{self.scope}"

    def _kind(self) -> str:
        return type(self).__name__.lower()


@dataclass(frozen=True)
class PassThrough(Fault):
    """Forward the request to the upstream and its answer back, unchanged."""

    def _kind(self) -> str:
        return "pass-through"


@dataclass(frozen=True)
class Latency(Fault):
    """Forward after ``delay`` seconds, plus up to ``jitter`` more (uniformly drawn);
    the wait is cut to the proxy's ``max_hold``."""

    delay: float
    jitter: float = 0.0

    def __post_init__(self) -> None:
        if self.delay < 0 or self.jitter < 0:
            raise AssayError(
                f"latency needs a delay and a jitter of 0 or more, got {self.delay}, {self.jitter}"
            )

    def _kind(self) -> str:
        extra = f"+{self.jitter:g}" if self.jitter else ""
        return f"latency {self.delay:g}{extra}s"


@dataclass(frozen=True)
class Hang(Fault):
    """Accept the request and never answer; the connection closes after ``hold`` seconds.

    ``hold`` None holds for the proxy's ``max_hold``; a longer one is cut to it. The
    connection is also let go when the caller gives up (closes it), on
    `FaultProxy.release`, and when the proxy stops.
    """

    hold: float | None = None

    def __post_init__(self) -> None:
        if self.hold is not None and self.hold <= 0:
            raise AssayError(f"a hang needs a positive hold, got {self.hold}")

    def _kind(self) -> str:
        return "hang" if self.hold is None else f"hang {self.hold:g}s"


@dataclass(frozen=True)
class Reset(Fault):
    """Read the request, then reset the connection (TCP RST): no answer at all."""


@dataclass(frozen=True)
class Refuse(Fault):
    """Close the connection without an answer: at once when the fault has no scope
    (before the caller sends anything), else as soon as the request line is read."""


@dataclass(frozen=True)
class Status(Fault):
    """Answer ``status`` without forwarding, e.g. ``Status(503, retry_after=1)``."""

    status: int = 503
    retry_after: float | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def __post_init__(self) -> None:
        if not 200 <= self.status <= 599:
            raise AssayError(f"an injected status must be 200-599, got {self.status}")

    def _kind(self) -> str:
        return f"status {self.status}"

    def response_headers(self) -> list[tuple[str, str]]:
        """The answer's headers: the given ones, Retry-After, and the body's type."""
        found = list(self.headers)
        if self.retry_after is not None:
            found.append(("Retry-After", f"{self.retry_after:g}"))
        if self.body and not any(name.lower() == "content-type" for name, _ in found):
            found.append(("Content-Type", "application/json"))
        return found


@dataclass(frozen=True)
class FailFirst(Fault):
    """``fault`` for the first ``count`` matching requests, then no longer applies.

    Later requests go to the next fault given to `FaultProxy.apply` (or pass through):
    a dependency that fails twice and recovers is ``FailFirst(2, Status(503))``.
    """

    count: int = 1
    fault: Fault = field(default=Status(503))

    def __post_init__(self) -> None:
        if self.count < 1:
            raise AssayError(f"FailFirst needs a count of 1 or more, got {self.count}")
        if isinstance(self.fault, FailFirst | PassThrough):
            raise AssayError("FailFirst wraps a failing fault (Hang, Reset, Status…)")

    def applies(self, method: str, path: str) -> bool:
        return self.scope.matches(method, path) and self.fault.applies(method, path)

    def _kind(self) -> str:
        return f"first {self.count}: {self.fault.label}"
