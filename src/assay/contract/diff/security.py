"""Security: each operation's requirements and scopes, and the security schemes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assay.contract.diff.comparison import Comparison
from assay.spec.model import Operation, SecurityScheme

__all__ = ["compare_operation_security", "compare_schemes"]

Requirement = frozenset[str]


def _requirements(op: Operation) -> dict[Requirement, dict[str, frozenset[str]]]:
    found: dict[Requirement, dict[str, frozenset[str]]] = {}
    for requirement in op.security:
        scopes = {scheme.name: frozenset(s) for scheme, s in requirement.schemes}
        found[frozenset(scopes)] = scopes
    if set(found) == {frozenset()}:  # `security: [{}]` is public, like no security at all
        return {}
    return found


def _label(key: Requirement) -> str:
    return " + ".join(sorted(key)) if key else "none"


def compare_operation_security(ctx: Comparison, old: Operation, new: Operation) -> None:
    label, before, after = old.label, _requirements(old), _requirements(new)
    pointers = (f"{old.pointer}/security", f"{new.pointer}/security")

    def add(rule: str, **fields: Any) -> None:
        ctx.log.add(rule, *pointers, label, subject=label, **fields)

    if not before and after and frozenset() not in after:
        add("operation-security-added", new=" or ".join(_label(k) for k in after))
        return
    if before and not after:
        add("operation-security-removed")
        return
    if frozenset() in before and frozenset() not in after:
        add("operation-anonymous-access-removed")
    for key, scopes in before.items():
        if key and key not in after:
            add("operation-security-requirement-removed", old=_label(key))
        elif key:
            _scopes(add, scopes, after[key])
    for key in after:
        if key not in before:
            add("operation-security-requirement-added", new=_label(key))


def _scopes(add: Any, old: Mapping[str, frozenset[str]], new: Mapping[str, frozenset[str]]) -> None:
    for scheme, scopes in old.items():
        for scope in sorted(new[scheme] - scopes):
            add("operation-security-scope-added", name=scheme, new=scope)
        for scope in sorted(scopes - new[scheme]):
            add("operation-security-scope-removed", name=scheme, old=scope)


def compare_schemes(ctx: Comparison) -> None:
    old_s, new_s = ctx.old.security_schemes, ctx.new.security_schemes
    for name, scheme in old_s.items():
        other = new_s.get(name)
        if other is None:
            ctx.log.add("security-scheme-removed", scheme.pointer, None, name=f"'{name}'")
        else:
            _compare_scheme(ctx, scheme, other)
    for name, scheme in new_s.items():
        if name not in old_s:
            ctx.log.add("security-scheme-added", None, scheme.pointer, name=f"'{name}'")


def _compare_scheme(ctx: Comparison, old: SecurityScheme, new: SecurityScheme) -> None:
    def add(rule: str, **fields: Any) -> None:
        ctx.log.add(
            f"security-scheme-{rule}", old.pointer, new.pointer, name=f"'{old.name}'", **fields
        )

    if old.type != new.type:
        add("type-changed", old=old.type, new=new.type)
        return
    if (old.scheme or "").lower() != (new.scheme or "").lower():
        add("http-scheme-changed", old=old.scheme, new=new.scheme)
    if (old.location, old.parameter_name) != (new.location, new.parameter_name):
        add(
            "api-key-location-changed",
            old=f"{old.location} {old.parameter_name}",
            new=f"{new.location} {new.parameter_name}",
        )
    if old.bearer_format != new.bearer_format:
        add("bearer-format-changed", old=old.bearer_format, new=new.bearer_format)
    if old.open_id_connect_url != new.open_id_connect_url:
        add("openid-url-changed", old=old.open_id_connect_url, new=new.open_id_connect_url)
    _compare_flows(old, new, add)


def _compare_flows(old: SecurityScheme, new: SecurityScheme, add: Any) -> None:
    for kind, flow in old.flows.items():
        other = new.flows.get(kind)
        if other is None:
            add("oauth-flow-removed", old=kind)
            continue
        if flow.token_url != other.token_url:
            add("token-url-changed", old=flow.token_url, new=other.token_url)
        if flow.authorization_url != other.authorization_url:
            add(
                "authorization-url-changed", old=flow.authorization_url, new=other.authorization_url
            )
        for scope in sorted(set(other.scopes) - set(flow.scopes)):
            add("scope-added", new=scope)
        for scope in sorted(set(flow.scopes) - set(other.scopes)):
            add("scope-removed", old=scope)
    for kind in new.flows:
        if kind not in old.flows:
            add("oauth-flow-added", new=kind)
