"""`Cleanup`: what a test created, undone in reverse order when the test ends.

Register a URL (deleted with ``DELETE`` through a client) or a callable (called with no
arguments). `run()` undoes everything, newest first, and returns what could not be
undone as `Leftover`s, each with its URL or label and the reason; it never raises for a
resource that would not go away, so one stubborn resource does not hide the others.

    cleanup = Cleanup(api)
    response = api.post("/v2/products", json=product)
    cleanup.register(response.headers["Location"])
    cleanup.register(lambda: shutil.rmtree(folder), label="upload folder")
    leftovers = cleanup.run()
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from assay.errors import AssayError

__all__ = ["Cleanup", "Deleter", "Leftover"]

GONE = frozenset({404, 410})
"""Statuses that mean the resource is already gone: nothing is left behind."""


class _Response(Protocol):
    @property
    def status_code(self) -> int: ...


class Deleter(Protocol):
    """What sends the DELETEs: an `APITestClient` (or anything with ``delete(url)``)."""

    def delete(self, url: str) -> _Response: ...


@dataclass(frozen=True, slots=True)
class Leftover:
    """A resource `Cleanup.run` could not remove: its URL or label and why."""

    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.target}: {self.reason}"


@dataclass(slots=True)
class _Entry:
    target: str | Callable[[], object]
    label: str
    via: Deleter | None
    created_at: float
    order: int = field(default=0)


_ORDER = itertools.count()


class Cleanup:
    """A registry of things to undo at teardown, undone newest first.

    ``client`` sends the DELETEs of registered URLs unless `register` names another
    (``via=``); with an `APITestClient` they go without response validation, as the
    identity the client sends as.
    """

    def __init__(self, client: Deleter | None = None) -> None:
        self.client = client
        self._entries: list[_Entry] = []
        self._seen: set[str] = set()

    def register(
        self,
        target: str | Callable[[], object],
        *,
        label: str | None = None,
        via: Deleter | None = None,
        created_at: float | None = None,
    ) -> None:
        """Undo ``target`` at teardown: ``DELETE`` a URL, or call a callable.

        A URL registered twice is deleted once. ``label`` names a callable in the report
        of what was left behind; ``created_at`` (a ``time.time()``) places the entry
        among the others when it is registered after the fact.
        """
        if isinstance(target, str):
            if not target:
                raise AssayError(
                    "Cleanup.register got an empty URL",
                    hint="Pass the created resource's URL (its Location) or a callable.",
                )
            if target in self._seen:
                return
            self._seen.add(target)
        elif not callable(target):
            raise AssayError(
                f"Cleanup.register takes a URL or a callable, not {type(target).__name__}",
                hint="Register the resource's URL, or a function that removes it.",
            )
        name = label or (target if isinstance(target, str) else _callable_name(target))
        when = time.time() if created_at is None else created_at
        self._entries.append(_Entry(target, name, via, when, next(_ORDER)))

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def pending(self) -> list[str]:
        """Labels (URLs) of what is still to be undone, in the order it will be."""
        return [entry.label for entry in self._ordered()]

    def run(self) -> list[Leftover]:
        """Undo everything registered, newest first; return what could not be undone."""
        entries = self._ordered()
        self._entries.clear()
        self._seen.clear()
        leftovers = []
        for entry in entries:
            reason = self._undo(entry)
            if reason is not None:
                leftovers.append(Leftover(entry.label, reason))
        return leftovers

    def _ordered(self) -> list[_Entry]:
        return sorted(self._entries, key=lambda e: (e.created_at, e.order), reverse=True)

    def _undo(self, entry: _Entry) -> str | None:
        target = entry.target
        try:
            if not isinstance(target, str):
                target()
                return None
            client = entry.via or self.client
            if client is None:
                return "no client to send the DELETE with (Cleanup(client) or via=)"
            status = _delete(client, target)
        except Exception as exc:  # a teardown reports, it does not stop half-way
            return f"{type(exc).__name__}: {exc}"
        if 200 <= status < 300 or status in GONE:
            return None
        return f"DELETE answered {status}"


def _delete(client: Deleter, url: str) -> int:
    from assay.client import APITestClient

    if isinstance(client, APITestClient):
        return client.delete(url, validate=False).status_code
    return client.delete(url).status_code


def _callable_name(target: Callable[[], object]) -> str:
    name = getattr(target, "__qualname__", None) or type(target).__name__
    return f"{name}()"
