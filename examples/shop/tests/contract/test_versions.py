"""The shop's API versions: v1 is frozen and deprecated, v2 evolves.

``examples/shop/contracts/v1.json`` is the snapshot of v1 as published. When v1 must
change on purpose (a fix that breaks no client), refresh it and say why in the commit::

    python -c "from shop.bootstrap import create_app; from shop.platform.settings import \\
    ShopSettings; from assay.contract.versions import freeze; \\
    freeze(create_app(ShopSettings(password_cost=4)), '/v1', 'examples/shop/contracts/v1.json')"
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assay.client import APITestClient
from assay.contract.versions import (
    check_frozen_contract,
    check_unknown_version,
    check_version_headers,
    check_version_routing,
)
from assay.errors import Finding
from assay.spec import Spec

SNAPSHOT = Path(__file__).resolve().parents[2] / "contracts" / "v1.json"
PROVIDER = "inventory"
LAMP = {"sku": "LAMP-1", "name": "Lamp", "price": {"amount": 1299, "currency": "EUR"}}


def test_v1_honours_its_frozen_contract(shop_spec: Spec) -> None:
    check_frozen_contract(SNAPSHOT, shop_spec, prefix="/v1")


@pytest.fixture
def lamp(provider: APITestClient, staff: Callable[[], dict[str, str]]) -> dict[str, str]:
    answer = provider.post("/v2/products", json=LAMP, headers=staff(), validate=False)
    assert answer.status_code == 201, answer.text
    return staff()


def test_each_version_answers_in_its_own_contract(
    provider: APITestClient, lamp: dict[str, str], shop_spec: Spec
) -> None:
    both = {"/v1": shop_spec, "/v2": shop_spec}
    check_version_routing(provider, "/products/LAMP-1", both, headers=lamp)
    by_header = {"1": shop_spec, "2": shop_spec}
    check_version_routing(
        provider,
        "/products/LAMP-1",
        by_header,
        header="API-Version",
        spec_path="/v{version}{path}",
        headers=lamp,
    )


def test_v1_announces_its_deprecation_and_v2_does_not(
    provider: APITestClient, lamp: dict[str, str]
) -> None:
    check_version_headers(
        provider, "/v1/products/LAMP-1", deprecated=True, successor=True, headers=lamp
    )
    check_version_headers(provider, "/v2/products/LAMP-1", deprecated=False, headers=lamp)


def test_an_unknown_version_header_gets_a_helpful_400(
    provider: APITestClient, lamp: dict[str, str]
) -> None:
    headers = {**lamp, "API-Version": "9"}
    answer = check_unknown_version(
        provider, "/products/LAMP-1", headers=headers, supported=["1", "2"]
    )
    assert answer.status_code == 400


def test_an_unknown_version_in_the_path_names_the_supported_ones(
    provider: APITestClient, lamp: dict[str, str]
) -> None:
    answer = check_unknown_version(
        provider, "/v9/products/LAMP-1", headers=lamp, supported=["v1", "v2"]
    )
    assert answer.status_code == 404
    assert answer.json()["supported_versions"] == ["v1", "v2"]


@pytest.mark.shop_defects("inventory-v2-float-money")
def test_a_version_answering_outside_its_contract_is_caught(
    provider: APITestClient, lamp: dict[str, str], shop_spec: Spec
) -> None:
    check_version_routing(provider, "/products/LAMP-1", {"/v1": shop_spec}, headers=lamp)
    with pytest.raises(Finding, match="version /v2 of /products/LAMP-1 answers outside"):
        check_version_routing(provider, "/products/LAMP-1", {"/v2": shop_spec}, headers=lamp)
