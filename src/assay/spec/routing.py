"""Match concrete request paths (``/orders/42``) to the spec's operations, fast.

Path templates compile once to regular expressions, grouped by method; literal
templates win over templated ones (``/orders/mine`` beats ``/orders/{id}``), as
routers do. Answers are cached per (method, path), since tests repeat requests.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assay.spec.model import Operation, Spec

__all__ = ["OperationRouter"]

_PARAM = re.compile(r"\{([^{}/]+)\}")


def _compile(template: str) -> re.Pattern[str]:
    pattern = []
    position = 0
    for match in _PARAM.finditer(template):
        pattern.append(re.escape(template[position : match.start()]))
        pattern.append("[^/]+")
        position = match.end()
    pattern.append(re.escape(template[position:]))
    return re.compile("".join(pattern) + "/?")


class OperationRouter:
    """Finds the operation a (method, concrete path) pair belongs to."""

    def __init__(self, spec: Spec, *, prefix: str = "") -> None:
        self._prefix = prefix.rstrip("/")
        self._exact: dict[tuple[str, str], Operation] = {}
        self._templated: dict[str, list[tuple[re.Pattern[str], Operation]]] = {}
        for op in spec.operations:
            if "{" in op.path:
                compiled = _compile(op.path)
                self._templated.setdefault(op.method, []).append((compiled, op))
            else:
                self._exact[(op.method, op.path.rstrip("/") or "/")] = op
        # More literal characters first: the most specific template wins.
        for entries in self._templated.values():
            entries.sort(key=lambda entry: -len(_PARAM.sub("", entry[1].path)))
        self.match = lru_cache(maxsize=4096)(self._match)

    def _match(self, method: str, path: str) -> Operation | None:
        method = method.lower()
        path = path.split("?", 1)[0]
        if self._prefix and path.startswith(self._prefix):
            path = path[len(self._prefix) :] or "/"
        exact = self._exact.get((method, path.rstrip("/") or "/"))
        if exact is not None:
            return exact
        for compiled, op in self._templated.get(method, ()):
            if compiled.fullmatch(path):
                return op
        return None
