"""The payloads and how the checks recognise them, derive twins and vary the numbers."""

from __future__ import annotations

from assay.generation.security.payloads import (
    COMMAND,
    COMMAND_SLEEP,
    CRLF,
    SQL_SLEEPS,
    SQL_TRUE,
    TEMPLATES,
    TRAVERSAL,
    arithmetic,
    arithmetic_result,
    boolean_twins,
    catalogue,
    injected_header,
    shell_sleep,
    sleep_seconds,
    strip_sleep,
    traversal_twin,
)


def test_arithmetic_computes_and_varies_the_expression() -> None:
    found = arithmetic("ana" + TEMPLATES[0])
    assert found is not None
    expression, other = found
    assert expression.result == "1337"
    assert expression.replaced("ana{{7*191}}", "") == "ana"
    assert other == "{{20*208}}"
    assert arithmetic_result(other) == "4160"
    shell = arithmetic("x" + COMMAND[1])
    assert shell is not None
    assert shell[0].result == "5555"
    assert arithmetic("a plain value") is None


def test_boolean_twins_differ_from_the_tautology_by_one_character() -> None:
    twins = boolean_twins(f"zoe{SQL_TRUE}")
    assert twins == (
        "zoe",
        "zoe' OR '1'='2' -- ",
        "zoe' OR '2'='2' -- ",
        "zoe' OR '2'='1' -- ",
    )
    assert boolean_twins("zoe' OR '1'='2' -- ") is None
    assert boolean_twins("zoe") is None


def test_sleeps_are_recognised_and_stripped() -> None:
    for payload in SQL_SLEEPS:
        assert sleep_seconds(f"code{payload}") == 1
        assert strip_sleep(f"code{payload}") == "code"
    assert sleep_seconds("asleep(3)") is None


def test_shell_sleeps_are_recognised_and_stripped() -> None:
    assert shell_sleep(f"db1{COMMAND_SLEEP}") == (1, "db1")
    assert shell_sleep("db1;sleep 2") == (2, "db1")
    assert shell_sleep("db1`sleep 3`x") == (3, "db1x")
    assert shell_sleep("asleep 5") is None
    assert sleep_seconds(f"db1{COMMAND_SLEEP}") is None  # not a SQL sleep


def test_traversal_twins_aim_at_a_missing_file() -> None:
    assert traversal_twin(TRAVERSAL) == TRAVERSAL.replace("passwd", "assay-missing")
    assert traversal_twin("..%2F..%2Fetc%2Fpasswd") == "..%2F..%2Fetc/assay-missing"
    assert traversal_twin("report.txt") is None


def test_the_injected_header_is_named() -> None:
    assert injected_header(f"en{CRLF}") == "x-assay-injected"
    assert injected_header("en: plain") is None


def test_the_catalogue_adds_markup_for_html_only() -> None:
    kinds = [p.kind for p in catalogue(html=False)]
    assert "markup" not in kinds
    assert [p.kind for p in catalogue(html=True)] == [*kinds, "markup"]
    assert {p.kind for p in catalogue(html=False) if p.read_only} == {"sql_boolean", "sql_time"}
