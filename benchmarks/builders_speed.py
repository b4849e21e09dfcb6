"""Objects per second: assay's builders against polyfactory's ModelFactory, same models, same run.

The models (benchmarks/targets/shop_models.py) are what a shop's tests build: a customer
with an address, an order with a customer and lines, a payment — UUIDs, dates, enums,
patterns (SKUs, currencies, country codes), bounded integers (amounts in minor units).
Each side builds validated pydantic instances for a fixed time per model, in its own
process; rounds are interleaved and the median objects/s is printed with the ratio
(assay / polyfactory; ≥ 1 means we are not slower). A sample of each side's output is
printed too, to compare realism.

polyfactory is installed into its own environment (``.venv-bench``) on first use, with
the same pydantic version as ours, never into the project's dependencies.

Run: .venv/bin/python benchmarks/builders_speed.py [--seconds S] [--rounds R]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_VENV = ROOT / ".venv-bench"

MEASURE = """
import json, sys, time
sys.path.insert(0, {root!r})
from benchmarks.targets.shop_models import MODELS
{setup}
rates, samples = {{}}, {{}}
for model in MODELS:
    build = make(model)
    build()  # compile and warm up outside the clock
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < {seconds}:
        for _ in range(20):
            build()
        count += 20
    rates[model.__name__] = count / (time.perf_counter() - start)
    samples[model.__name__] = build().model_dump(mode="json")
print(json.dumps({{"rates": rates, "samples": samples}}))
"""

OURS = """
from assay import Builder
def make(model):
    return Builder.from_model(model, seed=1).build
"""

PEER = """
from polyfactory.factories.pydantic_factory import ModelFactory
def make(model):
    factory = ModelFactory.create_factory(model)
    factory.seed_random(1)
    return factory.build
"""


def peer_python() -> Path:
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
    probe = subprocess.run(
        [str(python), "-c", "import polyfactory"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        import pydantic

        pip = [str(python), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "polyfactory", f"pydantic=={pydantic.VERSION}"], check=True)
    return python


def measure(python: Path, setup: str, seconds: float) -> dict[str, dict[str, object]]:
    code = MEASURE.format(root=str(ROOT), setup=setup, seconds=seconds)
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per model and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    peer = peer_python()
    ours: list[dict[str, float]] = []
    theirs: list[dict[str, float]] = []
    for _ in range(args.rounds):
        mine = measure(Path(sys.executable), OURS, args.seconds)
        other = measure(peer, PEER, args.seconds)
        ours.append(mine["rates"])  # type: ignore[arg-type]
        theirs.append(other["rates"])  # type: ignore[arg-type]
    print(f"objects per second, median of {args.rounds} rounds of {args.seconds:.1f} s per model")
    print(f"  {'model':<10} {'assay':>10} {'polyfactory':>12} {'ratio':>7}")
    ratios = []
    for name in ours[0]:
        mine_rate = statistics.median(r[name] for r in ours)
        peer_rate = statistics.median(r[name] for r in theirs)
        ratios.append(mine_rate / peer_rate)
        print(f"  {name:<10} {mine_rate:10.0f} {peer_rate:12.0f} {ratios[-1]:6.1f}x")
    print(f"  ratio assay / polyfactory (geometric mean): {statistics.geometric_mean(ratios):.1f}x")
    print("\nsample order, assay:\n  " + json.dumps(mine["samples"]["Order"]))
    print("sample order, polyfactory:\n  " + json.dumps(other["samples"]["Order"]))


if __name__ == "__main__":
    main()
