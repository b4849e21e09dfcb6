"""assay.toml / [tool.assay]: discovery, validation messages and identity building."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest

from assay.config import (
    AssayConfig,
    build_identities,
    find_config_file,
    load_config,
    parse_config,
)
from assay.errors import AssayError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_defaults(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    config = load_config(start=tmp_path)
    assert config == AssayConfig()
    assert config.validate_responses is True
    assert config.timeout == 10.0


def test_assay_toml_is_found_upwards(tmp_path: Path) -> None:
    write(tmp_path / "assay.toml", 'app = "svc:app"\nseed = 3\n')
    nested = tmp_path / "tests" / "api"
    nested.mkdir(parents=True)
    assert find_config_file(nested) == tmp_path / "assay.toml"
    config = load_config(start=nested)
    assert (config.app, config.seed, config.source) == ("svc:app", 3, tmp_path / "assay.toml")


def test_tool_assay_in_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.assay]\nurl = "http://127.0.0.1:9"\n')
    assert load_config(start=tmp_path).url == "http://127.0.0.1:9"


def test_search_stops_at_the_project_root(tmp_path: Path) -> None:
    write(tmp_path / "assay.toml", 'app = "unrelated:app"\n')
    project = tmp_path / "project"
    write(project / "pyproject.toml", "[project]\nname = 'p'\n")
    assert find_config_file(project) is None
    assert load_config(start=project).app is None


def test_relative_spec_path_is_taken_from_the_file(tmp_path: Path) -> None:
    write(tmp_path / "assay.toml", 'spec = "api/openapi.yaml"\n')
    config = load_config(tmp_path / "assay.toml")
    assert config.spec is not None
    assert config.resolve_path(config.spec) == str(tmp_path / "api" / "openapi.yaml")
    assert config.resolve_path("http://h/openapi.json") == "http://h/openapi.json"


def test_missing_explicit_file_is_clear(tmp_path: Path) -> None:
    with pytest.raises(AssayError, match=r"configuration file .*nope.toml does not exist"):
        load_config(tmp_path / "nope.toml")


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    bad = write(tmp_path / "assay.toml", "app = \n")
    with pytest.raises(AssayError, match=r"assay.toml is not valid TOML: .*line 1"):
        load_config(bad)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("apps = 'x:app'\n", r"apps: unknown key"),
        ("timeout = 'soon'\n", r"timeout: Input should be a valid number"),
        ("timeout = 0\n", r"timeout: Input should be greater than 0"),
        ("seed = -1\n", r"seed: Input should be greater than or equal to 0"),
        ("app = 'a:b'\nurl = 'http://h'\n", r"either `app` \(in-process\) or `url`"),
        (
            "[[identities]]\nname='a'\nbearer={token='t'}\nbasic={username='u', password='p'}\n",
            r"identity 'a' has 2 credential forms \(bearer, basic\); give exactly one",
        ),
        (
            "[[identities]]\nname='a'\n[[identities]]\nname='a'\n",
            r"identity names must be unique; repeated: a",
        ),
        (
            "[[identities]]\nname='a'\noauth2_password={token_url='/t', user='u'}\n",
            r"identities\[0\]\.oauth2_password\.username: Field required.*"
            r"identities\[0\]\.oauth2_password\.user: unknown key",
        ),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    file = write(tmp_path / "assay.toml", text)
    with pytest.raises(AssayError, match=message) as info:
        load_config(file)
    assert str(file) in str(info.value)
    assert "docs/configuration.md" in str(info.value)


def test_pyproject_errors_say_tool_assay(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.assay]\nsed = 1\n")
    with pytest.raises(AssayError, match=r"\[tool.assay\] sed: unknown key"):
        load_config(start=tmp_path)


def identities_of(text: str) -> dict[str, object]:
    import tomllib

    config = parse_config(tomllib.loads(text))
    return {identity.name: identity for identity in build_identities(config)}


def test_every_credential_form_builds_its_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEN_TOKEN", "ben-secret")
    monkeypatch.setenv("SID", "cookie-value")
    built = identities_of(
        """
        [[identities]]
        name = "anon"
        [[identities]]
        name = "ben"
        roles = ["customer"]
        scopes = ["orders:read"]
        bearer = { token_env = "BEN_TOKEN" }
        [[identities]]
        name = "svc"
        api_key = { key = "k1", name = "api_key", location = "query" }
        [[identities]]
        name = "bob"
        basic = { username = "bob", password = "pw" }
        [[identities]]
        name = "jar"
        cookie = { cookies = { theme = "dark" }, cookies_env = { sid = "SID" } }
        [[identities]]
        name = "staff"
        cookie_login = { login_url = "/login", username = "s", password = "p" }
        [[identities]]
        name = "ana"
        oauth2_password = { token_url = "/token", username = "ana", password = "p", scopes = ["a"] }
        [[identities]]
        name = "robot"
        oauth2_client_credentials = { token_url = "/token", client_id = "c", client_secret = "s" }
        """
    )
    kinds = {name: identity.kind for name, identity in built.items()}  # type: ignore[attr-defined]
    assert kinds == {
        "anon": "anonymous",
        "ben": "bearer",
        "svc": "apiKey:query",
        "bob": "basic",
        "jar": "cookie",
        "staff": "cookie",
        "ana": "oauth2",
        "robot": "oauth2",
    }
    ben = built["ben"]
    assert ben.roles == frozenset({"customer"})  # type: ignore[attr-defined]
    assert ben.scopes == frozenset({"orders:read"})  # type: ignore[attr-defined]
    request = httpx2.Request("GET", "http://testserver/x")
    flow = ben.auth.auth_flow(request)  # type: ignore[attr-defined]
    assert next(flow).headers["Authorization"] == "Bearer ben-secret"
    jar_flow = built["jar"].auth.auth_flow(httpx2.Request("GET", "http://t/"))  # type: ignore[attr-defined]
    assert next(jar_flow).headers["Cookie"] in {
        "theme=dark; sid=cookie-value",
        "sid=cookie-value; theme=dark",
    }


def test_unset_environment_variable_is_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANA_PASSWORD", raising=False)
    text = """
    [[identities]]
    name = "ana"
    oauth2_password = { token_url = "/token", username = "ana", password_env = "ANA_PASSWORD" }
    """
    with pytest.raises(
        AssayError,
        match=r"identity 'ana': environment variable ANA_PASSWORD is not set "
        r"\(oauth2_password.password_env\).*export ANA_PASSWORD",
    ):
        identities_of(text)


def test_secret_missing_entirely_is_clear() -> None:
    with pytest.raises(AssayError, match=r"identity 'b': bearer needs `token` or `token_env`"):
        identities_of("[[identities]]\nname = 'b'\nbearer = {}\n")


def test_the_auth_section_gives_a_policy_and_a_token_minter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_TEST_JWT_KEY", "k" * 32)
    file = write(
        tmp_path / "assay.toml",
        '[auth]\npolicy = { admin = ["*"], customer = ["list_orders"] }\n'
        '[auth.tokens]\nkey_env = "ASSAY_TEST_JWT_KEY"\nissuer = "https://id"\n',
    )
    config = load_config(file)
    assert config.auth.policy == {"admin": ["*"], "customer": ["list_orders"]}
    minter = config.auth.minter()
    assert minter is not None
    assert minter.issuer == "https://id"
    assert minter.key == "k" * 32
    assert AssayConfig().auth.minter() is None


def test_the_security_section_configures_the_probes() -> None:
    config = parse_config(
        {
            "security": {
                "cors_origins": ["https://app.example"],
                "rate_limited": ["POST /search"],
                "burst": 10,
                "session_idle_timeout": 2,
            }
        }
    )
    assert config.security.cors_origins == ["https://app.example"]
    assert config.security.rate_limited == ["POST /search"]
    assert (config.security.burst, config.security.session_idle_timeout) == (10, 2.0)
    assert parse_config({}).security.burst == 30


def test_a_burst_is_bounded() -> None:
    with pytest.raises(AssayError, match=r"security\.burst"):
        parse_config({"security": {"burst": 1000}})


def test_a_policy_file_is_merged_under_the_inline_policy(tmp_path: Path) -> None:
    write(tmp_path / "policy.toml", '[policy]\nadmin = ["*"]\ncustomer = ["list_orders"]\n')
    file = write(
        tmp_path / "assay.toml",
        '[auth]\npolicy_file = "policy.toml"\npolicy = { customer = ["get_order"] }\n',
    )
    config = load_config(file)
    auth = config.auth.model_copy(
        update={"policy_file": config.resolve_path(config.auth.policy_file or "")}
    )
    assert auth.roles_policy() == {"admin": ["*"], "customer": ["get_order"]}
    write(tmp_path / "policy.toml", 'admin = "everything"\n')
    with pytest.raises(AssayError, match="not a list of operations"):
        auth.roles_policy()
