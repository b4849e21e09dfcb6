"""What every identity view of one `APITestClient` shares: the transport, the recorder,
the spec binding (loaded on first use) and the registered identities."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx2

from assay.client.conformance import SpecBinding
from assay.client.identities import Identity
from assay.client.transports import ASGIAppTransport, Recorder, RecordingTransport
from assay.errors import AssayError
from assay.spec.model import Spec

__all__ = ["AUTO", "Session"]

AUTO = "auto"
"""The spec source meaning: the app's own document, or ``{base_url}/openapi.json``."""


class Session:
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
        if source == AUTO:
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
