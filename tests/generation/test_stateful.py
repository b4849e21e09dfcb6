"""The stateful phase: runtime expressions, declared and inferred pairs, plans, scenarios."""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel, Field
from tests.apps.stateful import make_app
from tests.events import RecordedEvents
from tests.serving import serve

from assay.client import APITestClient
from assay.client.identities import Identity
from assay.engine import Engine, RunSettings, run_engine
from assay.engine.runner import open_client
from assay.generation.cases import Case
from assay.generation.duplicates import uniqueness
from assay.generation.expressions import Produced, Unresolved, evaluate, evaluate_body
from assay.generation.links import declared_pairs, inferred_pairs
from assay.generation.listing import contains, is_complete, list_items
from assay.generation.properties import with_documented_values
from assay.generation.resources import dependency_order, plan_resources
from assay.generation.stateful import all_pairs, plan, rounds_for
from assay.generation.steps import with_known_ids
from assay.spec import from_dict
from assay.spec.model import Spec

TWO_USERS = (Identity.bearer("ana", "t1"), Identity.bearer("ben", "t2"))

PRODUCED = Produced(
    method="post",
    url="http://test/orders?x=1",
    status=201,
    path={"shop": "s1"},
    query={"x": "1"},
    headers={"x-tenant": "t9"},
    body={"name": "tea", "lines": [{"sku": "A"}]},
    response_headers={"location": "/orders/42", "etag": '"v1"'},
    response_body={"id": 42, "a/b": {"~c": "odd"}, "items": [{"id": 7}]},
)


# -- runtime expressions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("$response.body#/id", 42),
        ("$response.body#/items/0/id", 7),
        ("$response.body#/a~1b/~0c", "odd"),
        ("$response.header.Location", "/orders/42"),
        ("$request.path.shop", "s1"),
        ("$request.query.x", "1"),
        ("$request.header.X-Tenant", "t9"),
        ("$request.body#/lines/0/sku", "A"),
        ("$statusCode", 201),
        ("$method", "POST"),
        ("$url", "http://test/orders?x=1"),
        ("orders/{$response.body#/id}/lines", "orders/42/lines"),
        ("plain", "plain"),
        (5, 5),
    ],
)
def test_runtime_expressions_evaluate(expression: Any, value: Any) -> None:
    assert evaluate(expression, PRODUCED) == value


@pytest.mark.parametrize(
    "expression",
    ["$response.body#/missing", "$response.header.Retry-After", "$request.path.nope", "$foo.x"],
)
def test_missing_values_are_unresolved(expression: str) -> None:
    with pytest.raises(Unresolved):
        evaluate(expression, PRODUCED)


def test_a_link_request_body_evaluates_its_expressions() -> None:
    template = {
        "order": "$response.body#/id",
        "note": "fixed",
        "skus": ["$request.body#/lines/0/sku"],
    }
    assert evaluate_body(template, PRODUCED) == {"order": 42, "note": "fixed", "skus": ["A"]}


# -- declared and inferred pairs -------------------------------------------------------------


def _spec(paths: dict[str, Any]) -> Spec:
    return from_dict({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths})


def _op(operation_id: str, *, params: tuple[str, ...] = (), links: Any = None) -> dict[str, Any]:
    created: dict[str, Any] = {"description": "ok"}
    if links:
        created["links"] = links
    return {
        "operationId": operation_id,
        "parameters": [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in params
        ],
        "responses": {"201" if operation_id.startswith("create") else "200": created},
    }


LINKED = _spec(
    {
        "/things": {
            "post": _op(
                "createThing",
                links={
                    "byId": {
                        "operationId": "getThing",
                        "parameters": {"ref": "$response.body#/key"},
                    },
                    "byRef": {
                        "operationRef": "#/paths/~1things~1{ref}/delete",
                        "parameters": {"path.ref": "$response.body#/key"},
                    },
                    "nowhere": {"operationId": "unknown"},
                },
            )
        },
        "/things/{ref}": {
            "get": _op("getThing", params=("ref",)),
            "delete": _op("dropThing", params=("ref",)),
        },
    }
)


