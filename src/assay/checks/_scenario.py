"""What the state checks read from a scenario step, and the second look they take.

`facts` gives a step's ``Case.scenario`` when the step is one a check judges;
`confirmed` re-sends a contradicting read once after `SETTLE_SECONDS` (eventual
consistency gets one chance); `listed`, `still_there` and `id_of` read list, item and
creation answers the way the state checks need.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from assay.errors import AssayError
from assay.generation.listing import contains, is_complete, list_items

if TYPE_CHECKING:
    from assay.checks.registry import CheckContext, Exchange
    from assay.client.messages import APITestResponse
    from assay.errors import Finding

__all__ = [
    "SETTLE_SECONDS",
    "confirmed",
    "facts",
    "finding",
    "first_id",
    "id_of",
    "json",
    "listed",
    "resend",
    "soft_deleted",
    "still_there",
]

SETTLE_SECONDS = 0.25
"""How long a contradicting read waits before it is sent once more."""

_TRANSFER_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})
_SOFT_DELETE_FLAGS = ("deleted", "is_deleted", "isDeleted", "archived", "is_archived")
_SOFT_DELETE_TIMES = (
    "deleted_at",
    "deletedAt",
    "archived_at",
    "archivedAt",
    "cancelled_at",
    "canceled_at",
    "cancelledAt",
    "canceledAt",
    "closed_at",
    "closedAt",
)
_ACTIVE_FLAGS = ("active", "is_active", "isActive", "enabled", "is_enabled", "isEnabled")
_SOFT_DELETE_STATES = frozenset(
    {
        "deleted",
        "archived",
        "cancelled",
        "canceled",
        "inactive",
        "closed",
        "void",
        "voided",
        "revoked",
        "disabled",
        "removed",
        "terminated",
    }
)


def facts(exchange: Exchange, *steps: str) -> Mapping[str, Any] | None:
    scenario = exchange.case.scenario
    if scenario is None or scenario.get("step") not in steps:
        return None
    return scenario


def json(response: APITestResponse) -> Any:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not (content_type == "application/json" or content_type.endswith("+json")):
        return None
    try:
        return response.json()
    except ValueError:
        return None


def resend(ctx: CheckContext, exchange: Exchange) -> APITestResponse | None:
    """The same request again, after `SETTLE_SECONDS` (None when it got no answer)."""
    time.sleep(SETTLE_SECONDS)
    request = exchange.response.request
    headers = {k: v for k, v in request.headers.items() if k.lower() not in _TRANSFER_HEADERS}
    try:
        return ctx.client.request(
            request.method,
            str(request.url),
            headers=headers,
            content=request.content,
            validate=False,
        )
    except AssayError:
        return None


def confirmed(
    ctx: CheckContext, exchange: Exchange, still: Callable[[APITestResponse], bool]
) -> APITestResponse | None:
    """The second answer when it still shows the defect; None when it no longer does."""
    second = resend(ctx, exchange)
    return second if second is not None and still(second) else None


def steps(facts: Mapping[str, Any]) -> list[str]:
    trail = facts.get("trail")
    return [str(line) for line in trail] if isinstance(trail, list) else []


def finding(
    ctx: CheckContext,
    exchange: Exchange,
    title: str,
    *,
    check: str,
    detail: str,
    facts: Mapping[str, Any],
    signature: str,
    **evidence: Any,
) -> Finding:
    return ctx.finding(
        exchange,
        title,
        check=check,
        detail=detail,
        evidence={"scenario": facts.get("name"), "steps_before": steps(facts), **evidence},
        signature=signature,
    )


def listed(facts: Mapping[str, Any], response: APITestResponse) -> bool | None:
    """True/False when the list proves presence/absence; None when it cannot tell."""
    body = json(response)
    paged, limit = bool(facts.get("paged")), facts.get("limit")
    if not 200 <= response.status_code < 300 or not is_complete(
        body, response.headers, paged=paged, limit=limit
    ):
        return None
    items = list_items(body) or []
    fields = [str(f) for f in facts.get("id_fields") or ()]
    identified = [i for i in items if isinstance(i, Mapping) and any(f in i for f in fields)]
    if items and not identified:
        return None
    return contains(items, facts.get("id"), fields)


def soft_deleted(body: Any) -> bool:
    """True when an item's body says it is deleted, archived, cancelled or inactive."""
    if not isinstance(body, Mapping):
        return False
    if any(body.get(flag) is True for flag in _SOFT_DELETE_FLAGS):
        return True
    if any(body.get(stamp) for stamp in _SOFT_DELETE_TIMES):
        return True
    if any(body.get(flag) is False for flag in _ACTIVE_FLAGS):
        return True
    state = body.get("status", body.get("state"))
    return isinstance(state, str) and state.lower() in _SOFT_DELETE_STATES


def still_there(response: APITestResponse) -> bool:
    return 200 <= response.status_code < 300 and not soft_deleted(json(response))


def id_of(response: APITestResponse, fields: Any) -> str | None:
    body = json(response)
    if isinstance(body, Mapping):
        for name in fields or ():
            value = body.get(name)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
    location = response.headers.get("location")
    return location or None


def first_id(facts: Mapping[str, Any]) -> str | None:
    body = facts.get("first_body")
    if isinstance(body, Mapping):
        for name in facts.get("id_fields") or ():
            value = body.get(name)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
    location = facts.get("first_location")
    return str(location) if location else None
