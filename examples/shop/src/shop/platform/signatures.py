"""Endpoint signatures whose parameter types are chosen at router-build time.

One router factory serves several API versions whose request bodies differ only in their
models (``/v1`` and ``/v2``). Under PEP 563 an annotation is a string that FastAPI
resolves in the module's globals, so a model held in a factory's variable cannot be
named in it; ``typed`` gives FastAPI the real types instead::

    def create(body: Any, principal: Writer) -> Any: ...
    router.post("/things")(typed(create, body=rep.create_body))
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def typed(endpoint: Endpoint, **annotations: Any) -> Endpoint:
    """``endpoint`` with the named parameters annotated with the given objects.

    The other parameters keep their annotations (FastAPI still resolves those in the
    endpoint's module). A name the endpoint does not take is a ``TypeError``.
    """
    signature = inspect.signature(endpoint)
    unknown = sorted(set(annotations) - set(signature.parameters))
    if unknown:
        raise TypeError(f"{endpoint.__qualname__} has no parameter {', '.join(unknown)}")
    parameters = [
        p.replace(annotation=annotations[p.name]) if p.name in annotations else p
        for p in signature.parameters.values()
    ]
    endpoint.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return endpoint
