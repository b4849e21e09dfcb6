"""Injection and sensitive data: hand-written attacks on the shop, then assay's probes.

The hand-written cases send the classic payloads where the shop takes text (the product
search, sort orders, SKUs in paths, product names) and check that each one is treated
as data: no driver error, no extra rows, no evaluated template, no file content. The
last test runs assay's security phase with its injection and sensitive-data checks on
the whole shop and expects nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assay import APITestClient
from assay.config import build_identities, load_config
from assay.engine import RunSettings, run_engine
from assay.generation.security.payloads import SQL_TRUE, TRAVERSAL
from shop.bootstrap import create_app
from shop.platform.settings import ShopSettings

CONFIG = Path(__file__).resolve().parents[2] / "assay.toml"
LAMP = {"sku": "LAMP-1", "name": "Lamp", "price": {"amount": 1299, "currency": "EUR"}}
DESK = {"sku": "DESK-1", "name": "Desk", "price": {"amount": 25000, "currency": "EUR"}}
DRIVER_ERRORS = ("sqlite3.", "sqlalchemy", "psycopg", "syntax error", "SQLSTATE")
CHECKS = (
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


@pytest.fixture(scope="module")
def api() -> Iterator[APITestClient]:
    """The one-process shop, with the identities of its ``assay.toml``."""
    app = create_app(ShopSettings(password_cost=4, log_json=False))
    identities = build_identities(load_config(CONFIG))
    with APITestClient(app, identities=identities, validate=False) as client:
        yield client


@pytest.fixture
def catalogue(api: APITestClient) -> APITestClient:
    """The shop with a lamp and a desk (the module's shop keeps them between tests)."""
    for product in (LAMP, DESK):
        created = api.post("/v2/products", json=product, identity="staff")
        assert created.status_code in (201, 409), created.text
    return api


def _names(answer: object) -> list[str]:
    return [item["name"] for item in answer.json()["items"]]  # type: ignore[attr-defined]


def test_a_sql_tautology_in_the_search_finds_nothing_more(catalogue: APITestClient) -> None:
    plain = catalogue.get("/v2/products", params={"q": "Lamp"}, identity="ana")
    attacked = catalogue.get("/v2/products", params={"q": f"Lamp{SQL_TRUE}"}, identity="ana")
    assert plain.status_code == attacked.status_code == 200
    assert _names(plain) == ["Lamp"]
    assert _names(attacked) == []


@pytest.mark.parametrize("query", ["Lamp'", 'Lamp"', "Lamp'; DROP TABLE products; --"])
def test_quotes_in_the_search_are_data(catalogue: APITestClient, query: str) -> None:
    before = _names(catalogue.get("/v2/products", identity="ana"))
    answer = catalogue.get("/v2/products", params={"q": query}, identity="ana")
    assert answer.status_code == 200
    assert not any(error in answer.text for error in DRIVER_ERRORS)
    assert _names(catalogue.get("/v2/products", identity="ana")) == before


@pytest.mark.parametrize("sort", ["name'", "name; DROP TABLE products", "(SELECT 1)", "name--"])
def test_a_sort_order_outside_the_allowed_keys_is_refused(
    catalogue: APITestClient, sort: str
) -> None:
    answer = catalogue.get("/v2/products", params={"sort": sort}, identity="ana")
    assert answer.status_code in (400, 422), answer.text
    assert not any(error in answer.text for error in DRIVER_ERRORS)


@pytest.mark.parametrize("sku", ["..%2F..%2Fetc%2Fpasswd", "LAMP-1'", "LAMP-1{{7*191}}"])
def test_attacks_in_a_sku_are_an_unknown_product(catalogue: APITestClient, sku: str) -> None:
    answer = catalogue.get(f"/v2/products/{sku}", identity="ana")
    assert answer.status_code in (404, 422), answer.text
    assert "root:" not in answer.text
    assert "1337" not in answer.text


def test_a_template_expression_in_a_name_is_stored_as_typed(api: APITestClient) -> None:
    product = {**LAMP, "sku": "TPL-1", "name": "Lamp {{7*191}} ${7*191}"}
    created = api.post("/v2/products", json=product, identity="staff")
    assert created.status_code in (201, 409), created.text
    read = api.get("/v2/products/TPL-1", identity="ana")
    assert read.json()["name"] == "Lamp {{7*191}} ${7*191}"


def test_a_traversal_in_the_search_is_data(catalogue: APITestClient) -> None:
    answer = catalogue.get("/v2/products", params={"q": TRAVERSAL}, identity="ana")
    assert answer.status_code == 200
    assert _names(answer) == []


def test_a_processor_failure_names_no_internal_host(api: APITestClient) -> None:
    body = {"customer": "cust-42", "amount_minor": 1299, "currency": "EUR"}
    body["payment_method"] = "tok_processor_error"
    answer = api.post(
        "/v1/payments", json=body, headers={"Idempotency-Key": "inj-503"}, identity="staff"
    )
    assert answer.status_code == 503
    assert "processor.internal" not in answer.text
    assert "https://" not in answer.json()["detail"]


@pytest.mark.slow
def test_assay_probes_find_no_injection_or_leak_in_the_shop() -> None:
    app = create_app(ShopSettings(password_cost=4, log_json=False))
    identities = tuple(build_identities(load_config(CONFIG)))
    settings = RunSettings(
        seed=7, phases=("examples", "security"), checks=CHECKS, identities=identities
    )
    result = run_engine(app, settings=settings)
    assert not result.internal_errors
    assert result.findings == [], [f.render() for f in result.findings]
    assert result.cases > 300  # every operation was probed
