"""The request of an exchange taken apart again, also behind a base path."""

from __future__ import annotations

from fastapi import FastAPI

from assay.checks._requests import routes_to_operation, sent_request
from assay.checks.registry import CheckContext, Exchange
from assay.client import APITestClient
from assay.generation.cases import Case
from assay.spec import load


def test_path_values_and_routing_behind_a_base_path() -> None:
    child = FastAPI()

    @child.get("/items/{item_id}")
    def read(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    parent = FastAPI()
    parent.mount("/api", child)
    spec = load(child)
    with APITestClient(parent, spec=spec, validate=False) as client:
        response = client.get("/api/items/5", params={"verbose": "yes"})
        exchange = Exchange(Case(spec.operations[0]), response, 1.0)
        sent = sent_request(exchange)
        assert sent.path_values == {"item_id": "5"}
        assert sent.query == {"verbose": "yes"}
        context = CheckContext(spec=spec, validator=client.validator, client=client)
        assert routes_to_operation(context, exchange)
