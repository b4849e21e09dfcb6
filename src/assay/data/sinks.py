"""Where ``create()`` puts what a builder built: through the API, a session, or a function.

A sink is any callable that takes the built object and returns the created resource.
`APISink` sends it to a spec operation with an `APITestClient` and returns the
resource the service answered with; `SessionSink` adds it to a SQLAlchemy session and
flushes; any other callable (a repository's ``add``) works as is. What an API sink
created is registered with a `CleanupRegistry` (``assay.data.cleanup.Cleanup`` is one)
so it is deleted at teardown; the default `RecordedCleanup` only records it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from assay.errors import AssayError

if TYPE_CHECKING:
    from assay.client import APITestClient, APITestResponse
    from assay.spec.model import Operation

__all__ = ["APISink", "CleanupRegistry", "RecordedCleanup", "SessionSink", "Sink", "as_sink"]

Sink = Callable[[Any], Any]
"""Takes the built object, persists it, returns the created resource."""


@runtime_checkable
class CleanupRegistry(Protocol):
    """Receives what tests created: a URL to delete, or a callable that undoes it."""

    def register(self, target: str | Callable[[], object]) -> None:
        """Remember `target` for teardown (deleted/called in reverse order)."""


class RecordedCleanup:
    """A `CleanupRegistry` that only records what was registered (the default)."""

    def __init__(self) -> None:
        self.registered: list[str | Callable[[], object]] = []

    def register(self, target: str | Callable[[], object]) -> None:
        """Append `target` to `registered`."""
        self.registered.append(target)


class SessionSink:
    """Adds the object to a SQLAlchemy session and flushes, so keys are assigned."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def __call__(self, obj: Any) -> Any:
        self.session.add(obj)
        self.session.flush()
        return obj


def as_sink(target: Any) -> Sink:
    """A sink from a session (``add`` + ``flush``) or any callable."""
    if hasattr(target, "add") and hasattr(target, "flush"):
        return SessionSink(target)
    if callable(target):
        return target  # type: ignore[no-any-return]
    raise AssayError(
        f"{target!r} cannot persist built objects",
        hint="Pass a callable that takes the object and returns the created resource, a "
        "SQLAlchemy session, or an APISink(client, 'operationId').",
    )


class APISink:
    """Creates resources through a spec operation: ``APISink(api, "createProduct")``.

    `operation` is an operationId or ``"POST /v1/products"``. Path, query and header
    parameters are taken from the fields of the same name (a field the body also declares
    stays in the body too); the rest is the JSON body. `headers` are sent with every
    create; a required idempotency-key header the data does not give gets a fresh key
    per create. A non-2xx answer
    is an `AssayError` with the status and body. The created resource's URL (its
    ``Location``, or the item path of the collection it was posted to) is registered
    with `cleanup`.
    """

    def __init__(
        self,
        client: APITestClient,
        operation: str,
        *,
        cleanup: CleanupRegistry | None = None,
        identity: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.client = client
        self.operation = _operation(client, operation)
        self.cleanup: CleanupRegistry = cleanup if cleanup is not None else RecordedCleanup()
        self.identity = identity
        self.headers = dict(headers or {})

    def __call__(self, obj: Any) -> Any:
        data = _as_data(obj)
        op = self.operation
        params: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}}
        for p in op.parameters:
            if p.location in params and p.name in data:
                params[p.location][p.name] = data[p.name]
        headers = {**_fresh_keys(op, data), **self.headers, **params["header"]}
        declared = _body_fields(self.client, op)
        sent = {*params["path"], *params["query"], *params["header"]}
        body = {k: v for k, v in data.items() if k not in sent or k in declared}
        response = self.client.call(
            op.operation_id or "",
            path=params["path"],
            query=params["query"],
            headers=headers,
            json=body,
            identity=self.identity,
        )
        if not response.is_success:
            raise AssayError(
                f"creating through {op.method.upper()} {op.path} answered "
                f"{response.status_code}: {response.text[:300]}",
                hint="The service refused the built data: set the fields it needs with "
                "overrides or traits (an existing reference, a unique name…).",
            )
        created = _created(response, data)
        url = _location(self.client, op, response, created)
        if url is not None:
            self.cleanup.register(url)
        return created


def _fresh_keys(op: Operation, data: Mapping[str, Any]) -> dict[str, str]:
    """A new key for each required idempotency-key header the data does not give."""
    return {
        p.name: uuid.uuid4().hex
        for p in op.parameters
        if p.location == "header"
        and p.required
        and "idempotency" in p.name.lower()
        and p.name not in data
    }


def _operation(client: APITestClient, target: str) -> Operation:
    method, _, path = target.partition(" ")
    if not path:
        operation = client.spec.operation(target)
    else:
        found = client.spec.find(method, path.strip())
        if found is None:
            raise AssayError(
                f"the spec has no operation {target!r}",
                hint="Give an operationId or 'METHOD /path/template' as the spec lists it.",
            )
        operation = found
    if not operation.operation_id:
        raise AssayError(
            f"{operation.method.upper()} {operation.path} has no operationId",
            hint="Give the operation an operationId in the spec to create through it.",
        )
    return operation


def _as_data(obj: Any) -> dict[str, Any]:
    dump = getattr(obj, "model_dump", None)
    if dump is not None:
        data: dict[str, Any] = dump(mode="json", by_alias=True, exclude_unset=True)
        return data
    if isinstance(obj, Mapping):
        return dict(obj)
    raise AssayError(
        f"an API sink sends JSON objects, got {type(obj).__name__}",
        hint="Create through the API from a pydantic or schema builder.",
    )


def _body_fields(client: APITestClient, op: Operation) -> set[str]:
    if op.request_body is None:
        return set()
    for media in op.request_body.content.values():
        schema = client.spec.resolve(media.schema) if media.schema is not None else {}
        if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
            return set(schema["properties"])
    return set()


def _created(response: APITestResponse, data: dict[str, Any]) -> Any:
    if response.content and "json" in response.headers.get("content-type", ""):
        return response.json()
    return data


def _location(
    client: APITestClient, op: Operation, response: APITestResponse, created: Any
) -> str | None:
    location = response.headers.get("location")
    if location:
        return str(location)
    if op.method != "post" or not isinstance(created, Mapping):
        return None
    for candidate in client.spec.operations:
        if candidate.method != "delete" or not candidate.path.startswith(op.path + "/{"):
            continue
        name = candidate.path[len(op.path) + 2 : -1]
        if "/" in name or "{" in name:
            continue
        value = created.get(name, created.get("id"))
        if value is not None:
            return f"{op.path}/{value}"
    return None
