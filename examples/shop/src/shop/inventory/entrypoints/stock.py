"""Stock endpoints (same in v1 and v2): set one count, bulk import, export.

Import takes ``application/json`` (``{"rows": [...]}``) or ``text/csv`` (header
``sku,warehouse,quantity``), at most 10,000 rows (413 beyond); export answers JSON or CSV
by ``Accept`` (406 for anything else).
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from shop.identity import AUTH_RESPONSES, Principal, require_scopes
from shop.inventory.entrypoints import representations, schemas
from shop.inventory.entrypoints.imports import IMPORT_BODY, check_length, parse_import
from shop.inventory.entrypoints.negotiation import negotiate
from shop.inventory.entrypoints.runtime import InventoryRuntime
from shop.inventory.service_layer import commands, handlers, views
from shop.platform.problems import NotAcceptable, problem_responses

Reader = Annotated[Principal, require_scopes("inventory:read")]
Writer = Annotated[Principal, require_scopes("inventory:write")]
EXPORT_TYPES = ("application/json", "text/csv")
CSV_EXPORT: dict[str, Any] = {
    "text/csv": {
        "schema": {"type": "string"},
        "example": "sku,warehouse,on_hand,reserved,available\r\nLAMP-1,east,12,2,10\r\n",
    }
}


def build_stock_router(runtime: InventoryRuntime, version: str) -> APIRouter:
    router = APIRouter(prefix=f"/{version}", tags=["inventory"])
    suffix = "" if version == "v1" else f"_{version}"
    _set_stock(router, runtime, suffix)
    _import_stock(router, runtime, suffix)
    _export_stock(router, runtime, suffix)
    return router


def _set_stock(router: APIRouter, runtime: InventoryRuntime, suffix: str) -> None:
    @router.put(
        "/products/{sku}/stock/{warehouse}",
        operation_id="set_stock" + suffix,
        summary="Set the stock of a product in a warehouse",
        status_code=status.HTTP_204_NO_CONTENT,
        responses={**AUTH_RESPONSES, **problem_responses(404, 422)},
    )
    def set_stock(
        _: Writer,
        sku: Annotated[str, Path(max_length=63)],
        warehouse: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")],
        body: schemas.StockCount,
    ) -> Response:
        """Set the units on hand after a count (absolute, idempotent)."""
        handlers.set_stock(commands.SetStock(sku, warehouse, body.on_hand), runtime.uow())
        return Response(status_code=status.HTTP_204_NO_CONTENT)


def _import_stock(router: APIRouter, runtime: InventoryRuntime, suffix: str) -> None:
    @router.post(
        "/stock/imports",
        operation_id="import_stock" + suffix,
        summary="Import stock counts in bulk (JSON or CSV)",
        response_model=schemas.ImportResult,
        responses={**AUTH_RESPONSES, **problem_responses(400, 413, 415, 422)},
        openapi_extra={"requestBody": IMPORT_BODY},
    )
    async def import_stock(
        _: Writer,
        request: Request,
        content_type: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> schemas.ImportResult:
        """Set the counts of up to 10,000 `(sku, warehouse, quantity)` rows, all or none."""
        check_length(request.headers.get("content-length"))
        rows, trusted = parse_import(content_type, await request.body())
        cmd = commands.ImportStock(rows, trusted_quantities=trusted)
        imported = await run_in_threadpool(handlers.import_stock, cmd, runtime.uow(), runtime.env)
        return schemas.ImportResult(imported=imported)


def _csv(levels: list[schemas.StockLevelOut]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["sku", "warehouse", "on_hand", "reserved", "available"])
    for level in levels:
        writer.writerow(
            [level.sku, level.warehouse, level.on_hand, level.reserved, level.available]
        )
    return out.getvalue()


def _export_stock(router: APIRouter, runtime: InventoryRuntime, suffix: str) -> None:
    @router.get(
        "/stock",
        operation_id="export_stock" + suffix,
        summary="Export stock levels as JSON or CSV",
        response_model=schemas.StockExport,
        responses={
            200: {"content": CSV_EXPORT},
            **AUTH_RESPONSES,
            **problem_responses(406, 422),
        },
    )
    def export_stock(
        _: Reader,
        warehouse: Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")] = None,
        accept: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> Response | schemas.StockExport:
        """Every stock level (of one warehouse); `Accept: text/csv` for CSV."""
        media = negotiate(accept, EXPORT_TYPES)
        if media is None:
            raise NotAcceptable(f"The export is available as {' or '.join(EXPORT_TYPES)}.")
        found = views.stock_export(runtime.uow(), warehouse, runtime.env.clock())
        levels = [representations.stock_level(level) for level in found]
        if media == "text/csv":
            return Response(_csv(levels), media_type="text/csv; charset=utf-8")
        return schemas.StockExport(items=levels)
