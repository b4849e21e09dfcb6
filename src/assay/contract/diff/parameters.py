"""Request parameters of one operation pair, matched by location and name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from assay.contract.diff.comparison import Comparison
from assay.contract.diff.schemas import compare_schemas
from assay.contract.diff.sites import Site
from assay.spec.model import Operation, Parameter

__all__ = ["compare_parameters", "path_renames"]

_VARIABLE = re.compile(r"\{([^}]+)\}")


def path_renames(old_path: str, new_path: str) -> dict[str, str]:
    """New path parameter name → old name, by position in the templates."""
    return dict(zip(_VARIABLE.findall(new_path), _VARIABLE.findall(old_path), strict=False))


def _keyed(op: Operation, renames: Mapping[str, str]) -> dict[tuple[str, str], Parameter]:
    keyed: dict[tuple[str, str], Parameter] = {}
    for param in op.parameters:
        location, name = param.key
        if location == "path":
            name = renames.get(name, name)
        keyed[(location, name)] = param
    return keyed


def _label(param: Parameter) -> str:
    return f"{param.location} '{param.name}'"


def _raw(ctx: Comparison, which: str, param: Parameter) -> Mapping[str, Any]:
    spec = ctx.old if which == "old" else ctx.new
    try:
        node = spec.schema_at(param.pointer)
    except Exception:
        return {}
    return node if isinstance(node, dict) else {}


def compare_parameters(ctx: Comparison, old: Operation, new: Operation) -> None:
    renames = path_renames(old.path, new.path)
    old_params, new_params = _keyed(old, {}), _keyed(new, renames)
    for key, param in old_params.items():
        if key in new_params:
            _compare_one(ctx, old.label, param, new_params[key])
        else:
            _removed(ctx, old.label, param)
    for key, param in new_params.items():
        if key not in old_params:
            rule = (
                "request-required-parameter-added"
                if param.required
                else ("request-optional-parameter-added")
            )
            ctx.log.add(rule, None, param.pointer, old.label, subject=old.label, name=_label(param))


def _removed(ctx: Comparison, label: str, param: Parameter) -> None:
    sunset = _raw(ctx, "old", param).get("x-sunset")
    if param.deprecated and ctx.is_future(sunset):
        ctx.log.add(
            "request-parameter-removed-before-sunset",
            param.pointer,
            None,
            label,
            subject=label,
            name=_label(param),
            old=sunset,
        )
    else:
        ctx.log.add(
            "request-parameter-removed",
            param.pointer,
            None,
            label,
            subject=label,
            name=_label(param),
        )


def _toggle(rule: str, before: bool, after: bool) -> str | None:
    """``{rule}-added`` / ``{rule}-removed`` when a boolean keyword flips."""
    if before == after:
        return None
    return f"{rule}-{'added' if after else 'removed'}"


def _compare_one(ctx: Comparison, label: str, old: Parameter, new: Parameter) -> None:
    def add(rule: str | None, **fields: Any) -> None:
        if rule is not None:
            ctx.log.add(
                rule, old.pointer, new.pointer, label, subject=label, name=_label(old), **fields
            )

    if old.required != new.required:
        add(f"request-parameter-became-{'required' if new.required else 'optional'}")
    if old.style != new.style:
        add("request-parameter-style-changed", old=old.style, new=new.style)
    if old.explode != new.explode:
        add("request-parameter-explode-changed", old=old.explode, new=new.explode)
    add(
        _toggle("request-parameter-allow-empty-value", old.allow_empty_value, new.allow_empty_value)
    )
    add(_toggle("request-parameter-allow-reserved", old.allow_reserved, new.allow_reserved))
    if old.content_type != new.content_type:
        add("request-parameter-content-type-changed", old=old.content_type, new=new.content_type)
    if old.deprecated and not new.deprecated:
        add("request-parameter-reactivated")
    if new.deprecated and not old.deprecated:
        sunset = _raw(ctx, "new", new).get("x-sunset")
        add(
            "request-parameter-deprecated"
            if sunset
            else "request-parameter-deprecated-without-sunset",
            **({"new": sunset} if sunset else {}),
        )
    where = f"{_label(old)} parameter"
    site = Site("request-parameter", label, where, old.schema_pointer, new.schema_pointer)
    compare_schemas(ctx, old.schema, new.schema, site)
