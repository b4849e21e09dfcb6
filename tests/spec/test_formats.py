"""Formats are checked as a correct service writes them."""

from __future__ import annotations

import pytest

from assay.spec.formats import FORMATS, IntegerRange


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("date-time", "2024-05-01T12:00:00Z", True),
        ("date-time", "2024-05-01t12:00:00z", True),
        ("date-time", "2024-05-01 12:00:00+01:00", True),
        ("date-time", "2024-05-01T12:00:00", True),
        ("date-time", "2024-05-01", False),
        ("date-time", "soon", False),
        ("time", "12:30:00", True),
        ("time", "12:30:00.5+02:00", True),
        ("time", "25:00:00", False),
        ("duration", "PT0.5S", True),
        ("duration", "-P1D", True),
        ("duration", "P1DT2H3M4.5S", True),
        ("duration", "P", False),
        ("duration", "PT", False),
        ("duration", "1 day", False),
    ],
)
def test_lenient_formats(name: str, value: str, ok: bool) -> None:
    assert FORMATS[name](value) is ok


@pytest.mark.parametrize(
    ("fmt", "value", "ok"),
    [
        ("int32", 2**31 - 1, True),
        ("int32", 2**31, False),
        ("int64", -(2**63), True),
        ("int64", 2**63, False),
        ("int32", 3e10, False),
        ("int32", True, True),
        ("int32", "big", True),
        ("custom", 2**80, True),
    ],
)
def test_integer_range(fmt: str, value: object, ok: bool) -> None:
    keyword = IntegerRange({}, fmt, [])
    if ok:
        keyword.validate(value)
    else:
        with pytest.raises(ValueError, match=f"outside the {fmt} range"):
            keyword.validate(value)
