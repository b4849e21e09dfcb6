"""In-process request overhead: assay's APITestClient against httpx2's ASGITransport.

Same FastAPI app, same run, interleaved rounds; prints the median per-request time of
each and the ratios. Four columns, as the foundation issue asks:

* direct ASGI call (the floor: the app alone, no client),
* httpx2 AsyncClient + ASGITransport (the reference),
* Starlette's TestClient,
* APITestClient with validation off, and with response validation on.

Run: .venv/bin/python benchmarks/client_overhead.py [--requests N] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx2
from fastapi import FastAPI
from pydantic import BaseModel
from starlette.testclient import TestClient

from assay.client import APITestClient


class Item(BaseModel):
    id: int
    name: str
    price: int
    tags: list[str]


def make_app() -> FastAPI:
    app = FastAPI()

    @app.get("/items/{item_id}", operation_id="getItem", response_model=Item)
    async def get_item(item_id: int) -> Item:
        return Item(id=item_id, name="widget", price=1250, tags=["a", "b"])

    return app


async def _direct(app: FastAPI, n: int) -> None:
    body = b""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Any) -> None:
        return None

    for i in range(n):
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": f"/items/{i}",
            "raw_path": f"/items/{i}".encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"testserver")],
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 1),
        }
        await app(scope, receive, send)


async def _httpx(app: FastAPI, n: int) -> None:
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for i in range(n):
            (await client.get(f"/items/{i}")).raise_for_status()


def run_direct(app: FastAPI, n: int) -> None:
    asyncio.run(_direct(app, n))


def run_httpx(app: FastAPI, n: int) -> None:
    asyncio.run(_httpx(app, n))


def run_testclient(app: FastAPI, n: int) -> None:
    with TestClient(app) as client:
        for i in range(n):
            client.get(f"/items/{i}").raise_for_status()


def _assay(validate: bool) -> Callable[[FastAPI, int], None]:
    def run(app: FastAPI, n: int) -> None:
        with APITestClient(app, validate=validate, spec="auto" if validate else None) as client:
            client.get("/items/0")  # spec loading and validator compilation: once per client
            for i in range(n):
                client.get(f"/items/{i}")

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    contenders: dict[str, Callable[[FastAPI, int], None]] = {
        "direct ASGI call": run_direct,
        "httpx2 ASGITransport": run_httpx,
        "Starlette TestClient": run_testclient,
        "assay, validation off": _assay(False),
        "assay, validation on": _assay(True),
    }
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    app = make_app()
    app.openapi()
    for _ in range(args.rounds):
        for name, run in contenders.items():
            start = time.perf_counter()
            run(app, args.requests)
            samples[name].append((time.perf_counter() - start) / args.requests * 1e6)
    reference = statistics.median(samples["httpx2 ASGITransport"])
    print(f"{args.requests} requests x {args.rounds} rounds, median µs per request")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"  {name:<24} {median:8.1f} µs   {median / reference:5.2f}x httpx2 ASGITransport")


if __name__ == "__main__":
    main()
