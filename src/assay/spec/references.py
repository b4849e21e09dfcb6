"""Find and follow ``$ref``s in an OpenAPI document.

`iter_refs` walks the document the way OpenAPI reads it: keys of name maps
(``properties``, ``paths``, ``components/schemas``…) are names, so a property called
``default`` is walked; literal values (``example``, ``default``, ``enum``, ``const``,
an Example's ``value``, ``x-`` extensions) are data, so a ``$ref`` key inside an example
is not mistaken for a reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assay.errors import AssayError
from assay.spec.model import escape_pointer_token, resolve_pointer

__all__ = ["check_local_refs", "follow", "iter_refs", "pointer_of"]

_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "paths",
        "webhooks",
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "content",
        "encoding",
        "variables",
    }
)
_LITERAL_KEYS = frozenset({"example", "default", "enum", "const", "value", "mapping", "scopes"})

Path = tuple[str, ...]


def pointer_of(path: Path) -> str:
    """The ``#/a/b`` pointer of a path of (unescaped) tokens."""
    return "#" + "".join("/" + escape_pointer_token(token) for token in path)


def iter_refs(
    node: Any, path: Path = (), *, name_map: bool = False
) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every object holding a string ``$ref``, with the path to it, in document order."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict | list):
                yield from iter_refs(item, (*path, str(index)))
        return
    if not isinstance(node, dict):
        return
    if not name_map and isinstance(node.get("$ref"), str):
        yield path, node
    for key, value in node.items():
        if not isinstance(value, dict | list):
            continue
        if not name_map and (key in _LITERAL_KEYS or key.startswith("x-")):
            continue
        if key == "examples" and isinstance(value, list):
            continue
        child_is_map = not name_map and key in _NAME_MAPS and isinstance(value, dict)
        yield from iter_refs(value, (*path, key), name_map=child_is_map)


def check_local_refs(document: dict[str, Any]) -> None:
    """Raise for the first local ``$ref`` that points at nothing, naming where it is used."""
    broken: list[tuple[str, str]] = []
    for path, holder in iter_refs(document):
        ref = holder["$ref"]
        if not _exists(document, ref):
            broken.append((pointer_of(path), ref))
    if broken:
        where, ref = broken[0]
        more = f" (and {len(broken) - 1} more broken $refs)" if len(broken) > 1 else ""
        raise AssayError(
            f"$ref '{ref}' does not exist{more}",
            pointer=where,
            hint="Fix the name in the reference or define the target (check the spelling "
            "against components).",
        )


def _exists(document: dict[str, Any], ref: str) -> bool:
    if not ref.startswith("#"):
        return False
    try:
        resolve_pointer(document, ref)
    except AssayError:
        return False
    return True


def follow(document: Any, node: Any, pointer: str) -> tuple[Any, str]:
    """Follow ``$ref``s from `node` (found at `pointer`) to a value that is not a reference.

    Returns the value and the pointer where it is defined. A chain that loops or ends
    nowhere is an `AssayError` naming `pointer`, the place that used the reference.
    """
    seen: set[str] = set()
    origin = pointer
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            raise AssayError(
                f"$ref '{ref}' refers back to itself through a chain of references",
                pointer=origin,
                hint="Point the reference at a definition rather than at another reference.",
            )
        seen.add(ref)
        if not _exists(document, ref):
            raise AssayError(f"$ref '{ref}' does not exist", pointer=origin)
        node, pointer = resolve_pointer(document, ref), ref
    return node, pointer
