"""`diff_specs`: every change between two documents, as the rule catalogue names them."""

from __future__ import annotations

import datetime as dt

from assay.contract.diff.changes import Change, ChangeLog
from assay.contract.diff.comparison import Comparison
from assay.contract.diff.document import compare_document
from assay.contract.diff.operations import compare_operations
from assay.contract.diff.security import compare_schemes
from assay.spec.model import Spec

__all__ = ["diff_specs"]


def diff_specs(old: Spec, new: Spec, *, today: dt.date | None = None) -> list[Change]:
    """The changes from `old` to `new`, in document order (operations first).

    `today` decides whether a sunset date has passed (default: the current date).
    """
    ctx = Comparison(old, new, ChangeLog(), today or dt.date.today())
    compare_operations(ctx)
    compare_schemes(ctx)
    compare_document(ctx)
    return ctx.log.changes
