"""Exposure checks: internals and reflected input, with precise patterns."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench


class Item(BaseModel):
    count: int


LEAKS = ("debug_page_leak", "stack_trace_leak", "sql_error_leak", "file_path_leak")


def _answering(content: Any, status: int = 400, html: bool = False) -> FastAPI:
    app = FastAPI()

    @app.get("/thing")
    def thing() -> Any:
        if html:
            return HTMLResponse(content, status_code=status)
        if isinstance(content, str):
            return PlainTextResponse(content, status_code=status)
        return JSONResponse(content, status_code=status)

    return app


THING = Probe("GET /thing")


@pytest.mark.parametrize(
    ("check", "content"),
    [
        ("stack_trace_leak", 'Traceback (most recent call last):\n  File "/app/x.py", line 3'),
        ("stack_trace_leak", {"detail": "'NoneType' object has no attribute 'id'"}),
        ("stack_trace_leak", {"error": "KeyError: 'sku'"}),
        ("stack_trace_leak", "at com.shop.Orders.place(Orders.java:42)"),
        ("stack_trace_leak", "    at handle (/srv/app/routes/orders.js:17:9)"),
        ("sql_error_leak", {"detail": 'sqlite3.OperationalError: near "x": syntax error'}),
        ("sql_error_leak", {"detail": "UNIQUE constraint failed: accounts.email"}),
        ("sql_error_leak", {"detail": 'relation "orders" does not exist'}),
        ("sql_error_leak", {"detail": "ORA-00933: SQL command not properly ended"}),
        ("sql_error_leak", {"q": "SELECT id, name FROM users WHERE name = 'x'"}),
        ("file_path_leak", {"detail": "cannot open /srv/shop/config/settings.toml"}),
        ("file_path_leak", {"detail": "loaded /usr/lib/python3/dist-packages/yaml/x.py"}),
        ("file_path_leak", {"detail": "C:\\inetpub\\shop\\web.config missing"}),
    ],
)
def test_leak_checks_fire(bench: MakeBench, check: str, content: Any) -> None:
    (found,) = bench(_answering(content)).fired(check, THING)
    assert found.evidence["match"]
    assert found.evidence["snippet"]


@pytest.mark.parametrize(
    "content",
    [
        {"error": "not_found", "message": "Exception: none here", "code": "ValidationError"},
        {"detail": "Traceback is a word, an error is a word, SQL is a word"},
        {"links": {"self": "https://cdn.example.com/app/static/main.js"}},
        {"path": "/orders/12/items/3", "file": "report.csv", "select": "select a from b"},
        {"detail": [{"type": "value_error", "loc": ["body", "q"], "msg": "Value error, bad"}]},
        "Internal Server Error",
    ],
)
def test_leak_checks_silent_on_ordinary_bodies(bench: MakeBench, content: Any) -> None:
    assert bench(_answering(content, 500)).findings(THING, checks=LEAKS) == []


def test_sql_statements_and_paths_in_a_2xx_are_content(bench: MakeBench) -> None:
    report = {"query": "SELECT id FROM orders WHERE total > 10", "file": "/home/ana/r.txt"}
    assert bench(_answering(report, 200)).findings(THING, checks=LEAKS) == []
    errors = bench(_answering(report, 500)).findings(THING, checks=LEAKS)
    assert sorted(f.check for f in errors) == ["file_path_leak", "sql_error_leak"]


def test_leak_checks_ignore_an_echo_of_the_request(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/echo")
    def echo(q: str) -> dict[str, str]:
        return {"you_sent": q}

    probe = Probe("GET /echo", query={"q": "KeyError: 'x' /app/main.py UNIQUE constraint failed"})
    assert bench(app).findings(probe, checks=LEAKS) == []


def test_debug_page_leak_fires_on_starlette_debug_and_supersedes_the_trace(
    bench: MakeBench,
) -> None:
    app = FastAPI(debug=True)

    @app.get("/crash")
    def crash() -> dict[str, int]:
        return {"x": 1 // 0}

    made = bench(app)
    probe = Probe("GET /crash", headers={"Accept": "text/html"})
    found = made.findings(probe, checks=LEAKS)
    assert [f.check for f in found] == ["debug_page_leak"]
    plain = made.findings(Probe("GET /crash"), checks=LEAKS)
    assert [f.check for f in plain] == ["stack_trace_leak"]


def _page(*, escape: bool, status: int = 200) -> FastAPI:
    import html

    app = FastAPI()

    @app.get("/search", response_class=HTMLResponse)
    def search(q: str = "") -> HTMLResponse:
        shown = html.escape(q) if escape else q
        return HTMLResponse(f"<p>No results for {shown}</p>", status_code=status)

    @app.get("/api/search")
    def api_search(q: str = "") -> dict[str, str]:
        return {"query": q}

    return app


def test_reflected_input_fires_on_markup_in_html(bench: MakeBench) -> None:
    probe = Probe("GET /search", query={"q": "<script>alert(1)</script>"})
    (found,) = bench(_page(escape=False)).fired("reflected_input", probe)
    assert found.evidence["reflected"] == "<script>alert(1)</script>"


def test_reflected_input_confirms_a_plain_reflection_with_a_probe(bench: MakeBench) -> None:
    probe = Probe("GET /search", query={"q": "lamp"})
    (found,) = bench(_page(escape=False)).fired("reflected_input", probe)
    assert found.evidence["reflected"].startswith("<assay-probe")


def test_reflected_input_silent_when_escaped_or_json(bench: MakeBench) -> None:
    made = bench(_page(escape=True))
    assert made.fired("reflected_input", Probe("GET /search", query={"q": "<b>x</b>"})) == []
    assert made.fired("reflected_input", Probe("GET /search", query={"q": "lamp"})) == []
    api = Probe("GET /api/search", query={"q": "<script>alert(1)</script>"})
    assert made.fired("reflected_input", api) == []


def test_reflected_input_silent_when_the_page_always_holds_the_text(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/search", response_class=HTMLResponse)
    def search(q: str = "") -> str:
        return '<p class="abc">No results</p>'

    assert bench(app).fired("reflected_input", Probe("GET /search", query={"q": '"ab'})) == []


def test_reflected_input_silent_on_fastapi_422_echoing_input(bench: MakeBench) -> None:
    app = FastAPI()

    @app.post("/items")
    def create(item: Item) -> Item:
        return item

    probe = Probe("POST /items", body={"count": "<script>x</script>"}, kind="negative")
    assert bench(app).fired("reflected_input", probe) == []
