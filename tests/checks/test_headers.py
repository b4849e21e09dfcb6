"""Security-header checks: each fires on the header probe's answers, and stays silent."""

from __future__ import annotations

from fastapi import FastAPI, Response
from fastapi.responses import HTMLResponse
from tests.checks.bench import Bench, Probe
from tests.checks.conftest import MakeBench
from tests.corpus.apps._security import facts

from assay.client import APITestClient

PAGE = facts("headers", "page")
ITEMS = facts("headers", "representative")


def _app(headers: dict[str, str], *, html: bool = False, empty: bool = False) -> FastAPI:
    app = FastAPI()

    @app.get("/page", response_class=HTMLResponse)
    def page() -> Response:
        return HTMLResponse("<html></html>", headers=headers)

    @app.get("/items")
    def items() -> Response:
        if empty:
            return Response(status_code=204, headers=headers)
        return Response('{"items": []}', media_type="application/json", headers=headers)

    return app


def _fired(bench: MakeBench, app: FastAPI, check: str, probe: Probe) -> list[str]:
    found = bench(app).fired(check, probe)
    return [f.signature for f in found]


def test_missing_csp_fires_on_html_only(bench: MakeBench) -> None:
    app = _app({"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"})
    page = Probe("GET /page", phase="security", scenario=PAGE)
    items = Probe("GET /items", phase="security", scenario=ITEMS)
    assert _fired(bench, app, "missing_content_security_policy", page) == ["csp"]
    assert _fired(bench, app, "missing_content_security_policy", items) == []
    assert _fired(bench, app, "missing_frame_protection", page) == []


def test_frame_ancestors_count_as_frame_protection(bench: MakeBench) -> None:
    app = _app({"Content-Security-Policy": "frame-ancestors 'self'"})
    page = Probe("GET /page", phase="security", scenario=PAGE)
    assert _fired(bench, app, "missing_frame_protection", page) == []
    assert _fired(bench, app, "missing_content_security_policy", page) == []


def test_nosniff_is_not_demanded_of_answers_without_a_body(bench: MakeBench) -> None:
    items = Probe("GET /items", phase="security", scenario=ITEMS)
    assert _fired(bench, _app({}, empty=True), "missing_content_type_options", items) == []
    assert _fired(bench, _app({}), "missing_content_type_options", items) == ["nosniff"]


def test_header_checks_judge_the_header_probe_only(bench: MakeBench) -> None:
    assert bench(_app({})).findings(Probe("GET /items"), Probe("GET /page")) == []


def test_a_server_name_without_version_is_fine(bench: MakeBench) -> None:
    items = Probe("GET /items", phase="security", scenario=ITEMS)
    fine = _app({"Server": "uvicorn", "X-Powered-By": "Express"})
    leaky = _app({"X-Powered-By": "PHP/8.1.2"})
    assert _fired(bench, fine, "server_version_disclosure", items) == []
    assert _fired(bench, leaky, "server_version_disclosure", items) == ["x-powered-by:PHP/8.1.2"]


def test_cache_control_of_authenticated_answers(bench: MakeBench) -> None:
    signed = Probe(
        "GET /items",
        phase="security",
        scenario=facts("headers", "representative", authenticated=True),
    )
    check = "cacheable_authenticated_response"
    assert _fired(bench, _app({"Cache-Control": "private, max-age=60"}), check, signed) == []
    assert _fired(bench, _app({"Cache-Control": "no-cache"}), check, signed) == []
    assert _fired(bench, _app({"Cache-Control": "public, max-age=60"}), check, signed) == [
        "cache-control"
    ]
    public = Probe("GET /items", phase="security", scenario=ITEMS)
    assert _fired(bench, _app({}), check, public) == []


def _over_https(bench: MakeBench, app: FastAPI) -> Bench:
    made = bench(app)
    made.client.close()
    made.client = APITestClient(app, base_url="https://testserver", spec=made.spec)
    return made


def test_hsts_is_demanded_of_https_targets_only(bench: MakeBench) -> None:
    items = Probe("GET /items", phase="security", scenario=ITEMS)
    assert _fired(bench, _app({}), "missing_hsts", items) == []
    found = _over_https(bench, _app({})).fired("missing_hsts", items)
    assert [f.signature for f in found] == ["hsts"]
    hardened = _app({"Strict-Transport-Security": "max-age=31536000"})
    assert _over_https(bench, hardened).fired("missing_hsts", items) == []


def test_findings_name_a_cwe_an_owasp_category_and_the_request(bench: MakeBench) -> None:
    items = Probe("GET /items", phase="security", scenario=ITEMS)
    (found,) = bench(_app({})).fired("missing_content_type_options", items)
    assert found.evidence["cwe"] == "CWE-693"
    assert found.evidence["owasp"].startswith("API8:2023")
    assert found.evidence["requests"][-1].startswith("curl")
