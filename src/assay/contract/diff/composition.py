"""oneOf / anyOf / allOf branches and discriminators."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.contract.diff.comparison import Comparison
from assay.contract.diff.objects import Recurse
from assay.contract.diff.sites import Site
from assay.errors import AssayError
from assay.spec.pointers import resolve_pointer

__all__ = ["compare_composition", "compare_discriminator"]

Schema = Mapping[str, Any]
_STEMS = {"oneOf": "one-of", "anyOf": "any-of", "allOf": "all-of"}


def _label(branch: Any, index: int) -> str:
    if isinstance(branch, dict):
        if isinstance(branch.get("$ref"), str):
            return str(branch["$ref"]).rsplit("/", 1)[-1]
        if isinstance(branch.get("title"), str):
            return str(branch["title"])
        if isinstance(branch.get("type"), str):
            return str(branch["type"])
    return f"#{index}"


def match_branches(
    ctx: Comparison, old: list[Any], new: list[Any]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of (old, new) indexes, then unmatched old and unmatched new indexes.

    Equivalent branches pair first (equal, or equal behind a moved `$ref`), then
    branches with the same reference; what is left pairs by position when as many
    remain on both sides.
    """
    pairs: list[tuple[int, int]] = []
    free = list(range(len(new)))
    rest: list[int] = []
    for i, branch in enumerate(old):
        j = next((j for j in free if ctx.equivalent(branch, new[j])), None)
        if j is None:
            j = next((j for j in free if _same_ref(branch, new[j])), None)
        if j is None:
            rest.append(i)
        else:
            pairs.append((i, j))
            free.remove(j)
    if len(rest) == len(free):
        pairs += list(zip(rest, free, strict=True))
        return pairs, [], []
    return pairs, rest, free


def _same_ref(a: Any, b: Any) -> bool:
    return (
        isinstance(a, dict)
        and isinstance(b, dict)
        and "$ref" in a
        and a.get("$ref") == b.get("$ref")
    )


def compare_composition(
    ctx: Comparison, site: Site, old: Schema, new: Schema, recurse: Recurse
) -> None:
    for keyword, stem in _STEMS.items():
        old_b, new_b = old.get(keyword), new.get(keyword)
        old_list = old_b if isinstance(old_b, list) else []
        new_list = new_b if isinstance(new_b, list) else []
        if not old_list and not new_list:
            continue
        pairs, removed, added = match_branches(ctx, old_list, new_list)
        for i in removed:
            site.emit(ctx.log, f"{stem}-branch-removed", objects=True, old=_label(old_list[i], i))
        for j in added:
            site.emit(ctx.log, f"{stem}-branch-added", objects=True, new=_label(new_list[j], j))
        for i, j in pairs:
            recurse(old_list[i], new_list[j], site.branch(keyword, i, j))


def _mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    mapping = value.get("mapping")
    return mapping if isinstance(mapping, dict) else {}


def _same_target(ctx: Comparison, old: Any, new: Any) -> bool:
    """Mapping values name schemas (``Cat`` or ``#/components/schemas/Cat``)."""
    if old == new:
        return True
    if not (isinstance(old, str) and isinstance(new, str)):
        return False
    refs = [v if v.startswith("#") else f"#/components/schemas/{v}" for v in (old, new)]
    try:  # a mapping to nothing is compared by name only
        resolve_pointer(ctx.old.raw, refs[0])
        resolve_pointer(ctx.new.raw, refs[1])
    except AssayError:
        return False
    return ctx.equivalent({"$ref": refs[0]}, {"$ref": refs[1]})


def compare_discriminator(ctx: Comparison, site: Site, old: Schema, new: Schema) -> None:
    old_d, new_d = old.get("discriminator"), new.get("discriminator")
    if not isinstance(old_d, dict) and not isinstance(new_d, dict):
        return
    if not isinstance(old_d, dict):
        site.emit(ctx.log, "discriminator-added", objects=True, new=new_d.get("propertyName"))  # type: ignore[union-attr]
        return
    if not isinstance(new_d, dict):
        site.emit(ctx.log, "discriminator-removed", objects=True, old=old_d.get("propertyName"))
        return
    if old_d.get("propertyName") != new_d.get("propertyName"):
        site.emit(
            ctx.log,
            "discriminator-property-changed",
            objects=True,
            old=old_d.get("propertyName"),
            new=new_d.get("propertyName"),
        )
    old_m, new_m = _mapping(old_d), _mapping(new_d)
    for value in new_m:
        if value not in old_m:
            site.emit(ctx.log, "discriminator-mapping-added", objects=True, new=value)
    for value, target in old_m.items():
        if value not in new_m:
            site.emit(ctx.log, "discriminator-mapping-removed", objects=True, old=value)
        elif not _same_target(ctx, target, new_m[value]):
            site.emit(
                ctx.log,
                "discriminator-mapping-changed",
                objects=True,
                name=value,
                old=target,
                new=new_m[value],
            )
