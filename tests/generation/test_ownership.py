"""Cross-user scenarios: items a creation names (an order's invoice) are owned too."""

from __future__ import annotations

from tests.apps.billing import make_app

from assay.client.identities import Identity
from assay.engine import RunSettings, run_engine
from assay.generation.resources import referenced_pairs
from assay.generation.stateful import plan
from assay.spec import from_asgi

TWO_USERS = (Identity.bearer("ana", "t1"), Identity.bearer("ben", "t2"))


def _settings() -> RunSettings:
    return RunSettings(
        phases=("stateful",),
        checks=("cross_user_access",),
        seed=3,
        max_examples=5,
        identities=TWO_USERS,
    )


def test_a_creation_feeds_the_reads_of_the_ids_its_answer_names() -> None:
    spec = from_asgi(make_app())
    place = next(op for op in spec.operations if op.label == "POST /orders")
    pairs = referenced_pairs(spec, spec.operations, [place])
    assert sorted(p.consumer.label for p in pairs) == [
        "GET /invoices/{invoice_id}",
        "GET /products/{product_id}",
    ]
    assert all(p.producer is place for p in pairs)


def test_another_customer_reading_the_invoice_an_order_named_is_found() -> None:
    found = run_engine(make_app(foreign_invoices=True), settings=_settings()).findings
    assert {(f.check, f.operation) for f in found} == {
        ("cross_user_access", "GET /invoices/{invoice_id}")
    }
    assert "'customer'" in found[0].detail


def test_owned_invoices_and_a_shared_catalogue_give_no_finding() -> None:
    assert run_engine(make_app(), settings=_settings()).findings == []


def test_another_customer_cancelling_an_order_is_found() -> None:
    found = run_engine(make_app(foreign_cancel=True), settings=_settings()).findings
    assert {(f.check, f.operation, f.title) for f in found} == {
        (
            "cross_user_access",
            "POST /orders/{order_id}/cancel",
            "ben could modify an item ana created",
        )
    }


def test_bodiless_actions_below_the_item_are_planned_as_actions() -> None:
    spec = from_asgi(make_app())
    orders = next(r for r in plan(spec.operations) if r.create.label == "POST /orders")
    assert [p.consumer.label for p in orders.actions] == ["POST /orders/{order_id}/cancel"]
