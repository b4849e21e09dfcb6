"""Reading a list response: its items, whether it is the whole collection, what it holds.

A list only proves an item is missing when it provably shows the whole collection:
a bare array from an operation without pagination parameters (and not exactly as long
as a usual page size, which may be a server-side limit), a page shorter than the
limit asked for, or an envelope whose total is no more than the items on the page —
and in every case no sign of a next page (a ``next`` link or cursor, ``has_more``, a
``Link: rel="next"`` header). Anything else may hide the item on a later page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assay.spec.model import Operation, Parameter

__all__ = [
    "PAGE_SIZE_NAMES",
    "contains",
    "is_complete",
    "is_paged",
    "list_items",
    "page_size_parameter",
]

PAGE_SIZE_NAMES = ("limit", "page_size", "pagesize", "per_page", "perpage", "size", "max_results")
_PAGING_NAMES = frozenset(
    {*PAGE_SIZE_NAMES, "offset", "page", "cursor", "skip", "start", "after", "before", "from"}
)
_ENVELOPE_KEYS = ("items", "data", "results", "content", "records", "entries", "values")
_TOTAL_KEYS = ("total", "total_count", "totalcount", "count", "total_items", "totalitems")
_NEXT_KEYS = ("next", "next_cursor", "nextcursor", "next_page", "nextpage", "next_url")
_MORE_KEYS = ("has_more", "hasmore", "has_next", "hasnext")
# An unpaged list exactly this long may be cut by a server-side limit it does not declare.
_USUAL_PAGE_SIZES = frozenset({10, 20, 25, 30, 50, 100, 200, 250, 500, 1000})


def list_items(body: Any) -> list[Any] | None:
    """The items of a list body: a bare array, or the one array of an envelope."""
    if isinstance(body, list):
        return body
    if not isinstance(body, Mapping):
        return None
    for key in _ENVELOPE_KEYS:
        if isinstance(body.get(key), list):
            return list(body[key])
    arrays = [value for value in body.values() if isinstance(value, list)]
    return list(arrays[0]) if len(arrays) == 1 else None


def is_paged(operation: Operation) -> bool:
    """True when the list operation declares a pagination parameter."""
    return any(
        p.location == "query" and p.name.lower() in _PAGING_NAMES for p in operation.parameters
    )


def page_size_parameter(operation: Operation) -> tuple[Parameter, int] | None:
    """The query parameter that sets the page size, and the largest value it allows (≤ 100)."""
    for param in operation.parameters:
        if param.location != "query" or param.name.lower() not in PAGE_SIZE_NAMES:
            continue
        schema = param.schema or {}
        if schema.get("type") not in ("integer", "number", None):
            continue
        high = schema.get("maximum")
        value = int(high) if isinstance(high, int | float) and high < 100 else 100
        low = schema.get("minimum")
        if isinstance(low, int | float) and value < low:
            continue
        return param, value
    return None


def is_complete(
    body: Any,
    headers: Mapping[str, str],
    *,
    paged: bool,
    limit: int | None,
) -> bool:
    """True when a list response provably shows every item of the collection."""
    items = list_items(body)
    if items is None or _has_next(body, headers):
        return False
    if isinstance(body, Mapping):
        total = _total(body)
        if total is not None:
            return total <= len(items)
    if limit is not None:
        return len(items) < limit
    return not paged and len(items) not in _USUAL_PAGE_SIZES


def _has_next(body: Any, headers: Mapping[str, str]) -> bool:
    link = next((v for k, v in headers.items() if k.lower() == "link"), "")
    if 'rel="next"' in link or "rel=next" in link:
        return True
    if not isinstance(body, Mapping):
        return False
    lowered = {str(k).lower(): v for k, v in body.items()}
    links = lowered.get("links") or lowered.get("_links")
    if isinstance(links, Mapping) and links.get("next"):
        return True
    if any(lowered.get(key) for key in _NEXT_KEYS):
        return True
    return any(lowered.get(key) is True for key in _MORE_KEYS)


def _total(body: Mapping[str, Any]) -> int | None:
    lowered = {str(k).lower(): v for k, v in body.items()}
    for key in _TOTAL_KEYS:
        value = lowered.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def contains(items: Sequence[Any], value: Any, fields: Sequence[str]) -> bool:
    """True when an item has `value` (compared as text) in one of `fields`."""
    wanted = str(value)
    for item in items:
        if not isinstance(item, Mapping):
            continue
        if any(field in item and str(item[field]) == wanted for field in fields):
            return True
    return False
