"""What a lax server accepts on purpose: pydantic's lax-mode conversions (FastAPI's default).

A request value that breaks its schema only by its type, and whose lax conversion is
valid (``"5"``, ``5.0`` or ``" +5 "`` for an integer, ``"yes"`` for a boolean,
``"nan"`` for a number, a date for a date-time), is not invalid input a server must
refuse: FastAPI converts it, and the value it then works with is in the spec.
"""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING, Any

from assay.checks._requests import sent_request
from assay.errors import AssayError
from assay.spec.model import resolve_pointer

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange
    from assay.spec.model import Parameter
    from assay.spec.validation import Violation

__all__ = ["lax_conversions", "lenient"]

_NUMERIC = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
_SPECIAL_FLOATS = frozenset({"nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})
_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _from_text(text: str) -> list[Any]:
    word = text.strip().lower()
    found: list[Any] = []
    if _NUMERIC.fullmatch(text) or word in _SPECIAL_FLOATS:
        number = float(word)
        found.append(number)
        if math.isfinite(number) and number.is_integer():
            found.append(int(number))
    if word in _TRUE or word in _FALSE:
        found.append(word in _TRUE)
    if _DATE.match(text):
        found.append(text[:10] + "T00:00:00Z")
    return found


def lax_conversions(value: Any) -> list[Any]:
    """The values pydantic's lax mode may turn `value` into (besides itself)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, str):
        return _from_text(value)
    if isinstance(value, float) and value.is_integer():
        return [int(value)]
    if isinstance(value, int) and value in (0, 1):
        return [bool(value)]
    return []


def _parameter(exchange: Exchange, violation: Violation) -> Parameter | None:
    for param in exchange.case.operation.parameters:
        if violation.schema_pointer.startswith(param.pointer + "/"):
            return param
    return None


def _raw_parameter(exchange: Exchange, param: Parameter) -> str | None:
    sent = sent_request(exchange)
    sources: dict[str, Any] = {
        "path": sent.path_values,
        "query": sent.query,
        "header": sent.headers,
        "cookie": sent.cookies,
    }
    name = param.name.lower() if param.location == "header" else param.name
    value = sources[param.location].get(name)
    return value if isinstance(value, str) else None


def _body_value(exchange: Exchange, pointer: str) -> tuple[bool, Any]:
    try:
        document = json.loads(exchange.response.request.content)
        return True, resolve_pointer(document, "#" + pointer)
    except (ValueError, AssayError):
        return False, None


def _bounded(ctx: CheckContext, pointer: str) -> bool:
    try:
        text = repr(ctx.spec.schema_at(pointer))
    except AssayError:
        return True
    return "imum'" in text or "multipleOf" in text


def _converted_is_valid(ctx: CheckContext, pointer: str, value: Any) -> bool:
    for converted in lax_conversions(value):
        candidate = converted
        if isinstance(converted, float) and not math.isfinite(converted):
            # JSON Schema has no NaN or infinity; unbounded, pydantic accepts them.
            if _bounded(ctx, pointer):
                continue
            candidate = 0.0
        if not ctx.validator.validate_instance(pointer, candidate):
            return True
    return False


def lenient(ctx: CheckContext, exchange: Exchange, violation: Violation) -> bool:
    """True when a lax conversion of the offending value satisfies its schema."""
    if violation.kind == "parameter-schema":
        param = _parameter(exchange, violation)
        raw = _raw_parameter(exchange, param) if param is not None else None
        return (
            param is not None
            and raw is not None
            and (_converted_is_valid(ctx, param.schema_pointer, raw))
        )
    if violation.kind == "request-body-schema":
        found, value = _body_value(exchange, violation.data_pointer)
        return found and _converted_is_valid(ctx, violation.schema_pointer, value)
    return False