def test_links_become_pairs_by_operation_id_and_ref() -> None:
    pairs = declared_pairs(LINKED.operations)
    assert [(p.consumer.operation_id, p.origin, p.statuses) for p in pairs] == [
        ("getThing", "link byId", ("201",)),
        ("dropThing", "link byRef", ("201",)),
    ]
    produced = Produced("POST", "/things", 201, response_body={"key": "k-1"})
    assert pairs[0].arguments(produced) == {"path": {"ref": "k-1"}}
    assert pairs[1].arguments(produced) == {"path": {"ref": "k-1"}}
    assert not pairs[0].follows(500)


def test_declared_pairs_win_over_inferred_ones() -> None:
    declared = declared_pairs(LINKED.operations)
    assert inferred_pairs(LINKED.operations, declared) == []
    assert len(all_pairs(LINKED.operations)) == 2


SHOPPING = _spec(
    {
        "/token": {"post": _op("createToken")},
        "/orders": {"post": _op("createOrder"), "get": _op("listOrders")},
        "/orders/{order_id}": {
            "get": _op("getOrder", params=("order_id",)),
            "patch": _op("patchOrder", params=("order_id",)),
            "delete": _op("deleteOrder", params=("order_id",)),
        },
        "/orders/{order_id}/lines": {
            "get": _op("listLines", params=("order_id",)),
            "post": _op("createLine", params=("order_id",)),
        },
        "/orders/{order_id}/lines/{line_id}": {
            "get": _op("getLine", params=("order_id", "line_id")),
            "delete": _op("deleteLine", params=("order_id", "line_id")),
        },
        "/products/{sku}": {"get": _op("getProduct", params=("sku",))},
        "/products": {"post": _op("createProduct")},
        "/users/{user_id}/notes": {"post": _op("createUserNote", params=("user_id",))},
        "/users/{user_id}/notes/{note_id}": {
            "delete": _op("dropNote", params=("user_id", "note_id"))
        },
    }
)


def _pairs_of(producer: str) -> dict[str, Any]:
    pairs = inferred_pairs(SHOPPING.operations)
    return {p.consumer.operation_id: p for p in pairs if p.producer.operation_id == producer}


def test_a_creating_post_feeds_the_item_and_what_hangs_below_it() -> None:
    pairs = _pairs_of("createOrder")
    assert set(pairs) == {"getOrder", "patchOrder", "deleteOrder", "listLines", "createLine"}
    produced = Produced("POST", "/orders", 201, response_body={"id": 5, "total": 3})
    assert pairs["getOrder"].arguments(produced) == {"path": {"order_id": 5}}
    by_name = Produced("POST", "/orders", 201, response_body={"order_id": "o-9"})
    assert pairs["deleteOrder"].arguments(by_name) == {"path": {"order_id": "o-9"}}
    located = Produced("POST", "/orders", 201, response_headers={"location": "http://h/orders/77"})
    assert pairs["listLines"].arguments(located) == {"path": {"order_id": "77"}}


def test_nested_creations_take_the_parent_id_from_their_own_request() -> None:
    pairs = _pairs_of("createLine")
    assert set(pairs) == {"getLine", "deleteLine"}
    produced = Produced(
        "POST", "/orders/5/lines", 201, path={"order_id": 5}, response_body={"id": 8}
    )
    assert pairs["getLine"].arguments(produced) == {"path": {"order_id": 5, "line_id": 8}}


def test_a_field_named_like_the_parameter_binds_non_id_keys() -> None:
    pairs = _pairs_of("createProduct")
    produced = Produced("POST", "/products", 201, response_body={"id": 3, "sku": "TEA-1"})
    assert pairs["getProduct"].arguments(produced) == {"path": {"sku": "TEA-1"}}
    # no sku in the answer: an unrelated "id" must not be taken for it
    assert (
        pairs["getProduct"].arguments(Produced("POST", "/products", 201, response_body={"id": 3}))
        is None
    )


