"""Case generation speed: cases per second of each generator, no HTTP.

A 50-operation spec is generated (CRUD over ten resources, each with a nested body:
bounded numbers, patterns, formats, enums, nullable and optional fields, arrays of
objects, a discriminated union, path, query and header parameters). Each generator
runs over every operation and the script prints cases/s:

* examples — `example_cases` (spec examples and factory-made requests),
* boundary — `boundary_cases` (capped at 200 per operation),
* fuzz positive / negative — `run_fuzz` with an `execute` that finds nothing,
* hypothesis draws — the same operations' hypothesis strategies drawn directly
  (what a generator built on hypothesis alone would cost; the fuzz phase only runs
  hypothesis to shrink a finding).

Run: .venv/bin/python benchmarks/generation_speed.py [--examples N] [--seed S]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable
from typing import Any

from hypothesis import HealthCheck, given, settings

from assay.generation.boundary import boundary_cases
from assay.generation.cases import Case
from assay.generation.examples import example_cases
from assay.generation.fuzz import run_fuzz
from assay.generation.mutations import plan_for
from assay.generation.values import ValueFactory
from assay.spec import Spec, from_dict

RESOURCES = ("orders", "products", "customers", "invoices", "shipments",
             "coupons", "reviews", "warehouses", "suppliers", "payments")  # fmt: skip


def _schemas(name: str) -> dict[str, Any]:
    title = name.capitalize()
    return {
        title: {
            "type": "object",
            "required": ["code", "quantity", "lines", "kind"],
            "properties": {
                "id": {"type": "integer", "readOnly": True},
                "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
                "quantity": {"type": "integer", "minimum": 1, "maximum": 500},
                "price": {"type": "number", "exclusiveMinimum": 0, "maximum": 100000},
                "email": {"type": "string", "format": "email"},
                "due": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
                "status": {"type": "string", "enum": ["new", "active", "closed"]},
                "note": {"type": ["string", "null"], "maxLength": 200},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
                "lines": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 10,
                    "items": {"$ref": f"#/components/schemas/{title}Line"},
                },
                "kind": {"$ref": f"#/components/schemas/{title}Kind"},
            },
        },
        f"{title}Line": {
            "type": "object",
            "required": ["sku", "qty"],
            "properties": {
                "sku": {"type": "string", "minLength": 3, "maxLength": 12},
                "qty": {"type": "integer", "minimum": 1},
                "reference": {"type": "string", "format": "uuid"},
            },
        },
        f"{title}Kind": {
            "oneOf": [
                {"$ref": "#/components/schemas/Standard"},
                {"$ref": "#/components/schemas/Express"},
            ],
            "discriminator": {"propertyName": "kind"},
        },
    }


def _paths(name: str) -> dict[str, Any]:
    title = name.capitalize()
    body = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{title}"}}},
    }
    ident = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
    listing = [
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100},
        },
        {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 50}},
        {"name": "X-Request-Id", "in": "header", "schema": {"type": "string", "format": "uuid"}},
    ]
    ok = {"200": {"description": "ok"}}
    return {
        f"/{name}": {
            "get": {"operationId": f"list_{name}", "parameters": listing, "responses": ok},
            "post": {"operationId": f"create_{name}", "requestBody": body, "responses": ok},
        },
        f"/{name}/{{id}}": {
            "parameters": [ident],
            "get": {"operationId": f"read_{name}", "responses": ok},
            "put": {"operationId": f"replace_{name}", "requestBody": body, "responses": ok},
            "delete": {"operationId": f"delete_{name}", "responses": ok},
        },
    }


def make_spec() -> Spec:
    schemas: dict[str, Any] = {
        "Standard": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": "string"}, "days": {"type": "integer", "minimum": 2}},
        },
        "Express": {
            "type": "object",
            "required": ["kind", "fee"],
            "properties": {"kind": {"type": "string"}, "fee": {"type": "integer", "minimum": 0}},
        },
    }
    paths: dict[str, Any] = {}
    for name in RESOURCES:
        schemas.update(_schemas(name))
        paths.update(_paths(name))
    document = {
        "openapi": "3.1.0",
        "info": {"title": "benchmark", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    return from_dict(document)


def _timed(label: str, produce: Callable[[], Iterable[Case] | int]) -> None:
    started = time.perf_counter()
    made = produce()
    count = made if isinstance(made, int) else sum(1 for _ in made)
    elapsed = time.perf_counter() - started
    print(f"{label:<24} {count:>7} cases  {elapsed:7.2f} s  {count / elapsed:>9.0f} cases/s")


def _fuzz(spec: Spec, kind: Any, examples: int, seed: int) -> int:
    sent = [0]

    def execute(case: Case) -> bool:
        sent[0] += 1
        return False

    for operation in spec:
        run_fuzz(operation, spec, execute, seed=seed, max_examples=examples, kind=kind)
    return sent[0]


def _draws(plan: Any, examples: int) -> int:
    made = [0]

    @settings(
        max_examples=examples, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(plan.strategy)
    def draw(drawn: Any) -> None:
        if plan.case(drawn) is not None:
            made[0] += 1

    draw()
    return made[0]


def _hypothesis(spec: Spec, examples: int) -> int:
    plans = [plan_for(spec, operation, "positive") for operation in spec]
    return sum(_draws(plan, examples) for plan in plans if plan is not None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="fuzz cases per operation")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    spec = make_spec()
    factory = ValueFactory(spec, args.seed)
    print(f"{len(spec)} operations, seed {args.seed}")
    _timed("examples", lambda: [c for op in spec for c in example_cases(op, spec, factory)])
    _timed("boundary", lambda: [c for op in spec for c in boundary_cases(op, spec, factory)])
    _timed("fuzz positive", lambda: _fuzz(spec, "positive", args.examples, args.seed))
    _timed("fuzz negative", lambda: _fuzz(spec, "negative", args.examples, args.seed))
    _timed("hypothesis draws", lambda: _hypothesis(spec, max(10, args.examples // 5)))


if __name__ == "__main__":
    main()
