"""Provider states: Python functions that put the provider into the state a pact names.

    states = ProviderStates()

    @states.provider_state("an order exists")
    def order_exists(order_id: int = 1) -> Iterator[None]:
        repo.add(Order(order_id))       # set up (the pact's params are keyword arguments)
        yield
        repo.remove(order_id)           # tear down after the interaction

A handler is a plain function (set-up only) or a generator (set-up, ``yield``, tear-down).
It receives the state's ``params`` it declares (all of them with ``**params``). The
module-level `provider_state` registers into a default registry, used when
``--states`` names a module rather than a registry.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from assay.contract.pact.model import ProviderState
from assay.errors import AssayError

__all__ = ["DEFAULT_STATES", "ProviderStates", "load_states", "provider_state"]

Handler = Callable[..., Any]
F = TypeVar("F", bound=Handler)


class ProviderStates:
    """A registry of provider-state handlers by state name."""

    def __init__(self, handlers: Mapping[str, Handler] | None = None) -> None:
        self.handlers: dict[str, Handler] = dict(handlers or {})

    def provider_state(self, name: str) -> Callable[[F], F]:
        """Decorator: the function sets up the provider state `name`."""

        def register(function: F) -> F:
            self.handlers[name] = function
            return function

        return register

    __call__ = provider_state

    def __contains__(self, name: object) -> bool:
        return name in self.handlers

    @contextmanager
    def entered(self, state: ProviderState) -> Iterator[None]:
        """Set the state up for the body of the ``with``; tear it down afterwards."""
        handler = self.handlers.get(state.name)
        if handler is None:
            known = ", ".join(repr(n) for n in sorted(self.handlers)) or "none"
            raise AssayError(
                f"no handler for the provider state {state.name!r} (handlers: {known})",
                hint=f"Define one: @provider_state({state.name!r}) def …(): …, in the module "
                "given to --states.",
            )
        try:
            result = handler(**_arguments(handler, state.params))
            if inspect.isgenerator(result):
                next(result, None)
        except Exception as exc:
            raise AssayError(
                f"the handler of the provider state {state.name!r} raised "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if inspect.isgenerator(result):
            try:
                yield
            finally:
                next(result, None)
        else:
            yield


def _arguments(handler: Handler, params: Mapping[str, Any]) -> dict[str, Any]:
    signature = inspect.signature(handler)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values()):
        return dict(params)
    return {k: v for k, v in params.items() if k in signature.parameters}


DEFAULT_STATES = ProviderStates()


def provider_state(name: str) -> Callable[[F], F]:
    """Register a handler for the provider state `name` in the default registry."""
    return DEFAULT_STATES.provider_state(name)


def load_states(reference: str) -> ProviderStates:
    """The registry ``package.module:name`` names, or the default one after importing
    ``package.module`` (whose `provider_state` decorators fill it)."""
    module_name, _, attribute = reference.partition(":")
    module = _import(module_name)
    if not attribute:
        return DEFAULT_STATES
    value = getattr(module, attribute, None)
    if isinstance(value, ProviderStates):
        return value
    if isinstance(value, Mapping) and all(callable(v) for v in value.values()):
        return ProviderStates(value)
    raise AssayError(
        f"{reference!r} is not a ProviderStates registry (got {type(value).__name__})",
        hint="Point --states at `states = ProviderStates()`, a dict of name → function, or "
        "at a module that uses @provider_state.",
    )


def _import(module_name: str) -> Any:
    cwd = str(Path.cwd())
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise AssayError(
            f"the provider-state module {module_name!r} was not found ({exc})",
            hint="Give it as package.module (importable from here) or package.module:states.",
        ) from None
    except Exception as exc:
        raise AssayError(
            f"importing the provider-state module {module_name!r} failed: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
