"""API versioning checks: frozen contracts, version routing, unknown versions, deprecation.

* `check_frozen_contract(snapshot, current, prefix="/v1")` — a published version keeps
  its contract: the stored snapshot of its spec (``contracts/v1.json``, written once by
  `freeze`) against the current spec, both restricted to the version's paths; every
  breaking change the diff engine finds is a finding. `replay_against_snapshot` checks
  the same promise from traffic: recorded requests are sent again and the answers
  validated against the snapshot.
* `check_version_routing` — each version, chosen by URL prefix, by header or by media
  type, answers in its own contract (content negotiation per version).
* `check_unknown_version` — an unknown version gets a helpful 4xx, not a 200 or a 500.
* `check_version_headers` — a deprecated version says so (``Deprecation``, ``Sunset``,
  a ``successor-version`` link); a current one does not; nothing is served past its
  sunset.

Every check raises a `Finding` (so it reads as a test failure) and returns the response
it judged. Across a schema migration, `assay.contract.migrations` checks that the
migrated data still reads back in each version's contract.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay.contract.traffic import RecordedExchange
from assay.contract.validator import ContractValidator
from assay.errors import Finding, Severity
from assay.spec.loading import from_dict, load
from assay.spec.model import Spec

if TYPE_CHECKING:
    from assay.client import APITestClient, APITestResponse
    from assay.contract.diff import Change

__all__ = [
    "check_frozen_contract",
    "check_unknown_version",
    "check_version_headers",
    "check_version_routing",
    "freeze",
    "frozen_contract_changes",
    "replay_against_snapshot",
    "restrict",
]

SpecSource = Spec | str | Path | Mapping[str, Any]


def _spec(source: SpecSource) -> Spec:
    return load(str(source) if isinstance(source, Path) else source)


def restrict(spec: SpecSource, prefix: str) -> Spec:
    """The spec with only the paths under `prefix` (``/v1`` keeps ``/v1`` and ``/v1/…``)."""
    loaded = _spec(spec)
    base = prefix.rstrip("/")
    raw = dict(loaded.raw)
    paths = raw.get("paths") or {}
    raw["paths"] = {p: item for p, item in paths.items() if p == base or p.startswith(base + "/")}
    raw.pop("webhooks", None)
    components = raw.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        raw["components"] = {**components, "schemas": _reachable(raw, components["schemas"])}
    return from_dict(raw, source=f"{loaded.source} ({prefix})")


_SCHEMA_REF = re.compile(r'"#/components/schemas/([^"/#]+)"')


def _reachable(raw: Mapping[str, Any], schemas: Mapping[str, Any]) -> dict[str, Any]:
    """The component schemas the document's paths use, directly or through others."""
    outside = {k: v for k, v in raw.items() if k != "components"}
    outside["other-components"] = {k: v for k, v in raw["components"].items() if k != "schemas"}
    frontier = set(_SCHEMA_REF.findall(json.dumps(outside)))
    reached: set[str] = set()
    while frontier:
        name = frontier.pop()
        if name in reached or name not in schemas:
            continue
        reached.add(name)
        frontier |= set(_SCHEMA_REF.findall(json.dumps(schemas[name]))) - reached
    return {name: schema for name, schema in schemas.items() if name in reached}


def freeze(current: SpecSource, prefix: str, path: str | Path) -> Path:
    """Write the snapshot of a version's contract (its paths of the current spec)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    document = restrict(current, prefix).raw
    target.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target


def frozen_contract_changes(
    snapshot: SpecSource, current: SpecSource, *, prefix: str
) -> list[Change]:
    """Every change of the version's contract since the snapshot (all levels)."""
    from assay.contract.diff import diff_specs

    return diff_specs(restrict(snapshot, prefix), restrict(current, prefix))


def check_frozen_contract(
    snapshot: SpecSource, current: SpecSource, *, prefix: str, level: str = "ERR"
) -> list[Change]:
    """Raise a `Finding` when the version's contract changed at `level` (ERR: breaking)
    or worse since the snapshot; returns every change otherwise."""
    from assay.contract.diff import Level

    threshold = Level.parse(level)
    changes = frozen_contract_changes(snapshot, current, prefix=prefix)
    breaking = [c for c in changes if c.level >= threshold]
    if breaking:
        lines = [
            f"  - [{c.rule}] {c.message} (snapshot {c.old_pointer}, now {c.new_pointer})"
            for c in breaking
        ]
        raise Finding(
            f"the frozen contract of {prefix} changed: {len(breaking)} {level} changes",
            check="frozen_contract",
            severity=Severity.HIGH,
            detail="Clients of a published version rely on its snapshot:\n"
            + "\n".join(lines)
            + "\nRevert the change, or ship it under a new version.",
            evidence={"changes": [c.as_dict() for c in breaking]},
        )
    return changes


