"""Document-level changes: versions, title, servers and their variables, tags, webhooks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.contract.diff.comparison import Comparison
from assay.contract.diff.webhooks import compare_webhooks
from assay.spec.model import Server
from assay.spec.pointers import escape_pointer_token

__all__ = ["compare_document"]


def compare_document(ctx: Comparison) -> None:
    old, new, log = ctx.old, ctx.new, ctx.log
    for rule, before, after, pointer in (
        ("openapi-version-changed", old.openapi, new.openapi, "#/openapi"),
        ("api-version-changed", old.version, new.version, "#/info/version"),
        ("api-title-changed", old.title, new.title, "#/info/title"),
    ):
        if before != after:
            log.add(rule, pointer, pointer, old=before, new=after)
    _servers(ctx, old.servers, new.servers)
    _tags(ctx)
    compare_webhooks(ctx)


def _servers(ctx: Comparison, old: tuple[Server, ...], new: tuple[Server, ...]) -> None:
    old_by = {s.url.rstrip("/"): (i, s) for i, s in enumerate(old)}
    new_by = {s.url.rstrip("/"): (i, s) for i, s in enumerate(new)}
    for url, (i, server) in old_by.items():
        if url not in new_by:
            ctx.log.add("server-removed", f"#/servers/{i}", None, old=server.url)
        else:
            j, other = new_by[url]
            _variables(ctx, server, other, (f"#/servers/{i}", f"#/servers/{j}"))
    for url, (j, server) in new_by.items():
        if url not in old_by:
            ctx.log.add("server-added", None, f"#/servers/{j}", new=server.url)


def _variables(ctx: Comparison, old: Server, new: Server, pointers: tuple[str, str]) -> None:
    for name, variable in old.variables.items():
        other = new.variables.get(name)
        if not isinstance(variable, Mapping) or not isinstance(other, Mapping):
            continue
        where = tuple(f"{p}/variables/{escape_pointer_token(name)}" for p in pointers)
        fields: dict[str, Any] = {"name": old.url, "subject": name}
        if variable.get("default") != other.get("default"):
            ctx.log.add(
                "server-variable-default-changed",
                *where,
                old=variable.get("default"),
                new=other.get("default"),
                **fields,
            )
        old_enum, new_enum = variable.get("enum") or [], other.get("enum") or []
        if not (old_enum and new_enum):
            continue
        for value in old_enum:
            if value not in new_enum:
                ctx.log.add("server-variable-enum-value-removed", *where, old=value, **fields)
        for value in new_enum:
            if value not in old_enum:
                ctx.log.add("server-variable-enum-value-added", *where, new=value, **fields)


def _tags(ctx: Comparison) -> None:
    old_t = {t.name: i for i, t in enumerate(ctx.old.tags)}
    new_t = {t.name: i for i, t in enumerate(ctx.new.tags)}
    for name, i in old_t.items():
        if name not in new_t:
            ctx.log.add("tag-removed", f"#/tags/{i}", None, old=name)
    for name, j in new_t.items():
        if name not in old_t:
            ctx.log.add("tag-added", None, f"#/tags/{j}", new=name)
