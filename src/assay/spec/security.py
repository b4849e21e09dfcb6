"""Build security schemes, security requirements and servers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, cast

from assay.errors import AssayError
from assay.spec.model import (
    OAuthFlow,
    SecurityRequirement,
    SecurityScheme,
    Server,
    escape_pointer_token,
)
from assay.spec.references import follow

__all__ = ["build_requirements", "build_security_schemes", "build_servers"]

_TYPES = ("apiKey", "http", "oauth2", "openIdConnect", "mutualTLS")
_KEY_LOCATIONS = ("header", "query", "cookie")
_FLOWS = ("implicit", "password", "clientCredentials", "authorizationCode")
SchemeType = Literal["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"]
FlowKind = Literal["implicit", "password", "clientCredentials", "authorizationCode"]


def _flows(node: Mapping[str, Any], pointer: str) -> dict[str, OAuthFlow]:
    flows = node.get("flows")
    if not isinstance(flows, dict) or not flows:
        raise AssayError(
            "oauth2 security scheme has no 'flows'",
            pointer=pointer,
            hint="Declare at least one of implicit, password, clientCredentials, "
            "authorizationCode.",
        )
    built: dict[str, OAuthFlow] = {}
    for kind, flow in flows.items():
        if kind.startswith("x-"):
            continue
        if kind not in _FLOWS or not isinstance(flow, dict):
            raise AssayError(
                f"unknown OAuth2 flow {kind!r}; expected one of {', '.join(_FLOWS)}",
                pointer=f"{pointer}/flows/{escape_pointer_token(kind)}",
            )
        scopes = flow.get("scopes")
        built[kind] = OAuthFlow(
            kind=cast(FlowKind, kind),
            scopes={str(k): str(v) for k, v in scopes.items()} if isinstance(scopes, dict) else {},
            authorization_url=flow.get("authorizationUrl"),
            token_url=flow.get("tokenUrl"),
            refresh_url=flow.get("refreshUrl"),
        )
    return built


def _check_fields(kind: str, node: Mapping[str, Any], pointer: str) -> None:
    if kind == "apiKey":
        if node.get("in") not in _KEY_LOCATIONS:
            raise AssayError(
                f"apiKey security scheme has 'in' {node.get('in')!r}; expected header, query "
                "or cookie",
                pointer=pointer,
            )
        if not isinstance(node.get("name"), str):
            raise AssayError(
                "apiKey security scheme has no 'name' (the header, query or cookie name)",
                pointer=pointer,
            )
    elif kind == "http" and not isinstance(node.get("scheme"), str):
        raise AssayError(
            "http security scheme has no 'scheme'",
            pointer=pointer,
            hint="Add scheme: bearer or scheme: basic.",
        )


def _scheme(raw: Mapping[str, Any], name: str, node: Any, site: str) -> SecurityScheme:
    node, pointer = follow(raw, node, site)
    kind = node.get("type") if isinstance(node, dict) else None
    if kind not in _TYPES:
        raise AssayError(
            f"security scheme {name!r} has type {kind!r}; expected one of {', '.join(_TYPES)}",
            pointer=pointer,
        )
    _check_fields(kind, node, pointer)
    return SecurityScheme(
        name=name,
        type=cast(SchemeType, kind),
        pointer=pointer,
        scheme=node.get("scheme"),
        bearer_format=node.get("bearerFormat"),
        location=node.get("in") if kind == "apiKey" else None,
        parameter_name=node.get("name") if kind == "apiKey" else None,
        flows=_flows(node, pointer) if kind == "oauth2" else {},
        open_id_connect_url=node.get("openIdConnectUrl"),
        description=node.get("description"),
    )


def build_security_schemes(raw: Mapping[str, Any]) -> dict[str, SecurityScheme]:
    """``components.securitySchemes`` by name."""
    components = raw.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict):
        return {}
    base = "#/components/securitySchemes"
    return {
        name: _scheme(raw, name, node, f"{base}/{escape_pointer_token(name)}")
        for name, node in schemes.items()
    }


def _requirement(
    entry: Any, pointer: str, schemes: Mapping[str, SecurityScheme]
) -> SecurityRequirement:
    if not isinstance(entry, dict):
        raise AssayError("a security requirement must be an object", pointer=pointer)
    parts: list[tuple[SecurityScheme, tuple[str, ...]]] = []
    for name, scopes in entry.items():
        scheme = schemes.get(name)
        if scheme is None:
            defined = ", ".join(sorted(schemes)) or "none"
            raise AssayError(
                f"security requirement names scheme {name!r}, which is not defined in "
                f"components.securitySchemes (defined: {defined})",
                pointer=pointer,
                hint="Define the scheme or fix the name.",
            )
        parts.append((scheme, tuple(str(s) for s in scopes or ())))
    return SecurityRequirement(tuple(parts))


def build_requirements(
    node: Any, pointer: str, schemes: Mapping[str, SecurityScheme]
) -> tuple[SecurityRequirement, ...]:
    """A ``security`` list; ``{}`` entries are anonymous alternatives."""
    if node is None:
        return ()
    if not isinstance(node, list):
        raise AssayError("'security' must be a list of requirements", pointer=pointer)
    return tuple(_requirement(e, f"{pointer}/{i}", schemes) for i, e in enumerate(node))


def build_servers(node: Any) -> tuple[Server, ...]:
    """A ``servers`` list."""
    if not isinstance(node, list):
        return ()
    return tuple(
        Server(
            url=str(entry.get("url", "/")),
            description=entry.get("description"),
            variables=entry.get("variables") or {},
        )
        for entry in node
        if isinstance(entry, dict)
    )
