"""SQL injection: error, boolean and time oracles, and the answers that must not fool them."""

from __future__ import annotations

import sqlite3
import time
from typing import Annotated

import pytest
from fastapi import FastAPI, HTTPException, Query
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench

from assay.checks import get_check
from assay.generation.security.payloads import SQL_SLEEPS

TRUE = "' OR '1'='1' -- "
ROWS = [("ana", "lamp"), ("ben", "desk"), ("cleo", "1 chair"), ("dan", "2 stools")]


def _app(*, pasted: bool, errors: bool = False) -> FastAPI:
    """``GET /orders?who=``: the value pasted into SQL (or bound), errors shown or hidden."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE orders (who TEXT, item TEXT)")
    db.executemany("INSERT INTO orders VALUES (?, ?)", ROWS)
    app = FastAPI()

    @app.get("/orders")
    def orders(who: Annotated[str, Query()] = "") -> list[str]:
        query = "SELECT item FROM orders WHERE who = "
        try:
            if pasted:
                rows = db.execute(f"{query}'{who}'").fetchall()
            else:
                rows = db.execute(query + "?", (who,)).fetchall()
        except sqlite3.Error as exc:
            if errors:
                raise HTTPException(400, f"sqlite3.OperationalError: {exc}") from None
            rows = []
        return [row[0] for row in rows]

    return app


def _probe(value: str) -> Probe:
    return Probe("GET /orders", query={"who": value}, phase="security")


def test_error_based_needs_the_quote_to_cause_the_error(bench: MakeBench) -> None:
    (found,) = bench(_app(pasted=True, errors=True)).fired("sql_injection_error", _probe("ana'"))
    assert found.evidence["twin"] == "ana"
    assert found.evidence["cwe"] == "CWE-89"
    assert found.evidence["statuses"] == [400, 200]
    assert bench(_app(pasted=False, errors=True)).fired("sql_injection_error", _probe("ana'")) == []


def test_a_plain_500_or_a_constant_error_is_no_injection(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/orders")
    def orders(who: Annotated[str, Query()] = "") -> list[str]:
        raise HTTPException(500, 'near "x": syntax error (the report query is broken)')

    assert bench(app).fired("sql_injection_error", _probe("ana'")) == []


def test_boolean_based_needs_more_data_than_both_twins(bench: MakeBench) -> None:
    (found,) = bench(_app(pasted=True)).fired("sql_injection_boolean", _probe(f"zoe{TRUE}"))
    assert found.evidence["twin"] == "zoe' OR '1'='2' -- "
    assert found.evidence["benign"] == "zoe"
    assert bench(_app(pasted=False)).fired("sql_injection_boolean", _probe(f"zoe{TRUE}")) == []


def test_a_search_treating_words_as_terms_is_no_boolean_injection(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/orders")
    def orders(who: Annotated[str, Query()] = "") -> dict[str, object]:
        words = {w.strip("'-=") for w in who.split()} - {""}
        found = [item for _, item in ROWS if any(w in item for w in words)]
        return {"query": who, "items": found, "served_at": time.time()}

    assert bench(app).fired("sql_injection_boolean", _probe(f"zoe{TRUE}")) == []


def test_the_oracles_judge_the_security_phase_only() -> None:
    for name in ("sql_injection_error", "sql_injection_boolean", "sql_injection_time"):
        assert get_check(name).applies_to("security")
        assert not get_check(name).applies_to("examples")


def test_a_fast_answer_to_a_sleep_is_no_time_injection(bench: MakeBench) -> None:
    sleep = "ana' OR (SELECT 1 FROM pg_sleep(1))=1 -- "
    assert bench(_app(pasted=True)).fired("sql_injection_time", _probe(sleep)) == []


def _postgres_coupons(*, pasted: bool) -> FastAPI:
    """``GET /coupons?code=`` checked by PostgreSQL, errors hidden: only time can tell."""
    import psycopg

    from assay.data.servers import POSTGRES

    url = POSTGRES.url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    app = FastAPI()

    @app.get("/coupons")
    def coupons(code: Annotated[str, Query()] = "") -> dict[str, bool]:
        query = "SELECT 1 FROM (VALUES ('SPRING')) AS c(code) WHERE code = "
        with psycopg.connect(url, autocommit=True) as connection:
            try:
                if pasted:
                    connection.execute(f"{query}'{code}'")  # type: ignore[call-overload]
                else:
                    connection.execute(query + "%s", (code,))
            except psycopg.Error:
                pass
        return {"checked": True}

    return app


@pytest.mark.postgres
@pytest.mark.slow
def test_time_based_injection_on_postgresql(bench: MakeBench) -> None:
    probe = Probe("GET /coupons", query={"code": f"SPRING{SQL_SLEEPS[1]}"}, phase="security")
    (found,) = bench(_postgres_coupons(pasted=True)).fired("sql_injection_time", probe)
    assert found.evidence["twin"] == "SPRING"
    assert found.evidence["elapsed_ms"][0] - found.evidence["elapsed_ms"][1] >= 800
    assert bench(_postgres_coupons(pasted=False)).fired("sql_injection_time", probe) == []
