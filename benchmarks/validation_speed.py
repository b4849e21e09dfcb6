"""Response validation speed: assay's compiled validator against the `jsonschema` library.

One FastAPI-generated spec, one typical ~2 KB JSON order body (nested lines, money,
addresses, enums, formats), validated many times by:

* `jsonschema` — ``Draft202012Validator`` built once, two ways: the spec in a
  `referencing` registry (``$ref`` into ``#/components/schemas``, as openapi-core does),
  and a self-contained schema (components copied to ``$defs``, the fastest setup);
* assay's `ContractValidator` — a recorded response checked end to end (route match,
  status, Content-Type, JSON decode, schema: jsonschema-rs compiled once per schema);
* assay's schema check alone (`SpecValidator.validate_instance`, no decoding).

Same run, interleaved rounds; prints the median per-body time of each and the ratios
(issue 8 asks for at least 5x against `jsonschema`).

Run: .venv/bin/python benchmarks/validation_speed.py [--bodies N] [--rounds R]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any, Literal

import jsonschema
from fastapi import FastAPI
from pydantic import BaseModel, Field
from referencing import Registry, Resource

from assay.contract.traffic import RecordedExchange
from assay.contract.validator import ContractValidator
from assay.spec import SpecValidator, from_dict


class Address(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    street: str
    city: str
    postcode: str = Field(pattern=r"^[A-Z0-9 -]{3,10}$")
    country: str = Field(min_length=2, max_length=2)


class Money(BaseModel):
    amount: str = Field(pattern=r"^-?\d+\.\d{2}$")
    currency: Literal["EUR", "USD", "GBP"]


class Line(BaseModel):
    sku: str = Field(pattern=r"^[A-Z]+-[A-Z]+$")
    description: str
    quantity: int = Field(ge=1, le=1000)
    unit_price: Money
    tags: list[str]


class Order(BaseModel):
    id: int
    reference: str
    status: Literal["pending", "paid", "shipped", "cancelled"]
    customer_email: str
    created_at: str
    shipping: Address
    billing: Address
    lines: list[Line]
    total: Money
    notes: str | None = None


def make_app() -> FastAPI:
    app = FastAPI(title="bench")

    @app.get("/orders/{order_id}", response_model=Order)
    def get_order(order_id: int) -> dict[str, Any]:
        return body()

    return app


def body() -> dict[str, Any]:
    address = {
        "name": "Ada Lovelace",
        "street": "12 St James's Square",
        "city": "London",
        "postcode": "SW1Y 4JH",
        "country": "GB",
    }
    lines = [
        {
            "sku": f"RED-CHAIR{'S' * n}",
            "description": f"A red chair, model {n}, solid oak, hand finished",
            "quantity": n + 1,
            "unit_price": {"amount": f"{19 + n}.99", "currency": "EUR"},
            "tags": ["furniture", "oak", "red"],
        }
        for n in range(8)
    ]
    return {
        "id": 4711,
        "reference": "ORD-2026-000004711",
        "status": "paid",
        "customer_email": "ada@example.com",
        "created_at": "2026-11-25T18:30:00Z",
        "shipping": address,
        "billing": address,
        "lines": lines,
        "total": {"amount": "1234.56", "currency": "EUR"},
        "notes": "Leave at the door",
    }


def _self_contained(document: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(document["components"]["schemas"])
    defs = json.loads(text.replace('"#/components/schemas/', '"#/$defs/'))
    return {"$ref": "#/$defs/Order", "$defs": defs}


def _timed(function: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        function()
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bodies", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    document = make_app().openapi()
    spec = from_dict(document)
    raw = json.dumps(body()).encode()
    registry: Registry[Any] = Registry().with_resource(
        "urn:spec",
        Resource.from_contents(
            {**document, "$schema": "https://json-schema.org/draft/2020-12/schema"}
        ),
    )
    reference = jsonschema.Draft202012Validator(
        {"$ref": "urn:spec#/components/schemas/Order"}, registry=registry
    )
    inline = jsonschema.Draft202012Validator(_self_contained(document))
    contract = ContractValidator(spec)
    record = RecordedExchange(
        "GET", "/orders/4711", {}, None, 200, {"content-type": "application/json"}, raw
    )
    schema_only = SpecValidator(spec)
    pointer = "#/components/schemas/Order"

    # Both must agree that the body is valid, and both must catch a broken one.
    assert not list(reference.iter_errors(json.loads(raw)))
    assert contract.check(record) == []
    broken = {**body(), "total": {"amount": "12", "currency": "JPY"}}
    assert list(reference.iter_errors(broken))
    assert list(inline.iter_errors(broken))
    assert not list(inline.iter_errors(json.loads(raw)))
    assert schema_only.validate_instance(pointer, broken)

    candidates: dict[str, Callable[[], object]] = {
        "jsonschema, registry (decode + validate)": lambda: list(
            reference.iter_errors(json.loads(raw))
        ),
        "jsonschema, $defs (decode + validate)": lambda: list(inline.iter_errors(json.loads(raw))),
        "assay ContractValidator (exchange)": lambda: contract.check(record),
        "assay schema check (decode + validate)": lambda: schema_only.validate_instance(
            pointer, json.loads(raw)
        ),
    }
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(args.rounds):
        for name, function in candidates.items():
            times[name].append(_timed(function, args.bodies))

    print(f"body: {len(raw)} bytes JSON; {args.bodies} validations x {args.rounds} rounds")
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = min(v for name, v in medians.items() if name.startswith("jsonschema"))
    for name, value in medians.items():
        print(f"{name:42s} {value:9.1f} us/body   {base / value:6.1f}x the faster jsonschema")


if __name__ == "__main__":
    main()
