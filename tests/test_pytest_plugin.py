"""The pytest plugin, run in a child pytest with pytester."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

APP = """
from fastapi import FastAPI, HTTPException, Header
from pydantic import BaseModel


class Item(BaseModel):
    id: int
    name: str


app = FastAPI()


@app.get("/items/{item_id}", operation_id="getItem", responses={404: {"description": "none"}})
def get_item(item_id: int) -> Item:
    if item_id > 100:
        raise HTTPException(404, "no such item")
    return Item(id=item_id, name="widget")


@app.get("/broken", operation_id="broken")
def broken() -> Item:
    from fastapi.responses import JSONResponse
    return JSONResponse({"id": "not-a-number"})  # type: ignore[return-value]


@app.get("/whoami", operation_id="whoami")
def whoami(authorization: str | None = Header(default=None)) -> dict[str, str | None]:
    return {"authorization": authorization}
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(shopapp=APP)
    pytester.syspathinsert()
    return pytester


def test_api_fixture_calls_operations_and_prints_header(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_items="""
        def test_get(api):
            api.call("getItem", path={"item_id": 3}).expect.status(200).json_path(
                "$.name", "widget").matches_schema()

        def test_spec(assay_spec):
            assert {op.operation_id for op in assay_spec} >= {"getItem", "broken"}
        """
    )
    result = project.runpytest("--assay-app", "shopapp:app", "--assay-seed", "1234")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["assay: target shopapp:app, seed 1234"])


def test_responses_are_validated_unless_the_marker_says_not(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_broken="""
        import pytest

        def test_validated(api):
            api.get("/broken")

        @pytest.mark.assay(validate=False)
        def test_not_validated(api):
            assert api.get("/broken").json() == {"id": "not-a-number"}
        """
    )
    result = project.runpytest("--assay-app", "shopapp:app")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*?response_conformance? response 200 does not conform to the spec*", "*last exchanges*"]
    )


def test_identity_marker_uses_configured_identities(project: pytest.Pytester) -> None:
    project.makepyprojecttoml(
        """
        [tool.assay]
        app = "shopapp:app"
        seed = 7

        [[tool.assay.identities]]
        name = "ben"
        bearer = { token = "ben-token" }
        """
    )
    project.makepyfile(
        test_who="""
        import pytest

        @pytest.mark.assay(identity="ben")
        def test_ben(api):
            api.get("/whoami").expect.json_path("$.authorization", "Bearer ben-token")

        def test_anonymous(api):
            api.get("/whoami").expect.json_path("$.authorization", None)
        """
    )
    result = project.runpytest()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["assay: target shopapp:app, seed 7"])


def test_conftest_can_provide_the_app(project: pytest.Pytester) -> None:
    project.makeconftest(
        """
        import pytest
        from shopapp import app

        @pytest.fixture(scope="session")
        def assay_app():
            return app
        """
    )
    project.makepyfile(
        test_items="""
        def test_get(api):
            api.call("getItem", path={"item_id": 101}).expect.status(404)
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_without_a_target_the_error_says_what_to_do(project: pytest.Pytester) -> None:
    project.makepyfile(test_x="def test_x(api):\n    pass\n")
    result = project.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no target for the `api` fixture. Pass --assay-app*"])


def test_unknown_marker_keyword_fails_clearly(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_x="""
        import pytest

        @pytest.mark.assay(identiti="ben")
        def test_x(api):
            pass
        """
    )
    result = project.runpytest("--assay-app", "shopapp:app")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.assay takes the keywords*identiti*"])


def test_unknown_operation_and_parameter_are_clear(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_x="""
        import pytest
        from assay import AssayError

        def test_unknown_param(api):
            expected = "has no path parameter 'id'; its path parameters are: item_id"
            with pytest.raises(AssayError, match=expected):
                api.call("getItem", path={"id": 1})

        def test_unknown_operation(api):
            expected = "no operation with operationId 'getitem'.*'getItem'"
            with pytest.raises(AssayError, match=expected):
                api.call("getitem")
        """
    )
    project.runpytest("--assay-app", "shopapp:app").assert_outcomes(passed=2)