def test_two_different_ids_are_ambiguous_and_not_trusted() -> None:
    pair = _pairs_of("createOrder")["getOrder"]
    produced = Produced("POST", "/orders", 201, response_body={"id": 5, "order_id": "A-1"})
    assert pair.arguments(produced) is None
    same = Produced("POST", "/orders", 201, response_body={"id": 5, "order_id": 5})
    assert pair.arguments(same) == {"path": {"order_id": 5}}


def test_values_that_cannot_go_in_a_path_are_refused() -> None:
    pair = _pairs_of("createOrder")["getOrder"]
    for bad in ("", "a/b", None, True, {"x": 1}):
        assert pair.arguments(Produced("POST", "/orders", 201, response_body={"id": bad})) is None


def test_logins_are_not_producers() -> None:
    assert not _pairs_of("createToken")


def test_the_plan_has_parents_first_and_never_creates_under_a_foreign_parent() -> None:
    resources = plan_resources(SHOPPING.operations, inferred_pairs(SHOPPING.operations))
    by_create = {r.create.operation_id: r for r in resources}
    assert list(by_create) == ["createOrder", "createProduct", "createLine"]
    order, line = by_create["createOrder"], by_create["createLine"]
    assert order.item == "/orders/{order_id}"
    assert order.read is not None
    assert order.read.consumer.operation_id == "getOrder"
    assert [p.consumer.operation_id for p in order.updates] == ["patchOrder"]
    assert order.delete is not None
    assert order.listing is not None
    assert order.listing.operation_id == "listOrders"
    assert [p.consumer.operation_id for p in order.followers] == ["listLines"]
    assert line.parent is order
    assert "createUserNote" not in by_create  # its user_id would be someone else's


def test_links_to_other_collections_are_only_read() -> None:
    spec = _spec(
        {
            "/orders": {
                "post": _op(
                    "createOrder",
                    links={
                        "customer": {
                            "operationId": "dropCustomer",
                            "parameters": {"customer_id": "$response.body#/customer_id"},
                        }
                    },
                )
            },
            "/customers/{customer_id}": {"delete": _op("dropCustomer", params=("customer_id",))},
        }
    )
    resources = plan_resources(spec.operations, all_pairs(spec.operations))
    assert [(r.delete, r.followers, r.key_pair) for r in resources] == [(None, (), None)]


# -- lists -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "headers", "paged", "limit", "complete"),
    [
        ([{"id": 1}], {}, False, None, True),
        ([{"id": 1}], {}, True, None, False),
        ([{"id": i} for i in range(10)], {}, False, None, False),
        ({"items": [{"id": 1}], "total": 1}, {}, True, None, True),
        ({"items": [{"id": 1}], "total": 3}, {}, True, None, False),
        ({"items": [{"id": 1}], "next_cursor": "abc"}, {}, True, 100, False),
        ({"items": [{"id": 1}], "next_cursor": None}, {}, True, 100, True),
        ({"data": [{"id": 1}], "has_more": True}, {}, False, None, False),
        ([{"id": 1}], {"Link": '</x?page=2>; rel="next"'}, False, None, False),
        ([{"id": 1}, {"id": 2}], {}, True, 2, False),
        ("not a list", {}, False, None, False),
    ],
)
def test_a_list_is_complete_only_when_it_proves_it(
    body: Any, headers: dict[str, str], paged: bool, limit: int | None, complete: bool
) -> None:
    assert is_complete(body, headers, paged=paged, limit=limit) is complete


