"""Load a `Spec` from anything that holds an OpenAPI document.

`load` accepts a `Spec` (returned as is), a dict, a ``.json``/``.yaml``/``.yml`` path,
an ``http(s)://`` URL, an import string (``package.module:app`` or
``package.module:create_app()``) or an ASGI app object. The ``from_*`` functions do one
kind each. Whatever the source, external ``$ref``s are bundled into the document, the
model is built, and every problem is an `AssayError` that says what to do.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assay.errors import AssayError
from assay.spec.apps import app_document, import_app, is_asgi_app, is_import_string, not_an_app
from assay.spec.building import build_spec, check_document
from assay.spec.bundling import bundle, file_uri
from assay.spec.documents import read_file
from assay.spec.model import Spec
from assay.spec.remote import fetch_document, is_url

__all__ = [
    "from_asgi",
    "from_dict",
    "from_file",
    "from_import",
    "from_url",
    "import_app",
    "load",
]


def from_dict(
    document: Mapping[str, Any],
    *,
    source: str = "<dict>",
    base_uri: str | None = None,
    timeout: float = 10.0,
) -> Spec:
    """A spec from a parsed document.

    `base_uri` (a ``file://`` URI or URL) is where relative external ``$ref``s are read
    from; without it, only local references may be used. `source` names the document in
    messages and in `Spec.source`.
    """
    candidate: Any = dict(document) if isinstance(document, Mapping) else document
    check_document(candidate, source)
    return build_spec(bundle(candidate, base_uri, timeout=timeout), source)


def from_file(path: str | os.PathLike[str], *, timeout: float = 10.0) -> Spec:
    """A spec from a ``.json``, ``.yaml`` or ``.yml`` file (relative refs read beside it)."""
    location = Path(path)
    document = read_file(location)
    return from_dict(
        document,
        source=str(location),
        base_uri=file_uri(location),
        timeout=timeout,
    )


def from_url(url: str, *, timeout: float = 10.0) -> Spec:
    """A spec fetched from an ``http(s)://`` URL within `timeout` seconds."""
    document = fetch_document(url, timeout=timeout)
    return from_dict(document, source=url, base_uri=url, timeout=timeout)


def from_asgi(app: Any, *, source: str | None = None, timeout: float = 10.0) -> Spec:
    """A spec from an ASGI app: ``app.openapi()`` for FastAPI, else its ``/openapi.json``."""
    if not is_asgi_app(app):
        raise not_an_app(app, "cannot load a spec from")
    name = source or f"the app {type(app).__name__}"
    document = app_document(app, timeout=timeout)
    return from_dict(document, source=name, timeout=timeout)


def from_import(target: str, *, timeout: float = 10.0) -> Spec:
    """A spec from the app an import string names (``package.module:app``)."""
    return from_asgi(import_app(target), source=target, timeout=timeout)


def load(source: Any, *, timeout: float = 10.0) -> Spec:
    """Load an OpenAPI 3.0/3.1 document from any supported source.

    `source` is a `Spec`, a dict, a path (str or `Path`) to a JSON or YAML file, an
    ``http(s)://`` URL, an import string ``package.module:app`` (or ``…:create_app()``
    for a factory), or an ASGI app object. `timeout` bounds network fetches, in seconds.
    """
    if isinstance(source, Spec):
        return source
    if isinstance(source, Mapping):
        return from_dict(source, timeout=timeout)
    if isinstance(source, os.PathLike):
        return from_file(source, timeout=timeout)
    if isinstance(source, str):
        return _load_text(source, timeout)
    if is_asgi_app(source):
        return from_asgi(source, timeout=timeout)
    raise AssayError(
        f"cannot load a spec from a {type(source).__name__} object",
        hint="Pass a file path, an http(s):// URL, an import string such as "
        "'package.module:app', a dict, a Spec, or an ASGI app.",
    )


def _load_text(source: str, timeout: float) -> Spec:
    if is_url(source):
        return from_url(source, timeout=timeout)
    if is_import_string(source) and not Path(source).exists():
        return from_import(source, timeout=timeout)
    if not source.strip():
        raise AssayError(
            "the spec source is an empty string",
            hint="Pass a file path, a URL or an import string.",
        )
    return from_file(source, timeout=timeout)
