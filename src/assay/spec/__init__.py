"""The spec layer: load OpenAPI 3.0/3.1 documents, model them, validate against them, lint them.

``load(source)`` accepts a file, URL, import string, ASGI app, dict or `Spec`; the result
is a `Spec` whose `Operation`s carry parameters, bodies, responses and security with every
reference followed. `SpecValidator` checks requests and responses against it; `lint` lists
the document's non-fatal problems.
"""

from __future__ import annotations

from assay.spec.lint import Problem, lint
from assay.spec.loading import from_asgi, from_dict, from_file, from_import, from_url, load
from assay.spec.model import (
    Header,
    Link,
    MediaType,
    OAuthFlow,
    Operation,
    Parameter,
    RequestBody,
    Response,
    SecurityRequirement,
    SecurityScheme,
    Server,
    Spec,
    Tag,
)
from assay.spec.validation import SpecValidator, Violation

__all__ = [
    "Header",
    "Link",
    "MediaType",
    "OAuthFlow",
    "Operation",
    "Parameter",
    "Problem",
    "RequestBody",
    "Response",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "Spec",
    "SpecValidator",
    "Tag",
    "Violation",
    "from_asgi",
    "from_dict",
    "from_file",
    "from_import",
    "from_url",
    "lint",
    "load",
]