def test_list_items_and_membership() -> None:
    assert list_items({"results": [1], "meta": {}}) == [1]
    assert list_items({"a": [1], "b": [2]}) is None
    assert contains([{"id": 5}, {"key": "x"}], "5", ["id"])
    assert not contains([{"id": 5}], 6, ["id"])


# -- running scenarios -----------------------------------------------------------------------


def _run(app: FastAPI, seed: int, **settings: Any) -> tuple[list[tuple[Case, Any]], Any]:
    """Run the stateful phase; every case with its exchange (None: no answer), and the result."""
    options: dict[str, Any] = {"phases": ("stateful",), "checks": ("server_error",), "seed": seed}
    chosen = RunSettings(**{**options, "identities": TWO_USERS, **settings})
    client, label = open_client(app, chosen)
    sent: list[tuple[Case, Any]] = []
    with client:
        engine = Engine(client, chosen, target=label)
        execute = engine.execute

        def recording(case: Case) -> Any:
            execution = execute(case)
            sent.append((case, execution.exchange))
            return execution

        execute_together = engine.execute_together

        def recording_together(cases: Any) -> Any:
            executions = execute_together(cases)
            sent.extend((c, e.exchange) for c, e in zip(cases, executions, strict=True))
            return executions

        engine.execute = recording  # type: ignore[method-assign]
        engine.execute_together = recording_together  # type: ignore[method-assign]
        return sent, engine.run()


def _recorded(app: FastAPI, seed: int, **settings: Any) -> tuple[list[Case], Any]:
    sent, result = _run(app, seed, **settings)
    return [case for case, _ in sent], result


def _shape(case: Case) -> tuple[Any, ...]:
    scenario = case.scenario or {}
    return (case.label, case.identity, scenario.get("step"), case.path_parameters, repr(case.body))


def test_the_same_seed_sends_the_same_scenarios() -> None:
    first, _ = _recorded(make_app(), seed=11)
    second, _ = _recorded(make_app(), seed=11)
    other, _ = _recorded(make_app(), seed=12)
    assert [_shape(c) for c in first] == [_shape(c) for c in second]
    assert [_shape(c) for c in first] != [_shape(c) for c in other]


def test_state_changes_only_reach_what_the_run_created() -> None:
    sent, _ = _run(make_app(), seed=5)
    created: set[str] = set()
    for case, exchange in sent:
        if case.http_method in ("PUT", "PATCH", "DELETE"):
            assert str(case.path_parameters["note_id"]) in created, case.to_dict()
        if case.http_method == "POST" and exchange is not None and exchange.status == 201:
            created.add(str(exchange.response.json()["id"]))
    steps = {(c.scenario or {}).get("step") for c, _ in sent}
    assert {
        "create",
        "read_after_create",
        "list_after_create",
        "update",
        "read_after_update",
    } <= steps
    assert {"delete", "read_after_delete", "delete_again", "duplicate", "concurrent"} <= steps
    assert {"cross_read", "cross_modify", "cross_delete", "cleanup"} <= steps


def test_everything_created_is_deleted_at_the_end() -> None:
    app = make_app()
    _recorded(app, seed=2)
    with APITestClient(app, identities=list(TWO_USERS)) as client:
        for identity in ("ana", "ben"):
            assert client.get("/notes", identity=identity).json() == []


def test_rounds_follow_max_examples() -> None:
    assert [rounds_for(n) for n in (0, 1, 9, 10, 100)] == [0, 1, 1, 2, 2]
    _, result = _recorded(make_app(), seed=1, max_examples=0)
    assert result.cases == 0


def test_the_deadline_stops_the_scenarios() -> None:
    app = make_app()
    started = time.monotonic()
    _, result = _recorded(app, seed=1, max_time=0.05)
    assert time.monotonic() - started < 5
    assert result.stopped == "max_time"


