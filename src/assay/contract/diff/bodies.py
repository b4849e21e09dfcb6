"""Request bodies and media types of one operation pair."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from assay.contract.diff.comparison import Comparison
from assay.contract.diff.schemas import compare_schemas
from assay.contract.diff.sites import Site
from assay.spec.model import MediaType, Operation

__all__ = ["compare_media", "compare_request_body", "media_key"]


def media_key(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def _by_key(content: Mapping[str, MediaType]) -> dict[str, MediaType]:
    return {media_key(k): v for k, v in content.items()}


def compare_media(
    ctx: Comparison,
    old: Mapping[str, MediaType],
    new: Mapping[str, MediaType],
    report: Callable[[str, MediaType | None, MediaType | None], None],
    site_for: Callable[[MediaType, MediaType], Site],
) -> None:
    """Media types removed/added (through `report`), then each shared one's schema."""
    old_m, new_m = _by_key(old), _by_key(new)
    for key, media in old_m.items():
        if key not in new_m:
            report("removed", media, None)
        else:
            compare_schemas(ctx, media.schema, new_m[key].schema, site_for(media, new_m[key]))
    for key, media in new_m.items():
        if key not in old_m:
            report("added", None, media)


def compare_request_body(ctx: Comparison, old: Operation, new: Operation) -> None:
    label, before, after = old.label, old.request_body, new.request_body
    if before is None and after is None:
        return
    if before is None and after is not None:
        rule = "request-required-body-added" if after.required else "request-optional-body-added"
        ctx.log.add(rule, None, after.pointer, label, subject=label)
        return
    if after is None and before is not None:
        ctx.log.add("request-body-removed", before.pointer, None, label, subject=label)
        return
    assert before is not None
    assert after is not None
    if before.required != after.required:
        rule = "request-body-became-required" if after.required else "request-body-became-optional"
        ctx.log.add(rule, before.pointer, after.pointer, label, subject=label)

    def report(what: str, was: MediaType | None, now: MediaType | None) -> None:
        ctx.log.add(
            f"request-media-type-{what}",
            was.pointer if was else None,
            now.pointer if now else None,
            label,
            subject=label,
            old=was.media_type if was else None,
            new=now.media_type if now else None,
        )

    def site_for(was: MediaType, now: MediaType) -> Site:
        where = f"request body ({was.media_type})"
        return Site("request-body", label, where, was.schema_pointer, now.schema_pointer)

    compare_media(ctx, before.content, after.content, report, site_for)
