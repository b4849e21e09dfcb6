"""The model built from a document: operations, parameters, bodies, responses, servers, tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.spec import Operation, Spec, load


@pytest.fixture(scope="module")
def petstore() -> Spec:
    return load(Path(__file__).parent / "documents" / "petstore-30.yaml")


@pytest.fixture(scope="module")
def petstore31() -> Spec:
    return load(Path(__file__).parent / "documents" / "petstore-31.json")


@pytest.fixture
def list_pets(petstore: Spec) -> Operation:
    return petstore.operation("listPets")


def test_operations_carry_method_path_pointer(list_pets: Operation) -> None:
    assert (list_pets.method, list_pets.path) == ("get", "/pets")
    assert list_pets.pointer == "#/paths/~1pets/get"
    assert list_pets.summary == "List pets"
    assert list_pets.tags == ("pets",)
    assert list_pets.extensions == {"x-rate-limit": 100}
    assert not list_pets.deprecated


def test_operation_parameter_overrides_path_item_parameter(list_pets: Operation) -> None:
    limits = [p for p in list_pets.parameters if p.name == "limit"]
    assert len(limits) == 1
    assert limits[0].description == "overrides the path-item limit"
    assert limits[0].pointer == "#/paths/~1pets/get/parameters/0"
    assert limits[0].schema_pointer == "#/paths/~1pets/get/parameters/0/schema"


def test_path_item_parameters_are_inherited(list_pets: Operation) -> None:
    request_id = list_pets.parameter("x-request-id", "header")
    assert request_id is not None
    assert request_id.pointer == "#/paths/~1pets/parameters/1"


def test_accept_content_type_and_authorization_header_parameters_are_ignored(
    list_pets: Operation,
) -> None:
    assert list_pets.parameter("Accept", "header") is None


@pytest.mark.parametrize(
    ("name", "location", "style", "explode", "required"),
    [
        ("limit", "query", "form", True, False),
        ("tags", "query", "pipeDelimited", False, False),
        ("filter", "query", "deepObject", True, False),
        ("session", "cookie", "form", True, False),
        ("X-Request-Id", "header", "simple", False, False),
    ],
)
def test_styles_and_explode_defaults(
    list_pets: Operation, name: str, location: str, style: str, *, explode: bool, required: bool
) -> None:
    param = list_pets.parameter(name)
    assert param is not None
    assert (param.location, param.style, param.explode, param.required) == (
        location,
        style,
        explode,
        required,
    )


def test_path_parameters_label_and_matrix(petstore: Spec) -> None:
    fields = petstore.operation("getLabels").parameter("fields")
    assert fields is not None
    assert (fields.style, fields.explode, fields.required) == ("label", True, True)
    pet_id = petstore.operation("getPet").parameter("petId")
    assert pet_id is not None
    assert (pet_id.style, pet_id.explode) == ("matrix", False)
    assert pet_id.pointer == "#/paths/~1pets~1{petId}/get/parameters/0"
    delete_id = petstore.operation("deletePet").parameter("petId")
    assert delete_id is not None
    assert (delete_id.style, delete_id.schema) == ("simple", {"type": "integer", "format": "int64"})


def test_content_parameter(list_pets: Operation) -> None:
    where = list_pets.parameter("where")
    assert where is not None
    assert where.content_type == "application/json"
    assert where.schema == {"type": "object", "properties": {"age": {"type": "integer"}}}
    assert (
        where.schema_pointer == "#/paths/~1pets/get/parameters/3/content/application~1json/schema"
    )


def test_request_body_with_every_media_type(petstore: Spec) -> None:
    body = petstore.operation("createPet").request_body
    assert body is not None
    assert body.required
    assert body.pointer == "#/components/requestBodies/PetBody"
    assert list(body.content) == [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "text/plain",
    ]
    json_body = body.content["application/json"]
    assert json_body.is_json
    assert json_body.examples["rex"]["value"] == {"id": 1, "name": "Rex"}
    photo = body.content["multipart/form-data"].encoding["photo"]
    assert photo["contentType"] == "image/png"
    assert photo["headers"]["X-Origin"]["schema"] == {"type": "string"}
    assert body.media("text/plain; charset=utf-8") is body.content["text/plain"]


def test_responses_with_headers_links_and_ranges(list_pets: Operation) -> None:
    assert list(list_pets.responses) == ["200", "4XX", "default"]
    ok = list_pets.responses["200"]
    assert ok.headers["X-Rate-Limit"].required
    assert ok.headers["X-Next"].pointer == "#/components/headers/Next"
    assert ok.headers["X-Next"].description == "the next page"
    link = ok.links["first"]
    assert (link.operation_id, dict(link.parameters)) == (
        "getPet",
        {"petId": "$response.body#/0/id"},
    )
    error = list_pets.response_for(404)
    assert error is not None
    assert error.pointer == "#/components/responses/Error"
    assert error.media("application/problem+json") is not None
    assert list_pets.response_for(500) is list_pets.responses["default"]


def test_response_example(petstore: Spec) -> None:
    created = petstore.operation("createPet").responses["201"].content["application/json"]
    assert created.example == {"id": 1, "name": "Rex"}
    assert (
        created.schema_pointer
        == "#/paths/~1pets/post/responses/201/content/application~1json/schema"
    )


def test_servers_and_tags(petstore: Spec) -> None:
    assert petstore.servers[0].url == "https://{region}.example.com/v1"
    assert petstore.servers[0].variables["region"]["enum"] == ["eu", "us"]
    assert petstore.operation("getPet").servers[0].url == "https://pets.example.com"
    assert petstore.operation("listPets").servers == ()
    assert [(t.name, t.description) for t in petstore.tags] == [("pets", "Everything about pets")]
    assert petstore.description is not None


def test_deprecated(petstore: Spec) -> None:
    assert petstore.operation("createPet").deprecated


def test_31_type_lists_and_ref_siblings_are_kept(petstore31: Spec) -> None:
    pet = petstore31.raw["components"]["schemas"]["Pet"]
    assert pet["properties"]["tag"] == {"type": ["string", "null"]}
    assert petstore31.operation("getPet").responses["200"].content["application/json"].schema == {
        "$ref": "#/components/schemas/Pet"
    }


def test_31_webhooks(petstore31: Spec) -> None:
    hook = petstore31.webhooks[0]
    assert (hook.method, hook.path, hook.pointer) == ("post", "newPet", "#/webhooks/newPet/post")
    assert hook.request_body is not None
    assert [op.label for op in petstore31] == ["GET /pets/{petId}"]


def test_find_operation_by_concrete_path(petstore: Spec) -> None:
    op = petstore.find("GET", "/pets/42")
    assert op is not None
    assert op.operation_id == "getPet"