def test_duplicates_are_planned_for_keyed_or_unique_creations_without_consumers() -> None:
    app = FastAPI()

    @app.post("/charges", status_code=201)
    def charge(amount: int, key: Annotated[str, Header(alias="Idempotency-Key")]) -> dict[str, int]:
        return {"id": amount}

    @app.post("/payments", status_code=201)
    def pay(amount: int) -> dict[str, int]:
        return {"id": amount}

    @app.post("/users", status_code=201, responses={409: {"description": "Email already taken"}})
    def register(email: str) -> dict[str, str]:
        return {"id": email}

    spec = from_dict(app.openapi())
    assert uniqueness(spec, spec.find("post", "/users")) == (  # type: ignore[arg-type]
        "POST /users documents 409: Email already taken"
    )
    planned = [(r.create.label, r.key_pair) for r in plan(spec.operations, _Context(spec))]
    assert planned == [("POST /charges", None), ("POST /users", None)]


class _Context:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec


# -- links drive the scenarios ---------------------------------------------------------------


def _linked_app(*, lose: bool) -> FastAPI:
    app = FastAPI()
    things: dict[str, dict[str, str]] = {}
    link = {"byKey": {"operationId": "getThing", "parameters": {"ref": "$response.body#/key"}}}

    @app.post("/things", status_code=201, responses={201: {"description": "Made", "links": link}})
    def make(name: str) -> dict[str, str]:
        thing = {"key": f"k{len(things) + 1}", "name": name}
        if not lose:
            things[thing["key"]] = thing
        return thing

    @app.get("/things/{ref}", operation_id="getThing", responses={404: {"description": "None"}})
    def get(ref: str) -> dict[str, str]:
        if ref not in things:
            raise HTTPException(404, "no such thing")
        return things[ref]

    return app


def test_a_link_feeds_the_read_where_inference_cannot() -> None:
    settings = RunSettings(phases=("stateful",), checks=("resource_missing_after_create",), seed=1)
    lost = run_engine(_linked_app(lose=True), settings=settings)
    assert [(f.check, f.operation) for f in lost.findings] == [
        ("resource_missing_after_create", "GET /things/{ref}")
    ]
    assert run_engine(_linked_app(lose=False), settings=settings).findings == []


# -- concurrency over the network ------------------------------------------------------------


@pytest.mark.parametrize("charge_twice", [True, False])
@pytest.mark.parametrize("live", [True, False])
def test_concurrent_submissions_are_found_on_a_url_and_in_process(
    charge_twice: bool, live: bool
) -> None:
    app = make_app(charge_twice=charge_twice)
    settings = RunSettings(
        phases=("stateful",),
        checks=("duplicate_request_broke_invariant",),
        identities=TWO_USERS,
        seed=4,
    )
    with contextlib.ExitStack() as stack:
        target: Any = stack.enter_context(serve(app)) if live else app
        result = run_engine(target, settings=settings)
    mode = "network" if live else "in-process"
    titles = {f.title for f in result.findings}
    if charge_twice:
        assert f"the same request sent concurrently ({mode}) created 5 resources" in titles
    else:
        assert result.findings == []


def test_what_could_not_be_deleted_is_reported() -> None:
    sink = RecordedEvents()
    settings = RunSettings(phases=("stateful",), checks=("server_error",), seed=1, max_examples=1)
    run_engine(_linked_app(lose=False), settings=settings, sinks=[sink])
    left = sink.of("stateful_leftovers")
    assert len(left) == 1
    assert left[0]["count"] == len(left[0]["items"]) >= 1
    assert left[0]["items"][0]["created_by"] == "POST /things"
    assert left[0]["items"][0]["reason"] == "no DELETE operation for it"


def test_nothing_is_reported_when_everything_was_deleted() -> None:
    sink = RecordedEvents()
    settings = RunSettings(
        phases=("stateful",), checks=("server_error",), seed=1, identities=TWO_USERS
    )
    run_engine(make_app(), settings=settings, sinks=[sink])
    assert not sink.of("stateful_leftovers")


# -- ids the run created feed later bodies ---------------------------------------------------


