"""How the engine scales: the default battery on the shop, and memory on a 250-operation spec.

Two measurements, against the issue's performance targets:

* the shop: ``run_engine("shop.bootstrap:create_app()")`` with the identities of
  ``examples/shop/assay.toml``, every default phase and check, seed 1 — wall time,
  cases, cases/s, findings (must be 0) and a per-phase breakdown taken from the
  engine's ``phase_started``/``phase_finished`` events (target: under 60 s on 2 cores);
* a 250-operation FastAPI app (the generator of ``benchmarks/spec_load.py``) run
  in-process with the default battery but small ``max_examples``/``max_cases``, in a
  fresh subprocess so the shop run does not pollute it — peak RSS (``ru_maxrss``) and
  tracemalloc peak (target: under 300 MB).

The memory run goes first, while this process is still small. The machine's load
average is printed, since other processes skew wall times.
``--profile`` also runs the shop battery once under cProfile and prints the top 25
functions by cumulative time in assay and shop frames, after own time by package.

Run: .venv/bin/python benchmarks/engine_scale.py [--profile] [--skip-shop] [--skip-memory]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHOP_CONFIG = ROOT / "examples" / "shop" / "assay.toml"
SHOP_TARGET = "shop.bootstrap:create_app()"
SHOP_TARGET_S = 60.0
MEMORY_TARGET_MB = 300.0
LARGE_MAX_EXAMPLES = 5
LARGE_MAX_CASES = 20


class SleepMeter:
    """Counts the seconds spent in ``time.sleep`` (rate-limit waits, settle delays).

    Installed around a run by replacing ``time.sleep`` with a counting wrapper; the
    engine's code is unchanged (it looks ``time.sleep`` up when it builds its objects).
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._real = time.sleep

    def sleep(self, delay: float) -> None:
        self.calls += 1
        self.seconds += max(delay, 0.0)
        self._real(delay)

    def __enter__(self) -> SleepMeter:
        time.sleep = self.sleep
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep = self._real


