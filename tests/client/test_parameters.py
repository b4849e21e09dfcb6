"""Parameter serialization for every OpenAPI style (the examples of the OpenAPI spec)."""

from __future__ import annotations

from typing import Any

import pytest

from assay.client.parameters import serialize_header, serialize_path, serialize_query
from assay.spec.model import Parameter, ParameterLocation

PRIMITIVE = 5
ARRAY = [3, 4, 5]
OBJECT = {"role": "admin", "firstName": "Alex"}


def param(location: ParameterLocation, style: str, explode: bool, name: str = "id") -> Parameter:
    return Parameter(
        name=name,
        location=location,
        required=True,
        schema=None,
        style=style,
        explode=explode,
        pointer="#/x",
    )


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("simple", False, PRIMITIVE, "5"),
        ("simple", False, ARRAY, "3,4,5"),
        ("simple", False, OBJECT, "role,admin,firstName,Alex"),
        ("simple", True, OBJECT, "role=admin,firstName=Alex"),
        ("label", False, PRIMITIVE, ".5"),
        ("label", False, ARRAY, ".3,4,5"),
        ("label", True, ARRAY, ".3.4.5"),
        ("label", True, OBJECT, ".role=admin.firstName=Alex"),
        ("matrix", False, PRIMITIVE, ";id=5"),
        ("matrix", False, ARRAY, ";id=3,4,5"),
        ("matrix", True, ARRAY, ";id=3;id=4;id=5"),
        ("matrix", False, OBJECT, ";id=role,admin,firstName,Alex"),
        ("matrix", True, OBJECT, ";role=admin;firstName=Alex"),
    ],
)
def test_path_styles(style: str, explode: bool, value: Any, expected: str) -> None:
    assert serialize_path(param("path", style, explode), value) == expected


def test_path_values_are_percent_encoded() -> None:
    assert serialize_path(param("path", "simple", False), "a/b c?") == "a%2Fb%20c%3F"


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("form", True, PRIMITIVE, [("id", "5")]),
        ("form", True, ARRAY, [("id", "3"), ("id", "4"), ("id", "5")]),
        ("form", False, ARRAY, [("id", "3,4,5")]),
        ("form", True, OBJECT, [("role", "admin"), ("firstName", "Alex")]),
        ("form", False, OBJECT, [("id", "role,admin,firstName,Alex")]),
        ("spaceDelimited", False, ARRAY, [("id", "3 4 5")]),
        ("pipeDelimited", False, ARRAY, [("id", "3|4|5")]),
        ("deepObject", True, OBJECT, [("id[role]", "admin"), ("id[firstName]", "Alex")]),
        ("form", True, True, [("id", "true")]),
    ],
)
def test_query_styles(
    style: str, explode: bool, value: Any, expected: list[tuple[str, str]]
) -> None:
    assert serialize_query(param("query", style, explode), value) == expected


def test_header_and_cookie_styles() -> None:
    assert serialize_header(param("header", "simple", False), ARRAY) == "3,4,5"
    assert serialize_header(param("header", "simple", True), OBJECT) == "role=admin,firstName=Alex"
    assert serialize_header(param("cookie", "form", False), OBJECT) == "role,admin,firstName,Alex"


def test_content_parameters_are_json() -> None:
    json_param = Parameter(
        name="filter",
        location="query",
        required=False,
        schema=None,
        style="form",
        explode=True,
        pointer="#/x",
        content_type="application/json",
    )
    assert serialize_query(json_param, {"a": [1, 2]}) == [("filter", '{"a":[1,2]}')]
