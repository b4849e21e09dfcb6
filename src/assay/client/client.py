"""`APITestClient`: one client for an in-process ASGI app or a live base URL.

It sends through the transport seam (`assay.client.transports`), records every exchange,
validates responses against the spec by default, fills operation path templates from
the spec (`call`), and sends as named identities (`as_identity`). Each identity view has
its own cookie jar, so one identity's session never leaks into another's requests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import httpx2

from assay.client.conformance import SpecBinding, conformance_finding
from assay.client.identities import Identity
from assay.client.messages import APITestRequest, APITestResponse
from assay.client.network import explain_transport_error
from assay.client.operations import OperationCall, build_call
from assay.client.transports import ASGIAppTransport, Exchange, Recorder, RecordingTransport
from assay.errors import AssayError
from assay.spec.model import Operation, Spec

if TYPE_CHECKING:
    from assay.spec.validation import SpecValidator

__all__ = ["APITestClient"]

_AUTO = "auto"


class _Session:
    """What every identity view of one client shares: transport, spec, identities."""

    def __init__(
        self,
        *,
        app: Any,
        base_url: str | None,
        spec: Spec | Any,
        transport: httpx2.BaseTransport | None,
        timeout: float,
        record: int,
        lifespan: bool,
        raise_app_exceptions: bool,
        headers: Mapping[str, str] | None,
        verify: bool,
    ) -> None:
        self.app = app
        self.timeout = timeout
        self.recorder = Recorder(record)
        inner = transport or self._inner(app, base_url, lifespan, raise_app_exceptions, verify)
        self.transport = inner
        self.http = httpx2.Client(
            transport=RecordingTransport(inner, self.recorder),
            base_url=base_url or "http://testserver",
            timeout=timeout,
            headers=headers,
            follow_redirects=False,
        )
        self.identities: dict[str, Identity] = {}
        self._spec_source = spec
        self._binding: SpecBinding | None = None

    @staticmethod
    def _inner(
        app: Any, base_url: str | None, lifespan: bool, raise_exc: bool, verify: bool
    ) -> httpx2.BaseTransport:
        if app is not None:
            return ASGIAppTransport(app, lifespan=lifespan, raise_app_exceptions=raise_exc)
        if base_url is None:
            raise AssayError(
                "APITestClient needs a target: an ASGI app (app=…) or a live base URL "
                "(base_url='http://127.0.0.1:8000')"
            )
        return httpx2.HTTPTransport(verify=verify)

    @property
    def binding(self) -> SpecBinding | None:
        if self._binding is None and self._spec_source is not None:
            self._binding = SpecBinding(self._load_spec())
        return self._binding

    def _load_spec(self) -> Spec:
        from assay.spec import load

        source = self._spec_source
        if isinstance(source, Spec):
            return source
        if source == _AUTO:
            source = (
                self.app if self.app is not None else str(self.http.base_url.join("openapi.json"))
            )
        try:
            return load(source, timeout=self.timeout)
        except AssayError as exc:
            self._spec_source = None
            raise AssayError(
                f"the client needs the spec to validate responses and to call operations, and "
                f"it could not be loaded: {exc}",
                hint="Pass spec=<file, URL or Spec> to the client, or validate=False to "
                "test without one.",
            ) from exc


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
        spec: Spec | str | Any = _AUTO,
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
        self._session = _Session(
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
        return self._build_and_send(
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
        )

    def _build_and_send(
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
    ) -> APITestResponse:
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
        return sender._send(request, validate, operation=operation)

    def _send(
        self, request: httpx2.Request, validate: bool | None, operation: Any
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
            raise explain_transport_error(exc, self._session.timeout) from None
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
        operation = self.spec.operation(operation_id)
        prepared: OperationCall = build_call(
            operation,
            path=path or {},
            query=query or {},
            headers=headers or {},
            cookies=cookies or {},
        )
        body = {"json": json, "data": data, "files": files, "content": content}
        return self._build_and_send(
            operation.method.upper(),
            prepared.path,
            operation=operation,
            params=prepared.query,
            headers=prepared.headers,
            cookies=prepared.cookies,
            body=body,
            validate=validate,
            identity=identity,
            timeout=timeout,
        )

    def send(self, request: APITestRequest) -> APITestResponse:
        """Send a request described as an `APITestRequest`."""
        common: dict[str, Any] = {
            "headers": request.headers,
            "cookies": request.cookies,
            "json": request.json,
            "data": request.data,
            "files": request.files,
            "content": request.content,
            "validate": request.validate,
            "identity": request.identity,
        }
        if request.operation_id is not None:
            return self.call(
                request.operation_id, path=request.path_params, query=request.query, **common
            )
        return self.request(request.method, request.path, params=dict(request.query), **common)

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
