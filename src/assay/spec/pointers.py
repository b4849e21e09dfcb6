"""JSON pointers into an OpenAPI document: escaping tokens and resolving local pointers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from assay.errors import AssayError

__all__ = ["escape_pointer_token", "resolve_pointer", "unescape_pointer_token"]


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer token (``/orders`` → ``~1orders``)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at a local JSON pointer (``#/a/b`` or ``/a/b``) in `document`."""
    if not pointer.startswith("#"):
        raise AssayError(
            f"only local references can be resolved here, got {pointer!r}",
            hint="External references are bundled when the spec is loaded; load it with "
            "assay.spec.load().",
        )
    node = document
    path = pointer[1:]
    if not path:
        return node
    walked = "#"
    for raw_token in path.lstrip("/").split("/"):
        token = unescape_pointer_token(raw_token)
        if isinstance(node, Mapping) and token not in node and "%" in token:
            token = unquote(token)  # a URI fragment may percent-encode ({id} as %7Bid%7D)
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise AssayError(f"$ref '{pointer}' does not exist (nothing at {walked}/{raw_token})")
        walked = f"{walked}/{raw_token}"
    return node
