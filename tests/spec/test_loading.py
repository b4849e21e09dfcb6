"""`load` and the from_* functions: every source, and a clear message for every failure."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from tests.spec.apps import bare_app, create_app, no_document_app
from tests.spec.conftest import MINIMAL

import assay.spec
from assay.errors import AssayError
from assay.spec import Spec, from_dict, from_import, load
from assay.spec.loading import import_app


def test_a_spec_is_returned_as_is() -> None:
    spec = load(MINIMAL)
    assert load(spec) is spec


def test_dict_document() -> None:
    spec = load(MINIMAL)
    assert (spec.openapi, spec.title, spec.version, spec.source) == (
        "3.0.3",
        "Minimal",
        "1",
        "<dict>",
    )
    assert len(spec) == 0


@pytest.mark.parametrize("as_path", [str, Path])
def test_yaml_file(documents: Path, as_path: Any) -> None:
    spec = load(as_path(documents / "petstore-30.yaml"))
    assert spec.title == "Petstore"
    assert spec.version == "2024-01-01"  # a YAML date stays a string
    assert spec.source == str(documents / "petstore-30.yaml")
    assert {op.operation_id for op in spec} == {
        "listPets",
        "createPet",
        "getPet",
        "deletePet",
        "getLabels",
    }


def test_json_file(documents: Path) -> None:
    spec = load(documents / "petstore-31.json")
    assert spec.is_openapi_31
    assert spec.json_schema_dialect == "https://json-schema.org/draft/2020-12/schema"


def test_yml_extension(documents: Path, tmp_path: Path) -> None:
    target = tmp_path / "api.yml"
    target.write_text((documents / "webhooks-only-31.yaml").read_text())
    assert load(target).title == "Hooks"


def test_yaml_status_keys_become_strings(tmp_path: Path) -> None:
    target = tmp_path / "api.yaml"
    target.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: 1}\n"
        "paths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n"
    )
    spec = load(target)
    assert list(spec.operations[0].responses) == ["200"]
    assert spec.version == "1"


def test_fastapi_app_object() -> None:
    spec = load(create_app())
    assert spec.title == "Items"
    assert spec.source == "the app FastAPI"
    op = spec.operation("get_item_items__item_id__get")
    assert op.path == "/items/{item_id}"
    assert "Item" in spec.raw["components"]["schemas"]


def test_plain_asgi_app_is_asked_for_openapi_json() -> None:
    spec = load(bare_app)
    assert spec.title == "Bare ASGI"
    assert [op.label for op in spec] == ["GET /ping"]


def test_plain_asgi_app_from_async_code() -> None:
    async def main() -> Spec:
        return load(bare_app)

    assert asyncio.run(main()).title == "Bare ASGI"


def test_plain_asgi_app_without_document() -> None:
    with pytest.raises(AssayError) as info:
        load(no_document_app)
    assert "the app answered GET /openapi.json with 404; expected 200" in str(info.value)


def test_fastapi_app_whose_openapi_raises() -> None:
    app = FastAPI()

    def broken() -> dict[str, Any]:
        raise ValueError("cannot make a schema for Foo")

    app.openapi = broken  # type: ignore[method-assign]
    with pytest.raises(AssayError, match=r"the app's openapi\(\) raised ValueError: cannot make"):
        load(app)


@pytest.mark.parametrize(
    ("target", "title"),
    [
        ("tests.spec.apps:app", "Items"),
        ("tests.spec.apps:create_app()", "Items"),
        ("tests.spec.apps:bare_app", "Bare ASGI"),
    ],
)
def test_import_string(target: str, title: str) -> None:
    spec = load(target)
    assert spec.title == title
    assert spec.source == target


def test_import_app_returns_the_app() -> None:
    from tests.spec import apps

    assert import_app("tests.spec.apps:app") is apps.app


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "tests.spec.nowhere:app",
            "module 'tests.spec.nowhere' (from 'tests.spec.nowhere:app') was not found",
        ),
        (
            "tests.spec.apps:missing",
            "'tests.spec.apps' has no attribute 'missing' (from 'tests.spec.apps:missing'); "
            "ASGI apps it defines: app, bare_app, no_document_app",
        ),
        (
            "tests.spec.apps:NOT_AN_APP",
            "'tests.spec.apps:NOT_AN_APP' names a int object, which is not an ASGI app",
        ),
        (
            "tests.spec.apps:not_a_factory",
            "If it is an app factory, write the import string as module:create_app()",
        ),
        (
            "tests.spec.apps:not_a_factory()",
            "'tests.spec.apps:not_a_factory()' names a str object, which is not an ASGI app",
        ),
        (
            "tests.spec.apps:broken_factory()",
            "the app factory 'tests.spec.apps:broken_factory()' raised RuntimeError: database "
            "URL is not set",
        ),
        (
            "tests.spec.missing_dependency:app",
            "it imports 'assay_not_installed_package', which is not installed",
        ),
        (
            "tests.spec.raising_module:app",
            "importing 'tests.spec.raising_module' (from 'tests.spec.raising_module:app') "
            "failed: RuntimeError: configuration missing",
        ),
    ],
)
def test_import_string_failures(target: str, message: str) -> None:
    with pytest.raises(AssayError) as info:
        from_import(target)
    assert message in str(info.value)


@pytest.mark.parametrize("value", [42, object(), FastAPI, lambda scope: None])
def test_objects_that_are_not_sources(value: object) -> None:
    with pytest.raises(AssayError) as info:
        load(value)
    text = str(info.value)
    assert "cannot load a spec from a" in text
    assert "Pass a file path, an http(s):// URL, an import string" in text or "ASGI" in text


def test_file_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(AssayError) as info:
        load(str(missing))
    assert f"the spec file {missing} does not exist" in str(info.value)


def test_directory_instead_of_file(documents: Path) -> None:
    with pytest.raises(AssayError, match="is a directory, not a file"):
        load(documents)


def test_empty_file(documents: Path) -> None:
    with pytest.raises(AssayError, match=r"empty\.yaml is empty"):
        load(documents / "broken" / "empty.yaml")


def test_empty_string_source() -> None:
    with pytest.raises(AssayError, match="the spec source is an empty string"):
        load("")


def test_yaml_syntax_error_names_line_and_column(documents: Path) -> None:
    with pytest.raises(AssayError) as info:
        load(documents / "broken" / "syntax-error.yaml")
    text = str(info.value)
    assert "syntax-error.yaml is not valid YAML: line 8, column 3:" in text
    assert "indentation" in text


def test_json_syntax_error_names_line_and_column(documents: Path) -> None:
    with pytest.raises(AssayError) as info:
        load(documents / "broken" / "syntax-error.json")
    assert "syntax-error.json is not valid JSON: line 3, column 27: Expecting ',' delimiter" in str(
        info.value
    )


def test_swagger_2_is_refused(documents: Path) -> None:
    with pytest.raises(AssayError) as info:
        load(documents / "broken" / "swagger2.json")
    assert (
        "Swagger 2.0 is not supported; convert the document to OpenAPI 3 (for example with "
        "swagger2openapi) and load the result"
    ) in str(info.value)


def test_missing_openapi_version() -> None:
    with pytest.raises(AssayError) as info:
        load({"info": {"title": "x", "version": "1"}, "paths": {}})
    assert "<dict> has no 'openapi' field, so it is not an OpenAPI 3 document" in str(info.value)


@pytest.mark.parametrize("version", ["4.0.0", "2.0", "3.2.0", "banana"])
def test_unknown_openapi_version(version: str) -> None:
    with pytest.raises(AssayError) as info:
        load({**MINIMAL, "openapi": version})
    assert f"declares openapi '{version}'; assay reads OpenAPI 3.0.x and 3.1.x" in str(info.value)


def test_yaml_float_version_is_read(tmp_path: Path) -> None:
    target = tmp_path / "api.yaml"
    target.write_text("openapi: 3.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    assert load(target).openapi == "3.0"


def test_missing_paths_in_30() -> None:
    with pytest.raises(AssayError) as info:
        load({"openapi": "3.0.3", "info": {"title": "x", "version": "1"}})
    assert "<dict> has no 'paths'; an OpenAPI 3.0.3 document must have one" in str(info.value)


def test_missing_paths_in_31_without_webhooks_or_components() -> None:
    with pytest.raises(AssayError, match=r"has no 'paths'; an OpenAPI 3\.1\.0 document"):
        load({"openapi": "3.1.0", "info": {"title": "x", "version": "1"}})


def test_31_with_only_webhooks(documents: Path) -> None:
    spec = load(documents / "webhooks-only-31.yaml")
    assert spec.operations == ()
    assert [hook.label for hook in spec.webhooks] == ["POST orderShipped"]


def test_document_that_is_not_an_object(tmp_path: Path) -> None:
    target = tmp_path / "list.yaml"
    target.write_text("- 1\n- 2\n")
    with pytest.raises(AssayError, match=r"list\.yaml is a list, not an OpenAPI document"):
        load(target)


def test_dict_with_relative_ref_needs_a_location() -> None:
    document = {
        **MINIMAL,
        "components": {"schemas": {"Order": {"$ref": "schemas.yaml#/Order"}}},
    }
    with pytest.raises(AssayError) as info:
        from_dict(document)
    text = str(info.value)
    assert text.startswith(
        "#/components/schemas/Order: $ref 'schemas.yaml#/Order' points to another file"
    )
    assert "pass base_uri= to from_dict()" in text


def test_from_dict_with_base_uri(documents: Path) -> None:
    document = {
        **MINIMAL,
        "components": {"schemas": {"Ref": {"$ref": "schemas.yaml#/Node"}}},
    }
    spec = from_dict(document, base_uri=(documents / "cross" / "openapi.yaml").as_uri())
    assert spec.raw["components"]["schemas"]["Ref"] == {"$ref": "#/components/schemas/Node"}


def test_loading_does_not_change_the_input_document(documents: Path) -> None:
    document = {**MINIMAL, "components": {"schemas": {"Ref": {"$ref": "schemas.yaml#/Node"}}}}
    from_dict(document, base_uri=(documents / "cross" / "openapi.yaml").as_uri())
    assert document["components"] == {"schemas": {"Ref": {"$ref": "schemas.yaml#/Node"}}}


def test_public_names_are_sorted_and_documented() -> None:
    assert assay.spec.__all__ == sorted(assay.spec.__all__)
    for name in assay.spec.__all__:
        assert getattr(assay.spec, name).__doc__, name


def test_from_asgi_refuses_what_is_not_an_app() -> None:
    from assay.spec import from_asgi

    with pytest.raises(AssayError) as info:
        from_asgi({"openapi": "3.0.3"})
    assert str(info.value).startswith(
        "cannot load a spec from a dict object, which is not an ASGI app"
    )
