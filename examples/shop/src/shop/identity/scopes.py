"""The scope catalogue and the role → scope mapping of the shop."""

from __future__ import annotations

from collections.abc import Iterable

SCOPES: dict[str, str] = {
    "admin": "Administer the shop (users, keys, configuration).",
    "allocation:read": "Read batches and allocations.",
    "allocation:write": "Create batches, allocate and deallocate order lines.",
    "inventory:read": "Read products and stock levels.",
    "inventory:write": "Change products, stock and reservations.",
    "orders:read": "Read orders (customers: their own).",
    "orders:write": "Place and cancel orders (customers: their own).",
    "payments:read": "Read payments (customers: their own).",
    "payments:write": "Capture and refund payments.",
}
"""Every scope the shop knows, with the description shown in the OpenAPI document."""

_CUSTOMER = frozenset({"orders:read", "orders:write", "payments:read", "inventory:read"})
_STAFF = _CUSTOMER | {"inventory:write", "allocation:read", "allocation:write", "payments:write"}

ROLE_SCOPES: dict[str, frozenset[str]] = {
    "customer": _CUSTOMER,
    "staff": frozenset(_STAFF),
    "admin": frozenset(SCOPES),
}
"""The scopes each role holds; a user holds the union over their roles."""

CONSOLE_ROLES = frozenset({"staff", "admin"})
"""Roles allowed to sign in to the staff console."""


def scopes_for_roles(roles: Iterable[str]) -> frozenset[str]:
    """The union of the scopes of ``roles``; unknown roles grant nothing."""
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_SCOPES.get(role, frozenset())
    return frozenset(granted)


def parse_scope(value: str | None) -> frozenset[str]:
    """The set of scopes in an OAuth2 ``scope`` string (space-delimited)."""
    return frozenset(value.split()) if value else frozenset()


def format_scope(scopes: Iterable[str]) -> str:
    """The OAuth2 ``scope`` string of ``scopes``, sorted so it is deterministic."""
    return " ".join(sorted(scopes))
