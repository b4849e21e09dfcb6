"""`MigratedApi`: the API, started on the migrated database, still answers in contract.

    api = (
        MigratedApi(lambda url: create_app(database_url=url), identity=staff)
        .get("/v2/products/{sku}", each="inventory_products")
        .get("/v1/products/{sku}", each="inventory_products", spec="contracts/v1.json")
        .get("/v2/products")
    )

The app is built for the database URL by the callable you give and driven in-process
with `APITestClient` (its lifespan runs once). ``each=`` sends the request once per
filled row of a table, the path's ``{placeholders}`` taken from the row's columns.
Every answer must have the expected status and conform to its spec (the app's own
document by default; a frozen snapshot for an older version): otherwise a
``migration_response_violation`` finding with the row, the problems and a curl line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote

from assay.contract.migrations.snapshots import Row, Snapshot, plain
from assay.contract.traffic import RecordedExchange
from assay.contract.validator import ContractValidator
from assay.errors import AssayError, Finding, Reproduction, Severity
from assay.spec.loading import load
from assay.spec.model import Spec

if TYPE_CHECKING:
    from assay.client import APITestClient, APITestResponse, Identity

__all__ = ["AppFactory", "MigratedApi"]

AppFactory = Callable[[str], Any]
"""Builds the ASGI app for a database URL."""
ExtraCheck = Callable[[str], Iterable[Finding]]
"""More checks on the migrated database, given its URL (a restricted engine run…)."""

SpecSource = Spec | str | Path | Mapping[str, Any]
RESPONSE_VIOLATION = "migration_response_violation"
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True, slots=True)
class Read:
    """One GET to send: per filled row of `each` or once; checked against `spec`."""

    path: str
    each: str | None
    spec: SpecSource | None
    status: int


@dataclass(frozen=True, slots=True)
class Sent:
    """A read as sent: its path, the row it was made for, and the answer."""

    read: Read
    path: str
    row: Row | None
    response: APITestResponse


class MigratedApi:
    """The reads to check on the migrated database, and how to reach the app."""

    def __init__(
        self,
        app: AppFactory,
        *,
        identity: Identity | None = None,
        headers: Mapping[str, str] | None = None,
        spec: SpecSource | None = None,
    ) -> None:
        if not callable(app):
            raise AssayError(
                "MigratedApi needs a callable that builds the app for a database URL",
                hint="Pass e.g. lambda url: create_app(Settings(database_url=url)).",
            )
        self.app = app
        self.identity = identity
        self.headers = dict(headers or {})
        self.spec = spec
        self.reads: list[Read] = []
        self.extras: list[ExtraCheck] = []

    def get(
        self,
        path: str,
        *,
        each: str | None = None,
        spec: SpecSource | None = None,
        status: int = 200,
    ) -> Self:
        """Send ``GET path`` (once per row of the table `each`, when given) and check the
        answer has `status` and conforms to `spec` (default: the API's spec)."""
        if _PLACEHOLDER.search(path) and each is None:
            raise AssayError(
                f"the path {path} has placeholders but names no table to take them from",
                hint="Pass each='<table>' so every filled row of it fills the path.",
            )
        self.reads.append(Read(path, each, spec, status))
        return self

    def also(self, check: ExtraCheck) -> Self:
        """Run `check(database_url)` on the migrated database after the reads; the
        findings it returns join the report. For instance the engine over the read
        operations: ``lambda url: run_engine(create_app(url), settings=RunSettings(
        phases=("examples",), operations=("get_product",))).findings``."""
        if not callable(check):
            raise AssayError(
                f"also() takes a callable of the database URL, not {type(check).__name__}"
            )
        self.extras.append(check)
        return self

    def check(self, database_url: str, migrated: Snapshot) -> tuple[list[Finding], int]:
        """Start the app on the migrated database, send every read, and return the
        findings and the number of requests sent."""
        from assay.client import APITestClient

        app = self.app(database_url)
        client = APITestClient(
            app, spec=self.spec if self.spec is not None else "auto", validate=False
        )
        if self.identity is not None:
            client.add_identity(self.identity)
            client = client.as_identity(self.identity.name)
        validators: dict[int, ContractValidator] = {}
        findings: list[Finding] = []
        sent = 0
        with client:
            for answer in _send_all(client, self.reads, migrated, self.headers):
                sent += 1
                spec = answer.read.spec if answer.read.spec is not None else client.spec
                validator = _validator(validators, spec)
                finding = _judge(answer, validator)
                if finding is not None:
                    findings.append(finding)
        for extra in self.extras:
            findings.extend(extra(database_url))
        return findings, sent


def _validator(cache: dict[int, ContractValidator], spec: SpecSource) -> ContractValidator:
    found = cache.get(id(spec))
    if found is None:
        loaded = load(str(spec) if isinstance(spec, Path) else spec)
        found = cache[id(spec)] = ContractValidator(loaded)
    return found


def _send_all(
    client: APITestClient, reads: list[Read], migrated: Snapshot, headers: Mapping[str, str]
) -> Iterator[Sent]:
    for read in reads:
        for path, row in _paths(read, migrated):
            yield Sent(read, path, row, client.get(path, headers=dict(headers)))


def _paths(read: Read, migrated: Snapshot) -> Iterator[tuple[str, Row | None]]:
    if read.each is None:
        yield read.path, None
        return
    if read.each not in migrated:
        raise AssayError(
            f"GET {read.path}: each={read.each!r} names a table that was not filled or is "
            "gone after the migration",
            hint=f"Tables after the migration: {', '.join(migrated.tables) or 'none'}.",
        )
    for row in migrated[read.each].rows.values():
        yield _filled(read.path, row), row


def _filled(template: str, row: Row) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in row:
            raise AssayError(
                f"the path {template} names {{{name}}}, which {row.table} does not have "
                f"after the migration",
                hint=f"Its columns: {', '.join(row.columns)}.",
            )
        return quote(str(row[name]), safe="")

    return _PLACEHOLDER.sub(value, template)


def _record(answer: Sent) -> RecordedExchange:
    response = answer.response
    request = response.request
    return RecordedExchange(
        method=request.method,
        url=request.url.raw_path.decode("ascii"),
        request_headers={k.lower(): v for k, v in request.headers.items()},
        request_body=request.content or None,
        status=response.status_code,
        response_headers={k.lower(): v for k, v in response.headers.items()},
        response_body=response.content,
        source=f"GET {answer.path}",
    )


def _judge(answer: Sent, validator: ContractValidator) -> Finding | None:
    response = answer.response
    problems = []
    if response.status_code != answer.read.status:
        problems.append(f"answered {response.status_code}, expected {answer.read.status}")
    problems += [_problem(f) for f in validator.check(_record(answer))]
    if not problems:
        return None
    return _violation(answer, problems)


def _problem(finding: Finding) -> str:
    return (finding.detail or finding.title).splitlines()[0]


def _violation(answer: Sent, problems: list[str]) -> Finding:
    from assay.client.curl import to_curl

    row = answer.row
    where = f" (a migrated row of {row.table})" if row is not None else ""
    return Finding(
        f"GET {answer.path}{where} answers outside its contract after the migration",
        check=RESPONSE_VIOLATION,
        severity=Severity.HIGH,
        operation=f"GET {answer.read.path}",
        detail="\n".join(f"  - {p}" for p in problems)
        + f"\n  response: {answer.response.text[:300]}",
        evidence={
            "path": answer.path,
            "status": answer.response.status_code,
            "problems": problems,
            "table": row.table if row is not None else None,
            "row": plain(dict(row)) if row is not None else None,
        },
        reproduction=Reproduction(to_curl(answer.response.request)),
        signature=f"{RESPONSE_VIOLATION}:{answer.read.path}",
    )
