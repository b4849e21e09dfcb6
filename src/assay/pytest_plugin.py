"""assay's pytest plugin: fixtures `assay_config`, `assay_app`, `assay_spec` and `api`.

Thin and lazy (DESIGN principle 7): importing it imports nothing heavy; the client,
spec loader and configuration are imported when a fixture is first used.

Target and settings come, in this order of precedence, from the command line
(``--assay-app``, ``--assay-url``, ``--assay-spec``, ``--assay-seed``), from
``assay.toml`` or ``[tool.assay]`` in pyproject.toml, and from fixtures a conftest
overrides (``assay_app`` returning an app object, for app factories).

``@pytest.mark.assay(identity="alice", validate=False)`` configures the `api`
fixture for one test. The seed and the target are printed in the report header.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from assay.errors import AssayError

if TYPE_CHECKING:
    from assay.client import APITestClient, Identity
    from assay.config import AssayConfig
    from assay.spec import Spec
    from assay.testing import CaseBuilder

pytest_plugins = [
    "assay.fixtures.data",
    "assay.fixtures.isolation",
    "assay.fixtures.auth",
    "assay.fixtures.migrations",
    "assay.fixtures.queries",
    "assay.fixtures.resilience",
]
"""Fixture modules by area (test data, isolation, authentication, schema migrations,
database statements, fault proxies)."""

_MARKER_KEYS = frozenset({"identity", "validate"})
_SETTINGS_KEY = pytest.StashKey["_Settings"]()
_SHOWN_EXCHANGES = 5


@dataclass(slots=True)
class _Settings:
    """What the options and the configuration file say, resolved once per session."""

    config: AssayConfig
    app: str | None
    url: str | None
    spec: str | None
    seed: int


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("assay", "assay API testing")
    group.addoption("--assay-app", help="ASGI app under test, as package.module:app")
    group.addoption("--assay-url", help="base URL of a live service under test")
    group.addoption("--assay-spec", help="OpenAPI document (file or URL) of the target")
    group.addoption("--assay-seed", type=int, help="seed for generated data (default: random)")
    group.addoption("--assay-config", help="path to assay.toml (default: searched upwards)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "assay(identity=None, validate=None): configure the `api` fixture for this test "
        "(send as a named identity; switch response validation).",
    )


def _settings(config: pytest.Config) -> _Settings:
    cached = config.stash.get(_SETTINGS_KEY, None)
    if cached is not None:
        return cached
    from assay.config import load_config

    option = config.getoption
    path = option("--assay-config")
    try:
        loaded = (
            load_config(path, start=config.rootpath) if path else load_config(start=config.rootpath)
        )
    except AssayError as exc:
        raise pytest.UsageError(f"assay: {exc}") from None
    seed = option("--assay-seed")
    settings = _Settings(
        config=loaded,
        app=option("--assay-app") or loaded.app,
        url=option("--assay-url") or loaded.url,
        spec=option("--assay-spec") or (loaded.resolve_path(loaded.spec) if loaded.spec else None),
        seed=seed
        if seed is not None
        else (loaded.seed if loaded.seed is not None else random.randrange(2**32)),
    )
    config.stash[_SETTINGS_KEY] = settings
    return settings


def pytest_report_header(config: pytest.Config) -> str:
    settings = _settings(config)
    target = settings.app or settings.url or "none configured (override the assay_app fixture)"
    return f"assay: target {target}, seed {settings.seed}"


@pytest.fixture(scope="session")
def assay_config(pytestconfig: pytest.Config) -> AssayConfig:
    """The assay configuration (assay.toml / [tool.assay]) with command-line overrides."""
    return _settings(pytestconfig).config


@pytest.fixture(scope="session")
def assay_seed(pytestconfig: pytest.Config) -> int:
    """The run's seed, printed in the report header; pass --assay-seed to replay a run."""
    return _settings(pytestconfig).seed


@pytest.fixture(scope="session")
def assay_app(pytestconfig: pytest.Config) -> Any:
    """The in-process app under test, or None when the target is a URL.

    Override it in a conftest.py to build the app yourself (an app factory, test
    settings): ``@pytest.fixture(scope="session") def assay_app(): return create_app()``.
    """
    settings = _settings(pytestconfig)
    if settings.app is None:
        return None
    from assay.spec.loading import import_app

    try:
        return import_app(settings.app)
    except AssayError as exc:
        raise pytest.UsageError(f"assay: {exc}") from None


