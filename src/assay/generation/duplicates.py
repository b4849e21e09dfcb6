"""Duplicate and concurrent submission of the same creating request.

* With an ``Idempotency-Key`` header declared: the same request and key twice in a row
  (``duplicate``), then a group of identical requests with one fresh key at once
  (``concurrent``) — every answer must name the same resource.
* Without a key: the same request twice (a server must not crash on it); where the API
  declares the resource unique (a documented 409 "already exists", ``x-unique``), also
  a concurrent group — at most one may create a resource, or it double-books.

A concurrent group is sent at the same moment (`Engine.execute_together`: threads
released together by a barrier; an in-process app takes them concurrently on its loop,
its sync endpoints in parallel in its threadpool). ``mode`` in the facts says whether
the group went into an in-process app or over the network.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from assay.generation.cases import Case
from assay.generation.properties import json_media
from assay.generation.resources import Resource
from assay.generation.scenarios import Created, cleanup, create, id_fields
from assay.generation.steps import (
    IDEMPOTENCY_HEADER,
    STEP_CONCURRENT,
    STEP_DUPLICATE,
    Scenario,
    ScenarioContext,
    Step,
    produced_of,
)
from assay.spec.model import Operation, Parameter, Spec

__all__ = [
    "GROUP_SIZE",
    "duplicates",
    "group_mode",
    "idempotency_parameter",
    "uniqueness",
]

GROUP_SIZE = 5
_UNIQUE_WORDS = re.compile(r"already exists|already taken|duplicate|not unique|unique", re.I)


def idempotency_parameter(operation: Operation) -> Parameter | None:
    """The operation's ``Idempotency-Key`` header parameter, when it declares one."""
    return next(
        (p for p in operation.parameters_in("header") if p.name.lower() == IDEMPOTENCY_HEADER),
        None,
    )


def uniqueness(spec: Spec, operation: Operation) -> str | None:
    """Why the API says a second identical creation must be refused (None: it does not)."""
    for status in ("409", "422", "400"):
        response = operation.responses.get(status)
        if response is not None and _UNIQUE_WORDS.search(response.description or ""):
            return f"{operation.label} documents {status}: {response.description.strip()}"
    body = operation.request_body
    media = json_media(operation)
    schema = body.content[media].schema if body is not None and media else None
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    for name, prop in (properties or {}).items():
        if isinstance(prop, Mapping) and prop.get("x-unique") is True:
            return f"the request field {name!r} is declared x-unique"
    return None


def duplicates(ctx: ScenarioContext, resource: Resource, round_: int) -> None:
    """The duplicate and concurrent submissions of `resource`'s creating request."""
    keyed = idempotency_parameter(resource.create)
    unique = uniqueness(ctx.spec, resource.create)
    if keyed is not None:
        if _replay(ctx, resource, round_, keyed):
            _group(ctx, resource, round_, keyed, None)
    elif _resubmit(ctx, resource, round_, unique) and unique is not None:
        _group(ctx, resource, round_, None, unique)


def _replay(ctx: ScenarioContext, resource: Resource, round_: int, keyed: Parameter) -> bool:
    s = Scenario(ctx, "idempotent_replay", resource.create, str(round_))
    key = s.fresh_key()
    first = create(s, resource, headers={keyed.name: key})
    if first is None:
        return False
    made: list[Created] = [first]
    try:
        facts = _first_facts(first, resource, key=key, unique=None)
        again = _again(s, first, facts)
        if again is not None:
            made.append(again)
    finally:
        cleanup(s, made)
    return True


def _resubmit(ctx: ScenarioContext, resource: Resource, round_: int, unique: str | None) -> bool:
    s = Scenario(ctx, "resubmit", resource.create, str(round_))
    first = create(s, resource)
    if first is None:
        return False
    made: list[Created] = [first]
    try:
        again = _again(s, first, _first_facts(first, resource, key=None, unique=unique))
        if again is not None:
            made.append(again)
    finally:
        cleanup(s, made)
    return True


def _first_facts(first: Created, resource: Resource, **more: Any) -> dict[str, Any]:
    return {
        "first_status": first.step.status,
        "first_body": first.body,
        "first_location": first.step.exchange.response.headers.get("location"),
        "id_fields": id_fields(resource),
        **more,
    }


def _again(s: Scenario, first: Created, facts: dict[str, Any]) -> Created | None:
    """Send the first creation's request again, unchanged; the second resource, if any."""
    original: Case = first.step.exchange.case
    case = s.case(
        original.operation,
        STEP_DUPLICATE,
        {
            "path": original.path_parameters,
            "query": original.query,
            "header": original.headers,
            "cookie": original.cookies,
        },
        body=original.body,
        identity=original.identity,
        facts=facts,
    )
    step = s.send(case)
    if step is None or not step.ok or step.produced is None:
        return None
    again = Created(first.resource, step, original.body, original.identity, None)
    key = first.resource.key_pair
    again.item = again.arguments(key) if key is not None else None
    if again.item == first.item:
        again.deleted = True  # the same resource: deleted once, through `first`
    return again


def _group(
    ctx: ScenarioContext,
    resource: Resource,
    round_: int,
    keyed: Parameter | None,
    unique: str | None,
) -> None:
    s = Scenario(ctx, "concurrent", resource.create, str(round_))
    body = s.body_for(resource.create, "group")
    if body is None or resource.parent is not None:
        return
    headers = {keyed.name: s.fresh_key()} if keyed is not None else {}
    facts = {
        "group": f"{resource.create.label}:{round_}:{s.rng.getrandbits(32):08x}",
        "size": GROUP_SIZE,
        "mode": group_mode(ctx),
        "key": headers.get(keyed.name) if keyed is not None else None,
        "unique": unique,
        "id_fields": id_fields(resource),
    }
    cases = [
        s.case(resource.create, STEP_CONCURRENT, {"header": headers}, body=body, facts=facts)
        for _ in range(GROUP_SIZE)
    ]
    if any(case is None for case in cases) or ctx.expired:
        return
    sent = ctx.execute_together([c for c in cases if c is not None])
    _cleanup_group(s, resource, [execution.exchange for execution in sent])


def group_mode(ctx: ScenarioContext) -> str:
    """Where a group sent at once went: ``in-process`` (into the app) or ``network``."""
    return "in-process" if ctx.engine.client.in_process else "network"


def _cleanup_group(s: Scenario, resource: Resource, exchanges: list[Any]) -> None:
    key = resource.key_pair
    if key is None:
        return
    seen: list[Any] = []
    made: list[Created] = []
    for exchange in exchanges:
        if exchange is None or not 200 <= exchange.status < 300:
            continue
        produced = produced_of(exchange)
        item = key.arguments(produced) if key.follows(exchange.status) else None
        if item is None or item in seen:
            continue
        seen.append(item)
        case: Case = exchange.case
        made.append(Created(resource, Step(exchange, produced), case.body, case.identity, item))
    cleanup(s, made)
