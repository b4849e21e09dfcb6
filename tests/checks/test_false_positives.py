"""No check fires on a correct FastAPI service that uses many of FastAPI's features.

Routers with prefixes and trailing slashes, UUID path parameters, enums, dates, optional
and list fields, a 204 delete, documented 404s, an OAuth2-protected operation called
without a token (FastAPI's undocumented 401), a form login, a cookie, HTML and plain
text responses: the whole default battery, over several seeds, must stay silent.
"""

from __future__ import annotations

import pytest
from tests.checks.featureful_app import create_app

from assay.engine import RunSettings, run_engine


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_default_battery_is_silent_on_a_correct_featureful_service(seed: int) -> None:
    result = run_engine(create_app(), settings=RunSettings(seed=seed, max_examples=10))
    assert not result.internal_errors
    assert result.cases > 100
    assert result.findings == [], [f.render() for f in result.findings]
