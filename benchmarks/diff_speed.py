"""`assay diff` speed: two generated specs of 100 and of 1,000 operations.

Each spec has one resource per five operations (list, create, get, update, delete) with
component schemas that share nested ones (Money, Address, Error), enums, arrays, bounds
and patterns. In the new version every third resource has one change (operations
removed, parameters made required, enums narrowed and widened, bounds tightened,
properties removed). Prints, per size, the best of R rounds for loading both documents
and for diffing them, the number of changes, and the 10x ratios (linear growth is 10).
Times are this process's CPU time (`time.process_time`): on a shared, loaded machine
wall-clock time mostly measures the other processes.

Run: .venv/bin/python benchmarks/diff_speed.py [--rounds R]
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from assay.contract.diff import all_rules, diff_specs, render, run_diff
from assay.spec import Spec, from_dict

REF = "#/components/schemas/"


def _shared() -> dict[str, Any]:
    return {
        "Money": {
            "type": "object",
            "required": ["amount", "currency"],
            "properties": {
                "amount": {"type": "integer", "minimum": 0},
                "currency": {"type": "string", "enum": ["EUR", "USD", "GBP"]},
            },
        },
        "Address": {
            "type": "object",
            "properties": {
                "street": {"type": "string", "maxLength": 200},
                "zip": {"type": "string", "pattern": "^[0-9]{5}$"},
                "country": {"type": "string", "minLength": 2, "maxLength": 2},
            },
        },
        "Error": {
            "type": "object",
            "required": ["title"],
            "properties": {"title": {"type": "string"}, "detail": {"type": ["string", "null"]}},
        },
    }


def _resource(i: int) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "name", "status", "price"],
        "properties": {
            "id": {"type": "string", "format": "uuid", "readOnly": True},
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "status": {"type": "string", "enum": ["draft", "active", "archived"]},
            "price": {"$ref": f"{REF}Money"},
            "address": {"$ref": f"{REF}Address"},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
            "quantity": {"type": "integer", "minimum": 0, "maximum": 10_000},
            "note": {"type": "string", "nullable": True},
            "created": {"type": "string", "format": "date-time", "readOnly": True},
            "kind": {"type": "string", "default": f"kind-{i}"},
        },
    }


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _operations(name: str) -> dict[str, Any]:
    ref = {"$ref": f"{REF}{name}"}
    error = {"description": "Problem", **_json({"$ref": f"{REF}Error"})}
    ident = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    paging = [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
        {"name": "cursor", "in": "query", "schema": {"type": "string"}},
    ]
    listing = _json({"type": "object", "properties": {"items": {"type": "array", "items": ref}}})
    return {
        f"/{name.lower()}s": {
            "get": {
                "operationId": f"list{name}",
                "parameters": paging,
                "tags": [name],
                "responses": {"200": {"description": "OK", **listing}, "422": error},
            },
            "post": {
                "operationId": f"create{name}",
                "tags": [name],
                "requestBody": {"required": True, **_json(ref)},
                "responses": {"201": {"description": "Created", **_json(ref)}, "422": error},
            },
        },
        f"/{name.lower()}s/{{id}}": {
            "parameters": ident,
            "get": {
                "operationId": f"get{name}",
                "responses": {"200": {"description": "OK", **_json(ref)}, "404": error},
            },
            "put": {
                "operationId": f"update{name}",
                "requestBody": {"required": True, **_json(ref)},
                "responses": {"200": {"description": "OK", **_json(ref)}, "404": error},
            },
            "delete": {
                "operationId": f"delete{name}",
                "responses": {"204": {"description": "Gone"}},
            },
        },
    }


def generate(operations: int) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas = _shared()
    for i in range(operations // 5):
        name = f"Item{i}"
        schemas[name] = _resource(i)
        paths.update(_operations(name))
    return {
        "openapi": "3.1.0",
        "info": {"title": "Bench", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def evolve(doc: dict[str, Any]) -> dict[str, Any]:
    """Every third resource gets one change, of six rotating kinds."""
    new = copy.deepcopy(doc)
    schemas, paths = new["components"]["schemas"], new["paths"]
    names = [n for n in schemas if n.startswith("Item")]
    for k, name in enumerate(names[::3]):
        lower = name.lower()
        kind = k % 6
        if kind == 0:
            del paths[f"/{lower}s/{{id}}"]["delete"]
        elif kind == 1:
            paths[f"/{lower}s"]["get"]["parameters"][1] = {
                "name": "cursor",
                "in": "query",
                "required": True,
                "schema": {"type": "string"},
            }
        elif kind == 2:
            schemas[name]["properties"]["status"]["enum"] = ["draft", "active", "deleted"]
        elif kind == 3:
            schemas[name]["properties"]["quantity"]["maximum"] = 1_000
        elif kind == 4:
            del schemas[name]["properties"]["address"]
        else:
            schemas[name]["required"].append("quantity")
    return new


def _timed(action: Any) -> tuple[float, Any]:
    gc.collect()
    start = time.process_time()
    result = action()
    return time.process_time() - start, result


def measure(sizes: tuple[int, ...], rounds: int) -> dict[int, tuple[float, float, int]]:
    """Best load and diff time per size; the sizes take turns in every round."""
    docs = {}
    for size in sizes:
        old = generate(size)
        docs[size] = (old, evolve(old))
    best = {size: (float("inf"), float("inf"), 0) for size in sizes}
    for _ in range(rounds):
        for size, (old_doc, new_doc) in docs.items():
            load, (old, new) = _timed(lambda o=old_doc, n=new_doc: (from_dict(o), from_dict(n)))
            assert isinstance(old, Spec)
            assert len(old) == size
            diff, changes = _timed(lambda o=old, n=new: diff_specs(o, n))
            previous = best[size]
            best[size] = (min(previous[0], load), min(previous[1], diff), len(changes))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    print(
        f"assay diff: {len(all_rules())} rules; CPU time, best of {args.rounds} interleaved rounds"
    )
    results = measure((100, 1_000), args.rounds)
    for size, (load, diff, found) in results.items():
        print(
            f"{size:>5} operations: load both {load * 1000:7.1f} ms, diff {diff * 1000:7.1f} ms,"
            f" total {(load + diff) * 1000:7.1f} ms, {found} changes"
        )
    (l1, d1, _), (l2, d2, _) = results[100], results[1_000]
    print(
        f"10x operations: diff x{d2 / d1:.1f}, load+diff x{(l2 + d2) / (l1 + d1):.1f} "
        "(linear = 10, target <= 12)"
    )
    print(
        f"1,000 operations under 1 s: diff {'yes' if d2 < 1 else 'NO'}, "
        f"load+diff {'yes' if l2 + d2 < 1 else 'NO'}"
    )
    end_to_end(1_000, args.rounds)


def end_to_end(size: int, rounds: int) -> None:
    """`assay diff old.json new.json` as the command runs it: read, parse, load, diff, render."""
    with tempfile.TemporaryDirectory() as folder:
        old_path, new_path = Path(folder) / "old.json", Path(folder) / "new.json"
        old = generate(size)
        old_path.write_text(json.dumps(old), encoding="utf-8")
        new_path.write_text(json.dumps(evolve(old)), encoding="utf-8")
        cpu = wall = float("inf")
        for _ in range(rounds):
            gc.collect()
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            render(run_diff(str(old_path), str(new_path)), "text")
            cpu = min(cpu, time.process_time() - start_cpu)
            wall = min(wall, time.perf_counter() - start_wall)
    print(
        f"end to end, two {size:,}-operation JSON files to a text report: "
        f"CPU {cpu * 1000:.1f} ms, wall {wall * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
