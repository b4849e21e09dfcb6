"""A small JSONPath subset for assertions: ``$.items[0].id``, ``$['a-b']``, ``$.items[*].sku``."""

from __future__ import annotations

import re
from typing import Any

from assay.errors import AssayError

__all__ = ["JSONPath", "Missing"]

_TOKEN = re.compile(
    r"""\.(?P<name>[A-Za-z_$][\w$-]*)      # .name
      | \[(?P<index>-?\d+)\]               # [0] or [-1]
      | \[(?P<quote>['"])(?P<key>.*?)(?P=quote)\]  # ['key'] or ["key"]
      | (?P<star>\[\*\]|\.\*)              # [*] or .*
    """,
    re.VERBOSE,
)


class Missing:
    """Marks 'no value at this path' (distinct from a JSON null)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING = Missing()


class JSONPath:
    """A parsed path. `find` returns the matches; `one` the single value or `MISSING`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.steps = self._parse(text)
        self.is_multi = any(step == ("star", None) for step in self.steps)

    @staticmethod
    def _parse(text: str) -> list[tuple[str, Any]]:
        if not text.startswith("$"):
            raise AssayError(
                f"JSON path {text!r} must start with '$' (for example '$.items[0].id')"
            )
        steps: list[tuple[str, Any]] = []
        position = 1
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                raise AssayError(
                    f"JSON path {text!r} is not understood at {text[position:]!r}",
                    hint="Use $.name, $['name'], $[0] and $[*] steps.",
                )
            if match.group("name") is not None:
                steps.append(("key", match.group("name")))
            elif match.group("index") is not None:
                steps.append(("index", int(match.group("index"))))
            elif match.group("quote") is not None:
                steps.append(("key", match.group("key")))
            else:
                steps.append(("star", None))
            position = match.end()
        return steps

    def find(self, document: Any) -> list[Any]:
        current = [document]
        for kind, arg in self.steps:
            current = [found for node in current for found in _step(node, kind, arg)]
        return current

    def one(self, document: Any) -> Any:
        found = self.find(document)
        return found[0] if found else MISSING


def _step(node: Any, kind: str, arg: Any) -> list[Any]:
    if kind == "key":
        return [node[arg]] if isinstance(node, dict) and arg in node else []
    if kind == "index":
        if isinstance(node, list) and -len(node) <= arg < len(node):
            return [node[arg]]
        return []
    if isinstance(node, dict):
        return list(node.values())
    return list(node) if isinstance(node, list) else []
