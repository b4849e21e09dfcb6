"""Command, template, traversal and header injection: proven by twins, never by one answer."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import FastAPI, Query, Response
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench

from assay.checks import get_check

PASSWD = "root:x:0:0:root:/root:/bin/bash"


def _answering(answer: Any) -> FastAPI:
    """An app whose ``GET /thing?q=`` answers ``answer(q)`` as ``{"text": …}``."""
    app = FastAPI()

    @app.get("/thing")
    def thing(q: Annotated[str, Query()] = "") -> dict[str, str]:
        return {"text": answer(q)}

    return app


def _probe(value: str) -> Probe:
    return Probe("GET /thing", query={"q": value}, phase="security")


def _evaluating(q: str) -> str:
    """A toy evaluator of ``{{a*b}}`` and ``$((a+b))``, as a template engine or shell would."""
    q = re.sub(r"\{\{(\d+)\*(\d+)\}\}", lambda m: str(int(m[1]) * int(m[2])), q)
    return re.sub(r"\$\(\((\d+)\+(\d+)\)\)", lambda m: str(int(m[1]) + int(m[2])), q)


def test_evaluated_arithmetic_is_proven_with_a_twin_and_other_numbers(bench: MakeBench) -> None:
    opened = bench(_answering(_evaluating))
    (template,) = opened.fired("template_injection", _probe("ana{{7*191}}"))
    assert template.evidence["twin"] == "ana"
    assert template.evidence["cwe"] == "CWE-1336"
    assert len(template.evidence["requests"]) == 2
    (command,) = opened.fired("command_injection", _probe("ana;echo assay$((4321+1234))"))
    assert command.evidence["location"] == "query q"
    assert command.evidence["cwe"] == "CWE-78"


def test_no_injection_without_evaluation(bench: MakeBench) -> None:
    echoing = bench(_answering(lambda q: f"you sent {q}"))
    assert echoing.fired("template_injection", _probe("ana{{7*191}}")) == []
    assert echoing.fired("command_injection", _probe("ana;echo assay$((4321+1234))")) == []


def test_a_fast_answer_to_a_shell_sleep_is_no_injection(bench: MakeBench) -> None:
    echoing = bench(_answering(lambda q: f"you sent {q}"))
    assert echoing.fired("command_injection", _probe("db1$(sleep 1)")) == []


def test_a_number_the_answer_always_holds_is_no_evaluation(bench: MakeBench) -> None:
    constant = bench(_answering(lambda q: "order 1337 and 5555 shipped"))
    assert constant.fired("template_injection", _probe("ana{{7*191}}")) == []
    assert constant.fired("command_injection", _probe("ana;echo assay$((4321+1234))")) == []


def test_a_computation_that_ignores_other_numbers_is_no_evaluation(bench: MakeBench) -> None:
    fixed = bench(_answering(lambda q: "1337" if "{{" in q else "none"))
    assert fixed.fired("template_injection", _probe("ana{{7*191}}")) == []


def test_injection_checks_judge_the_security_phase_only() -> None:
    for name in ("command_injection", "template_injection", "path_traversal", "header_injection"):
        registered = get_check(name)
        assert registered.applies_to("security")
        assert not registered.applies_to("fuzz")


def test_path_traversal_needs_the_file_and_a_twin_without_it(bench: MakeBench) -> None:
    reading = bench(_answering(lambda q: PASSWD if q.endswith("etc/passwd") else "no such file"))
    (found,) = reading.fired("path_traversal", _probe("../../../../etc/passwd"))
    assert found.evidence["twin"] == "../../../../etc/assay-missing"
    assert found.evidence["cwe"] == "CWE-22"
    always = bench(_answering(lambda q: f"example: {PASSWD}"))
    assert always.fired("path_traversal", _probe("../../../../etc/passwd")) == []


def _with_header(injected: bool) -> FastAPI:
    app = FastAPI()

    @app.get("/thing", status_code=204, response_class=Response)
    def thing(q: Annotated[str, Query()] = "") -> Response:
        response = Response(status_code=204)
        if injected and "\n" in q:
            name, _, value = q.split("\n", 1)[1].partition(":")
            response.headers[name] = value.strip()
        response.headers["X-Fixed"] = "1"
        return response

    return app


def test_header_injection_fires_when_a_line_break_adds_a_header(bench: MakeBench) -> None:
    (found,) = bench(_with_header(True)).fired(
        "header_injection", _probe("en\r\nX-Assay-Injected: crlf")
    )
    assert found.evidence["header"] == "x-assay-injected"
    assert found.evidence["twin"] == "en"


def test_no_header_injection_when_the_header_is_always_there(bench: MakeBench) -> None:
    assert bench(_with_header(False)).fired("header_injection", _probe("en\r\nX-Fixed: 2")) == []
    assert bench(_with_header(False)).fired("header_injection", _probe("en\r\nX-Other: 2")) == []
