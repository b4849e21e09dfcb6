"""The README's main job: assay against the bundled quickstart app, no services needed.

1. ``assay spec`` lists the app's operations and the problems of its OpenAPI document.
2. A scripted API session with `APITestClient`: OAuth2 login, create/read/update/delete,
   per-user isolation, fluent expectations with automatic response validation, and the
   readable failure a broken expectation gives.
3. The recorded exchanges with their timings.

Run: ``make demo`` (or ``python -m examples.demo`` inside the virtual environment).
Exits 0 when every step behaved as expected, 1 otherwise.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.rule import Rule
from rich.table import Table

from assay import APITestClient, Finding, Identity
from assay.cli import main as assay_command

TARGET = "examples.quickstart.app:app"
console = Console(highlight=False)


def identities() -> list[Identity]:
    return [
        Identity.oauth2_password("ana", "/token", "ana@example.com", "ana-password"),
        Identity.oauth2_password("ben", "/token", "ben@example.com", "ben-password"),
    ]


def step(title: str) -> None:
    console.print(Rule(title, align="left"))


def scripted_session(client: APITestClient) -> None:
    ana, ben = client.as_identity("ana"), client.as_identity("ben")
    step("ana creates a task (token fetched from POST /token on first use)")
    created = ana.call("createTask", json={"title": "Write the release notes"})
    created.expect.status(201).header("Location").json_path("$.id", int).matches_schema()
    task_id = created.json()["id"]
    console.print(f"  created task {task_id}: {created.json()}")

    step("ana reads, updates and lists it; every response is checked against the spec")
    ana.call("getTask", path={"task_id": task_id}).expect.status(200).json_path(
        "$.title", "Write the release notes"
    )
    ana.call("updateTask", path={"task_id": task_id}, json={"title": "Ship it", "done": True})
    ana.call("listTasks", query={"done": True}).expect.status(200).json_path("$[0].done", True)
    console.print("  read, update and filtered list behave as documented")

    step("ben cannot see ana's task; nobody gets in without a token")
    ben.call("getTask", path={"task_id": task_id}).expect.status(404)
    client.call("listTasks").expect.status(401).header("WWW-Authenticate", "Bearer")
    console.print("  ben gets 404 (existence not leaked), anonymous gets 401 with a challenge")

    step("a wrong expectation fails with the request, the response and the spec location")
    try:
        ben.call("getTask", path={"task_id": task_id}).expect.status(200)
    except Finding as failure:
        console.print(str(failure), markup=False)
    else:
        raise SystemExit("the wrong expectation did not fail")

    step("ana deletes it; it is gone")
    ana.call("deleteTask", path={"task_id": task_id}).expect.status(204)
    ana.call("getTask", path={"task_id": task_id}).expect.status(404)
    console.print("  deleted, then 404")


def exchanges_table(client: APITestClient) -> Table:
    table = Table(title="recorded exchanges", title_justify="left")
    for column in ("identity", "request", "status", "ms"):
        table.add_column(column, justify="right" if column == "ms" else "left")
    for exchange in client.exchanges:
        request = exchange.request
        table.add_row(
            exchange.identity or "-",
            f"{request.method} {request.url.path}",
            str(exchange.response.status_code),
            f"{exchange.elapsed_ms:.2f}",
        )
    return table


def main() -> int:
    step(f"assay spec {TARGET}")
    if assay_command(["spec", TARGET]) != 0:
        return 1
    with APITestClient(TARGET, identities=identities()) as client:
        try:
            scripted_session(client)
        except Finding as finding:
            console.print(f"[red]unexpected finding:[/]\n{finding}")
            return 1
        console.print(exchanges_table(client))
    console.print("[green]demo finished: every step behaved as the spec says[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
