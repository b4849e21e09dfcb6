"""Operations: matched by method and path template (parameter names ignored), compared."""

from __future__ import annotations

import re
from typing import Any

from assay.contract.diff.bodies import compare_request_body
from assay.contract.diff.comparison import Comparison
from assay.contract.diff.parameters import compare_parameters, path_renames
from assay.contract.diff.responses import compare_responses
from assay.contract.diff.security import compare_operation_security
from assay.spec.model import Operation

__all__ = ["compare_operations", "operation_key", "sunset_of"]

_VARIABLE = re.compile(r"\{[^}]+\}")


def operation_key(op: Operation) -> tuple[str, str]:
    """``("get", "/orders/{}")``: `/orders/{id}` and `/orders/{order_id}` are one path."""
    return op.method, _VARIABLE.sub("{}", op.path)


def sunset_of(op: Operation) -> Any:
    """The operation's sunset: ``x-sunset``, or ``"Sunset header"`` when one is documented."""
    if op.extensions.get("x-sunset"):
        return op.extensions["x-sunset"]
    for response in op.responses.values():
        if any(name.lower() == "sunset" for name in response.headers):
            return "Sunset header"
    return None


def compare_operations(ctx: Comparison) -> None:
    old_ops = {operation_key(op): op for op in ctx.old.operations}
    new_ops = {operation_key(op): op for op in ctx.new.operations}
    for key, op in old_ops.items():
        other = new_ops.get(key)
        if other is None:
            _removed(ctx, op)
        else:
            compare_operation(ctx, op, other)
    for key, op in new_ops.items():
        if key not in old_ops:
            ctx.log.add("operation-added", None, op.pointer, op.label, subject=op.label)


def _removed(ctx: Comparison, op: Operation) -> None:
    sunset = sunset_of(op)
    if op.deprecated and ctx.is_future(sunset):
        rule, fields = "operation-removed-before-sunset", {"old": sunset}
    elif op.deprecated:
        rule, fields = "deprecated-operation-removed", {}
    else:
        rule, fields = "operation-removed", {}
    ctx.log.add(rule, op.pointer, None, op.label, subject=op.label, **fields)


def compare_operation(ctx: Comparison, old: Operation, new: Operation) -> None:
    _deprecation(ctx, old, new)
    _descriptive(ctx, old, new)
    _servers(ctx, old, new)
    for new_name, old_name in path_renames(old.path, new.path).items():
        if new_name != old_name:
            ctx.log.add(
                "path-parameter-renamed",
                old.pointer,
                new.pointer,
                old.label,
                subject=old.label,
                old=old_name,
                new=new_name,
            )
    compare_parameters(ctx, old, new)
    compare_request_body(ctx, old, new)
    compare_responses(ctx, old, new)
    compare_operation_security(ctx, old, new)


def _deprecation(ctx: Comparison, old: Operation, new: Operation) -> None:
    label, pointers = old.label, (old.pointer, new.pointer)
    before, after = sunset_of(old), sunset_of(new)
    if new.deprecated and not old.deprecated:
        if after:
            ctx.log.add("operation-deprecated", *pointers, label, subject=label, new=after)
        else:
            ctx.log.add("operation-deprecated-without-sunset", *pointers, label, subject=label)
    elif old.deprecated and not new.deprecated:
        ctx.log.add("operation-reactivated", *pointers, label, subject=label)
    elif old.deprecated and new.deprecated:
        from assay.contract.diff.comparison import sunset_date

        was, now = sunset_date(before), sunset_date(after)
        if was is not None and now is not None and now < was:
            ctx.log.add(
                "operation-sunset-brought-forward",
                *pointers,
                label,
                subject=label,
                old=str(was),
                new=str(now),
            )
        elif was is not None and now is not None and now > was:
            ctx.log.add(
                "operation-sunset-postponed",
                *pointers,
                label,
                subject=label,
                old=str(was),
                new=str(now),
            )


def _descriptive(ctx: Comparison, old: Operation, new: Operation) -> None:
    label, pointers = old.label, (old.pointer, new.pointer)
    if old.operation_id != new.operation_id:
        if old.operation_id is None:
            rule = "operation-id-added"
        elif new.operation_id is None:
            rule = "operation-id-removed"
        else:
            rule = "operation-id-changed"
        ctx.log.add(
            rule, *pointers, label, subject=label, old=old.operation_id, new=new.operation_id
        )
    for tag in new.tags:
        if tag not in old.tags:
            ctx.log.add("operation-tag-added", *pointers, label, subject=label, new=tag)
    for tag in old.tags:
        if tag not in new.tags:
            ctx.log.add("operation-tag-removed", *pointers, label, subject=label, old=tag)
    if (old.summary or "") != (new.summary or ""):
        ctx.log.add("operation-summary-changed", *pointers, label, subject=label)
    if (old.description or "") != (new.description or ""):
        ctx.log.add("operation-description-changed", *pointers, label, subject=label)


def _servers(ctx: Comparison, old: Operation, new: Operation) -> None:
    label, pointers = old.label, (old.pointer, new.pointer)
    before = {s.url.rstrip("/"): s.url for s in old.servers}
    after = {s.url.rstrip("/"): s.url for s in new.servers}
    for key, url in before.items():
        if key not in after:
            ctx.log.add("operation-server-removed", *pointers, label, subject=label, old=url)
    for key, url in after.items():
        if key not in before:
            ctx.log.add("operation-server-added", *pointers, label, subject=label, new=url)
