"""Mass assignment: fields a client must not set, sent in create and update bodies anyway.

For each creation (a POST with a JSON object body whose 2xx answer is a JSON object),
the candidate fields are those of the answer's schema that the request schema lacks
or that either schema marks ``readOnly`` (``role``, ``is_admin``, owner ids, balances,
ids, timestamps…). The creation is sent twice: as the examples phase would (the
baseline), then with every candidate set to a distinctive value. Then each update
(PATCH/PUT on ``{collection}/{id}``) of the item the baseline created is sent with its
own candidates. Only a field whose value in the answer is the one sent, and was not
already that value in the baseline's answer, shows that the server let the client
set it (`assay.checks.access.mass_assignment`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from assay.generation.auth.probes import STEP_ASSIGNMENT, AuthContext, base_case, remember_baseline
from assay.spec.model import Operation

__all__ = ["candidates", "injected_value", "mass_assignment"]

_PRIVILEGED = frozenset(
    {
        "role",
        "roles",
        "is_admin",
        "isAdmin",
        "admin",
        "is_staff",
        "is_superuser",
        "permissions",
        "scopes",
        "owner",
        "owner_id",
        "ownerId",
        "user_id",
        "userId",
        "account_id",
        "tenant_id",
        "balance",
        "credit",
        "verified",
        "is_verified",
        "email_verified",
        "approved",
        "price_paid",
        "discount",
    }
)
_SKIPPED = re.compile(r"log-?(in|out)|sign-?(in|out)|revoke|token|password|session", re.I)
_TEXT = "assay-injected-7f3a"
_NUMBER = 987_654_321
_WHEN = "2001-02-03T04:05:06Z"
_UUID = "00000000-0000-4000-8000-00000000a55a"


def _properties(ctx: AuthContext, schema: Any) -> dict[str, Any]:
    resolved = ctx.spec.resolve(schema) if schema is not None else None
    if not isinstance(resolved, Mapping):
        return {}
    props = resolved.get("properties")
    if not isinstance(props, Mapping):
        return {}
    return {str(k): ctx.spec.resolve(v) for k, v in props.items()}


def _schemas(ctx: AuthContext, operation: Operation) -> tuple[dict[str, Any], dict[str, Any]]:
    """The properties of the JSON request body and of the first 2xx JSON answer."""
    body = operation.request_body
    media = body.media("application/json") if body is not None else None
    request = _properties(ctx, media.schema) if media is not None else {}
    for status, response in sorted(operation.responses.items()):
        if not status.startswith("2"):
            continue
        answer = response.media("application/json")
        if answer is not None:
            return request, _properties(ctx, answer.schema)
    return request, {}


def candidates(request: Mapping[str, Any], answer: Mapping[str, Any]) -> list[str]:
    """Fields of the answer a client should not be able to set on creation."""
    found = []
    for name, schema in answer.items():
        read_only = isinstance(schema, Mapping) and schema.get("readOnly") is True
        requested = request.get(name)
        if isinstance(requested, Mapping) and requested.get("readOnly") is True:
            read_only = True
        if name not in request or read_only:
            found.append(name)
    return found


def injected_value(name: str, schema: Any) -> Any:
    """A distinctive value of the field's type (None when none can be chosen)."""
    if not isinstance(schema, Mapping):
        return None
    kind = schema.get("type")
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return "admin" if "admin" in enum else enum[-1]
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return _NUMBER
    if kind == "array":
        return ["admin"] if name in _PRIVILEGED else None
    if kind == "string":
        form = schema.get("format")
        if form == "date-time":
            return _WHEN
        if form == "uuid":
            return _UUID
        return "admin" if name in ("role", "owner") else _TEXT
    return None


def mass_assignment(ctx: AuthContext) -> None:
    """Send each creation with and without its candidate fields (see the module)."""
    for operation in ctx.operations:
        if ctx.expired:
            return
        if operation.method == "post" and not _SKIPPED.search(operation.path):
            _probe(ctx, operation)


def _values(ctx: AuthContext, operation: Operation) -> dict[str, Any]:
    request, answer = _schemas(ctx, operation)
    values = {n: injected_value(n, answer[n]) for n in candidates(request, answer)}
    return {n: v for n, v in values.items() if v is not None}


def _probe(ctx: AuthContext, operation: Operation) -> None:
    values = _values(ctx, operation)
    base = base_case(ctx, operation)
    if not values or base is None or not isinstance(base.body, Mapping):
        return
    first = ctx.execute(replace(base))
    baseline = remember_baseline(ctx, first.exchange.case, first) if first.exchange else None
    if baseline is None or not 200 <= baseline["status"] < 300:
        return
    try:
        before = first.exchange.response.json() if first.exchange else None
    except ValueError:
        return
    if not isinstance(before, Mapping):
        return
    facts = {
        "step": STEP_ASSIGNMENT,
        "injected": values,
        "before": {n: before.get(n) for n in values},
        "baseline": baseline,
    }
    body = {**base.body, **values}
    ctx.execute(replace(base, body=body, scenario=facts, edge=True, note="mass assignment"))
    for update in _updates(ctx, operation):
        if not ctx.expired:
            _update_probe(ctx, update, before, baseline)


def _updates(ctx: AuthContext, create: Operation) -> list[Operation]:
    """PATCH/PUT operations on the items of `create`'s collection (``/notes/{id}``)."""
    prefix = create.path.rstrip("/") + "/{"
    return [
        op
        for op in ctx.operations
        if op.method in ("patch", "put")
        and op.path.startswith(prefix)
        and op.path.count("/") == create.path.rstrip("/").count("/") + 1
        and op.path.endswith("}")
    ]


def _update_probe(
    ctx: AuthContext, update: Operation, created: Mapping[str, Any], baseline: Any
) -> None:
    """Update the item the creation made, with the fields a client must not set."""
    param = next((p for p in update.parameters if p.location == "path"), None)
    item = created.get(param.name, created.get("id")) if param is not None else None
    values = _values(ctx, update)
    base = base_case(ctx, update)
    if param is None or item is None or not values or base is None:
        return
    if not isinstance(base.body, Mapping):
        return
    facts = {
        "step": STEP_ASSIGNMENT,
        "injected": values,
        "before": {n: created.get(n) for n in values},
        "baseline": baseline,
    }
    case = replace(
        base,
        path_parameters={**base.path_parameters, param.name: item},
        body={**base.body, **values},
        scenario=facts,
        edge=True,
        note="mass assignment (update)",
    )
    ctx.execute(case)
