"""The check catalogue: plain functions that look at one exchange and raise `Finding`.

A check is registered with `@check(...)`; its docstring says exactly when it fires and
why that is a defect (the catalogue in the docs is generated from it). Checks never
send requests themselves except through `CheckContext.client` for follow-ups, and
every check has a test where it fires and one where it must stay silent.
"""

from assay.checks.registry import (
    Check,
    CheckContext,
    CheckFunction,
    Exchange,
    all_checks,
    check,
    get_check,
    select_checks,
)

__all__ = [
    "Check",
    "CheckContext",
    "CheckFunction",
    "Exchange",
    "all_checks",
    "check",
    "get_check",
    "select_checks",
]