def test_known_ids_replace_fields_named_like_them_except_the_own_one() -> None:
    body = {"sku": "random", "lines": [{"sku": "x", "qty": 2}], "flag": True, "note": {"sku": 1}}
    known = {"sku": ["A-1", "B-2"], "qty": [9]}
    assert with_known_ids(body, known, {"qty"}) == {
        "sku": "B-2",
        "lines": [{"sku": "B-2", "qty": 1}],
        "flag": True,
        "note": {"sku": "B-2"},
    }
    assert with_known_ids(body, known, {"sku", "qty"}) == body


def test_lines_naming_created_items_ask_for_one_unit_once_each() -> None:
    body = {
        "sku": "S",
        "quantity": 40,
        "lines": [{"sku": "x", "qty": 7}, {"sku": "y", "qty": 3}, {"note": "n", "qty": 5}],
    }
    known = {"sku": ["A-1"]}
    assert with_known_ids(body, known, set()) == {
        "sku": "A-1",
        "quantity": 40,
        "lines": [{"sku": "A-1", "qty": 1}, {"note": "n", "qty": 5}],
    }


class Line(BaseModel):
    sku: str = Field(min_length=1, max_length=20)
    qty: int = Field(ge=1, le=9)


class OrderIn(BaseModel):
    lines: list[Line] = Field(min_length=1, max_length=3)


class ProductIn(BaseModel):
    sku: str = Field(pattern="^[A-Z]{3}-[0-9]{3}$")
    name: str = Field(min_length=1, max_length=30)


def _shop_app(*, lose_orders: bool) -> FastAPI:
    app = FastAPI()
    products: dict[str, dict[str, Any]] = {}
    orders: dict[int, dict[str, Any]] = {}

    @app.post("/orders", status_code=201, responses={422: {"description": "Unknown SKU"}})
    def place(body: OrderIn) -> dict[str, Any]:
        if any(line.sku not in products for line in body.lines):
            raise HTTPException(422, "unknown sku")
        order = {"id": len(orders) + 1, **body.model_dump()}
        if not lose_orders:
            orders[order["id"]] = order
        return order

    @app.get("/orders/{order_id}", responses={404: {"description": "No such order"}})
    def read_order(order_id: int) -> dict[str, Any]:
        if order_id not in orders:
            raise HTTPException(404, "no such order")
        return orders[order_id]

    @app.post("/products", status_code=201, responses={409: {"description": "SKU already exists"}})
    def add(body: ProductIn) -> dict[str, Any]:
        if body.sku in products:
            raise HTTPException(409, "exists")
        products[body.sku] = body.model_dump()
        return products[body.sku]

    @app.get("/products/{sku}", responses={404: {"description": "No such product"}})
    def read_product(sku: str) -> dict[str, Any]:
        if sku not in products:
            raise HTTPException(404, "no such product")
        return products[sku]

    return app


def test_an_order_names_a_product_the_run_created() -> None:
    spec = from_dict(_shop_app(lose_orders=False).openapi())
    assert [r.create.path for r in plan(spec.operations, _Context(spec))] == [
        "/products",
        "/orders",
    ]
    settings = RunSettings(phases=("stateful",), checks=("resource_missing_after_create",), seed=3)
    lost = run_engine(_shop_app(lose_orders=True), settings=settings)
    assert {(f.check, f.operation) for f in lost.findings} == {
        ("resource_missing_after_create", "GET /orders/{order_id}")
    }
    assert run_engine(_shop_app(lose_orders=False), settings=settings).findings == []


