"""OpenAPI runtime expressions, evaluated against what a producer request said and got.

A link's parameter values are runtime expressions (``$response.body#/id``,
``$request.path.order_id``, ``$response.header.Location``, ``$statusCode``…), literals,
or strings embedding expressions in braces (``"orders/{$response.body#/id}"``). `Produced`
holds the facts of one exchange in the shape the expressions address, so evaluating
them needs nothing but this module.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assay.spec.model import unescape_pointer_token

__all__ = ["Produced", "Unresolved", "evaluate", "evaluate_body", "walk_pointer"]

_EMBEDDED = re.compile(r"\{(\$[^{}]+)\}")


class Unresolved(Exception):
    """An expression names something the exchange does not have (no header, no field)."""


@dataclass(frozen=True, slots=True)
class Produced:
    """One exchange as runtime expressions see it.

    Header names are lower case; ``body`` is the request body as sent (a Python value),
    ``response_body`` the decoded JSON response (None when it was not JSON).
    """

    method: str
    url: str
    status: int
    path: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    response_headers: Mapping[str, str] = field(default_factory=dict)
    response_body: Any = None


def evaluate(expression: Any, produced: Produced) -> Any:
    """The value of a link parameter: an expression, a template with ``{$…}``, or a literal.

    Raises `Unresolved` when the exchange lacks what the expression names.
    """
    if not isinstance(expression, str):
        return expression
    if expression.startswith("$"):
        return _evaluate_one(expression, produced)
    if "{$" in expression:
        return _EMBEDDED.sub(lambda m: _as_text(_evaluate_one(m.group(1), produced)), expression)
    return expression


def evaluate_body(template: Any, produced: Produced) -> Any:
    """A link's ``requestBody``: an expression, or a structure whose strings may be ones."""
    if isinstance(template, Mapping):
        return {key: evaluate_body(value, produced) for key, value in template.items()}
    if isinstance(template, list):
        return [evaluate_body(item, produced) for item in template]
    return evaluate(template, produced)


def _evaluate_one(expression: str, produced: Produced) -> Any:
    simple = {"$url": produced.url, "$method": produced.method.upper()}
    if expression in simple:
        return simple[expression]
    if expression == "$statusCode":
        return produced.status
    side, _, rest = expression[1:].partition(".")
    if side == "request":
        return _source(rest, produced.path, produced.query, produced.headers, produced.body)
    if side == "response":
        return _source(rest, {}, {}, produced.response_headers, produced.response_body)
    raise Unresolved(f"not a runtime expression: {expression}")


def _source(
    rest: str,
    path: Mapping[str, Any],
    query: Mapping[str, Any],
    headers: Mapping[str, str],
    body: Any,
) -> Any:
    if rest == "body" or rest.startswith("body#"):
        pointer = rest[len("body#") :] if rest.startswith("body#") else ""
        if body is None:
            raise Unresolved("no body")
        return walk_pointer(body, pointer)
    kind, _, name = rest.partition(".")
    if not name:
        raise Unresolved(f"no name in {rest!r}")
    if kind == "header":
        return _lookup(headers, name.lower())
    if kind == "query":
        return _lookup(query, name)
    if kind == "path":
        return _lookup(path, name)
    raise Unresolved(f"unknown source {kind!r}")


def _lookup(values: Mapping[str, Any], name: str) -> Any:
    if name not in values:
        raise Unresolved(f"no {name!r}")
    return values[name]


def walk_pointer(value: Any, pointer: str) -> Any:
    """The part of a JSON value a JSON pointer (``/items/0/id``) names."""
    if not pointer:
        return value
    if not pointer.startswith("/"):
        raise Unresolved(f"not a JSON pointer: {pointer!r}")
    node = value
    for raw in pointer[1:].split("/"):
        token = unescape_pointer_token(raw)
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise Unresolved(f"nothing at {pointer}")
    return node


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