_DROPPED_HEADERS = frozenset({"host", "content-length", "connection", "accept-encoding"})


def _as_record(response: APITestResponse, url: str) -> RecordedExchange:
    request = response.request
    return RecordedExchange(
        method=request.method,
        url=url,
        request_headers={k.lower(): v for k, v in request.headers.items()},
        request_body=request.content or None,
        status=response.status_code,
        response_headers={k.lower(): v for k, v in response.headers.items()},
        response_body=response.content,
        source=f"{request.method} {request.url}",
    )


def replay_against_snapshot(
    client: APITestClient,
    snapshot: SpecSource,
    records: Iterable[RecordedExchange],
    *,
    prefix: str = "",
) -> list[Finding]:
    """Send recorded requests (those under `prefix`) again; findings where today's
    answers break the snapshot's contract."""
    validator = ContractValidator(_spec(snapshot))
    findings: list[Finding] = []
    for record in records:
        if prefix and not record.path.startswith(prefix):
            continue
        query = record.url.partition("?")[2]
        url = f"{record.path}?{query}" if query else record.path
        headers = {k: v for k, v in record.request_headers.items() if k not in _DROPPED_HEADERS}
        response = client.request(
            record.method, url, headers=headers, content=record.request_body, validate=False
        )
        findings.extend(validator.check(_as_record(response, url)))
    return findings


def check_version_routing(
    client: APITestClient,
    path: str,
    versions: Mapping[str, SpecSource],
    *,
    header: str | None = None,
    accept: str | None = None,
    spec_path: str = "{path}",
    headers: Mapping[str, str] | None = None,
) -> list[APITestResponse]:
    """Each version answers `path` in its own contract.

    Without `header`/`accept`, the version keys are URL prefixes (``"/v1"``). With
    `header`, each key is sent as that header's value (``API-Version: 2``); with
    `accept` (``"application/vnd.shop.v{version}+json"``) as the requested media type,
    which the answer's Content-Type must then be. `spec_path` says where the spec
    documents the request (``"/v{version}{path}"`` for header routing over URL specs).
    `headers` go with every request (credentials).
    """
    answers = []
    for version, spec in versions.items():
        sent, chosen = _version_request(version, path, header, accept)
        sent_headers = {**(headers or {}), **chosen}
        response = client.request("GET", sent, headers=sent_headers, validate=False)
        documented = spec_path.format(version=version, path=path) if header or accept else sent
        record = _as_record(response, documented)
        problems = [f.render() for f in ContractValidator(_spec(spec)).check(record)]
        problems.extend(_negotiation(response, chosen.get("Accept")))
        if problems:
            title = f"version {version} of {path} answers outside its contract"
            raise _version_finding("version_routing", title, problems, response)
        answers.append(response)
    return answers


def _version_request(
    version: str, path: str, header: str | None, accept: str | None
) -> tuple[str, dict[str, str]]:
    """Where and with which headers a request for `version` goes."""
    if not header and not accept:
        return f"{version}{path}", {}
    headers = {header: version} if header else {}
    if accept:
        headers["Accept"] = accept.format(version=version)
    return path, headers


def _negotiation(response: APITestResponse, accept: str | None) -> list[str]:
    if accept is None or response.status_code >= 300:
        return []
    actual = response.headers.get("content-type", "").split(";")[0].strip().lower()
    wanted = accept.split(";")[0].strip().lower()
    if actual == wanted:
        return []
    return [f"asked for {wanted} but the answer is {actual or 'without a Content-Type'}"]


def _version_finding(
    check: str, title: str, problems: list[str], response: APITestResponse
) -> Finding:
    return Finding(
        title,
        check=check,
        severity=Severity.MEDIUM,
        operation=f"{response.request.method} {response.request.url.path}",
        detail="\n".join(f"  - {p}" for p in problems),
        evidence={"status": response.status_code, "problems": problems},
    )


