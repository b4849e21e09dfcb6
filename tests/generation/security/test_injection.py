"""The injection probes: valid payloads in every string location, bounded, safe by method."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pytest
from tests.corpus.apps import corpus
from tests.generation.conftest import request_violations

from assay.engine import RunSettings, run_engine
from assay.generation.cases import Case
from assay.generation.security.injection import (
    PER_OPERATION,
    SLOTS,
    TIME_PROBES,
    injection_cases,
    run,
)
from assay.generation.security.payloads import (
    MARKUP,
    SLEEP_BASE,
    SQL_SLEEPS,
    SQL_TRUE,
    TRAVERSAL,
)
from assay.generation.values import ValueFactory
from assay.spec import Spec, SpecValidator, from_dict

TEXT = {"type": "string", "maxLength": 120}


def _operation(method: str, **parts: Any) -> dict[str, Any]:
    return {method: {"responses": {"200": {"description": "ok"}}, **parts}}


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": True, "schema": schema}


def _spec() -> Spec:
    note = {
        "type": "object",
        "required": ["title", "count"],
        "properties": {
            "title": TEXT,
            "count": {"type": "integer"},
            "tags": {"type": "array", "items": TEXT},
        },
    }
    wide = {
        "type": "object",
        "required": [f"f{i}" for i in range(12)],
        "properties": {f"f{i}": TEXT for i in range(12)},
    }
    html = {"200": {"description": "page", "content": {"text/html": {"schema": TEXT}}}}
    return from_dict(
        {
            "openapi": "3.1.0",
            "info": {"title": "injection", "version": "1"},
            "paths": {
                "/search": _operation("get", parameters=[_query("q", TEXT)]),
                "/codes": _operation(
                    "get",
                    parameters=[
                        _query("code", {"type": "string", "pattern": "^[a-z]{2,8}$"}),
                        _query("mode", {"type": "string", "enum": ["a", "b"]}),
                    ],
                ),
                "/notes": _operation("post", requestBody=_json(note)),
                "/notes/{id}": _operation(
                    "delete",
                    parameters=[{"name": "id", "in": "path", "required": True, "schema": TEXT}],
                ),
                "/page": {"get": {"parameters": [_query("q", TEXT)], "responses": html}},
                "/wide": _operation("post", requestBody=_json(wide)),
            },
        }
    )


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _cases(spec: Spec, method: str, path: str, seed: int = 3) -> list[Case]:
    operation = spec.find(method, path)
    assert operation is not None
    return list(injection_cases(operation, ValueFactory(spec, seed)))


def _texts(cases: list[Case]) -> list[str]:
    return [v for c in cases for v in (*c.query.values(), *_strings(c.body))]


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_every_case_is_a_valid_security_edge_case() -> None:
    spec = _spec()
    validator = SpecValidator(spec)
    for method, path in (("get", "/search"), ("post", "/notes"), ("get", "/page")):
        cases = _cases(spec, method, path)
        assert cases
        for case in cases:
            assert request_violations(validator, case) == [], case.note
            assert (case.phase, case.kind, case.edge) == ("security", "positive", True)
            assert case.scenario is not None
            assert case.scenario["probe"] == "injection"


def test_a_get_gets_every_kind_with_at_most_two_sleeps() -> None:
    cases = _cases(_spec(), "get", "/search")
    kinds = Counter(c.scenario["step"] for c in cases if c.scenario)
    assert kinds["sql_time"] == TIME_PROBES == len(SQL_SLEEPS)
    assert {"sql_error", "sql_boolean", "template", "command", "traversal", "crlf"} <= set(kinds)
    assert TRAVERSAL in _texts(cases)
    sleeps = [c.query["q"] for c in cases if c.scenario and c.scenario["step"] == "sql_time"]
    assert sleeps == [SLEEP_BASE + payload for payload in SQL_SLEEPS]  # a base no row matches
    assert "markup" not in kinds  # the operation answers JSON, not HTML


def test_writes_get_no_or_conditions_and_deletes_get_nothing() -> None:
    spec = _spec()
    texts = _texts(_cases(spec, "post", "/notes"))
    assert not any(SQL_TRUE in t or "SLEEP" in t for t in texts)
    assert any(t.endswith("'") for t in texts)
    assert any(c.note == "injection template: body /tags/0" for c in _cases(spec, "post", "/notes"))
    assert _cases(spec, "delete", "/notes/{id}") == []


def test_an_html_operation_also_gets_markup() -> None:
    assert any(t.endswith(MARKUP) for t in _texts(_cases(_spec(), "get", "/page")))


def test_constrained_strings_get_only_the_payloads_their_schema_allows() -> None:
    assert _cases(_spec(), "get", "/codes") == []


def test_the_cases_are_bounded_per_operation_and_deterministic() -> None:
    spec = _spec()
    cases = _cases(spec, "post", "/wide")
    assert len(cases) <= PER_OPERATION
    assert len({c.note for c in cases}) <= SLOTS * 10
    assert [c.to_dict() for c in cases] == [c.to_dict() for c in _cases(spec, "post", "/wide")]


@dataclass
class _Phase:
    spec: Spec
    budget: int
    sent: list[Case] = field(default_factory=list)
    settings: Any = None
    engine: Any = None

    @property
    def operations(self) -> tuple[Any, ...]:
        return self.spec.operations

    @property
    def expired(self) -> bool:
        return len(self.sent) >= self.budget

    def execute(self, case: Case) -> None:
        self.sent.append(case)

    def factory(self, operation: Any) -> ValueFactory:
        return ValueFactory(self.spec, 1)

    def seed_for(self, operation: Any) -> int:
        return 1


def test_run_sends_through_the_phase_and_stops_at_the_deadline() -> None:
    phase = _Phase(_spec(), budget=5)
    run(phase)
    assert len(phase.sent) == 5


INJECTION_AND_DATA_CHECKS = (
    "sql_injection_error",
    "sql_injection_boolean",
    "sql_injection_time",
    "command_injection",
    "template_injection",
    "path_traversal",
    "header_injection",
    "reflected_input",
    "password_hash_exposed",
    "secret_exposed",
    "card_number_exposed",
    "internal_address_exposed",
)


@pytest.mark.slow
@pytest.mark.parametrize("module", corpus(), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_the_probes_find_nothing_on_any_clean_corpus_app(module: ModuleType) -> None:
    settings = RunSettings(seed=0, phases=("security",), checks=INJECTION_AND_DATA_CHECKS)
    result = run_engine(module.clean(), settings=settings)
    assert not result.internal_errors
    assert result.findings == [], [f.render() for f in result.findings]


def test_a_sort_parameter_pasted_into_sql_is_an_injection_from_its_default() -> None:
    from tests.corpus.apps import sql_injection_sort

    settings = RunSettings(seed=0, phases=("security",), checks=("sql_injection_error",))
    result = run_engine(sql_injection_sort.defective(), settings=settings)
    (found,) = result.findings
    assert found.evidence["payload"] == "id'"  # the documented default, and a quote
    assert found.evidence["twin"] == "id"
