"""CSV responses: an export documented as JSON and ``text/csv``, asked for by ``Accept``.

A correct CSV answer (``text/csv; charset=utf-8``, not JSON) gives no finding from any
check: the body schema check judges JSON bodies only, and the charset parameter is no
other media type. An answer in an undocumented media type is still reported. The
examples phase asks for the CSV with ``Accept`` so these checks see it in a run.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import FastAPI, Header
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench

from assay.generation.examples import example_cases
from assay.generation.values import ValueFactory
from assay.spec import from_asgi

LEVELS = [{"sku": "LAMP-1", "on_hand": 12}, {"sku": "DESK-2", "on_hand": 0}]
CSV_EXPORT = {"text/csv": {"schema": {"type": "string"}, "example": "sku,on_hand\r\nLAMP-1,12\r\n"}}
AS_CSV = Probe("GET /stock", headers={"Accept": "text/csv"})


class Level(BaseModel):
    sku: str
    on_hand: int


class Export(BaseModel):
    items: list[Level]


def _export_app(csv_type: str = "text/csv; charset=utf-8") -> FastAPI:
    app = FastAPI()

    @app.get("/stock", response_model=Export, responses={200: {"content": CSV_EXPORT}})
    def export(accept: Annotated[str | None, Header(include_in_schema=False)] = None) -> Response:
        if accept == "text/csv":
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=["sku", "on_hand"])
            writer.writeheader()
            writer.writerows(LEVELS)
            return Response(out.getvalue(), media_type=csv_type)
        return JSONResponse({"items": LEVELS})

    return app


def test_a_documented_csv_answer_gives_no_finding(bench: MakeBench) -> None:
    opened = bench(_export_app())
    exchange = opened.send(AS_CSV)
    assert exchange.response.headers["content-type"] == "text/csv; charset=utf-8"
    assert exchange.response.text.startswith("sku,on_hand\r\n")
    assert opened.run(exchange) == []


def test_a_csv_answer_in_an_undocumented_media_type_is_reported(bench: MakeBench) -> None:
    (found,) = bench(_export_app("text/plain")).fired("undocumented_content_type", AS_CSV)
    assert found.evidence["content_type"].startswith("text/plain")


def test_the_examples_phase_asks_for_each_documented_media_type() -> None:
    spec = from_asgi(_export_app())
    cases = list(example_cases(spec.operations[0], spec, ValueFactory(spec, 1)))
    assert [c.headers.get("Accept") for c in cases][-1] == "text/csv"
    assert sum("Accept" in c.headers for c in cases) == 1
