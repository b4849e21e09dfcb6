"""Responses of one operation pair: statuses (codes, ranges, default), bodies, headers, links."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.contract.diff.bodies import compare_media
from assay.contract.diff.comparison import Comparison
from assay.contract.diff.schemas import compare_schemas
from assay.contract.diff.sites import Site
from assay.spec.model import Header, Link, MediaType, Operation, Response

__all__ = ["compare_responses"]


def _keyed(op: Operation) -> dict[str, Response]:
    return {status.upper(): response for status, response in op.responses.items()}


def _covering(status: str, responses: Mapping[str, Response]) -> str | None:
    """The range (``4XX``) or ``default`` of `responses` that covers an exact status."""
    if not status.isdigit():
        return None
    ranged = f"{status[0]}XX"
    if ranged in responses:
        return ranged
    return "DEFAULT" if "DEFAULT" in responses else None


def _is_success(status: str) -> bool:
    return status[:1] in ("2", "3")


def compare_responses(ctx: Comparison, old: Operation, new: Operation) -> None:
    label = old.label
    old_r, new_r = _keyed(old), _keyed(new)
    covering: set[str] = set()
    for status, response in old_r.items():
        if status in new_r:
            _compare_response(ctx, label, response, new_r[status])
            continue
        cover = _covering(status, new_r)
        if cover is not None:
            covering.add(cover)
            ctx.log.add(
                "response-status-merged-into-range",
                response.pointer,
                new_r[cover].pointer,
                label,
                subject=label,
                old=status,
                new=new_r[cover].status,
            )
            _compare_response(ctx, label, response, new_r[cover])
        else:
            _status_change(ctx, label, status, "removed", response)
    for status, response in new_r.items():
        if status not in old_r and status not in covering:
            _status_change(ctx, label, status, "added", response)


def _status_change(ctx: Comparison, label: str, status: str, what: str, response: Response) -> None:
    old, new = (response.pointer, None) if what == "removed" else (None, response.pointer)
    if status == "DEFAULT":
        ctx.log.add(f"response-default-{what}", old, new, label, subject=label)
        return
    kind = "success" if _is_success(status) else "error"
    value = {"old" if what == "removed" else "new": response.status}
    ctx.log.add(f"response-{kind}-status-{what}", old, new, label, subject=label, **value)


def _compare_response(ctx: Comparison, label: str, old: Response, new: Response) -> None:
    def report(what: str, was: MediaType | None, now: MediaType | None) -> None:
        ctx.log.add(
            f"response-media-type-{what}",
            was.pointer if was else None,
            now.pointer if now else None,
            label,
            subject=label,
            name=old.status,
            old=was.media_type if was else None,
            new=now.media_type if now else None,
        )

    def site_for(was: MediaType, now: MediaType) -> Site:
        where = f"response {old.status} ({was.media_type})"
        return Site("response-body", label, where, was.schema_pointer, now.schema_pointer)

    compare_media(ctx, old.content, new.content, report, site_for)
    _compare_headers(ctx, label, old, new)
    _compare_links(ctx, label, old, new)


def _compare_headers(ctx: Comparison, label: str, old: Response, new: Response) -> None:
    old_h = {k.lower(): v for k, v in old.headers.items()}
    new_h = {k.lower(): v for k, v in new.headers.items()}

    def add(rule: str, was: Header | None, now: Header | None) -> None:
        header = was or now
        name = f"'{header.name}'" if header else ""
        pointers = (was.pointer if was else None, now.pointer if now else None)
        ctx.log.add(rule, *pointers, label, subject=label, name=name)

    for key, header in old_h.items():
        other = new_h.get(key)
        if other is None:
            add(
                f"response-{'required' if header.required else 'optional'}-header-removed",
                header,
                None,
            )
            continue
        if header.required != other.required:
            add(
                f"response-header-became-{'required' if other.required else 'optional'}",
                header,
                other,
            )
        where = f"response {old.status} header '{header.name}'"
        site = Site("response-header", label, where, header.schema_pointer, other.schema_pointer)
        compare_schemas(ctx, header.schema, other.schema, site)
    for key, header in new_h.items():
        if key not in old_h:
            add("response-header-added", None, header)


def _compare_links(ctx: Comparison, label: str, old: Response, new: Response) -> None:
    def add(rule: str, was: Link | None, now: Link | None, name: str, **fields: Any) -> None:
        pointers = (was.pointer if was else None, now.pointer if now else None)
        ctx.log.add(rule, *pointers, label, subject=label, name=f"'{name}'", **fields)

    for name, link in old.links.items():
        other = new.links.get(name)
        if other is None:
            add("response-link-removed", link, None, name)
            continue
        before = link.operation_id or link.operation_ref
        after = other.operation_id or other.operation_ref
        if before != after:
            add("response-link-target-changed", link, other, name, old=before, new=after)
        same_body = link.request_body == other.request_body
        if dict(link.parameters) != dict(other.parameters) or not same_body:
            add("response-link-parameters-changed", link, other, name)
    for name, link in new.links.items():
        if name not in old.links:
            add("response-link-added", None, link, name)
