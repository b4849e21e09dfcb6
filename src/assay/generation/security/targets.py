"""Which operations the security probes aim at.

* `representatives`: one readable operation per family (its first tag, else its first
  path segment after a version), so a service-wide header gap is one finding per
  family, not one per operation;
* `credential_targets`: the endpoints that take a password — the identities' token
  and login URLs, and operations named like a login, a token or a password reset —
  with how to fill in a username and a password;
* `by_name`: operations named in the configuration (operationId or ``METHOD /path``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from assay.client.identities import Identity, Login
from assay.spec.model import Operation, Spec

__all__ = [
    "CredentialTarget",
    "by_name",
    "credential_targets",
    "family",
    "representatives",
]

_VERSION = re.compile(r"^(v\d+(\.\d+)*|api)$", re.IGNORECASE)
CREDENTIAL_NAME = re.compile(
    r"log-?in|sign-?in|token$|/token/?$|password[-_/]?reset|reset[-_/]?password|"
    r"forgot[-_/]?password",
    re.IGNORECASE,
)
_USER_FIELD = re.compile(r"^(user(name)?|e-?mail|login|account)$", re.IGNORECASE)
_PASSWORD_FIELD = re.compile(r"^(pass(word)?|secret)$", re.IGNORECASE)


def family(operation: Operation) -> str:
    """The family an operation belongs to: its first tag, else its first path segment."""
    if operation.tags:
        return operation.tags[0]
    segments = [s for s in operation.path.split("/") if s and not s.startswith("{")]
    meaningful = [s for s in segments if not _VERSION.match(s)]
    return meaningful[0] if meaningful else "/"


def _readable(operation: Operation) -> bool:
    return operation.method == "get" and not any(
        p.required and p.location != "path" for p in operation.parameters
    )


def representatives(
    operations: Sequence[Operation], authenticated: Iterable[Operation]
) -> list[Operation]:
    """One GET per family: authenticated first, then without path parameters."""
    signed = {op.label for op in authenticated}
    chosen: dict[str, Operation] = {}
    ranked = sorted(
        (op for op in operations if _readable(op)),
        key=lambda op: (op.label not in signed, "{" in op.path, op.path),
    )
    for operation in ranked:
        chosen.setdefault(family(operation), operation)
    return sorted(chosen.values(), key=lambda op: op.path)


@dataclass(frozen=True, slots=True)
class CredentialTarget:
    """An endpoint that takes a username and password, and how to fill them in.

    ``login`` is set when a configured identity logs in there (its username is an
    existing user); otherwise the fields were recognised in the operation's body.
    """

    operation: Operation
    login: Login | None
    user_field: str | None
    password_field: str | None

    def fields(self, username: str, password: str) -> dict[str, str]:
        """The fields to merge into the request body."""
        if self.login is not None:
            return self.login.body(username, password)
        found: dict[str, str] = {}
        if self.user_field:
            found[self.user_field] = username
        if self.password_field:
            found[self.password_field] = password
        return found


def _at(operations: Sequence[Operation], url: str) -> Operation | None:
    path = urlsplit(url).path.rstrip("/") or "/"
    return next(
        (op for op in operations if op.method == "post" and op.path.rstrip("/") == path), None
    )


def _body_fields(spec: Spec, operation: Operation) -> tuple[str | None, str | None]:
    request = operation.request_body
    names: list[str] = []
    for media in request.content.values() if request else ():
        schema = spec.resolve(media.schema)
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(properties, dict):
            names.extend(str(name) for name in properties)
    user = next((n for n in names if _USER_FIELD.match(n)), None)
    password = next((n for n in names if _PASSWORD_FIELD.match(n)), None)
    return user, password


def credential_targets(
    spec: Spec, operations: Sequence[Operation], identities: Iterable[Identity]
) -> list[CredentialTarget]:
    """The identities' login endpoints, then operations named like one (POST only)."""
    found: dict[str, CredentialTarget] = {}
    for identity in identities:
        login = identity.login
        operation = _at(operations, login.url) if login is not None else None
        if operation is not None and login is not None and operation.label not in found:
            fields = (login.username_field, login.password_field)
            found[operation.label] = CredentialTarget(operation, login, *fields)
    for operation in operations:
        named = f"{operation.path} {operation.operation_id or ''}"
        if operation.method != "post" or operation.label in found:
            continue
        if CREDENTIAL_NAME.search(operation.path) or CREDENTIAL_NAME.search(named):
            user, password = _body_fields(spec, operation)
            if user is not None:
                found[operation.label] = CredentialTarget(operation, None, user, password)
    return list(found.values())


def by_name(operations: Sequence[Operation], names: Iterable[str]) -> list[Operation]:
    """The operations named by operationId or ``METHOD /path`` (unknown names are skipped)."""
    wanted = set(names)
    return [op for op in operations if op.operation_id in wanted or op.label in wanted]
