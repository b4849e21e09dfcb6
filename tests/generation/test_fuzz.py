"""The fuzz phase: valid and one-part-invalid cases, seeded, shrunk on a finding."""

from __future__ import annotations

from typing import Any

import pytest

from assay.generation.cases import Case
from assay.generation.fuzz import run_fuzz
from assay.spec import Spec, SpecValidator, from_asgi, from_dict

from .conftest import fixture_specs, request_violations
from .orders_app import create_app


def _orders() -> Spec:
    return from_dict(
        {
            "openapi": "3.1.0",
            "info": {"title": "fuzz", "version": "1"},
            "paths": {
                "/orders": {
                    "post": {
                        "parameters": [
                            {"name": "dry", "in": "query", "schema": {"type": "boolean"}}
                        ],
                        "requestBody": {
                            "required": True,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Order"}
                                }
                            },
                        },
                        "responses": {"201": {"description": "created"}},
                    }
                }
            },
            "components": {
                "schemas": {
                    "Order": {
                        "type": "object",
                        "required": ["sku", "quantity"],
                        "properties": {
                            "sku": {"type": "string", "pattern": "^SKU-[0-9]{4}$"},
                            "quantity": {"type": "integer", "minimum": 1, "maximum": 100},
                            "note": {"type": ["string", "null"], "maxLength": 20},
                        },
                    }
                }
            },
        }
    )


def _collect(spec: Spec, kind: Any, seed: int = 1, examples: int = 150) -> list[Case]:
    cases: list[Case] = []
    for operation in spec:
        run_fuzz(
            operation,
            spec,
            lambda case: cases.append(case) is None and False,
            seed=seed,
            max_examples=examples,
            kind=kind,
        )
    return cases


def test_a_finding_shrinks_to_the_minimal_case() -> None:
    spec = _orders()
    smallest: list[int] = []
    executed: list[Case] = []

    def execute(case: Case) -> bool:
        """Like the engine: True for a new finding, or one with a smaller case."""
        executed.append(case)
        quantity = case.body["quantity"]
        if quantity > 10 and (not smallest or quantity < smallest[-1]):
            smallest.append(quantity)
            return True
        return False

    run_fuzz(spec.operations[0], spec, execute, seed=3, max_examples=100, kind="positive")
    assert smallest[-1] == 11
    assert any(c.body["quantity"] == 11 for c in executed)


@pytest.mark.parametrize("kind", ["positive", "negative"])
def test_cases_deserve_their_kind(kind: str) -> None:
    app_spec = from_asgi(create_app())
    for spec in [_orders(), app_spec, *fixture_specs()]:
        validator = SpecValidator(spec)
        cases = _collect(spec, kind, examples=60)
        assert cases
        for case in cases:
            assert case.kind == kind
            assert case.phase == "fuzz"
            if (case.media_type or "").startswith("multipart/"):
                continue  # the validator does not read multipart (test_boundary's service does)
            problems = request_violations(validator, case)
            if kind == "positive":
                assert not problems, case.to_dict()
            else:
                assert case.mutation, case.to_dict()
                assert problems or case.raw_body is not None or case.body is None, case.mutation


def test_negative_cases_break_one_part_in_many_ways() -> None:
    mutations = {(c.mutation or "").split(":")[0] for c in _collect(_orders(), "negative")}
    assert {"query/dry", "body", "body/sku", "body/quantity", "body/note"} <= mutations


def test_the_same_seed_gives_the_same_cases() -> None:
    spec = _orders()
    first = [c.to_dict() for c in _collect(spec, "negative", seed=9, examples=40)]
    assert first == [c.to_dict() for c in _collect(spec, "negative", seed=9, examples=40)]
    assert first != [c.to_dict() for c in _collect(spec, "negative", seed=10, examples=40)]


def test_the_budget_is_respected_without_findings() -> None:
    assert len(_collect(_orders(), "positive", examples=25)) <= 25


def _draw(plan: Any, validator: SpecValidator) -> list[bool]:
    """Draw requests with the plan's hypothesis strategy; True for each valid one."""
    from hypothesis import HealthCheck, given, settings

    made: list[bool] = []

    @settings(
        max_examples=25, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(plan.strategy)
    def check(drawn: Any) -> None:
        case = plan.case(drawn)
        made.append(case is not None)
        if case is not None:
            assert not request_violations(validator, case)

    check()
    return made


def test_the_hypothesis_strategies_draw_mostly_valid_requests() -> None:
    from assay.generation.mutations import plan_for

    for spec in [_orders(), from_asgi(create_app())]:
        validator = SpecValidator(spec)
        for operation in spec:
            plan = plan_for(spec, operation, "positive")
            assert plan is not None
            made = _draw(plan, validator)
            assert sum(made) >= len(made) // 2, operation.label


def test_reduce_drops_optional_parts_while_the_finding_holds() -> None:
    from assay.generation.fuzz import reduce
    from assay.generation.mutations import plan_for

    spec = _orders()
    operation = spec.operations[0]
    plan = plan_for(spec, operation, "positive")
    assert plan is not None
    case = Case(
        operation,
        query={"dry": True},
        body={"sku": "SKU-1234", "quantity": 50, "note": "keep me?"},
        media_type="application/json",
        phase="fuzz",
    )
    sizes: list[int] = []

    def execute(candidate: Case) -> bool:
        """The finding needs quantity 50; any smaller case of it is news."""
        if candidate.body.get("quantity") != 50 or (sizes and candidate.size() >= sizes[-1]):
            return False
        sizes.append(candidate.size())
        return True

    smallest = reduce(case, plan, execute)
    assert smallest.query == {}
    assert smallest.body == {"sku": "SKU-1234", "quantity": 50}
