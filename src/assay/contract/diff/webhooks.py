"""Webhooks (3.1): added, removed, and their payloads compared as data clients receive.

A webhook's request is sent *by* the API *to* its subscribers, so its payload is
compared with response semantics (widening is breaking: subscribers may receive values
they do not handle) and reported with the response rules, named
``WEBHOOK <name>`` and ``payload (<media type>)``.
"""

from __future__ import annotations

from assay.contract.diff.bodies import compare_media
from assay.contract.diff.comparison import Comparison
from assay.contract.diff.sites import Site
from assay.spec.model import MediaType, Operation
from assay.spec.pointers import escape_pointer_token

__all__ = ["compare_webhooks"]


def compare_webhooks(ctx: Comparison) -> None:
    old_w = {(w.path, w.method): w for w in ctx.old.webhooks}
    new_w = {(w.path, w.method): w for w in ctx.new.webhooks}
    old_names, new_names = {n for n, _ in old_w}, {n for n, _ in new_w}
    for name in sorted(old_names - new_names):
        pointer = f"#/webhooks/{escape_pointer_token(name)}"
        ctx.log.add("webhook-removed", pointer, None, name=f"'{name}'")
    for name in sorted(new_names - old_names):
        pointer = f"#/webhooks/{escape_pointer_token(name)}"
        ctx.log.add("webhook-added", None, pointer, name=f"'{name}'")
    for key, hook in old_w.items():
        if key in new_w:
            _compare_payload(ctx, hook, new_w[key])


def _compare_payload(ctx: Comparison, old: Operation, new: Operation) -> None:
    label = f"WEBHOOK {old.path}"
    before = old.request_body.content if old.request_body else {}
    after = new.request_body.content if new.request_body else {}

    def report(what: str, was: MediaType | None, now: MediaType | None) -> None:
        pointers = (was.pointer if was else None, now.pointer if now else None)
        ctx.log.add(
            f"response-media-type-{what}",
            *pointers,
            label,
            subject=label,
            name="payload",
            old=was.media_type if was else None,
            new=now.media_type if now else None,
        )

    def site_for(was: MediaType, now: MediaType) -> Site:
        where = f"payload ({was.media_type})"
        return Site("response-body", label, where, was.schema_pointer, now.schema_pointer)

    compare_media(ctx, before, after, report, site_for)