class PhaseTimer:
    """An event sink that keeps each phase's start/finish time stamps and counts."""

    def __init__(self, sleeps: SleepMeter) -> None:
        self.sleeps = sleeps
        self.started: dict[str, tuple[float, float, float]] = {}
        self.phases: list[dict[str, Any]] = []
        self.closed = False

    def emit(self, event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "phase_started":
            self.started[event["phase"]] = (
                event["time"],
                time.process_time(),
                self.sleeps.seconds,
            )
        elif kind == "phase_finished":
            name = event["phase"]
            wall, cpu, slept = self.started[name]
            self.phases.append(
                {
                    "phase": name,
                    "seconds": event["time"] - wall,
                    "cpu": time.process_time() - cpu,
                    "slept": self.sleeps.seconds - slept,
                    "cases": event.get("cases", 0),
                    "findings": event.get("findings", 0),
                    "skipped": event.get("skipped"),
                }
            )

    def close(self) -> None:
        self.closed = True


def load_line() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average: {one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min), cpus: {os.cpu_count()}"


def shop_settings() -> Any:
    from assay.config import build_identities, load_config
    from assay.engine.settings import RunSettings

    identities = tuple(build_identities(load_config(SHOP_CONFIG)))
    return RunSettings(seed=1, identities=identities)


def run_shop() -> tuple[Any, PhaseTimer, float, float]:
    """One shop run; the timer also carries the seconds slept (``timer.sleeps``)."""
    from assay.engine.runner import run_engine

    settings = shop_settings()
    with SleepMeter() as sleeps:
        timer = PhaseTimer(sleeps)
        started, cpu = time.perf_counter(), time.process_time()
        result = run_engine(SHOP_TARGET, settings=settings, sinks=[timer])
    return result, timer, time.perf_counter() - started, time.process_time() - cpu


def report_shop() -> None:
    print("== default battery on the one-process shop ==")
    print(load_line(), "(before)")
    result, timer, seconds, cpu = run_shop()
    slept = timer.sleeps.seconds
    findings = len(result.findings)
    waiting = max(seconds - cpu - slept, 0.0)
    print(f"operations: {len(result.operations)}  checks: {len(result.checks)}  seed: 1")
    print(f"wall time:     {seconds:7.1f} s   (target < {SHOP_TARGET_S:.0f} s on 2 cores)")
    print(f"  process CPU: {cpu:7.1f} s   (user+sys, all threads)")
    print(f"  time.sleep:  {slept:7.1f} s   ({timer.sleeps.calls} calls; e.g. token 429 waits)")
    print(f"  the rest:    {waiting:7.1f} s   (waiting for a core: other processes' load)")
    print(f"idle-machine estimate (CPU + sleep): {cpu + slept:6.1f} s")
    print(f"cases:      {result.cases:8d}")
    print(
        f"cases/s:    {result.cases / seconds:8.1f}   (wall)  {result.cases / cpu:8.1f} (per CPU s)"
    )
    print(f"findings:   {findings:8d}   (must be 0)")
    if result.stopped:
        print(f"stopped early: {result.stopped}")
    if result.internal_errors:
        print(f"internal errors: {len(result.internal_errors)}")
        for message in result.internal_errors[:5]:
            print(f"  {message}")
    for finding in result.findings[:10]:
        print(f"  finding: {str(finding).splitlines()[0][:160]}")
    print(
        f"{'phase':<10} {'wall s':>7} {'cpu s':>7} {'slept s':>7} {'share':>6} {'cases':>6}"
        f" {'cases/s':>7} {'findings':>8}"
    )
    for phase in timer.phases:
        share = phase["seconds"] / seconds if seconds else 0.0
        rate = phase["cases"] / phase["seconds"] if phase["seconds"] else 0.0
        print(
            f"{phase['phase']:<10} {phase['seconds']:7.1f} {phase['cpu']:7.1f}"
            f" {phase['slept']:7.1f} {share:6.1%} {phase['cases']:6d} {rate:7.1f}"
            f" {phase['findings']:8d}"
        )
    print(load_line(), "(after)")
    verdict = "FINDINGS" if findings else "OK" if seconds < SHOP_TARGET_S else "OVER TARGET"
    idle = "OK" if cpu + slept < SHOP_TARGET_S else "OVER TARGET"
    print(f"verdict: {verdict} (wall); {idle} (idle-machine estimate)")


def _bucket(filename: str, name: str) -> str:
    if "time.sleep" in name:
        return "time.sleep"
    if "epoll" in name or ("acquire" in name and "lock" in name):
        return "waiting (event loop poll, thread locks)"
    if "/src/assay/" in filename:
        inside = filename.split("/src/assay/")[1]
        return "assay." + inside.split("/", maxsplit=1)[0].removesuffix(".py")
    if "/shop/" in filename:
        return "shop"
    if "site-packages/" in filename:
        return filename.split("site-packages/")[1].split("/", maxsplit=1)[0]
    return "builtins" if filename == "~" else "stdlib"


def profile_shop() -> None:
    print("== shop battery under cProfile ==")
    profiler = cProfile.Profile()
    profiler.enable()
    run_shop()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    totals: dict[str, float] = {}
    for (filename, _, name), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        key = _bucket(filename, name)
        totals[key] = totals.get(key, 0.0) + own
    whole = sum(totals.values()) or 1.0
    print("own time by package (main thread only; handlers run in worker threads):")
    for key, own in sorted(totals.items(), key=lambda item: -item[1])[:15]:
        print(f"  {own:7.1f} s {own / whole:6.1%}  {key}")
    print("top 25 by cumulative time, assay and shop frames:")
    stats.sort_stats("cumulative").print_stats(r"/(assay|shop)/", 25)
    print(out.getvalue().replace(str(ROOT) + "/", ""))


def vm_hwm_kb() -> int | None:
    """This process's peak resident set (``VmHWM``), reset by exec, unlike ``ru_maxrss``.

    On Linux ``ru_maxrss`` survives fork and exec, so a child started by a process that
    was once big reports at least the parent's peak; ``VmHWM`` belongs to the new image.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def memory_child() -> None:
    """In a fresh process: the default battery on the 250-operation app; prints JSON."""
    sys.path.insert(0, str(ROOT))
    from assay.engine.runner import run_engine
    from assay.engine.settings import RunSettings
    from benchmarks.spec_load import make_app

    app = make_app()
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    settings = RunSettings(seed=1, max_examples=LARGE_MAX_EXAMPLES, max_cases=LARGE_MAX_CASES)
    tracemalloc.start()
    started = time.perf_counter()
    result = run_engine(app, settings=settings)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "operations": len(result.operations),
                "cases": result.cases,
                "findings": len(result.findings),
                "stopped": result.stopped,
                "seconds": seconds,
                "baseline_rss_kb": baseline_kb,
                "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "vm_hwm_kb": vm_hwm_kb(),
                "tracemalloc_peak": peak,
            }
        )
    )


def report_memory() -> None:
    print("== peak memory on a 250-operation spec (fresh subprocess) ==")
    print(load_line())
    command = [sys.executable, str(Path(__file__).resolve()), "--memory-child"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-4000:])
        raise SystemExit("the memory run failed")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    peak_kb = data["vm_hwm_kb"] or data["peak_rss_kb"]  # both in KiB on Linux
    peak_mb = peak_kb / 1024
    print(
        f"operations: {data['operations']}  max_examples: {LARGE_MAX_EXAMPLES}  "
        f"max_cases: {LARGE_MAX_CASES}  seed: 1"
    )
    print(
        f"run:        {data['seconds']:8.1f} s, {data['cases']} cases "
        f"({data['cases'] / data['seconds']:.1f}/s), {data['findings']} findings"
        + (f", stopped: {data['stopped']}" if data["stopped"] else "")
    )
    print(f"RSS after building the app: {data['baseline_rss_kb'] / 1024:8.1f} MiB")
    print(f"peak RSS (ru_maxrss):       {data['peak_rss_kb'] / 1024:8.1f} MiB")
    print(f"peak RSS (VmHWM):           {peak_mb:8.1f} MiB  (target < {MEMORY_TARGET_MB:.0f} MB)")
    print(
        f"tracemalloc peak (run):     {data['tracemalloc_peak'] / 2**20:8.1f} MiB"
        "  (Python allocations during run_engine)"
    )
    print("verdict:", "OK" if peak_mb * 1.048576 < MEMORY_TARGET_MB else "OVER TARGET")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="also profile one shop run")
    parser.add_argument("--skip-shop", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child()
        return
    if not args.skip_memory:  # first, while this process is small (see vm_hwm_kb)
        report_memory()
        print()
    if not args.skip_shop:
        report_shop()
        print()
    if args.profile:
        profile_shop()


if __name__ == "__main__":
    main()
