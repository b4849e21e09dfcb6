"""The routes an in-process app really serves, read from its Starlette/FastAPI router.

Mounted sub-apps and included routers are walked (their paths carry the mount's or
the inclusion's prefix); a mount whose app
has no router (a plain ASGI app) counts as one route ``{prefix}/{path}`` for every
method, except static-file mounts. FastAPI's own documentation routes (``/docs``,
``/redoc``, the OpenAPI document) are not routes of the API. Path parameter
converters (``{id:int}``) are dropped, so templates compare with the spec's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["ServedRoute", "has_router", "normalized", "served_routes"]

_CONVERTER = re.compile(r"\{([^{}:]+):[^{}]+\}")
_PARAMETER = re.compile(r"\{[^{}]+\}")
_ANY_METHOD = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_IMPLICIT = frozenset({"HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class ServedRoute:
    """One method on one path template the app answers, and where it was declared."""

    method: str
    path: str
    origin: str

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def normalized(template: str) -> str:
    """A template with every parameter written ``{}`` (``/orders/{}``), for comparison."""
    path = _PARAMETER.sub("{}", _CONVERTER.sub(r"{\1}", template))
    return path.rstrip("/") or "/"


def has_router(app: Any) -> bool:
    """True when the app (or what it wraps) exposes a Starlette router."""
    return _routes_of(app) is not None


def _routes_of(app: Any) -> list[Any] | None:
    seen = 0
    while app is not None and seen < 20:
        routes = getattr(app, "routes", None)
        if isinstance(routes, list):
            return routes
        app = getattr(app, "app", None)  # middleware wrappers keep the inner app here
        seen += 1
    return None


def _documentation_paths(app: Any) -> set[str]:
    names = ("openapi_url", "docs_url", "redoc_url", "swagger_ui_oauth2_redirect_url")
    return {value for name in names if isinstance(value := getattr(app, name, None), str)}


def served_routes(app: Any) -> list[ServedRoute]:
    """Every (method, path) the app's router answers, mounted sub-apps included."""
    routes = _routes_of(app)
    if routes is None:
        return []
    return list(_walk(routes, "", _documentation_paths(app)))


def _walk(routes: list[Any], prefix: str, skipped: set[str]) -> Iterator[ServedRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:  # FastAPI >= 0.16x keeps included routers as branches
            context = getattr(route, "include_context", None)
            inner = prefix + str(getattr(context, "prefix", "") or "")
            yield from _walk(list(getattr(included, "routes", [])), inner, set())
            continue
        path = getattr(route, "path", None)
        if not isinstance(path, str) or path in skipped:
            continue
        full = _CONVERTER.sub(r"{\1}", prefix + path)
        kind = type(route).__name__
        if "WebSocket" in kind:
            continue
        if kind in ("Mount", "Host"):
            yield from _mount(route, full)
            continue
        methods = getattr(route, "methods", None) or _ANY_METHOD
        for method in sorted(set(methods) - _IMPLICIT):
            yield ServedRoute(method, full or "/", kind)


def _mount(route: Any, prefix: str) -> Iterator[ServedRoute]:
    inner = getattr(route, "app", None)
    routes = _routes_of(inner)
    if routes is not None:
        yield from _walk(routes, prefix, _documentation_paths(inner))
        return
    if type(inner).__name__ == "StaticFiles":
        return  # static files are not API operations
    for method in sorted(_ANY_METHOD):
        yield ServedRoute(method, f"{prefix}/{{path}}", f"mount of {type(inner).__name__}")
