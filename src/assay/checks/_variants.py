"""Variants of a sent case: one string value swapped, sent again, timed.

The injection checks find their payload among a case's string values (`Slot`), then
send the same case with that one value changed (`send_variant`): the benign twin, the
false twin of a boolean payload, a confirmation with other numbers. A variant goes as
the same identity, serialized the engine's way; a connection problem is no answer.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from assay.checks.registry import Exchange
from assay.errors import AssayError
from assay.generation.cases import UNSET, Case
from assay.generation.sending import send_case

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext

__all__ = ["Slot", "send_variant", "slots"]

_PARAMETERS = ("path", "query", "header", "cookie")


@dataclass(frozen=True, slots=True)
class Slot:
    """One string value of a case: its location and its key (a name, or a body path)."""

    location: str
    key: tuple[str | int, ...]
    value: str

    @property
    def label(self) -> str:
        if self.location == "body":
            return "body /" + "/".join(str(p) for p in self.key)
        return f"{self.location} {self.key[0]}"


def slots(case: Case) -> list[Slot]:
    """Every string value of `case` (parameters first, then the body's strings)."""
    found = [
        Slot(location, (name,), value)
        for location, holder in zip(_PARAMETERS, _holders(case), strict=True)
        for name, value in holder.items()
        if isinstance(value, str)
    ]
    if case.raw_body is None and case.body is not UNSET:
        found.extend(Slot("body", path, value) for path, value in _strings(case.body, ()))
    return found


def _holders(case: Case) -> tuple[dict[str, Any], ...]:
    return case.path_parameters, case.query, case.headers, case.cookies


Path = tuple[str | int, ...]


def _strings(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _with_value(case: Case, slot: Slot, value: str) -> Case:
    holders = [dict(h) for h in _holders(case)]
    body = case.body
    if slot.location == "body":
        body = _set(body, slot.key, value)
    else:
        holders[_PARAMETERS.index(slot.location)][str(slot.key[0])] = value
    path, query, headers, cookies = holders
    return replace(
        case, path_parameters=path, query=query, headers=headers, cookies=cookies, body=body
    )


def _set(body: Any, path: tuple[str | int, ...], value: str) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(body, dict):
        return {**body, str(head): _set(body[str(head)], rest, value)}
    items = list(body)
    items[int(head)] = _set(items[int(head)], rest, value)
    return items


def send_variant(ctx: CheckContext, exchange: Exchange, slot: Slot, value: str) -> Exchange | None:
    """Send the case of `exchange` with `slot` set to `value`: its exchange, or None.

    None when the case's identity is not one the client knows (a disposable copy) or
    when no response came.
    """
    case = _with_value(exchange.case, slot, value)
    identity = case.identity
    if identity is not None and identity not in ctx.client.identities:
        return None
    started = time.perf_counter()
    try:
        response = send_case(ctx.client, case, identity=identity, validate=False)
    except AssayError:
        return None
    return Exchange(case, response, (time.perf_counter() - started) * 1000)
