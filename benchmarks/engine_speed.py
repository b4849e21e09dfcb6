"""Cases per second: `assay run` against Schemathesis on the same service, same run.

The target is a small FastAPI service (benchmarks/targets/catalog.py, six operations
with constrained parameters and bodies) that counts the requests it receives, so both
tools are measured by what the service saw, not by what they claim. Two pairings:

* live URL: ``st run URL --max-examples N`` against ``assay run URL --phases fuzz
  --max-examples N``, the service under uvicorn on 127.0.0.1;
* in-process: Schemathesis' pytest integration (``from_asgi``) against assay's
  ``run_engine(app)``.

Each pairing runs ``--rounds`` times, interleaved; medians are printed with the ratio.
Schemathesis is installed into its own environment (``.venv-bench``) on first use.

Run: .venv/bin/python benchmarks/engine_speed.py [--examples N] [--rounds R]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_VENV = ROOT / ".venv-bench"
TARGET = "benchmarks.targets.catalog:app"


def peer_python() -> Path:
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "schemathesis", "fastapi", "uvicorn", "pytest"], check=True)
    return python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """The target under uvicorn on 127.0.0.1, with its request counter."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "uvicorn", TARGET, "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--log-level", "warning"], cwd=ROOT, env={**os.environ}
        )
        for _ in range(100):
            try:
                self.count()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the benchmark target did not start")

    def count(self) -> int:
        with urllib.request.urlopen(f"{self.url}/__requests", timeout=2) as answer:
            return int(json.load(answer)["requests"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def timed(
    command: list[str], server: Server, env: dict[str, str] | None = None
) -> tuple[float, int]:
    before = server.count()
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=False, env=env)
    elapsed = time.perf_counter() - start
    return elapsed, server.count() - before - 1  # minus the counter request itself


def live_pair(server: Server, examples: int) -> dict[str, tuple[float, int]]:
    st = [str(BENCH_VENV / "bin" / "st"), "run", f"{server.url}/openapi.json"]
    st += ["--max-examples", str(examples), "--phases", "fuzzing", "--workers", "1"]
    assay = [str(ROOT / ".venv" / "bin" / "assay"), "run", server.url, "--phases", "fuzz"]
    assay += ["--max-examples", str(examples), "--seed", "1"]
    return {"schemathesis CLI": timed(st, server), "assay run": timed(assay, server)}


PYTEST_FILE = """
import schemathesis
from hypothesis import settings, HealthCheck
from benchmarks.targets.catalog import app

schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples={examples}, deadline=None, suppress_health_check=list(HealthCheck))
def test_api(case):
    case.call()
"""

ASSAY_SCRIPT = """
from assay.engine import RunSettings, run_engine
from benchmarks.targets.catalog import app
run_engine(app, settings=RunSettings(phases=("fuzz",), max_examples={examples}, seed=1))
"""


def in_process_pair(examples: int) -> dict[str, tuple[float, int]]:
    with tempfile.TemporaryDirectory() as folder:
        test = Path(folder) / "test_peer.py"
        test.write_text(PYTEST_FILE.format(examples=examples))
        peer = [str(peer_python()), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)]
        peer_counter = [*peer, "-s"]
        results = {}
        for name, command in (
            ("schemathesis pytest (from_asgi)", peer_counter),
            (
                "assay run_engine(app)",
                [sys.executable, "-c", ASSAY_SCRIPT.format(examples=examples)],
            ),
        ):
            env = {**os.environ, "PYTHONPATH": str(ROOT), "CATALOG_REPORT": str(Path(folder) / "n")}
            start = time.perf_counter()
            subprocess.run(command, cwd=folder, capture_output=True, check=False, env=env)
            elapsed = time.perf_counter() - start
            count_file = Path(folder) / "n"
            requests = int(count_file.read_text()) if count_file.exists() else 0
            count_file.unlink(missing_ok=True)
            results[name] = (elapsed, requests)
        return results


def report(title: str, rounds: list[dict[str, tuple[float, int]]]) -> None:
    names = list(rounds[0])
    rates = {
        n: [cases / max(seconds, 1e-9) for seconds, cases in (r[n] for r in rounds)] for n in names
    }
    cases = {n: statistics.median(r[n][1] for r in rounds) for n in names}
    seconds = {n: statistics.median(r[n][0] for r in rounds) for n in names}
    print(title)
    for name in names:
        print(
            f"  {name:<34} {statistics.median(rates[name]):8.0f} cases/s "
            f"({cases[name]:.0f} cases in {seconds[name]:.2f} s)"
        )
    peer, ours = names
    ratio = statistics.median(rates[ours]) / max(statistics.median(rates[peer]), 1e-9)
    print(f"  ratio assay / Schemathesis: {ratio:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    peer_python()
    server = Server()
    try:
        live = [live_pair(server, args.examples) for _ in range(args.rounds)]
    finally:
        server.stop()
    in_process = [in_process_pair(args.examples) for _ in range(args.rounds)]
    report(f"live URL, {args.examples} examples per operation, {args.rounds} rounds", live)
    report(f"in-process, {args.examples} examples per operation, {args.rounds} rounds", in_process)


if __name__ == "__main__":
    main()
