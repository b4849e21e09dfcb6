"""`APITestClient`: one client for an in-process ASGI app or a live base URL.

It sends through the transport seam (`assay.client.transports`), records every exchange,
validates responses against the spec by default, fills operation path templates from
the spec (`call`), and sends as named identities (`as_identity`). Each identity view has
its own cookie jar, so one identity's session never leaks into another's requests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, overload

import httpx2

from assay.client.conformance import SpecBinding, conformance_finding
from assay.client.groups import send_at_once
from assay.client.identities import Identity
from assay.client.messages import APITestRequest, APITestResponse
from assay.client.network import explain_transport_error
from assay.client.operations import OperationCall, build_call
from assay.client.session import AUTO, Session
from assay.client.transports import GROUP, ASGIAppTransport, Exchange, Group, together_of
from assay.errors import AssayError
from assay.spec.model import Operation, Spec

if TYPE_CHECKING:
    from assay.spec.validation import SpecValidator

__all__ = ["APITestClient"]


@dataclass(frozen=True, slots=True)
class _Built:
    """A request built and ready to go, with the view (identity) that sends it."""

    sender: APITestClient
    request: httpx2.Request
    validate: bool | None
    operation: Operation | None

    def send(self) -> APITestResponse:
        return self.sender._send(self.request, self.validate, operation=self.operation)


class APITestClient:
    """A test client for one API, in-process (``app=``) or live (``base_url=``).

    ``spec`` is a `Spec`, a file path or URL, ``"auto"`` (the default: the app's own
    document, or ``{base_url}/openapi.json``) or None (no spec: no validation, no `call`).
    ``validate`` switches automatic response validation for every call (each call can
    override it). Use it as a context manager so the app's lifespan shutdown runs.
    ``app`` may be the app object or its import string (``"package.module:app"``).
    """

    def __init__(
        self,
        app: Any = None,
        *,
        base_url: str | None = None,
        spec: Spec | str | Any = AUTO,
        identities: Mapping[str, Identity] | list[Identity] | None = None,
        validate: bool = True,
        timeout: float = 10.0,
        transport: httpx2.BaseTransport | None = None,
        lifespan: bool = True,
        raise_app_exceptions: bool = True,
        record: int = 200,
        headers: Mapping[str, str] | None = None,
        verify: bool = True,
    ) -> None:
        if isinstance(app, str):
            from assay.spec.loading import import_app

            app = import_app(app)
        self._session = Session(
            app=app,
            base_url=base_url,
            spec=spec,
            transport=transport,
            timeout=timeout,
            record=record,
            lifespan=lifespan,
            raise_app_exceptions=raise_app_exceptions,
            headers=headers,
            verify=verify,
        )
        for identity in (
            identities.values() if isinstance(identities, Mapping) else identities or []
        ):
            self.add_identity(identity)
        self.identity: Identity | None = None
        self.validate = validate
        self.cookies = httpx2.Cookies()

    # -- identities -----------------------------------------------------------------

    def add_identity(self, identity: Identity) -> None:
        """Register an identity so `as_identity(name)` can find it."""
        self._session.identities[identity.name] = identity

    @property
    def identities(self) -> Mapping[str, Identity]:
        return dict(self._session.identities)

    def as_identity(self, identity: str | Identity | None) -> APITestClient:
        """A view of this client that sends as `identity` (a registered name or an Identity).

        The view shares the app, spec and recorder, but has its own cookie jar.
        ``None`` gives an anonymous view.
        """
        view = object.__new__(APITestClient)
        view._session = self._session
        view.validate = self.validate
        view.cookies = httpx2.Cookies()
        view.identity = self._identity(identity) if identity is not None else None
        return view

    def _identity(self, identity: str | Identity) -> Identity:
        if isinstance(identity, Identity):
            return identity
        found = self._session.identities.get(identity)
        if found is None:
            known = ", ".join(sorted(self._session.identities)) or "none registered"
            raise AssayError(
                f"no identity named {identity!r} (known: {known})",
                hint="Declare it in [tool.assay] identities, or pass an Identity object.",
            )
        return found

    # -- spec -------------------------------------------------------------------------

    @property
    def spec(self) -> Spec:
        """The spec this client validates against (loaded on first use)."""
        binding = self._session.binding
        if binding is None:
            raise AssayError(
                "this client has no spec (it was created with spec=None)",
                hint="Create it with spec=<file, URL or Spec>, or with the default 'auto'.",
            )
        return binding.spec

    @property
    def in_process(self) -> bool:
        """True when requests go into an app in this process (not over the network)."""
        return self._session.app is not None

    @property
    def validator(self) -> SpecValidator:
        """The compiled validator of the client's spec (schemas compiled once, on demand)."""
        self.spec  # noqa: B018 - loads the spec, or says why there is none
        binding = self._session.binding
        assert binding is not None
        return binding.validator

    # -- sending ----------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        content: bytes | str | None = None,
        validate: bool | None = None,
        identity: str | Identity | None = None,
        timeout: float | None = None,
    ) -> APITestResponse:
        """Send one request and return its `APITestResponse`."""
        body = {"json": json, "data": data, "files": files, "content": content}
        return self._build(
            method,
            url,
            operation=None,
            params=params,
            headers=headers,
            cookies=cookies,
            body=body,
            validate=validate,
            identity=identity,
            timeout=timeout,
        ).send()

    def _build(
        self,
        method: str,
        url: str,
        *,
        operation: Operation | None,
        params: Any,
        headers: Mapping[str, str] | None,
        cookies: Mapping[str, str] | None,
        body: Mapping[str, Any],
        validate: bool | None,
        identity: str | Identity | None,
        timeout: float | None,
    ) -> _Built:
        """The request as it will go out, and the view (identity) that sends it."""
        sender = self.as_identity(identity) if identity is not None else self
        jar = httpx2.Cookies(sender.cookies)
        if cookies:
            jar.update(dict(cookies))
        request = self._session.http.build_request(
            method,
            url,
            params=params,
            headers=headers,
            cookies=jar,
            timeout=timeout if timeout is not None else httpx2.USE_CLIENT_DEFAULT,
            **body,
        )
        return _Built(sender, request, validate, operation)

    def _send(
        self, request: httpx2.Request, validate: bool | None, operation: Operation | None
    ) -> APITestResponse:
        name = self.identity.name if self.identity else None
        if name is not None:
            request.extensions["assay.identity"] = name
        auth = self.identity.auth if self.identity and self.identity.auth else None
        http = self._session.http
        if http.is_closed:
            raise AssayError(
                "this client is closed: it cannot send more requests",
                hint="Create a new client, or keep using it inside its `with` block.",
            )
        try:
            raw = http.send(request, auth=auth) if auth is not None else http.send(request)
        except httpx2.TransportError as exc:
            read = (request.extensions.get("timeout") or {}).get("read")
            raise explain_transport_error(exc, read or self._session.timeout) from None
        finally:
            http.cookies.clear()
        raw.read()
        self.cookies.extract_cookies(raw)
        do_validate = self.validate if validate is None else validate
        binding = self._session.binding if do_validate or operation is not None else None
        response = APITestResponse(raw, binding=binding, operation=operation, identity=name)
        if do_validate and binding is not None:
            self._validate(response, binding)
        return response

    @staticmethod
    def _validate(response: APITestResponse, binding: SpecBinding) -> None:
        operation = response.operation
        if operation is None:
            return
        violations = binding.check(operation, response.raw)
        if violations:
            raise conformance_finding(operation, response.raw, violations)

    def get(self, url: str, **kwargs: Any) -> APITestResponse:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> APITestResponse:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> APITestResponse:
        return self.request("PUT", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> APITestResponse:
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> APITestResponse:
        return self.request("DELETE", url, **kwargs)

    def head(self, url: str, **kwargs: Any) -> APITestResponse:
        return self.request("HEAD", url, **kwargs)

    def options(self, url: str, **kwargs: Any) -> APITestResponse:
        return self.request("OPTIONS", url, **kwargs)

    def call(
        self,
        operation_id: str,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        content: bytes | str | None = None,
        validate: bool | None = None,
        identity: str | Identity | None = None,
        timeout: float | None = None,
    ) -> APITestResponse:
        """Call the spec operation `operation_id`, filling its path template.

        Path and query names the operation does not declare are refused (a typo would
        otherwise test something else); declared header and cookie parameters are
        serialized in their declared style, other headers pass through as given.
        """
        body = {"json": json, "data": data, "files": files, "content": content}
        return self._build_call(
            operation_id,
            path=path or {},
            query=query or {},
            headers=headers or {},
            cookies=cookies or {},
            body=body,
            validate=validate,
            identity=identity,
            timeout=timeout,
        ).send()

    def _build_call(
        self,
        operation_id: str,
        *,
        path: Mapping[str, Any],
        query: Mapping[str, Any],
        headers: Mapping[str, Any],
        cookies: Mapping[str, Any],
        **rest: Any,
    ) -> _Built:
        operation = self.spec.operation(operation_id)
        prepared: OperationCall = build_call(
            operation, path=path, query=query, headers=headers, cookies=cookies
        )
        return self._build(
            operation.method.upper(),
            prepared.path,
            operation=operation,
            params=prepared.query,
            headers=prepared.headers,
            cookies=prepared.cookies,
            **rest,
        )

    def send(self, request: APITestRequest) -> APITestResponse:
        """Send a request described as an `APITestRequest`."""
        return self._built(request).send()

    @overload
    def send_together(
        self, requests: Sequence[APITestRequest], *, return_exceptions: Literal[False] = ...
    ) -> list[APITestResponse]: ...

    @overload
    def send_together(
        self, requests: Sequence[APITestRequest], *, return_exceptions: Literal[True]
    ) -> list[APITestResponse | Exception]: ...

    def send_together(
        self, requests: Sequence[APITestRequest], *, return_exceptions: bool = False
    ) -> list[APITestResponse] | list[APITestResponse | Exception]:
        """Send `requests` at the same moment; their responses, in the same order.

        Every request is built first (a bad one raises before any is sent), then each
        goes out on a thread of its own, the threads released together by a barrier, as
        racing clients would send them. An in-process app takes them concurrently: its
        loop is served from a thread of its own meanwhile, so sync endpoints run in
        parallel in its threadpool and async ones interleave at their awaits. Each
        request is sent, recorded, authenticated (a token fetched or renewed once for
        all of an identity's requests) and timed out exactly as `send` would.

        With ``return_exceptions=True`` a request's error takes its place in the list;
        otherwise the first error, in request order, is raised once all have finished.
        """
        built = [self._built(request) for request in requests]
        if not built:
            return []
        group = Group(len(built))
        for each in built:
            each.request.extensions[GROUP] = group
        outcomes = send_at_once([b.send for b in built], together_of(self._session.transport))
        if return_exceptions:
            return outcomes
        answers: list[APITestResponse] = []
        for outcome in outcomes:
            if isinstance(outcome, Exception):
                raise outcome
            answers.append(outcome)
        return answers

    def _built(self, request: APITestRequest) -> _Built:
        rest: dict[str, Any] = {
            "body": {
                "json": request.json,
                "data": request.data,
                "files": request.files,
                "content": request.content,
            },
            "validate": request.validate,
            "identity": request.identity,
            "timeout": request.timeout,
        }
        common = {"headers": request.headers, "cookies": request.cookies, **rest}
        if request.operation_id is None:
            return self._build(
                request.method, request.path, operation=None, params=request.query, **common
            )
        if not isinstance(request.query, Mapping):
            raise AssayError(
                f"the request for {request.operation_id!r} gives its query as pairs",
                hint="Give an operation's query parameters as a mapping; pairs are for "
                "requests to a concrete path.",
            )
        return self._build_call(
            request.operation_id, path=request.path_params, query=request.query, **common
        )

    # -- app control ------------------------------------------------------------------

    @contextlib.contextmanager
    def override(self, dependency: Any, replacement: Any) -> Iterator[None]:
        """Replace a FastAPI dependency for the duration of the block.

        ``with api.override(get_db, fake_db): …`` — the previous override (if any) is
        restored afterwards, even when the block fails.
        """
        overrides = getattr(self._session.app, "dependency_overrides", None)
        if not isinstance(overrides, dict):
            raise AssayError(
                "dependency overrides need an in-process FastAPI app (one with "
                "`dependency_overrides`); this client "
                + ("tests a live URL" if self._session.app is None else "has another ASGI app"),
                hint="Create the client with app=<your FastAPI app>.",
            )
        missing = object()
        previous = overrides.get(dependency, missing)
        overrides[dependency] = replacement
        try:
            yield
        finally:
            if previous is missing:
                overrides.pop(dependency, None)
            else:
                overrides[dependency] = previous

    @property
    def exchanges(self) -> list[Exchange]:
        """The recorded exchanges, oldest first (bounded by `record=`)."""
        return list(self._session.recorder)

    @property
    def last_exchange(self) -> Exchange | None:
        return self._session.recorder.last

    def clear_exchanges(self) -> None:
        """Forget the recorded exchanges (the pytest fixture does this before each test)."""
        self._session.recorder.clear()

    def start(self) -> APITestClient:
        """Run the app's lifespan startup now (otherwise it runs before the first request)."""
        inner = self._session.transport
        if isinstance(inner, ASGIAppTransport):
            inner.runner.start()
        return self

    def close(self) -> None:
        """Close the connection pool and run the in-process app's lifespan shutdown."""
        self._session.http.close()

    def __enter__(self) -> APITestClient:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()
