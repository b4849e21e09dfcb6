"""``assay replay report.json#F001``: send one finding's reproduction again.

The report keeps each finding's smallest case; replay rebuilds it against the spec,
sends it to the target (the report's, or another one), runs the same check, and says
whether the defect is still there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay.checks.registry import Exchange, get_check
from assay.engine.runner import Engine, open_client
from assay.engine.settings import RunSettings
from assay.errors import AssayError, Finding
from assay.generation.cases import UNSET, Case
from assay.spec.model import Spec

__all__ = ["ReplayOutcome", "case_from_dict", "load_finding", "replay"]


@dataclass(slots=True)
class ReplayOutcome:
    """The finding replayed, the status it got now, and the finding if it still fails."""

    finding_id: str
    check: str
    operation: str
    status: int | None
    still_failing: Finding | None


def load_finding(reference: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The report and the finding ``path#ID`` points at, or a clear error."""
    path_text, _, finding_id = reference.partition("#")
    if not finding_id:
        raise AssayError(
            f"{reference!r} names no finding",
            hint="Write it as report.json#F001 (the ids are in the report and the summary).",
        )
    path = Path(path_text)
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AssayError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise AssayError(f"{path} is not a JSON report: {exc}") from None
    for finding in report.get("findings", []):
        if finding.get("id") == finding_id:
            return report, finding
    known = ", ".join(f["id"] for f in report.get("findings", [])) or "none"
    raise AssayError(f"{path} has no finding {finding_id}", hint=f"Its findings: {known}.")


def case_from_dict(spec: Spec, data: dict[str, Any]) -> Case:
    """Rebuild a `Case` from its report form against `spec`."""
    label = data.get("operation", "")
    operation = next((op for op in spec.operations if op.label == label), None)
    if operation is None:
        raise AssayError(
            f"the operation {label!r} of this finding is not in the target's spec any more",
            hint="Replay against the version of the service the report was made with.",
        )
    raw = data.get("raw_body")
    return Case(
        operation,
        path_parameters=dict(data.get("path_parameters") or {}),
        query=dict(data.get("query") or {}),
        headers=dict(data.get("headers") or {}),
        cookies=dict(data.get("cookies") or {}),
        body=data.get("body", UNSET),
        media_type=data.get("media_type"),
        raw_body=raw.encode("latin-1") if isinstance(raw, str) else None,
        method=data.get("method"),
        phase=data.get("phase") or "examples",
        kind=data.get("kind") or "positive",
        mutation=data.get("mutation"),
        identity=data.get("identity"),
        note=data.get("note"),
    )


def replay(
    reference: str, *, target: Any = None, settings: RunSettings | None = None
) -> ReplayOutcome:
    """Send the finding's case again and run its check; `still_failing` says the verdict."""
    report, entry = load_finding(reference)
    if not entry.get("case"):
        raise AssayError(f"finding {entry['id']} has no recorded case to replay")
    scenario = entry["case"].get("scenario")
    if scenario and scenario.get("name") == "security":
        raise AssayError(
            f"finding {entry['id']} comes from the security phase's {scenario.get('probe')} "
            "probe: its verdict rests on the probe's facts (the requests before it, whether "
            "credentials were sent), which a replay of the last request alone does not have",
            hint="The requests are in its evidence (requests); run the probe again: "
            f"assay run --phases security --seed {report['seed']}.",
        )
    if scenario and entry["case"].get("phase") == "auth":
        raise AssayError(
            f"finding {entry['id']} comes from the auth phase's {scenario.get('step')} probe: "
            "its verdict compares the answer with requests before it (an allowed identity's, "
            "a creation's), which a replay of the last request alone does not have",
            hint="The requests are in its evidence (requests); run the phase again: "
            f"assay run --phases auth --seed {report['seed']}.",
        )
    if scenario:
        raise AssayError(
            f"finding {entry['id']} comes from a stateful scenario: its last request alone "
            "cannot show it again (the resource it reads was created by earlier steps)",
            hint="The steps are in its evidence (steps_before); run the stateful phase "
            f"again with the report's seed: assay run --phases stateful --seed {report['seed']}.",
        )
    chosen = settings or RunSettings(phases=())
    client, label = open_client(target or report["target"], chosen)
    with client:
        engine = Engine(client, chosen, target=label)
        case = case_from_dict(client.spec, entry["case"])
        check_name = entry["check"]
        if check_name == "no_response":
            found = engine.execute(case).findings
            failing = found[0] if found else None
            return ReplayOutcome(entry["id"], check_name, case.label, None, failing)
        check = get_check(check_name)
        response = engine.send(case)
        exchange = Exchange(case, response, response.elapsed_ms)
        failing = None
        try:
            check.function(engine.context, exchange)
        except Finding as finding:
            failing = finding
        return ReplayOutcome(entry["id"], check_name, case.label, response.status_code, failing)
