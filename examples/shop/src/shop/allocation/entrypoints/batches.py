"""Batch endpoints: create, list, read, change quantity (with reallocation)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, Security, status

from shop.allocation.domain import UnknownBatch
from shop.allocation.domain.model import Batch
from shop.allocation.entrypoints import schemas
from shop.allocation.service_layer import commands, defects, handlers
from shop.allocation.service_layer.unit_of_work import (
    BATCH_SORT_KEYS,
    AllocationUnitOfWork,
    BatchQuery,
    batch_sort_key,
)
from shop.identity import AUTH_RESPONSES, Principal, optional_principal, require_scopes
from shop.identity.runtime import runtime_of
from shop.identity.security import unauthorized
from shop.platform.concurrency import check_if_match, etag_of
from shop.platform.defects import Defects
from shop.platform.pagination import (
    Cursor,
    Limit,
    Page,
    SortSpec,
    encode_cursor,
    sort_param,
)
from shop.platform.problems import BadRequest, problem_responses

Reader = Annotated[Principal, require_scopes("allocation:read")]
Writer = Annotated[Principal, require_scopes("allocation:write")]
ReferencePath = Annotated[str, Path(max_length=64, description="The batch reference.")]
ETAG: dict[str, Any] = {"ETag": {"description": "Entity tag.", "schema": {"type": "string"}}}
BatchSort = sort_param(BATCH_SORT_KEYS, "reference", tiebreaker="reference")


@dataclass(frozen=True)
class AllocationRuntime:
    uow: Callable[[], AllocationUnitOfWork]
    defects: Defects


def batch_out(batch: Batch) -> schemas.BatchOut:
    return schemas.BatchOut(
        reference=batch.reference,
        sku=batch.sku,
        quantity=batch.purchased_quantity,
        eta=batch.eta,
        allocated=batch.allocated_quantity,
        available=batch.available_quantity,
        allocations=[
            schemas.BatchLine(order_id=line.order_id, quantity=line.quantity)
            for line in batch.lines.values()
        ],
    )


def load(runtime: AllocationRuntime, reference: str) -> Batch:
    with runtime.uow() as uow:
        batch = uow.views.batch(reference)
    if batch is None:
        raise UnknownBatch(reference)
    return batch


def batch_listing(
    limit: Limit,
    cursor: Cursor,
    sort: Annotated[SortSpec, Depends(BatchSort)],
    *,
    sku: Annotated[str | None, Query(pattern=schemas.SKU_PATTERN, max_length=63)] = None,
    arrived: Annotated[bool | None, Query(description="True: in stock (no ETA).")] = None,
) -> BatchQuery:
    if cursor is not None and len(cursor) != len(sort.fields):
        raise BadRequest(
            "The cursor belongs to another sort order.",
            slug="invalid-cursor",
            title="Invalid cursor",
        )
    return BatchQuery(limit=limit + 1, sort=sort, after=cursor, sku=sku, arrived=arrived)


def _signed_in(
    request: Request, principal: Annotated[Principal | None, optional_principal()]
) -> Principal:
    """Any signed-in caller, whatever its scopes (only used by a seeded defect)."""
    if principal is None:
        raise unauthorized(runtime_of(request), "This operation needs an access token.")
    return principal


def build_batches_router(runtime: AllocationRuntime, version: str) -> APIRouter:
    router = APIRouter(prefix=f"/{version}/batches", tags=["allocation"])
    suffix = "" if version == "v1" else f"_{version}"
    _list(router, runtime, suffix)
    _get(router, runtime, suffix)
    _create(router, runtime, suffix)
    _change(router, runtime, suffix)
    return router


def _list(router: APIRouter, runtime: AllocationRuntime, suffix: str) -> None:
    @router.get(
        "",
        operation_id="list_batches" + suffix,
        summary="List batches",
        response_model=Page[schemas.BatchOut],
        responses={**AUTH_RESPONSES, **problem_responses(400, 422)},
    )
    def list_batches(
        _: Reader, query: Annotated[BatchQuery, Depends(batch_listing)]
    ) -> Page[schemas.BatchOut]:
        """Batches with their allocations, filtered and sorted; follow `next_cursor`."""
        with runtime.uow() as uow:
            found = uow.views.page(query)
        shown = found[: query.limit - 1]
        more = len(found) > len(shown)
        cursor = encode_cursor(batch_sort_key(shown[-1], query.sort)) if more else None
        return Page(items=[batch_out(b) for b in shown], next_cursor=cursor)


def _get(router: APIRouter, runtime: AllocationRuntime, suffix: str) -> None:
    @router.get(
        "/{reference}",
        operation_id="get_batch" + suffix,
        summary="Get a batch",
        response_model=schemas.BatchOut,
        responses={200: {"headers": ETAG}, **AUTH_RESPONSES, **problem_responses(404, 422)},
    )
    def get_batch(_: Reader, reference: ReferencePath, response: Response) -> schemas.BatchOut:
        """The batch, its allocations and what is left; `ETag` for conditional changes."""
        batch = load(runtime, reference)
        response.headers["ETag"] = etag_of(batch.version)
        return batch_out(batch)


def _create(router: APIRouter, runtime: AllocationRuntime, suffix: str) -> None:
    @router.post(
        "",
        operation_id="create_batch" + suffix,
        summary="Register a batch",
        status_code=status.HTTP_201_CREATED,
        response_model=schemas.BatchOut,
        responses={
            201: {
                "headers": {
                    **ETAG,
                    "Location": {"description": "The batch URL.", "schema": {"type": "string"}},
                }
            },
            **AUTH_RESPONSES,
            **problem_responses(409, 422),
        },
    )
    def create_batch(_: Writer, body: schemas.NewBatch, response: Response) -> schemas.BatchOut:
        """Register warehouse stock (no ETA) or an expected shipment."""
        cmd = commands.CreateBatch(body.reference, body.sku, body.quantity, body.eta)
        batch = handlers.create_batch(cmd, runtime.uow())
        response.headers["ETag"] = etag_of(batch.version)
        response.headers["Location"] = f"{router.prefix}/{batch.reference}"
        return batch_out(batch)


def _change(router: APIRouter, runtime: AllocationRuntime, suffix: str) -> None:
    guard = require_scopes("allocation:write")
    if runtime.defects.on(defects.MISSING_SCOPE):  # DEFECT: allocation-missing-scope
        guard = Security(_signed_in, scopes=["allocation:write"])  # scope declared, unchecked

    @router.patch(
        "/{reference}",
        operation_id="change_batch_quantity" + suffix,
        dependencies=[guard],
        summary="Change a batch's quantity",
        response_model=schemas.BatchOut,
        responses={
            200: {"headers": ETAG},
            **AUTH_RESPONSES,
            **problem_responses(404, 412, 422, 428),
        },
    )
    def change_batch_quantity(
        reference: ReferencePath,
        body: schemas.BatchQuantity,
        response: Response,
        if_match: Annotated[str | None, Header(alias="If-Match", description="Required.")] = None,
    ) -> schemas.BatchOut:
        """Set the quantity; lines that no longer fit move to other batches. Needs If-Match."""
        current = load(runtime, reference)
        check_if_match(if_match, etag_of(current.version), required=True)
        cmd = commands.ChangeBatchQuantity(reference, body.quantity, current.version)
        batch = handlers.change_batch_quantity(cmd, runtime.uow())
        response.headers["ETag"] = etag_of(batch.version)
        return batch_out(batch)
