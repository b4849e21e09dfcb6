"""The typed model of an OpenAPI 3.0/3.1 document.

Every object keeps `pointer`, the JSON pointer of its place in the source document
(``#/paths/~1orders/post``), so messages can say where a problem comes from.

Schemas stay JSON (``dict``) as written in the document, with local ``$ref``s left in
place (recursive schemas cannot be inlined); `Spec.resolve` follows one reference and
`Spec.schema_at` fetches the fragment a pointer names. External-file references have
already been bundled into the document by the loader, so every ``$ref`` is local.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from assay.errors import AssayError
from assay.spec.pointers import escape_pointer_token, resolve_pointer, unescape_pointer_token

__all__ = [
    "HTTP_METHODS",
    "Header",
    "Link",
    "MediaType",
    "OAuthFlow",
    "Operation",
    "Parameter",
    "ParameterLocation",
    "RequestBody",
    "Response",
    "Schema",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "Spec",
    "Tag",
    "escape_pointer_token",
    "match_media_type",
    "resolve_pointer",
    "unescape_pointer_token",
]

Schema = dict[str, Any]
"""A JSON Schema fragment as written in the document (local `$ref`s kept)."""

ParameterLocation = Literal["path", "query", "header", "cookie"]

HTTP_METHODS: tuple[str, ...] = (
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
)

_DEFAULT_STYLE: dict[str, str] = {
    "path": "simple",
    "query": "form",
    "header": "simple",
    "cookie": "form",
}


def default_style(location: ParameterLocation) -> str:
    """The serialization style OpenAPI assumes when a parameter declares none."""
    return _DEFAULT_STYLE[location]


@dataclass(frozen=True, slots=True)
class Parameter:
    """One path, query, header or cookie parameter of an operation."""

    name: str
    location: ParameterLocation
    required: bool
    schema: Schema | None
    style: str
    explode: bool
    pointer: str
    description: str | None = None
    deprecated: bool = False
    allow_empty_value: bool = False
    allow_reserved: bool = False
    content_type: str | None = None
    """Set when the parameter uses ``content`` instead of ``schema`` (e.g. JSON in a query)."""
    example: Any = None
    examples: Mapping[str, Any] = field(default_factory=dict)

    @property
    def schema_pointer(self) -> str:
        """Where `schema` sits in the document (inside ``content`` for content parameters)."""
        if self.content_type is not None:
            return f"{self.pointer}/content/{escape_pointer_token(self.content_type)}/schema"
        return f"{self.pointer}/schema"

    @property
    def key(self) -> tuple[ParameterLocation, str]:
        """Identity of a parameter within an operation (header names are case-insensitive)."""
        name = self.name.lower() if self.location == "header" else self.name
        return (self.location, name)


@dataclass(frozen=True, slots=True)
class MediaType:
    """One media type of a request or response body (``application/json``, …)."""

    media_type: str
    schema: Schema | None
    pointer: str
    example: Any = None
    examples: Mapping[str, Any] = field(default_factory=dict)
    encoding: Mapping[str, Any] = field(default_factory=dict)

    @property
    def schema_pointer(self) -> str:
        """Where `schema` sits in the document."""
        return f"{self.pointer}/schema"

    @property
    def is_json(self) -> bool:
        """JSON and its structured-syntax variants (``application/problem+json``)."""
        base = self.media_type.split(";", 1)[0].strip().lower()
        return base == "application/json" or base.endswith("+json")


@dataclass(frozen=True, slots=True)
class RequestBody:
    """The request body of an operation with every media type it accepts."""

    required: bool
    content: Mapping[str, MediaType]
    pointer: str
    description: str | None = None

    def media(self, media_type: str) -> MediaType | None:
        """The entry for `media_type`, matching wildcards (``*/*``, ``application/*``)."""
        return match_media_type(self.content, media_type)


@dataclass(frozen=True, slots=True)
class Header:
    """A response header declared in the spec."""

    name: str
    required: bool
    schema: Schema | None
    pointer: str
    description: str | None = None
    deprecated: bool = False
    content_type: str | None = None
    """Set when the header uses ``content`` instead of ``schema``."""

    @property
    def schema_pointer(self) -> str:
        """Where `schema` sits in the document (inside ``content`` for content headers)."""
        if self.content_type is not None:
            return f"{self.pointer}/content/{escape_pointer_token(self.content_type)}/schema"
        return f"{self.pointer}/schema"


@dataclass(frozen=True, slots=True)
class Link:
    """An OpenAPI link: how a response's values feed another operation."""

    name: str
    pointer: str
    operation_id: str | None = None
    operation_ref: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    request_body: Any = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Response:
    """One documented response: a status code, a range (``4XX``) or ``default``."""

    status: str
    description: str
    content: Mapping[str, MediaType]
    headers: Mapping[str, Header]
    links: Mapping[str, Link]
    pointer: str

    def media(self, media_type: str) -> MediaType | None:
        """The entry for a response's content type, matching wildcards."""
        return match_media_type(self.content, media_type)


@dataclass(frozen=True, slots=True)
class OAuthFlow:
    """One OAuth2 flow of a security scheme."""

    kind: Literal["implicit", "password", "clientCredentials", "authorizationCode"]
    scopes: Mapping[str, str]
    authorization_url: str | None = None
    token_url: str | None = None
    refresh_url: str | None = None


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """A security scheme from ``components.securitySchemes``.

    `type` is the OpenAPI type; `scheme` the HTTP scheme for ``http`` (``bearer``,
    ``basic``…); `location` and `parameter_name` say where an ``apiKey`` goes.
    """

    name: str
    type: Literal["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"]
    pointer: str
    scheme: str | None = None
    bearer_format: str | None = None
    location: Literal["header", "query", "cookie"] | None = None
    parameter_name: str | None = None
    flows: Mapping[str, OAuthFlow] = field(default_factory=dict)
    open_id_connect_url: str | None = None
    description: str | None = None

    @property
    def kind(self) -> str:
        """A short label: ``bearer``, ``basic``, ``apiKey:header``, ``oauth2``, …"""
        if self.type == "http":
            return (self.scheme or "http").lower()
        if self.type == "apiKey":
            return f"apiKey:{self.location}"
        return self.type


@dataclass(frozen=True, slots=True)
class SecurityRequirement:
    """One alternative of an operation's ``security`` list: every scheme in it applies.

    An empty requirement (``{}``) means "no credentials needed" — optional auth when it
    stands beside other alternatives.
    """

    schemes: tuple[tuple[SecurityScheme, tuple[str, ...]], ...]

    @property
    def is_anonymous(self) -> bool:
        return not self.schemes

    def label(self) -> str:
        if not self.schemes:
            return "none"
        parts = []
        for scheme, scopes in self.schemes:
            parts.append(f"{scheme.name}[{' '.join(scopes)}]" if scopes else scheme.name)
        return " + ".join(parts)


@dataclass(frozen=True, slots=True)
class Server:
    """A server the API is reachable at (``url`` may hold ``{variables}``)."""

    url: str
    description: str | None = None
    variables: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag declared at the top of the document, with its description."""

    name: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Operation:
    """One method on one path template, with everything declared for it.

    `parameters` already merges path-item and operation parameters (the operation's win).
    `security` is the effective list of alternatives (the operation's own, or the
    document's global one); an empty tuple means the operation is public.
    """

    method: str
    path: str
    pointer: str
    operation_id: str | None
    summary: str | None
    description: str | None
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: Mapping[str, Response]
    security: tuple[SecurityRequirement, ...]
    deprecated: bool = False
    servers: tuple[Server, ...] = ()
    extensions: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``"POST /orders"`` — how messages name the operation."""
        return f"{self.method.upper()} {self.path}"

    @property
    def requires_auth(self) -> bool:
        """True when every alternative needs some credential."""
        return bool(self.security) and all(not r.is_anonymous for r in self.security)

    def parameter(self, name: str, location: ParameterLocation | None = None) -> Parameter | None:
        """The parameter named `name` (in `location`, when given)."""
        for param in self.parameters:
            same = (
                param.name.lower() == name.lower()
                if param.location == "header"
                else (param.name == name)
            )
            if same and (location is None or param.location == location):
                return param
        return None

    def parameters_in(self, location: ParameterLocation) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == location)

    def response_for(self, status: int) -> Response | None:
        """The documented response for `status`: exact code, then ``4XX`` range, then default."""
        exact = self.responses.get(str(status))
        if exact is not None:
            return exact
        ranged = self.responses.get(f"{status // 100}XX") or self.responses.get(
            f"{status // 100}xx"
        )
        if ranged is not None:
            return ranged
        return self.responses.get("default")


@dataclass(frozen=True, slots=True)
class Spec:
    """A loaded OpenAPI document: its operations, schemes and the raw (bundled) JSON."""

    openapi: str
    title: str
    version: str
    operations: tuple[Operation, ...]
    servers: tuple[Server, ...]
    security_schemes: Mapping[str, SecurityScheme]
    raw: Mapping[str, Any]
    source: str
    """Where the document came from: a file path, a URL or ``package.module:app``."""
    webhooks: tuple[Operation, ...] = ()
    """OpenAPI 3.1 webhooks: `Operation.path` is the webhook's name."""
    security: tuple[SecurityRequirement, ...] = ()
    """The document's global ``security`` (operations without their own inherit it)."""
    tags: tuple[Tag, ...] = ()
    description: str | None = None
    json_schema_dialect: str | None = None
    extensions: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_openapi_31(self) -> bool:
        return self.openapi.startswith("3.1")

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations)

    def __len__(self) -> int:
        return len(self.operations)

    def operation(self, operation_id: str) -> Operation:
        """The operation with this operationId, or an `AssayError` listing close names."""
        for op in self.operations:
            if op.operation_id == operation_id:
                return op
        known = sorted(op.operation_id for op in self.operations if op.operation_id)
        close = [
            k
            for k in known
            if operation_id.lower() in k.lower() or k.lower() in operation_id.lower()
        ]
        hint = (
            f"Did you mean {', '.join(repr(c) for c in close[:5])}?"
            if close
            else (f"Known operationIds: {', '.join(known[:20])}{'…' if len(known) > 20 else ''}.")
        )
        raise AssayError(f"the spec has no operation with operationId {operation_id!r}", hint=hint)

    def find(self, method: str, path: str) -> Operation | None:
        """The operation for `method` on a concrete path (``/orders/42``) or a template."""
        method = method.lower()
        for op in self.operations:
            if op.method == method and op.path == path:
                return op
        for op in self.operations:
            if op.method == method and _template_matches(op.path, path):
                return op
        return None

    def schema_at(self, pointer: str) -> Any:
        """The JSON value at a pointer (``#/components/schemas/Order``) in the document."""
        return resolve_pointer(self.raw, pointer)

    def resolve(self, schema: Any) -> Any:
        """Follow `$ref`s at the top of `schema` until a non-reference value is reached."""
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                raise AssayError(f"$ref cycle without a schema in between: {ref}", pointer=ref)
            seen.add(ref)
            schema = resolve_pointer(self.raw, ref)
        return schema


def _template_matches(template: str, path: str) -> bool:
    t_parts = template.strip("/").split("/")
    p_parts = path.split("?", 1)[0].strip("/").split("/")
    if len(t_parts) != len(p_parts):
        return False
    for t, p in zip(t_parts, p_parts, strict=True):
        if "{" in t:
            prefix, _, rest = t.partition("{")
            suffix = rest.partition("}")[2]
            if not (p.startswith(prefix) and p.endswith(suffix) and len(p) > len(prefix + suffix)):
                return False
        elif t != p:
            return False
    return True


def match_media_type(content: Mapping[str, MediaType], media_type: str) -> MediaType | None:
    """Pick the declared media type that best matches a concrete one.

    Parameters (``; charset=utf-8``) are ignored; exact beats ``type/*`` beats ``*/*``.
    """
    base = media_type.split(";", 1)[0].strip().lower()
    declared = {key.split(";", 1)[0].strip().lower(): value for key, value in content.items()}
    if base in declared:
        return declared[base]
    major = base.split("/", 1)[0]
    return declared.get(f"{major}/*") or declared.get("*/*")
