"""The schema walk: compare two schemas recursively, with direction.

Both sides are resolved (``$ref`` followed) and put in a canonical shape before they are
compared, so a reference move that changes nothing is no change, and OpenAPI 3.0's
``nullable: true`` equals 3.1's ``type: [..., "null"]`` and FastAPI's
``anyOf: [X, {type: null}]``. When only one side uses ``allOf`` (inheritance added or
flattened), its parts are merged before comparing.

Recursion stops at a pair of references (old, new) that is already being compared
further up the same path, so a recursive schema ends and a component used in two places
is reported at both; a pair compared `REPEAT_LIMIT` times in one walk is not compared
again (pathological documents stay linear).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.contract.diff.comparison import Comparison
from assay.contract.diff.composition import compare_composition, compare_discriminator
from assay.contract.diff.keywords import compare_keywords
from assay.contract.diff.objects import compare_additional, compare_properties
from assay.contract.diff.sites import Site
from assay.spec.model import Spec
from assay.spec.pointers import escape_pointer_token

__all__ = ["REPEAT_LIMIT", "SchemaWalk", "compare_schemas", "flatten"]

REPEAT_LIMIT = 16

_STRUCTURE = frozenset(
    {
        "type",
        "properties",
        "items",
        "enum",
        "const",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "format",
        "pattern",
        "required",
        "discriminator",
        "maximum",
        "minimum",
    }
)


class SchemaWalk:
    """One recursive comparison rooted at a body, parameter or header schema."""

    def __init__(self, ctx: Comparison) -> None:
        self.ctx = ctx
        self.on_path: set[tuple[str, str]] = set()
        self.visits: dict[tuple[str, str], int] = {}

    def compare(self, old: Any, new: Any, site: Site) -> None:
        if self.ctx.unchanged(old, new):
            return
        old_schema, old_ref, old_null = self._canonical(self.ctx.old, old)
        new_schema, new_ref, new_null = self._canonical(self.ctx.new, new)
        if old_null or new_null:
            old_schema = _with_null(old_schema, old_null)
            new_schema = _with_null(new_schema, new_null)
        if not (old_ref and new_ref):
            self._compare_resolved(old_schema, new_schema, site)
            return
        pair = (old_ref, new_ref)
        seen = self.visits.get(pair, 0)
        if pair in self.on_path or seen >= REPEAT_LIMIT:
            return
        self.visits[pair] = seen + 1
        self.on_path.add(pair)
        try:
            self._compare_resolved(old_schema, new_schema, site)
        finally:
            self.on_path.discard(pair)

    def _compare_resolved(self, old: Mapping[str, Any], new: Mapping[str, Any], site: Site) -> None:
        if bool(old.get("allOf")) != bool(new.get("allOf")):  # inheritance refactored
            old, new = flatten(self.ctx, self.ctx.old, old), flatten(self.ctx, self.ctx.new, new)
        compare_keywords(self.ctx.log, site, old, new)
        compare_properties(self.ctx, site, old, new, self.compare)
        compare_additional(self.ctx, site, old, new, self.compare)
        compare_composition(self.ctx, site, old, new, self.compare)
        compare_discriminator(self.ctx, site, old, new)
        if isinstance(old.get("items"), dict) or isinstance(new.get("items"), dict):
            self.compare(
                old.get("items", {}), new.get("items", {}), site.child("items", "items", "[]")
            )
        self._compare_nested(old, new, site)

    def _compare_nested(self, old: Mapping[str, Any], new: Mapping[str, Any], site: Site) -> None:
        """Tuple positions (``prefixItems``) and ``patternProperties`` present on both sides."""
        old_tuple, new_tuple = old.get("prefixItems"), new.get("prefixItems")
        if isinstance(old_tuple, list) and isinstance(new_tuple, list):
            for i, (was, now) in enumerate(zip(old_tuple, new_tuple, strict=False)):
                token = f"prefixItems/{i}"
                self.compare(was, now, site.child(token, token, f"[{i}]"))
        old_p, new_p = old.get("patternProperties"), new.get("patternProperties")
        if isinstance(old_p, dict) and isinstance(new_p, dict):
            for pattern in old_p.keys() & new_p.keys():
                token = f"patternProperties/{escape_pointer_token(pattern)}"
                self.compare(
                    old_p[pattern], new_p[pattern], site.child(token, token, f"<{pattern}>")
                )

    def _canonical(self, spec: Spec, schema: Any) -> tuple[Mapping[str, Any], str, bool]:
        """Resolved, single-``allOf`` and ``anyOf: [X, null]`` wrappers unwrapped."""
        resolved, ref = self.ctx.resolve(spec, schema)
        nullable = False
        for _ in range(8):
            if not isinstance(resolved, dict):
                return {}, ref, nullable
            inner, null_branch = _unwrap(resolved)
            if inner is None:
                return resolved, ref, nullable
            nullable = nullable or null_branch
            target, inner_ref = self.ctx.resolve(spec, inner)
            extra = {k: v for k, v in resolved.items() if k not in ("allOf", "anyOf", "oneOf")}
            resolved = {**target, **extra} if isinstance(target, dict) else extra
            ref = inner_ref or ref
        return resolved, ref, nullable


def _unwrap(schema: Mapping[str, Any]) -> tuple[Any, bool]:
    """The one real branch of a wrapper schema, and whether the wrapper added null."""
    for keyword in ("anyOf", "oneOf"):
        branches = schema.get(keyword)
        if isinstance(branches, list) and len(branches) == 2 and "discriminator" not in schema:
            real = [b for b in branches if b != {"type": "null"}]
            if len(real) == 1:
                return real[0], True
    branches = schema.get("allOf")
    if isinstance(branches, list) and len(branches) == 1 and not _STRUCTURE & schema.keys():
        return branches[0], False
    return None, False


def flatten(
    ctx: Comparison, spec: Spec, schema: Mapping[str, Any], depth: int = 0
) -> Mapping[str, Any]:
    """`schema` with its ``allOf`` parts merged in: properties and required united, other
    keywords taken from the schema itself first, then from the parts in order."""
    parts = schema.get("allOf")
    if not isinstance(parts, list) or depth > 8:
        return schema
    merged = {k: v for k, v in schema.items() if k != "allOf"}
    properties = dict(merged.get("properties") or {})
    required = list(merged.get("required") or [])
    for part in parts:
        resolved, _ = ctx.resolve(spec, part)
        if not isinstance(resolved, dict):
            continue
        resolved = flatten(ctx, spec, resolved, depth + 1)
        for name, value in (resolved.get("properties") or {}).items():
            properties.setdefault(name, value)
        required += [r for r in resolved.get("required") or [] if r not in required]
        for key, value in resolved.items():
            merged.setdefault(key, value)
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged


def _with_null(schema: Mapping[str, Any], nullable: bool) -> Mapping[str, Any]:
    return {**schema, "nullable": True} if nullable else schema


def compare_schemas(ctx: Comparison, old: Any, new: Any, site: Site) -> None:
    """Compare the schemas at one root (a body, a parameter, a header)."""
    SchemaWalk(ctx).compare(old if old is not None else {}, new if new is not None else {}, site)
