"""Injection probes: a small payload set in every string parameter and body field.

For each operation (DELETE excluded: an injected condition there removes rows), a valid
request is built once; then each string location in turn (path, query, header and cookie
parameters, string fields of a JSON or form body with every optional field filled, at
most `SLOTS`) gets the payloads of
`payloads.catalogue` that keep the request valid by the spec (a payload the schema
forbids is skipped: a validating server refuses it before it reaches anything). SQL
payloads with an OR condition go to GET operations only, time-based ones to at most
`TIME_PROBES` per operation, and at most `PER_OPERATION` cases are sent per operation.

The cases are positive edge cases of phase ``security``: a correct server accepts them
or refuses them with a 4xx. The injection checks judge the answers, sending the twins
and confirmations themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from assay.errors import AssayError
from assay.generation.baseline import Baseline, generated_parameters, place, sendable
from assay.generation.cases import Case
from assay.generation.examples import examples_of
from assay.generation.payloads import fields, set_at
from assay.generation.security.payloads import Payload, catalogue
from assay.generation.steps import ScenarioContext
from assay.generation.values import ValueFactory
from assay.spec.model import Operation, Parameter

__all__ = ["PER_OPERATION", "SLOTS", "TIME_PROBES", "injection_cases", "run"]

PER_OPERATION = 48
SLOTS = 8
TIME_PROBES = 2
_PHASE = "security"
_SKIPPED_METHODS = frozenset({"delete", "head", "options", "trace"})


@dataclass(frozen=True, slots=True)
class _Slot:
    """One string location: a parameter, or a body field (by its path in the body)."""

    param: Parameter | None
    path: tuple[str | int, ...]
    value: str

    @property
    def label(self) -> str:
        if self.param is not None:
            return f"{self.param.location} {self.param.name}"
        return "body /" + "/".join(str(p) for p in self.path)


def run(ctx: ScenarioContext) -> None:
    """Send the injection cases of every operation until the deadline."""
    for operation in ctx.operations:
        factory = ctx.factory(operation)
        if factory is None:
            return
        for case in injection_cases(operation, factory):
            if ctx.expired:
                return
            ctx.execute(case)


def injection_cases(operation: Operation, factory: ValueFactory) -> Iterator[Case]:
    """The injection cases of one operation, bounded as the module says."""
    if operation.method in _SKIPPED_METHODS:
        return
    factory = factory.fork("security:injection", complete=True)
    try:
        base = Baseline.build(operation, factory, optional=False)
    except AssayError:
        return
    payloads = catalogue(html=_serves_html(operation))
    sent = timed = 0
    for slot in _slots(operation, base, factory)[:SLOTS]:
        for payload in payloads:
            if payload.read_only and operation.method != "get":
                continue
            if payload.kind == "sql_time" and timed >= TIME_PROBES:
                continue
            case = _case(base, slot, payload, factory)
            if case is None:
                continue
            timed += payload.kind == "sql_time"
            sent += 1
            yield case
            if sent >= PER_OPERATION:
                return


def _serves_html(operation: Operation) -> bool:
    return any(
        media.lower().startswith("text/html")
        for response in operation.responses.values()
        for media in response.content
    )


def _slots(operation: Operation, base: Baseline, factory: ValueFactory) -> list[_Slot]:
    found: list[_Slot] = []
    for param in generated_parameters(operation):
        if param.content_type is not None:
            continue
        value = _documented(param, factory) or base.values.get(param.key)
        if value is None:
            try:
                value = factory.for_parameter(param)
            except AssayError:
                continue
        if isinstance(value, str):
            found.append(_Slot(param, (), value))
    if isinstance(base.body, dict) and base.media is not None:
        schema = base.media.schema or {}
        for field in fields(schema, base.body, factory.reader, factory.checker, factory.composer):
            if field.path and isinstance(field.value, str):
                found.append(_Slot(None, field.path, field.value))
    return found


def _documented(param: Parameter, factory: ValueFactory) -> str | None:
    """The parameter's first documented string (example, default): a value the server
    knows, so that only the payload differs between a probe and its benign twin."""
    return next((v for _, v in examples_of(param, factory) if isinstance(v, str) and v), None)


def _case(base: Baseline, slot: _Slot, payload: Payload, factory: ValueFactory) -> Case | None:
    """A valid case with `payload` in `slot` (None when no variant of it is valid)."""
    for value in dict.fromkeys((payload.applied_to(slot.value), payload.applied_to("a"))):
        case = base.case(phase=_PHASE, note=f"injection {payload.kind}: {slot.label}")
        case.edge = True
        case.scenario = {"name": "security", "probe": "injection", "step": payload.kind}
        if slot.param is not None:
            schema: Any = slot.param.schema or {"type": "string"}
            if not (sendable(value, slot.param) and factory.checker.is_valid(schema, value)):
                continue
            place(case, slot.param, value)
            return case
        assert base.media is not None
        body = set_at(base.body, slot.path, value)
        if factory.checker.is_valid(base.media.schema or {}, body):
            case.body = body
            return case
    return None
