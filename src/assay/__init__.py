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
    from assay.client.credentials import AuthTestHelper, RefreshFlow
    from assay.client.tokens import TokenMinter
    from assay.contract.migrations import (
        MigratedApi,
        MigratedTable,
        MigrationHarness,
        MigrationReport,
    )
    from assay.data.brokers import NatsNamespace, RedisNamespace
    from assay.data.builders import Builder
    from assay.data.cleanup import Cleanup
    from assay.data.databases.asynchronous import async_rollback_isolation
    from assay.data.databases.postgres import PostgresDatabase, PostgresServer
    from assay.data.databases.rollback import rollback_isolation
    from assay.data.databases.schemas import DatabaseSchema
    from assay.data.declarations import Lazy, Many, Related, Sequence
    from assay.data.environment import Environment, Service
    from assay.data.registry import Builders
    from assay.data.sinks import APISink
    from assay.perf.queries import QueryCount, count_queries
    from assay.resilience import FaultProxy
    from assay.spec import Spec, load
    from assay.testing import from_asgi, from_url

__all__ = [
    "APISink",
    "APITestClient",
    "APITestRequest",
    "APITestResponse",
    "AssayError",
    "AuthTestHelper",
    "Builder",
    "Builders",
    "Cleanup",
    "DatabaseSchema",
    "Environment",
    "FaultProxy",
    "Finding",
    "Identity",
    "Lazy",
    "Many",
    "MigratedApi",
    "MigratedTable",
    "MigrationHarness",
    "MigrationReport",
    "NatsNamespace",
    "PostgresDatabase",
    "PostgresServer",
    "QueryCount",
    "RedisNamespace",
    "RefreshFlow",
    "Related",
    "Sequence",
    "Service",
    "Severity",
    "Spec",
    "TokenMinter",
    "__version__",
    "async_rollback_isolation",
    "count_queries",
    "from_asgi",
    "from_url",
    "load",
    "rollback_isolation",
]

_LAZY = {
    "APISink": "assay.data.sinks",
    "APITestClient": "assay.client",
    "APITestRequest": "assay.client",
    "APITestResponse": "assay.client",
    "AuthTestHelper": "assay.client.credentials",
    "Builder": "assay.data.builders",
    "Builders": "assay.data.registry",
    "Cleanup": "assay.data.cleanup",
    "DatabaseSchema": "assay.data.databases.schemas",
    "Environment": "assay.data.environment",
    "FaultProxy": "assay.resilience",
    "Identity": "assay.client",
    "Lazy": "assay.data.declarations",
    "Many": "assay.data.declarations",
    "MigratedApi": "assay.contract.migrations",
    "MigratedTable": "assay.contract.migrations",
    "MigrationHarness": "assay.contract.migrations",
    "MigrationReport": "assay.contract.migrations",
    "NatsNamespace": "assay.data.brokers",
    "PostgresDatabase": "assay.data.databases.postgres",
    "PostgresServer": "assay.data.databases.postgres",
    "QueryCount": "assay.perf.queries",
    "RedisNamespace": "assay.data.brokers",
    "RefreshFlow": "assay.client.credentials",
    "Related": "assay.data.declarations",
    "Sequence": "assay.data.declarations",
    "Service": "assay.data.environment",
    "Spec": "assay.spec",
    "TokenMinter": "assay.client.tokens",
    "async_rollback_isolation": "assay.data.databases.asynchronous",
    "count_queries": "assay.perf.queries",
    "from_asgi": "assay.testing",
    "from_url": "assay.testing",
    "load": "assay.spec",
    "rollback_isolation": "assay.data.databases.rollback",
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
