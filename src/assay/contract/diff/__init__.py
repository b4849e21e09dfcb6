"""Breaking-change detection between two OpenAPI documents (``assay diff OLD NEW``).

`run_diff` loads both sides (files, URLs, import strings, ``git:REV:path``), walks them
and returns a `DiffReport` of `Change`s, each named by a `Rule` of the catalogue
(`all_rules`) with a `Level`: ERR for breaking changes, WARN, INFO. `render` turns a
report into text, markdown, JSON, JUnit XML or a changelog.
"""

from __future__ import annotations

from assay.contract.diff.acceptance import Acceptance, load_acceptances
from assay.contract.diff.changes import Change
from assay.contract.diff.differ import diff_specs
from assay.contract.diff.formats import FORMATS, render
from assay.contract.diff.outcome import DiffReport, compare, run_diff
from assay.contract.diff.rules import Level, Rule, all_rules
from assay.contract.diff.sources import load_side

__all__ = [
    "FORMATS",
    "Acceptance",
    "Change",
    "DiffReport",
    "Level",
    "Rule",
    "all_rules",
    "compare",
    "diff_specs",
    "load_acceptances",
    "load_side",
    "render",
    "run_diff",
]
