"""External $refs are bundled into the root document; every $ref left is local."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assay.errors import AssayError
from assay.spec import Spec, load
from assay.spec.references import iter_refs


@pytest.fixture
def cross(documents: Path) -> Spec:
    return load(documents / "cross" / "openapi.yaml")


def _all_refs(document: Any) -> list[str]:
    return [holder["$ref"] for _, holder in iter_refs(document)]


def test_every_ref_left_is_local_and_resolves(cross: Spec) -> None:
    refs = _all_refs(cross.raw)
    assert refs
    for ref in refs:
        assert ref.startswith("#/"), ref
        cross.schema_at(ref)


def test_external_schema_gets_a_unique_name_beside_a_local_one(cross: Spec) -> None:
    schemas = cross.raw["components"]["schemas"]
    assert schemas["Order"]["type"] == "string"  # the root's own Order is untouched
    assert schemas["Order_2"]["required"] == ["id", "customer"]
    body = cross.operation("createOrder").request_body
    assert body is not None
    assert body.content["application/json"].schema == {"$ref": "#/components/schemas/Order_2"}


def test_refs_inside_external_files_point_to_further_files(cross: Spec) -> None:
    schemas = cross.raw["components"]["schemas"]
    assert schemas["Order_2"]["properties"]["customer"] == {"$ref": "#/components/schemas/Customer"}
    # common/customer.yaml points back at ../schemas.yaml: mutual recursion across files
    assert schemas["Customer"]["properties"]["lastOrder"] == {
        "$ref": "#/components/schemas/Order_2"
    }
    assert schemas["Line"]["properties"]["order"] == {"$ref": "#/components/schemas/Order_2"}


def test_self_recursive_schema_keeps_its_local_ref(cross: Spec) -> None:
    node = cross.raw["components"]["schemas"]["Node"]
    assert node["properties"]["children"]["items"] == {"$ref": "#/components/schemas/Node"}
    tree = cross.operation("getTree").responses["200"].content["application/json"]
    assert tree.schema == {"$ref": "#/components/schemas/Node"}


def test_parameters_and_responses_from_files_are_resolved(cross: Spec) -> None:
    op = cross.operation("createOrder")
    limit = op.parameter("limit", "query")
    assert limit is not None
    assert limit.schema == {"type": "integer", "maximum": 100}
    assert limit.pointer == "#/components/parameters/Limit"
    assert op.responses["400"].description == "bad request"
    assert op.responses["default"].description == "an error"  # a whole file as a response
    problem = op.responses["400"].content["application/json"].schema
    assert problem == {"$ref": "#/components/schemas/Problem"}
    assert cross.resolve(problem)["properties"]["detail"] == {"type": "string"}


def test_missing_external_file_names_the_use_site(documents: Path) -> None:
    with pytest.raises(AssayError) as info:
        load(documents / "broken" / "missing-ref-file.yaml")
    text = str(info.value)
    missing = documents / "broken" / "nowhere.yaml"
    assert text.startswith(
        "#/paths/~1a/get/responses/200/content/application~1json/schema: a $ref points to "
        f"{missing}, which could not be loaded: the spec file {missing} does not exist"
    )


def test_missing_target_in_an_external_file(documents: Path) -> None:
    with pytest.raises(AssayError) as info:
        load(documents / "broken" / "missing-ref-target.yaml")
    target = (documents / "cross" / "schemas.yaml").resolve()
    assert str(info.value).startswith(
        "#/paths/~1a/get/responses/200/content/application~1json/schema: $ref "
        f"'../cross/schemas.yaml#/Ordr' does not exist (nothing at #/Ordr in {target})"
    )


def test_broken_ref_inside_an_external_file_names_file_and_pointer(tmp_path: Path) -> None:
    (tmp_path / "schemas.yaml").write_text("A:\n  properties:\n    b: {$ref: '#/B'}\n")
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components: {schemas: {A: {$ref: 'schemas.yaml#/A'}}}\n"
    )
    with pytest.raises(AssayError) as info:
        load(tmp_path / "api.yaml")
    assert str(info.value).startswith(
        f"{tmp_path / 'schemas.yaml'}#/A/properties/b: $ref '#/B' does not exist"
    )


def test_a_file_referencing_the_root_document_maps_back_to_it(tmp_path: Path) -> None:
    (tmp_path / "item.yaml").write_text(
        "type: object\nproperties:\n  tag: {$ref: 'api.yaml#/components/schemas/Tag'}\n"
    )
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Tag: {type: string}\n    Item: {$ref: 'item.yaml'}\n"
    )
    spec = load(tmp_path / "api.yaml")
    schemas = spec.raw["components"]["schemas"]
    assert schemas["Item"] == {"$ref": "#/components/schemas/item"}
    assert schemas["item"]["properties"]["tag"] == {"$ref": "#/components/schemas/Tag"}


def test_external_path_item(tmp_path: Path) -> None:
    (tmp_path / "ping.yaml").write_text(
        "get:\n  operationId: ping\n  responses:\n    '200': {$ref: '#/components/Ok'}\n"
        "components:\n  Ok: {description: pong}\n"
    )
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /ping: {$ref: 'ping.yaml'}\n"
    )
    spec = load(tmp_path / "api.yaml")
    op = spec.operation("ping")
    assert op.path == "/ping"
    assert op.pointer == "#/components/pathItems/ping/get"
    assert op.responses["200"].description == "pong"
    assert op.responses["200"].pointer == "#/components/responses/Ok"


def test_example_values_holding_ref_keys_are_data(tmp_path: Path) -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Doc": {
                    "type": "object",
                    "properties": {"default": {"$ref": "#/components/schemas/Doc"}},
                    "example": {"$ref": "not a reference"},
                    "default": {"$ref": "other.yaml"},
                }
            }
        },
    }
    spec = load(document)
    assert _all_refs(spec.raw) == ["#/components/schemas/Doc"]
