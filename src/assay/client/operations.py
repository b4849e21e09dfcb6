"""Prepare a call to a spec operation: check names, fill the template, serialize values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assay.client.parameters import fill_path, serialize_header, serialize_query
from assay.errors import AssayError
from assay.spec.model import Operation, ParameterLocation

__all__ = ["OperationCall", "build_call"]


@dataclass(frozen=True, slots=True)
class OperationCall:
    path: str
    query: list[tuple[str, str | int | float | bool | None]]
    headers: dict[str, str]
    cookies: dict[str, str]


def _refuse_unknown(
    operation: Operation, location: ParameterLocation, given: Mapping[str, Any]
) -> None:
    declared = {p.name for p in operation.parameters_in(location)}
    unknown = sorted(set(given) - declared)
    if unknown:
        names = ", ".join(repr(n) for n in unknown)
        listed = ", ".join(sorted(declared)) or "none"
        raise AssayError(
            f"{operation.label} ({operation.operation_id}) has no {location} parameter {names}; "
            f"its {location} parameters are: {listed}",
            hint="Check the name against the spec, or use client.request() to send "
            "parameters the spec does not declare.",
            pointer=operation.pointer,
        )


def _check_path(operation: Operation, given: Mapping[str, Any]) -> None:
    _refuse_unknown(operation, "path", given)
    missing = [p.name for p in operation.parameters_in("path") if p.name not in given]
    if missing:
        raise AssayError(
            f"{operation.label} ({operation.operation_id}) needs the path parameter(s) "
            f"{', '.join(repr(m) for m in missing)} to fill its template",
            hint=f"Pass path={{{', '.join(repr(m) + ': …' for m in missing)}}}.",
            pointer=operation.pointer,
        )


def build_call(
    operation: Operation,
    *,
    path: Mapping[str, Any],
    query: Mapping[str, Any],
    headers: Mapping[str, Any],
    cookies: Mapping[str, Any],
) -> OperationCall:
    """Everything but the body of the request for `operation`, ready to send."""
    _check_path(operation, path)
    _refuse_unknown(operation, "query", query)
    filled = fill_path(operation.path, operation.parameters, path)
    query_pairs: list[tuple[str, str | int | float | bool | None]] = []
    for name, value in query.items():
        param = operation.parameter(name, "query")
        assert param is not None  # checked above
        query_pairs.extend(serialize_query(param, value))
    return OperationCall(
        path=filled,
        query=query_pairs,
        headers=_serialize(operation, "header", headers),
        cookies=_serialize(operation, "cookie", cookies),
    )


def _serialize(
    operation: Operation, location: ParameterLocation, values: Mapping[str, Any]
) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in values.items():
        param = operation.parameter(name, location)
        out[name] = serialize_header(param, value) if param is not None else str(value)
    return out
