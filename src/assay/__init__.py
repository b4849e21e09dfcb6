"""assay: an API testing toolkit for FastAPI and other OpenAPI services.

The names below are the public API; everything else is reachable through its layer
(`assay.spec`, `assay.client`, …). They are imported on first use, so `import assay`
(and the pytest plugin, which lives inside this package) stays cheap.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from assay._version import __version__
from assay.errors import AssayError, Finding, Severity

if _typing.TYPE_CHECKING:
    from assay.client import APITestClient, APITestRequest, APITestResponse, Identity
    from assay.data.builders import Builder
    from assay.data.declarations import Lazy, Many, Related, Sequence
    from assay.data.registry import Builders
    from assay.data.sinks import APISink
    from assay.spec import Spec, load
    from assay.testing import from_asgi, from_url

__all__ = [
    "APISink",
    "APITestClient",
    "APITestRequest",
    "APITestResponse",
    "AssayError",
    "Builder",
    "Builders",
    "Finding",
    "Identity",
    "Lazy",
    "Many",
    "Related",
    "Sequence",
    "Severity",
    "Spec",
    "__version__",
    "from_asgi",
    "from_url",
    "load",
]

_LAZY = {
    "APISink": "assay.data.sinks",
    "APITestClient": "assay.client",
    "APITestRequest": "assay.client",
    "APITestResponse": "assay.client",
    "Builder": "assay.data.builders",
    "Builders": "assay.data.registry",
    "Identity": "assay.client",
    "Lazy": "assay.data.declarations",
    "Many": "assay.data.declarations",
    "Related": "assay.data.declarations",
    "Sequence": "assay.data.declarations",
    "Spec": "assay.spec",
    "from_asgi": "assay.testing",
    "from_url": "assay.testing",
    "load": "assay.spec",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'assay' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
