"""Boundary cases: negatives truly break the contract, positives truly keep it.

Judged twice: by the spec validator on the serialized request, and by a real FastAPI
service (`orders_app`), which must refuse every negative case with a 4xx, accept every
positive one with a 2xx, and never fail (5xx) on an edge case. The service test also
runs the examples and fuzz generators, so it guards every phase against false alarms.
"""

from __future__ import annotations

from collections import Counter

import pytest

from assay.client import APITestClient
from assay.client.operations import build_call
from assay.generation.boundary import boundary_cases
from assay.generation.cases import Case
from assay.generation.examples import example_cases
from assay.generation.fuzz import run_fuzz
from assay.generation.values import ValueFactory
from assay.spec import Spec, SpecValidator, from_asgi

from .conftest import fixture_specs, request_violations
from .orders_app import create_app


@pytest.fixture(scope="module")
def app_spec() -> tuple[object, Spec]:
    app = create_app()
    return app, from_asgi(app)


def _all_cases(spec: Spec, seed: int, max_cases: int = 200) -> list[Case]:
    factory = ValueFactory(spec, seed)
    return [c for op in spec for c in boundary_cases(op, spec, factory, max_cases=max_cases)]


def _every_generator(spec: Spec, seed: int) -> list[Case]:
    """Examples, boundary and fuzz (positive and negative) cases for every operation."""
    factory = ValueFactory(spec, seed)
    cases: list[Case] = []
    for operation in spec:
        cases.extend(example_cases(operation, spec, factory))
        cases.extend(boundary_cases(operation, spec, factory))
        for kind in ("positive", "negative"):
            run_fuzz(
                operation,
                spec,
                lambda case: cases.append(case) is None and False,
                seed=seed,
                max_examples=40,
                kind=kind,  # type: ignore[arg-type]
            )
    return cases


def _send(client: APITestClient, case: Case) -> int:
    call = build_call(
        case.operation,
        path=case.path_parameters,
        query=case.query,
        headers=case.headers,
        cookies=case.cookies,
    )
    body = case.body_arguments()
    headers = {**call.headers, **body.pop("headers", {})}
    response = client.request(
        case.http_method,
        call.path,
        params=call.query,
        headers=headers,
        cookies=call.cookies,
        validate=False,
        **body,
    )
    return response.status_code


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_correct_fastapi_service_agrees_with_every_case(
    app_spec: tuple[object, Spec], seed: int
) -> None:
    app, spec = app_spec
    cases = _every_generator(spec, seed)
    wrong: list[str] = []
    with APITestClient(app, spec=spec, validate=False, raise_app_exceptions=False) as client:
        for case in cases:
            status = _send(client, case)
            if case.edge:
                ok = status < 500
            else:
                ok = 200 <= status < 300 if case.kind == "positive" else 400 <= status < 500
            if not ok:
                wrong.append(f"{status} for {case.kind} {case.label} {case.note}")
    assert not wrong, "\n".join(wrong)
    kinds = Counter((c.kind, c.edge) for c in cases)
    assert kinds[("negative", False)] > 60
    assert kinds[("positive", False)] > 40


def test_the_validator_agrees_with_every_case(app_spec: tuple[object, Spec]) -> None:
    specs = [app_spec[1], *fixture_specs()]
    for spec in specs:
        validator = SpecValidator(spec)
        for case in _all_cases(spec, 5):
            multipart = (case.media_type or "").startswith("multipart/")
            if case.edge or case.note == "oversized" or multipart:
                continue  # the validator does not read multipart bodies (the service test does)
            problems = request_violations(validator, case)
            if case.kind == "positive":
                assert not problems, (case.note, problems)
            else:
                assert problems, case.note


def test_negative_cases_say_what_is_invalid_and_where(app_spec: tuple[object, Spec]) -> None:
    cases = _all_cases(app_spec[1], 0)
    mutations = {c.mutation for c in cases if c.kind == "negative"}
    assert None not in mutations
    assert "body/lines/0/qty: 0 is below the minimum 1" in mutations
    assert "body/lines/0/qty: 100 is above the maximum 99" in mutations
    assert "path/order_id: 'abc' cannot be read as integer" in mutations
    assert "query/q: the required parameter is missing" in mutations
    assert "body/payment/kind: 'not-a-member' is not one of the enum" in mutations
    assert any(m.startswith("body/customer/country: 3 characters") for m in mutations)
    assert any(m.startswith("body: an undeclared property") for m in mutations)
    assert "body: malformed JSON" in mutations
    assert "body: invalid UTF-8 bytes" in mutations


def test_text_parameters_are_never_called_invalid_for_parsable_text(
    app_spec: tuple[object, Spec],
) -> None:
    for case in _all_cases(app_spec[1], 0):
        if case.kind == "negative" and case.mutation and "exact" in case.query:
            assert case.query["exact"] not in ("1", "0", "yes", "no", "on", "off", "true", "false")
    booleans = [c.query.get("exact") for c in _all_cases(app_spec[1], 0) if c.kind == "negative"]
    assert "maybe" in booleans


def test_same_seed_same_cases_and_the_cap_holds(app_spec: tuple[object, Spec]) -> None:
    spec = app_spec[1]
    first = [c.to_dict() for c in _all_cases(spec, 3)]
    assert first == [c.to_dict() for c in _all_cases(spec, 3)]
    operation = spec.find("post", "/orders")
    assert operation is not None
    capped = list(boundary_cases(operation, spec, ValueFactory(spec, 3), max_cases=10))
    assert len(capped) == 10
    assert all(c.phase == "boundary" for c in capped)
    tiers = [c.kind for c in capped]
    assert tiers.count("negative") >= 8  # the most valuable (invalid input) come first
