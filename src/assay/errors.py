"""The two roots of everything assay raises.

* `AssayError` — the tool was misused or given bad input (a broken spec, an unreachable
  URL, a bad configuration value). Its message is one paragraph: what happened, what was
  expected, and what to do.
* `Finding` — a defect of the system under test. It is an `AssertionError`, so pytest
  shows it as a test failure, not as an error in the test itself.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["AssayError", "Finding", "Reproduction", "Severity"]


class AssayError(Exception):
    """Misuse of assay or bad input to it: the message says what to do.

    `pointer` is the JSON pointer into the OpenAPI document when the problem is in it,
    `hint` the suggested next step (already part of the message).
    """

    def __init__(self, message: str, *, pointer: str | None = None, hint: str | None = None):
        self.message = message
        self.pointer = pointer
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        text = f"{self.pointer}: {self.message}" if self.pointer else self.message
        if self.hint:
            text = f"{text.rstrip('.')}. {self.hint}"
        return text


class Severity(enum.IntEnum):
    """How bad a finding is; ordered, so `severity >= Severity.HIGH` works."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Reproduction:
    """How to send the request that shows a finding again."""

    curl: str
    replay: str | None = None


class Finding(AssertionError):
    """A defect of the system under test, found by a check.

    `check` is the registered name of the check that raised it, `operation` the label of
    the operation (``"POST /orders"``) when there is one, `evidence` a small mapping of
    facts (status, header values, the schema pointer…) and `reproduction` the request as a
    `curl` line.
    """

    def __init__(
        self,
        title: str,
        *,
        check: str = "assertion",
        severity: Severity = Severity.MEDIUM,
        operation: str | None = None,
        detail: str | None = None,
        evidence: Mapping[str, Any] | None = None,
        reproduction: Reproduction | None = None,
        signature: str | None = None,
    ) -> None:
        self.title = title
        self.check = check
        self.severity = severity
        self.operation = operation
        self.detail = detail
        self.evidence: dict[str, Any] = dict(evidence or {})
        self.reproduction = reproduction
        self.signature = signature or title
        """What makes two findings of one check on one operation the same defect."""
        super().__init__(self.render())

    def render(self) -> str:
        """The full human-readable text of the finding, as pytest shows it."""
        head = f"[{self.check}] {self.title}"
        if self.operation:
            head = f"{head} ({self.operation})"
        parts = [head]
        if self.detail:
            parts.append(self.detail)
        if self.reproduction is not None and self.reproduction.curl not in (self.detail or ""):
            parts.append(f"Reproduce with:\n    {self.reproduction.curl}")
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the finding (for reports)."""
        return {
            "check": self.check,
            "title": self.title,
            "severity": str(self.severity),
            "operation": self.operation,
            "detail": self.detail,
            "evidence": self.evidence,
            "curl": self.reproduction.curl if self.reproduction else None,
            "signature": self.signature,
        }
