"""`assay.from_asgi(app).parametrize()` and the `assay_case` fixture, through pytester."""

from __future__ import annotations

import pytest

from .conftest import CHECK

pytest_plugins = ["pytester"]

ENGINE_TESTS = f"""
import assay
from tests.engine.conftest import make_app

schema = assay.from_asgi(make_app(broken=BROKEN))


@schema.parametrize()
def test_api(operation):
    operation.run(phases=["semantics"], checks=["{CHECK}"], seed=5)
"""


@pytest.mark.parametrize(
    ("broken", "outcomes"), [(True, {"passed": 1, "failed": 1}), (False, {"passed": 2})]
)
def test_one_test_per_operation(
    pytester: pytest.Pytester, broken: bool, outcomes: dict[str, int]
) -> None:
    pytester.makepyfile(test_api=ENGINE_TESTS.replace("BROKEN", str(broken)))
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(**outcomes)
    result.stdout.fnmatch_lines(["*test_api?getItem?*", "*test_api?health?*"])
    if broken:
        result.stdout.fnmatch_lines(["*server error 500*", "*curl -X PUT*"])


def test_unknown_operation_in_parametrize_is_clear(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_api="""
        import assay
        from tests.engine.conftest import make_app

        schema = assay.from_asgi(make_app())

        @schema.parametrize(operations=["getitem"])
        def test_api(operation):
            pass
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*no operation called getitem in the spec*"])


def test_assay_case_builds_valid_cases(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from tests.engine.conftest import make_app

        @pytest.fixture(scope="session")
        def assay_app():
            return make_app(broken=False)
        """
    )
    pytester.makepyfile(
        test_cases="""
        def test_case(assay_case):
            case = assay_case("getItem")
            assert isinstance(case.path_parameters["item_id"], int)
            response = assay_case.send("getItem", path={"item_id": 41})
            response.expect.status(200).json_path("$.id", 41)
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