def test_documented_defaults_replace_random_values_in_creations() -> None:
    spec = _spec({})
    schema = {
        "type": "object",
        "properties": {
            "method": {"type": "string", "default": "tok_visa"},
            "lines": {
                "type": "array",
                "items": {"type": "object", "properties": {"unit": {"default": "pcs"}}},
            },
            "tags": {"type": "array", "default": ["a"]},
        },
    }
    body = {"method": "tok_xyz", "lines": [{"unit": "kg", "qty": 1}], "tags": ["b"], "free": 1}
    assert with_documented_values(spec, schema, body) == {
        "method": "tok_visa",
        "lines": [{"unit": "pcs", "qty": 1}],
        "tags": ["b"],
        "free": 1,
    }


def test_documented_codes_replace_random_strings_of_their_pattern() -> None:
    spec = _spec({})
    code = {"type": "string", "pattern": "^[A-Z]{3}$", "examples": ["EUR"]}
    schema = {
        "type": "object",
        "properties": {
            "currency": code,
            "sku": code,
            "label": {"type": "string", "examples": ["Lamp"]},
            "odd": {"type": "string", "pattern": "^[a-z]{2}$", "example": "NOPE"},
            "lang": {"type": "string", "pattern": r"^[a-z]{2}(-[A-Z]{2})?$", "example": "en-GB"},
            "mail": {"type": "string", "pattern": "^[a-z]+@[a-z.]+$", "example": "a@b.io"},
            "ref": {"type": "string", "pattern": "^[A-Z][A-Z0-9-]{0,62}$", "example": "B-1"},
        },
    }
    body = {"currency": "QZX", "sku": "ABC", "label": "x", "odd": "ab", "lang": "fr"}
    body |= {"mail": "x@y.z", "ref": "Q"}
    assert with_documented_values(spec, schema, body, keep=frozenset({"sku"})) == {
        **body,
        "currency": "EUR",
        "lang": "en-GB",
    }


# -- uniqueness races and links between reads ------------------------------------------------


class Booking(BaseModel):
    seat: str = Field(pattern="^[A-F][1-9]$")


def _booking_app(*, racy: bool) -> FastAPI:
    app = FastAPI()
    taken: dict[str, int] = {}
    ids = itertools.count(1)
    lock = threading.Lock()

    @app.post("/bookings", status_code=201, responses={409: {"description": "Seat already taken"}})
    def book(body: Booking) -> dict[str, Any]:
        with lock if not racy else contextlib.nullcontext():
            if body.seat in taken:
                raise HTTPException(409, "taken")
            if racy:
                time.sleep(0.05)  # check, then insert: the window a race needs
            taken[body.seat] = next(ids)
            return {"id": taken[body.seat], "seat": body.seat}

    return app


@pytest.mark.parametrize("racy", [True, False])
@pytest.mark.parametrize("live", [True, False])
def test_a_unique_resource_booked_twice_at_once_is_found(racy: bool, live: bool) -> None:
    settings = RunSettings(
        phases=("stateful",), checks=("duplicate_request_broke_invariant",), seed=2
    )
    with contextlib.ExitStack() as stack:
        app = _booking_app(racy=racy)
        target: Any = stack.enter_context(serve(app)) if live else app
        titles = {f.title for f in run_engine(target, settings=settings).findings}
    if racy:
        mode = "network" if live else "in-process"
        assert any(f"concurrently ({mode})" in t for t in titles), titles
    else:
        assert titles == set()


def test_declared_links_between_reads_are_followed() -> None:
    app = FastAPI()
    link = {"first": {"operationId": "getItem", "parameters": {"item_id": "$response.body#/0/id"}}}

    @app.get("/items", responses={200: {"description": "Items", "links": link}})
    def items() -> list[dict[str, int]]:
        return [{"id": 4}]

    @app.get("/items/{item_id}", operation_id="getItem")
    def item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    sent, _ = _run(app, seed=1)
    assert [(c.label, c.path_parameters, (c.scenario or {}).get("step")) for c, _ in sent] == [
        ("GET /items", {}, "follow"),
        ("GET /items/{item_id}", {"item_id": 4}, "follow"),
    ]


