"""Full path templates of an app's routes, whatever router nesting produced them.

Metrics, logs and the versioning headers label a request by its route *template*
(``/v1/orders/{order_id}``). Nested routers may leave the prefix off the route object a
request is dispatched to, so the index is built from the app's effective routes and
looked up by endpoint (and, when one endpoint serves several paths, by matching).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from starlette.routing import compile_path
from starlette.types import Scope

UNMATCHED = "<unmatched>"


def _effective_routes(routes: list[Any]) -> Iterator[tuple[str, Any, frozenset[str]]]:
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI versions with flat route lists
        contexts: Iterable[Any] = routes
    else:
        contexts = iter_route_contexts(routes)
    for context in contexts:
        path = getattr(context, "path", None)
        if isinstance(path, str):
            methods = frozenset(getattr(context, "methods", None) or ())
            yield path, getattr(context, "endpoint", None), methods


class RouteIndex:
    """Path templates of an app, by endpoint."""

    def __init__(self, routes: list[Any]) -> None:
        self.by_endpoint: dict[int, list[tuple[str, re.Pattern[str]]]] = {}
        self.methods: dict[str, set[str]] = {}
        for path, endpoint, methods in _effective_routes(routes):
            regex = compile_path(path)[0]
            self.by_endpoint.setdefault(id(endpoint), []).append((path, regex))
            self.methods.setdefault(path, set()).update(methods)

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(self.methods)

    def template(self, scope: Scope) -> str:
        """The template of the route that served ``scope`` (``<unmatched>`` if none)."""
        candidates = self.by_endpoint.get(id(scope.get("endpoint")), [])
        if len(candidates) == 1:
            return candidates[0][0]
        path = scope.get("path", "")
        for template, regex in candidates:
            if regex.match(path):
                return template
        return UNMATCHED

    def allowed_methods(self, path: str) -> set[str]:
        """Every method some route accepts on concrete ``path``."""
        allowed: set[str] = set()
        for template, methods in self.methods.items():
            if compile_path(template)[0].match(path):
                allowed |= methods
        return allowed


def route_index(scope: Scope) -> RouteIndex | None:
    """The (cached) index of the app serving ``scope``."""
    app = scope.get("app")
    state = getattr(app, "state", None)
    if state is None:
        return None
    index = getattr(state, "shop_route_index", None)
    if not isinstance(index, RouteIndex):
        index = RouteIndex(list(getattr(app, "routes", [])))
        state.shop_route_index = index
    return index


def route_template(scope: Scope) -> str:
    """The route template of ``scope``, for metrics and logs."""
    if "endpoint" not in scope:
        return UNMATCHED
    index = route_index(scope)
    return index.template(scope) if index is not None else UNMATCHED
