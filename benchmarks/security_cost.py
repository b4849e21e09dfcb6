"""What the auth and security phases add to ``assay run`` on the one-process shop.

Issue 7's target: the auth + security phases add under 30 s to a run of the
one-process shop. One run of ``shop.bootstrap:create_app()`` with the identities of
``examples/shop/assay.toml``, seed 1, every default phase plus ``security``; the
per-phase wall time comes from the engine's ``phase_started``/``phase_finished``
events (the same timer as ``benchmarks/engine_scale.py``). Prints each phase, the
auth + security total against the target, and its ratio to the rest of the battery.
The clean shop must give no finding.

Run: .venv/bin/python benchmarks/security_cost.py [--seed N]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from benchmarks.engine_scale import SHOP_TARGET, PhaseTimer, SleepMeter, load_line, shop_settings

TARGET_S = 30.0
ADDED = ("auth", "security")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from assay.engine.runner import run_engine
    from assay.engine.settings import DEFAULT_PHASES

    phases = tuple(dict.fromkeys((*DEFAULT_PHASES, *ADDED)))
    settings = replace(shop_settings(), seed=args.seed, phases=phases)
    print(load_line(), "(before)")
    with SleepMeter() as sleeps:
        timer = PhaseTimer(sleeps)
        started = time.perf_counter()
        result = run_engine(SHOP_TARGET, settings=settings, sinks=[timer])
        total = time.perf_counter() - started
    print(f"phases: {', '.join(phases)}  seed: {args.seed}  cases: {result.cases}")
    print(f"{'phase':<10} {'wall s':>7} {'cases':>6}")
    for phase in timer.phases:
        print(f"{phase['phase']:<10} {phase['seconds']:7.1f} {phase['cases']:6d}")
    added = sum(p["seconds"] for p in timer.phases if p["phase"] in ADDED)
    rest = total - added
    print(f"whole run:        {total:6.1f} s")
    print(f"auth + security:  {added:6.1f} s   (target < {TARGET_S:.0f} s)")
    print(f"ratio to the rest of the battery: {added / rest:.2f}x" if rest > 0 else "")
    print(f"findings: {len(result.findings)} (must be 0)")
    for finding in result.findings[:10]:
        print(f"  finding: {str(finding).splitlines()[0][:160]}")
    print(load_line(), "(after)")
    ok = added < TARGET_S and not result.findings
    print(f"verdict: {'OK' if ok else 'OVER TARGET' if result.findings == [] else 'FINDINGS'}")


if __name__ == "__main__":
    main()
