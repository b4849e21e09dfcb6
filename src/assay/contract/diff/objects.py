"""Object checks: properties removed, added, required, read/write-only, deprecated;
additionalProperties narrowed or widened."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assay.contract.diff.comparison import Comparison
from assay.contract.diff.sites import Site
from assay.spec.pointers import escape_pointer_token

__all__ = ["Recurse", "compare_additional", "compare_properties"]

Schema = Mapping[str, Any]
Recurse = Callable[[Any, Any, Site], None]


def _flag(ctx: Comparison, side: str, schema: Any, key: str) -> Any:
    """A keyword of a property schema, beside a `$ref` or in the schema it names."""
    if isinstance(schema, dict) and key in schema:
        return schema[key]
    spec = ctx.old if side == "old" else ctx.new
    resolved, _ = ctx.resolve(spec, schema)
    return resolved.get(key) if isinstance(resolved, dict) else None


def _hidden(ctx: Comparison, site: Site, which: str, schema: Any) -> bool:
    """readOnly properties do not exist in requests, writeOnly ones not in responses."""
    key = "readOnly" if site.side == "request" else "writeOnly"
    return _flag(ctx, which, schema, key) is True


def _required(schema: Schema) -> set[str]:
    value = schema.get("required")
    return {str(v) for v in value} if isinstance(value, list) else set()


def _properties(schema: Schema) -> Mapping[str, Any]:
    value = schema.get("properties")
    return value if isinstance(value, dict) else {}


def compare_properties(
    ctx: Comparison, site: Site, old: Schema, new: Schema, recurse: Recurse
) -> None:
    old_props, new_props = _properties(old), _properties(new)
    old_req, new_req = _required(old), _required(new)
    for name, old_prop in old_props.items():
        if name not in new_props:
            _removed(ctx, site, name, old_prop, name in old_req)
            continue
        new_prop = new_props[name]
        same_required = (name in old_req) == (name in new_req)
        if same_required and ctx.unchanged(old_prop, new_prop):
            continue
        _transitions(ctx, site, name, (old_prop, name in old_req), (new_prop, name in new_req))
        token = escape_pointer_token(name)
        recurse(old_prop, new_prop, site.child(f"properties/{token}", f"properties/{token}", name))
    for name, new_prop in new_props.items():
        if name not in old_props and not _hidden(ctx, site, "new", new_prop):
            required = name in new_req
            if site.side == "request":
                rule = "required-property-added" if required else "optional-property-added"
            else:
                rule = "property-added"
            site.emit_property(ctx.log, rule, name, old_pointer=None)


def _removed(ctx: Comparison, site: Site, name: str, prop: Any, required: bool) -> None:
    if _hidden(ctx, site, "old", prop):
        return
    sunset = _flag(ctx, "old", prop, "x-sunset")
    if _flag(ctx, "old", prop, "deprecated") is True and ctx.is_future(sunset):
        site.emit_property(
            ctx.log, "property-removed-before-sunset", name, new_pointer=None, old=sunset
        )
    elif site.side == "request":
        site.emit_property(ctx.log, "property-removed", name, new_pointer=None)
    else:
        rule = "required-property-removed" if required else "optional-property-removed"
        site.emit_property(ctx.log, rule, name, new_pointer=None)


def _transitions(
    ctx: Comparison, site: Site, name: str, old: tuple[Any, bool], new: tuple[Any, bool]
) -> None:
    (old_prop, old_req), (new_prop, new_req) = old, new
    hidden_old, hidden_new = (
        _hidden(ctx, site, "old", old_prop),
        _hidden(ctx, site, "new", new_prop),
    )
    flag = "read-only" if site.side == "request" else "write-only"
    if hidden_old != hidden_new:
        rule = f"property-became-{flag}" if hidden_new else f"property-{flag}-removed"
        site.emit_property(ctx.log, rule, name)
    if not (hidden_old or hidden_new) and old_req != new_req:
        rule = "property-became-required" if new_req else "property-became-optional"
        site.emit_property(ctx.log, rule, name)
    was, now = (
        _flag(ctx, w, p, "deprecated") is True for w, p in (("old", old_prop), ("new", new_prop))
    )
    if was and not now:
        site.emit_property(ctx.log, "property-reactivated", name)
    if now and not was:
        sunset = _flag(ctx, "new", new_prop, "x-sunset")
        if sunset:
            site.emit_property(ctx.log, "property-deprecated", name, new=sunset)
        else:
            site.emit_property(ctx.log, "property-deprecated-without-sunset", name)


def _openness(value: Any) -> str:
    if value is False:
        return "closed"
    if value is True or value is None or value == {}:
        return "open"
    return "schema"


def compare_additional(
    ctx: Comparison, site: Site, old: Schema, new: Schema, recurse: Recurse
) -> None:
    old_ap, new_ap = old.get("additionalProperties"), new.get("additionalProperties")
    before, after = _openness(old_ap), _openness(new_ap)
    if before == after == "schema":
        token = "additionalProperties"
        recurse(old_ap, new_ap, site.child(token, token, "*"))
        return
    if before == after:
        return
    order = {"closed": 0, "schema": 1, "open": 2}
    check = "widened" if order[after] > order[before] else "narrowed"
    site.emit(ctx.log, f"additional-properties-{check}", objects=True)