def check_unknown_version(
    client: APITestClient,
    path: str,
    *,
    headers: Mapping[str, str] | None = None,
    supported: Iterable[str] = (),
) -> APITestResponse:
    """An unknown version (``/v9/orders/1``, or `headers` such as ``API-Version: 9``) is
    answered with a 4xx whose body says what went wrong (naming a `supported` version,
    when given) — not served as if it existed, not a crash."""
    response = client.request("GET", path, headers=dict(headers or {}), validate=False)
    status = response.status_code
    problems = []
    if status < 300:
        problems.append(f"answered {status}: an unknown version is served as if it existed")
    elif status >= 500:
        problems.append(f"answered {status}: an unknown version crashes the service")
    elif status < 400 and "location" not in response.headers:
        problems.append(f"answered {status} without a Location to go to")
    elif status >= 400:
        problems.extend(_helpfulness(response, list(supported)))
    if problems:
        raise _version_finding(
            "version_unknown",
            f"an unknown API version gets no helpful 4xx ({status})",
            problems,
            response,
        )
    return response


def _helpfulness(response: APITestResponse, supported: list[str]) -> list[str]:
    text = response.text
    if not text.strip():
        return ["the 4xx has an empty body: say which versions exist"]
    mentioned = " ".join([text, *response.headers.values()])
    if supported and not any(version in mentioned for version in supported):
        return [f"the answer names none of the supported versions ({', '.join(supported)})"]
    return []


def _http_date(value: str) -> dt.datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _deprecation_date(value: str) -> dt.datetime | None:
    """RFC 9745 ``@1688169599``, or the older HTTP-date; None for ``true``."""
    if value.startswith("@") and value[1:].lstrip("-").isdigit():
        return dt.datetime.fromtimestamp(int(value[1:]), tz=dt.UTC)
    return _http_date(value)


def _deprecated_problems(response: APITestResponse, sunset: bool, successor: bool) -> list[str]:
    headers = response.headers
    deprecation, sunset_value = headers.get("deprecation"), headers.get("sunset")
    problems = []
    if deprecation is None:
        problems.append(
            "no Deprecation header on a deprecated version (RFC 9745: Deprecation: @<unix time>)"
        )
    elif deprecation.strip().lower() != "true" and _deprecation_date(deprecation) is None:
        problems.append(f"Deprecation {deprecation!r} is neither @<unix time> nor an HTTP date")
    if sunset_value is None:
        if sunset:
            problems.append("no Sunset header (RFC 8594): say when the version goes away")
    else:
        problems.extend(_sunset_problems(response, sunset_value, deprecation))
    link = headers.get("link", "")
    if successor and 'rel="successor-version"' not in link and "rel=successor-version" not in link:
        problems.append(
            'no Link header with rel="successor-version": point clients at the new version'
        )
    return problems


def _sunset_problems(response: APITestResponse, value: str, deprecation: str | None) -> list[str]:
    date = _http_date(value)
    if date is None:
        return [f"Sunset {value!r} is not an HTTP date (e.g. 'Sat, 31 Dec 2039 23:59:59 GMT')"]
    problems = []
    if date < dt.datetime.now(dt.UTC) and response.status_code < 300:
        problems.append(f"the version is still served after its Sunset date {value}")
    since = _deprecation_date(deprecation) if deprecation else None
    if since is not None and since > date:
        problems.append(f"Deprecation ({deprecation}) is later than Sunset ({value})")
    return problems


def check_version_headers(
    client: APITestClient,
    path: str,
    *,
    deprecated: bool,
    sunset: bool = True,
    successor: bool = False,
    headers: Mapping[str, str] | None = None,
) -> APITestResponse:
    """A deprecated version announces it: ``Deprecation`` (a valid date or ``true``),
    ``Sunset`` (an HTTP date not yet passed, after the deprecation; required unless
    `sunset=False`), a ``successor-version`` link (with `successor=True`). A version that
    is not deprecated sends neither header."""
    response = client.request("GET", path, headers=dict(headers or {}), validate=False)
    if deprecated:
        problems = _deprecated_problems(response, sunset, successor)
        title = "a deprecated API version does not announce its deprecation properly"
    else:
        present = [n for n in ("Deprecation", "Sunset") if n.lower() in response.headers]
        problems = [f"{name} header on a version that is not deprecated" for name in present]
        title = "a current API version announces a deprecation"
    if problems:
        raise _version_finding("version_deprecation", title, problems, response)
    return response