def test_setup_puts_below_the_item_are_planned() -> None:
    spec = _spec(
        {
            "/products": {"post": _op("createProduct")},
            "/products/{sku}": {"get": _op("getProduct", params=("sku",))},
            "/products/{sku}/stock/{warehouse}": {
                "put": {
                    **_op("setStock", params=("sku", "warehouse")),
                    "requestBody": {
                        "content": {"application/json": {"schema": {"type": "object"}}}
                    },
                }
            },
        }
    )
    (products,) = plan_resources(spec.operations, all_pairs(spec.operations))
    assert [op.operation_id for op in products.setups] == ["setStock"]


def test_dependency_order_puts_providers_first_and_breaks_cycles() -> None:
    resources = plan_resources(SHOPPING.operations, inferred_pairs(SHOPPING.operations))
    a, b, c = resources
    assert dependency_order([a, b, c], {0: {2}, 1: set(), 2: {1}}) == [b, c, a]
    assert dependency_order([a, b, c], {0: {1}, 1: {0}, 2: {0, 1}}) == [a, b, c]


# -- nested collections ----------------------------------------------------------------------


class LineIn(BaseModel):
    sku: str = Field(min_length=1, max_length=10)
    qty: int = Field(ge=1, le=9)


def _nested_app(*, lose_lines: bool) -> tuple[FastAPI, dict[int, dict[int, Any]]]:
    app = FastAPI()
    orders: dict[int, dict[int, Any]] = {}
    ids = itertools.count(1)
    gone = {404: {"description": "Not found"}}

    @app.post("/orders", status_code=201)
    def open_order() -> dict[str, int]:
        order_id = next(ids)
        orders[order_id] = {}
        return {"id": order_id}

    @app.get("/orders/{order_id}", responses=gone)
    def read_order(order_id: int) -> dict[str, Any]:
        if order_id not in orders:
            raise HTTPException(404, "no such order")
        return {"id": order_id, "lines": len(orders[order_id])}

    @app.delete("/orders/{order_id}", status_code=204, responses=gone)
    def drop_order(order_id: int) -> None:
        if orders.pop(order_id, None) is None:
            raise HTTPException(404, "no such order")

    @app.post("/orders/{order_id}/lines", status_code=201, responses=gone)
    def add_line(order_id: int, body: LineIn) -> dict[str, Any]:
        if order_id not in orders:
            raise HTTPException(404, "no such order")
        line = {"id": next(ids), "order_id": order_id, **body.model_dump()}
        if not lose_lines:
            orders[order_id][line["id"]] = line
        return line

    @app.get("/orders/{order_id}/lines/{line_id}", responses=gone)
    def read_line(order_id: int, line_id: int) -> dict[str, Any]:
        line = orders.get(order_id, {}).get(line_id)
        if line is None:
            raise HTTPException(404, "no such line")
        return dict(line)

    @app.delete("/orders/{order_id}/lines/{line_id}", status_code=204, responses=gone)
    def drop_line(order_id: int, line_id: int) -> None:
        if orders.get(order_id, {}).pop(line_id, None) is None:
            raise HTTPException(404, "no such line")

    return app, orders


def test_nested_items_are_created_under_a_parent_the_scenario_created() -> None:
    settings = RunSettings(phases=("stateful",), checks=("resource_missing_after_create",), seed=6)
    app, orders = _nested_app(lose_lines=True)
    found = {(f.check, f.operation) for f in run_engine(app, settings=settings).findings}
    assert found == {("resource_missing_after_create", "GET /orders/{order_id}/lines/{line_id}")}
    app, orders = _nested_app(lose_lines=False)
    sent, result = _run(app, seed=6, checks=("resource_missing_after_create",))
    assert result.findings == []
    assert orders == {}  # lines and their orders were all deleted again
    line_posts = [c for c, _ in sent if c.label == "POST /orders/{order_id}/lines"]
    assert line_posts
    assert all((c.scenario or {}).get("step") for c in line_posts)
