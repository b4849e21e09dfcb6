"""Non-fatal problems of a loaded document: what ``assay spec`` prints.

Each rule is a function of the spec that yields `Problem`s; `lint` runs them all.

========================== ======= ===================================================
code                       level   fires when
========================== ======= ===================================================
operation-id-missing       warning an operation has no ``operationId``
operation-id-duplicate     error   two operations share an ``operationId``
summary-missing            warning an operation has no ``summary``
no-success-response        warning an operation documents no 2xx or 3xx response
no-error-response          warning an operation that takes input or credentials documents
                                   no 4xx, 5xx or default response
path-parameter-optional    error   a path parameter is not ``required: true``
path-parameter-unused      error   a declared path parameter is not in the path template
example-invalid            error   an example does not match its own schema
schema-unused              warning a ``components/schemas`` entry is referenced nowhere
========================== ======= ===================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

from assay.spec.examples import example_problems
from assay.spec.model import Operation, Spec, escape_pointer_token, unescape_pointer_token

__all__ = ["Problem", "lint"]

Level = Literal["error", "warning"]
_SCHEMA_REF = re.compile(r"#/components/schemas/([^\"/#]+)")
_TEMPLATE_NAME = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of a document: a rule's `code`, its `level`, where, and what to do."""

    code: str
    level: Level
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.pointer}: {self.message} [{self.code}]"


def _operation_ids(spec: Spec) -> Iterator[Problem]:
    seen: dict[str, Operation] = {}
    for op in spec.operations:
        if not op.operation_id:
            yield Problem(
                "operation-id-missing",
                "warning",
                op.pointer,
                f"{op.label} has no operationId; add one so tests, links and reports can name it",
            )
        elif op.operation_id in seen:
            first = seen[op.operation_id]
            yield Problem(
                "operation-id-duplicate",
                "error",
                op.pointer,
                f"operationId {op.operation_id!r} of {op.label} is also used by {first.label}; "
                "operationIds must be unique, rename one",
            )
        else:
            seen[op.operation_id] = op


def _summaries(spec: Spec) -> Iterator[Problem]:
    for op in spec.operations:
        if not op.summary:
            yield Problem(
                "summary-missing",
                "warning",
                op.pointer,
                f"{op.label} has no summary; add a one-line summary for documentation and reports",
            )


def _status_class(status: str) -> str:
    return "default" if status == "default" else status[0]


def _responses(spec: Spec) -> Iterator[Problem]:
    for op in spec.operations:
        classes = {_status_class(s) for s in op.responses}
        where = f"{op.pointer}/responses"
        if not classes & {"2", "3"}:
            yield Problem(
                "no-success-response",
                "warning",
                where,
                f"{op.label} documents no 2xx or 3xx response; document what success returns",
            )
        if not classes & {"4", "5", "default"} and _can_be_called_wrongly(spec, op):
            yield Problem(
                "no-error-response",
                "warning",
                where,
                f"{op.label} documents no error response (4xx, 5xx or default); document how "
                "it fails, e.g. 422 or default",
            )


def _can_be_called_wrongly(spec: Spec, op: Operation) -> bool:
    """False for an operation with no input and no credentials (``GET /healthz``)."""
    secured = any(not r.is_anonymous for r in (op.security or spec.security))
    return bool(op.parameters or op.request_body or secured)


def _path_parameters(spec: Spec) -> Iterator[Problem]:
    for op in spec.operations:
        names = set(_TEMPLATE_NAME.findall(op.path))
        for param in op.parameters_in("path"):
            declared = spec.schema_at(param.pointer)
            if isinstance(declared, dict) and declared.get("required") is not True:
                yield Problem(
                    "path-parameter-optional",
                    "error",
                    param.pointer,
                    f"path parameter {param.name!r} of {op.label} is not required; path "
                    "parameters must say required: true",
                )
            if param.name not in names:
                yield Problem(
                    "path-parameter-unused",
                    "error",
                    param.pointer,
                    f"path parameter {param.name!r} is declared for {op.label} but the template "
                    f"{op.path} has no {{{param.name}}}; remove it or fix the name",
                )


def _mentions(value: Any) -> set[str]:
    text = json.dumps(value, ensure_ascii=False)
    return {unescape_pointer_token(unquote(m)) for m in _SCHEMA_REF.findall(text)}


def _unused_schemas(spec: Spec) -> Iterator[Problem]:
    components = spec.raw.get("components")
    if not isinstance(components, dict) or not isinstance(components.get("schemas"), dict):
        return
    schemas: dict[str, Any] = components["schemas"]
    outside = {k: v for k, v in spec.raw.items() if k != "components"}
    outside["components"] = {k: v for k, v in components.items() if k != "schemas"}
    reached: set[str] = set()
    frontier = _mentions(outside)
    while frontier:
        name = frontier.pop()
        if name in reached or name not in schemas:
            continue
        reached.add(name)
        frontier |= _mentions(schemas[name]) - reached
    for name in schemas:
        if name not in reached:
            yield Problem(
                "schema-unused",
                "warning",
                f"#/components/schemas/{escape_pointer_token(name)}",
                f"schema {name!r} is not used by any operation; remove it or reference it",
            )


def _examples(spec: Spec) -> Iterator[Problem]:
    for pointer, message in example_problems(spec):
        yield Problem("example-invalid", "error", pointer, message)


_RULES: tuple[Callable[[Spec], Iterator[Problem]], ...] = (
    _operation_ids,
    _summaries,
    _responses,
    _path_parameters,
    _examples,
    _unused_schemas,
)


def lint(spec: Spec) -> list[Problem]:
    """Every non-fatal problem of `spec`, errors and warnings, rule by rule."""
    return [problem for rule in _RULES for problem in rule(spec)]
