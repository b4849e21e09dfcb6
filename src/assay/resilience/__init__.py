"""Resilience testing: a fault proxy between services, and what it saw.

`FaultProxy` sits between a service under test and one of its dependencies and
applies faults (`Hang`, `Latency`, `Reset`, `Refuse`, `Status`, `FailFirst`, scoped
with `Fault.on`); its `CallLog` records every call, so tests and the checks of
`assay.checks.resilience` can count calls, compare their Idempotency-Keys and measure
the pauses between retries. The engine's ``resilience`` phase (`run_resilience`)
drives it from ``[resilience]`` in assay.toml. See docs/resilience.md.
"""

from __future__ import annotations

from assay.resilience.calls import Call, CallLog
from assay.resilience.faults import (
    FailFirst,
    Fault,
    Hang,
    Latency,
    PassThrough,
    Refuse,
    Reset,
    Scope,
    Status,
)
from assay.resilience.proxy import FaultProxy

__all__ = [
    "Call",
    "CallLog",
    "FailFirst",
    "Fault",
    "FaultProxy",
    "Hang",
    "Latency",
    "PassThrough",
    "Refuse",
    "Reset",
    "Scope",
    "Status",
]
