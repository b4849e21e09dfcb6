"""ASGI applications as spec sources: import strings and in-process document fetches.

``package.module:app`` names an ASGI app; ``package.module:create_app()`` names a
zero-argument factory that returns one. A FastAPI app gives its document through
``app.openapi()``; any other ASGI app is asked for ``/openapi.json`` in-process.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib
import inspect
import re
import sys
import traceback
from collections.abc import Callable, Coroutine
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2

from assay.errors import AssayError
from assay.spec.documents import parse_text

__all__ = ["app_document", "import_app", "is_asgi_app", "is_import_string"]

_IMPORT_STRING = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*(\(\))?$")


def is_import_string(text: str) -> bool:
    """True for ``package.module:attr`` and ``package.module:factory()``."""
    return bool(_IMPORT_STRING.match(text))


def is_asgi_app(value: object) -> bool:
    """True for an ASGI 3 application: an async callable ``app(scope, receive, send)``."""
    if inspect.isclass(value) or not callable(value):
        return False
    if inspect.iscoroutinefunction(value):
        return True
    call = getattr(value, "__call__", None)  # noqa: B004 - the bound method is what is awaited
    return inspect.iscoroutinefunction(call)


def import_app(target: str) -> Any:
    """The ASGI app an import string names, calling it first when written ``factory()``."""
    if not is_import_string(target):
        raise AssayError(
            f"{target!r} is not an import string",
            hint="Write it as package.module:app, or package.module:create_app() for a factory.",
        )
    module_name, _, attr_path = target.partition(":")
    is_factory = attr_path.endswith("()")
    attr_path = attr_path.removesuffix("()")
    value: Any = _import_module(module_name, target)
    for part in attr_path.split("."):
        if not hasattr(value, part):
            raise _missing_attribute(target, module_name, attr_path, value)
        value = getattr(value, part)
    if is_factory:
        value = _call_factory(value, target)
    if not is_asgi_app(value):
        raise not_an_app(value, f"{target!r} names", factory_hint=not is_factory)
    return value


def _import_module(module_name: str, target: str) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if not _is_missing_target(exc, module_name):
            raise AssayError(
                f"importing {module_name!r} (from {target!r}) failed: it imports "
                f"{exc.name!r}, which is not installed",
                hint=f"Install {exc.name} in this environment.",
            ) from exc
        if _can_retry_from_cwd(module_name):
            sys.path.insert(0, str(Path.cwd()))
            return _import_module(module_name, target)
        raise AssayError(
            f"module {module_name!r} (from {target!r}) was not found",
            hint="Check the spelling, install the package (pip install -e .), or run from "
            "the directory that contains it.",
        ) from None
    except Exception as exc:
        raise AssayError(
            f"importing {module_name!r} (from {target!r}) failed: {type(exc).__name__}: {exc}"
            f"{_raised_at(exc)}",
            hint="Fix the error there (--debug shows the whole traceback).",
        ) from exc


def _raised_at(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    return f" (raised at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""


def _is_missing_target(exc: ModuleNotFoundError, module_name: str) -> bool:
    parts = module_name.split(".")
    prefixes = {".".join(parts[: i + 1]) for i in range(len(parts))}
    return exc.name in prefixes


def _can_retry_from_cwd(module_name: str) -> bool:
    cwd = str(Path.cwd())
    if cwd in sys.path or "" in sys.path:
        return False
    top = module_name.split(".", 1)[0]
    return (Path.cwd() / top).is_dir() or (Path.cwd() / f"{top}.py").is_file()


def _missing_attribute(target: str, module_name: str, attr_path: str, owner: Any) -> AssayError:
    names = sorted(n for n in dir(owner) if not n.startswith("_"))
    apps = [n for n in names if is_asgi_app(getattr(owner, n, None))]
    listing = f"ASGI apps it defines: {', '.join(apps)}" if apps else "it defines no ASGI app"
    return AssayError(
        f"{module_name!r} has no attribute {attr_path!r} (from {target!r}); {listing}",
        hint="Check the name after the colon.",
    )


def _call_factory(factory: Any, target: str) -> Any:
    if not callable(factory):
        raise AssayError(
            f"{target!r} calls {type(factory).__name__} object, which is not callable",
            hint="Drop the () if the attribute is the app itself.",
        )
    try:
        return factory()
    except Exception as exc:
        raise AssayError(
            f"the app factory {target!r} raised {type(exc).__name__}: {exc}",
            hint="A factory is called with no arguments; fix it or expose the app itself.",
        ) from exc


def not_an_app(value: object, subject: str, *, factory_hint: bool = False) -> AssayError:
    """The error for an object that is not an ASGI application."""
    hint = "Pass a FastAPI or Starlette app, or any async callable app(scope, receive, send)."
    if factory_hint and callable(value) and not inspect.isclass(value):
        hint = "If it is an app factory, write the import string as module:create_app()."
    return AssayError(
        f"{subject} a {type(value).__name__} object, which is not an ASGI app", hint=hint
    )


def app_document(app: Any, *, timeout: float) -> Any:
    """The OpenAPI document of an ASGI app, without a network."""
    openapi = getattr(app, "openapi", None)
    if callable(openapi):
        try:
            document = openapi()
        except Exception as exc:
            raise AssayError(
                f"the app's openapi() raised {type(exc).__name__}: {exc}",
                hint="FastAPI builds the document from the routes' models; fix the model "
                "the traceback names.",
            ) from exc
        if isinstance(document, dict):
            return document
    return _fetch_in_process(app, timeout)


def _run(fetch: Callable[[], Coroutine[Any, Any, httpx2.Response]]) -> httpx2.Response:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(fetch())
    # Called from async code: run on a fresh loop in a worker thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(fetch())).result()


def _fetch_in_process(app: Any, timeout: float) -> Any:
    async def fetch() -> httpx2.Response:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://app") as client:
            return await client.get("/openapi.json", timeout=timeout)

    try:
        response = _run(fetch)
    except Exception as exc:
        raise AssayError(
            f"the app raised {type(exc).__name__} while serving GET /openapi.json: {exc}",
            hint="Fix the app, or load the spec from a file or URL.",
        ) from exc
    if response.status_code != 200:
        raise AssayError(
            f"the app answered GET /openapi.json with {response.status_code}; expected 200 "
            "with the OpenAPI document",
            hint="Serve the document at /openapi.json, or load the spec from a file or URL.",
        )
    document = parse_text(response.text, "the app's /openapi.json")
    if not isinstance(document, dict):
        raise AssayError(
            "the app's /openapi.json is not a JSON object",
            hint="Serve the OpenAPI document there, or load the spec from a file or URL.",
        )
    return document