@pytest.fixture(scope="session")
def _assay_client(pytestconfig: pytest.Config, assay_app: Any) -> Iterator[APITestClient]:
    from assay.client import APITestClient

    settings = _settings(pytestconfig)
    if assay_app is None and settings.url is None:
        pytest.fail(
            "assay: no target for the `api` fixture. Pass --assay-app package.module:app or "
            "--assay-url http://…, set `app` or `url` in [tool.assay], or override the "
            "`assay_app` fixture in conftest.py.",
            pytrace=False,
        )
    config = settings.config
    client = APITestClient(
        assay_app,
        base_url=settings.url if assay_app is None else None,
        spec=settings.spec or "auto",
        identities=_identities(config),
        validate=config.validate_responses,
        timeout=config.timeout,
    )
    with client:
        yield client


def _identities(config: AssayConfig) -> list[Identity]:
    from assay.config import build_identities

    try:
        return build_identities(config)
    except AssayError as exc:
        raise pytest.UsageError(f"assay: {exc}") from None


@pytest.fixture(scope="session")
def assay_spec(_assay_client: APITestClient) -> Spec:
    """The target's OpenAPI document, loaded once per session."""
    return _assay_client.spec


@pytest.fixture
def api(request: pytest.FixtureRequest, _assay_client: APITestClient) -> APITestClient:
    """An `APITestClient` for the configured target, fresh cookies and recording per test.

    The app (and its lifespan) lives for the whole session; configure the client for
    one test with ``@pytest.mark.assay(identity="alice", validate=False)``.
    """
    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("assay"))):
        unknown = set(marker.kwargs) - _MARKER_KEYS
        if unknown or marker.args:
            pytest.fail(
                f"@pytest.mark.assay takes the keywords {sorted(_MARKER_KEYS)}; got "
                f"{sorted(unknown) or list(marker.args)}",
                pytrace=False,
            )
        options.update(marker.kwargs)
    _assay_client.clear_exchanges()
    client = _assay_client.as_identity(options.get("identity"))
    if options.get("validate") is not None:
        client.validate = bool(options["validate"])
    request.node.stash[_CLIENT_KEY] = client
    return client


_CLIENT_KEY = pytest.StashKey["APITestClient"]()


@pytest.fixture
def assay_case(api: APITestClient, assay_seed: int) -> CaseBuilder:
    """Valid cases for named operations: ``assay_case("createOrder", body={...})``.

    Every required parameter and the body are generated from the spec (seeded with the
    run's seed), then your overrides apply; ``assay_case.send(...)`` sends it with `api`.
    """
    from assay.testing import CaseBuilder

    return CaseBuilder(api, assay_seed)


def pytest_sessionfinish(session: pytest.Session) -> None:
    testing = sys.modules.get("assay.testing")
    if testing is not None:
        testing.close_all()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    client = item.stash.get(_CLIENT_KEY, None)
    if client is not None and report.failed and call.when == "call":
        lines = _describe_exchanges(client)
        if lines:
            report.sections.append(("assay: last exchanges", "\n".join(lines)))
    return report


def _describe_exchanges(client: APITestClient) -> list[str]:
    lines = []
    for exchange in client.exchanges[-_SHOWN_EXCHANGES:]:
        who = f" as {exchange.identity}" if exchange.identity else ""
        lines.append(
            f"{exchange.request.method} {exchange.request.url}{who} → "
            f"{exchange.response.status_code} ({exchange.elapsed_ms:.1f} ms)"
        )
    return lines


_PACT_SESSION_KEY = pytest.StashKey[Any]()


@pytest.fixture
def assay_pact(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Consumer-driven contracts: ``pact = assay_pact("orders", "inventory")``.

    Gives a `PactBuilder`: declare interactions with matchers, call its mock provider
    (``pact.app`` in-process, or ``with pact.serve() as url``). When the test ends, the
    consumer must have made exactly the declared calls, and if the test passed the pact
    is written to ``pacts/orders-inventory.json`` (Pact v3; ``ASSAY_PACT_DIR`` or
    ``pact_dir=`` choose another directory).
    """
    from assay.contract.pact.session import PactSession

    session = request.config.stash.get(_PACT_SESSION_KEY, None)
    if session is None:
        session = PactSession(request.config.rootpath / "pacts")
        request.config.stash[_PACT_SESSION_KEY] = session
    failed_before = request.session.testsfailed
    pacts = session.open()
    yield pacts
    problems = pacts.close(write=request.session.testsfailed == failed_before)
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
