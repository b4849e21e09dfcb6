"""An orders API whose orders name other items: an invoice of the caller's, a shared product.

`make_app()` is correct: orders and invoices are owned (``customer`` is set by the
server from the bearer token), another customer's order or invoice answers 404, and
the catalogue's products are readable by everyone. ``foreign_invoices=True`` lets any
customer read any invoice (broken object-level authorization on the named item);
``foreign_cancel=True`` lets any customer cancel any order.
"""

import itertools
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

TOKENS = {"t1": "ana", "t2": "ben"}


class OrderIn(BaseModel):
    note: str = Field(min_length=1, max_length=40)


class Order(OrderIn):
    id: int
    customer: str
    invoice_id: str
    product_id: str
    cancelled: bool = False


class Invoice(BaseModel):
    id: str
    customer: str
    amount: int


class Product(BaseModel):
    id: str
    name: str


def make_app(*, foreign_invoices: bool = False, foreign_cancel: bool = False) -> FastAPI:
    app = FastAPI(title="Billing", version="1")
    orders: dict[int, dict[str, Any]] = {}
    invoices: dict[str, dict[str, Any]] = {}
    products = {"p-1": {"id": "p-1", "name": "lamp"}}
    ids = itertools.count(1)
    bearer = HTTPBearer()

    def caller(creds: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> str:
        user = TOKENS.get(creds.credentials)
        if user is None:
            raise HTTPException(401, "unknown token")
        return user

    User = Annotated[str, Depends(caller)]
    missing = {404: {"description": "Not found"}}

    @app.post("/orders", status_code=201)
    def place(body: OrderIn, user: User) -> Order:
        number = next(ids)
        invoice = {"id": f"inv-{number}", "customer": user, "amount": 100}
        invoices[invoice["id"]] = invoice
        order = {
            "id": number,
            "customer": user,
            "invoice_id": invoice["id"],
            "product_id": "p-1",
            **body.model_dump(),
        }
        orders[number] = order
        return Order(**order)

    @app.get("/orders/{order_id}", responses=missing)
    def read_order(order_id: int, user: User) -> Order:
        order = orders.get(order_id)
        if order is None or order["customer"] != user:
            raise HTTPException(404, "no such order")
        return Order(**order)

    @app.post("/orders/{order_id}/cancel", responses=missing)
    def cancel(order_id: int, user: User) -> Order:
        order = orders.get(order_id)
        if order is None or (order["customer"] != user and not foreign_cancel):
            raise HTTPException(404, "no such order")
        order["cancelled"] = True
        return Order(**order)

    @app.get("/invoices/{invoice_id}", responses=missing)
    def read_invoice(invoice_id: str, user: User) -> Invoice:
        invoice = invoices.get(invoice_id)
        if invoice is None or (invoice["customer"] != user and not foreign_invoices):
            raise HTTPException(404, "no such invoice")
        return Invoice(**invoice)

    @app.get("/products/{product_id}", responses=missing)
    def read_product(product_id: str, user: User) -> Product:
        if product_id not in products:
            raise HTTPException(404, "no such product")
        return Product(**products[product_id])

    return app
