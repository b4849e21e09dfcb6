"""How long `assay.spec.load(app)` takes on a large FastAPI app, and how much memory.

Builds a fresh FastAPI app with 250 routes (50 resources x list/get/create/replace/delete,
with query, path and header parameters, pydantic request bodies and responses, nested
and recursive models, enums, unions) for every run, so FastAPI's cached ``openapi()``
cannot hide the cost. Prints the median of the runs for:

* ``app.openapi()`` — FastAPI generating the document (not our code);
* model building — bundling, reference checks and the typed model (our code);
* ``load(app)`` — both together, the number users see (target: under 1 s);
* validator warm-up — compiling the response schema of every operation once, and then
  the median cost of validating one conforming response.

Peak memory is measured with tracemalloc around one full ``load(app)``.

Run: .venv/bin/python benchmarks/spec_load.py [--runs N]
"""

# No `from __future__ import annotations`: FastAPI reads the route functions' annotations,
# which name models created inside a function, so they must be real objects.
import argparse
import datetime as dt
import enum
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Annotated, Any, Literal, Optional

from fastapi import FastAPI, Header, Query
from pydantic import BaseModel, Field, create_model

from assay.spec import Spec, from_dict, load
from assay.spec.validation import SpecValidator

RESOURCES = 50


class Status(enum.Enum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class Address(BaseModel):
    street: str
    city: str
    zip: Annotated[str, Field(pattern=r"^[0-9]{5}$")]


class Node(BaseModel):
    value: int
    children: list["Node"] = []  # a forward reference to itself


Node.model_rebuild()


class Card(BaseModel):
    method: Literal["card"] = "card"
    last4: str


class Transfer(BaseModel):
    method: Literal["transfer"] = "transfer"
    iban: str


def _models(index: int) -> tuple[type[BaseModel], type[BaseModel]]:
    """An input and an output model for resource `index`, varied by index."""
    fields: dict[str, Any] = {
        "name": (Annotated[str, Field(min_length=1, max_length=80)], ...),
        "quantity": (Annotated[int, Field(ge=0, le=10_000)], 0),
        "price": (float, 0.0),
        "tags": (list[str], []),
        "status": (Status, Status.ACTIVE),
        "address": (Optional[Address], None),  # noqa: UP045 - create_model wants the type
        "tree": (Optional[Node], None),  # noqa: UP045
        "payment": (Annotated[Card | Transfer, Field(discriminator="method")], None),
        f"extra_{index}": (dict[str, int], {}),
    }
    created = create_model(f"Resource{index}In", **fields)
    output = create_model(
        f"Resource{index}",
        __base__=created,
        id=(int, ...),
        created=(dt.datetime, ...),
    )
    return created, output


def _add_resource(app: FastAPI, index: int) -> None:
    model_in, model_out = _models(index)
    base = f"/resources{index}"

    def list_items(
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        tag: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI's style
        x_tenant: Annotated[str | None, Header()] = None,
    ) -> list[model_out]:  # type: ignore[valid-type]
        return []

    def get_item(item_id: int) -> model_out:  # type: ignore[valid-type]
        raise NotImplementedError

    def create_item(item: model_in) -> model_out:  # type: ignore[valid-type]
        raise NotImplementedError

    def replace_item(item_id: int, item: model_in) -> model_out:  # type: ignore[valid-type]
        raise NotImplementedError

    def delete_item(item_id: int) -> None:
        return None

    app.get(base, response_model=list[model_out], tags=[f"r{index}"])(list_items)
    app.get(f"{base}/{{item_id}}", response_model=model_out, responses={404: {}})(get_item)
    app.post(base, response_model=model_out, status_code=201)(create_item)
    app.put(f"{base}/{{item_id}}", response_model=model_out)(replace_item)
    app.delete(f"{base}/{{item_id}}", status_code=204)(delete_item)


def make_app() -> FastAPI:
    app = FastAPI(title="Large")
    for index in range(RESOURCES):
        _add_resource(app, index)
    return app


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _one_run() -> tuple[float, float, float]:
    app = make_app()
    openapi_seconds, document = _timed(app.openapi)
    build_seconds, _ = _timed(lambda: from_dict(document, source="bench"))
    fresh = make_app()
    load_seconds, _ = _timed(lambda: load(fresh))
    return openapi_seconds, build_seconds, load_seconds


def _sample(index: int) -> dict[str, Any]:
    return {
        "id": index,
        "name": "widget",
        "quantity": 3,
        "price": 9.5,
        "tags": ["a"],
        "status": "active",
        "address": {"street": "Main", "city": "X", "zip": "12345"},
        "tree": {"value": 1, "children": [{"value": 2, "children": []}]},
        "payment": {"method": "card", "last4": "4242"},
        f"extra_{index}": {"k": 1},
        "created": "2024-05-01T12:00:00",
    }


def _validation(spec: Spec) -> tuple[float, float, int]:
    validator = SpecValidator(spec)
    gets = [op for op in spec if op.method == "get" and "{" in op.path]
    bodies = [json.dumps(_sample(int(op.path.split("/")[1][9:]))).encode() for op in gets]
    headers = {"content-type": "application/json"}

    def warm_up() -> int:
        found = 0
        for op, body in zip(gets, bodies, strict=True):
            found += len(validator.validate_response(op, 200, headers, body))
        return found

    warm_seconds, violations = _timed(warm_up)
    timings = []
    for op, body in zip(gets * 20, bodies * 20, strict=True):
        started = time.perf_counter()
        validator.validate_response(op, 200, headers, body)
        timings.append(time.perf_counter() - started)
    return warm_seconds, statistics.median(timings), violations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    runs = [_one_run() for _ in range(args.runs)]
    openapi_s, build_s, load_s = (statistics.median(column) for column in zip(*runs, strict=True))

    app = make_app()
    tracemalloc.start()
    spec = load(app)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    warm_s, per_response_s, violations = _validation(spec)

    print(
        f"routes: {len(spec)}  schemas: {len(spec.raw['components']['schemas'])}  runs: {args.runs}"
    )
    print(f"app.openapi() (FastAPI):        {openapi_s * 1000:8.1f} ms  (median)")
    print(f"model building (assay):         {build_s * 1000:8.1f} ms  (median)")
    print(f"load(app) total:                {load_s * 1000:8.1f} ms  (median; target < 1000 ms)")
    print(f"  share spent in assay:         {build_s / load_s:8.1%}")
    print(f"peak memory during load(app):   {peak / 2**20:8.1f} MiB  (tracemalloc)")
    print(f"validator warm-up ({len(spec.operations) // 5} GET ops):  {warm_s * 1000:8.1f} ms")
    print(f"validate one response:          {per_response_s * 1e6:8.1f} µs  (median)")
    print(f"violations on conforming data:  {violations:8d}  (must be 0)")
    print("verdict:", "OK" if load_s < 1.0 and violations == 0 else "OVER TARGET")


if __name__ == "__main__":
    main()
