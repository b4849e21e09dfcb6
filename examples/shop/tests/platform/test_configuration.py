"""Settings from SHOP_* variables and the seeded-defect switch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shop.platform.defects import KNOWN_DEFECTS, Defects, UnknownDefect, register_defect
from shop.platform.settings import ShopSettings


def test_settings_from_environment() -> None:
    settings = ShopSettings.from_env(
        {
            "SHOP_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1/shop",
            "SHOP_BUS": "redis",
            "SHOP_CORS_ORIGINS": "https://a.example, https://b.example",
            "SHOP_DEFECTS": "",
            "SHOP_SERVICES": '{"payments": ["http://127.0.0.1:8003", "http://127.0.0.1:8013"],'
            ' "allocation": "http://127.0.0.1:8002"}',
            "SHOP_SERVICE_API_KEYS": "orders=k" + "o" * 30 + ",payments=k" + "p" * 30,
            "SHOP_LOGIN_LIMIT_PER_IDENTITY": "3",
            "SHOP_CREATE_TABLES": "false",
            "UNRELATED": "ignored",
        }
    )
    assert settings.bus == "redis"
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.defects == ()
    assert settings.services == {
        "payments": ("http://127.0.0.1:8003", "http://127.0.0.1:8013"),
        "allocation": ("http://127.0.0.1:8002",),
    }
    assert settings.service_api_keys["orders"] == "k" + "o" * 30
    assert settings.login_limit_per_identity == 3
    assert settings.create_tables is False


def test_defaults_are_self_contained() -> None:
    settings = ShopSettings()
    assert settings.database_url == "sqlite://"
    assert settings.bus == "memory"
    assert settings.defects == ()
    assert settings.services == {}


def test_invalid_settings_are_refused_with_the_field_name() -> None:
    with pytest.raises(ValueError, match="bus"):
        ShopSettings.from_env({"SHOP_BUS": "kafka"})
    with pytest.raises(ValueError, match="defect"):
        ShopSettings(defect=("x",))  # type: ignore[call-arg]


@pytest.fixture
def scratch_catalogue() -> Iterator[None]:
    """Defects these tests register are removed again (other tests list the real ones)."""
    saved = dict(KNOWN_DEFECTS)
    yield
    KNOWN_DEFECTS.clear()
    KNOWN_DEFECTS.update(saved)


@pytest.mark.usefixtures("scratch_catalogue")
def test_defects_are_off_by_default_and_switched_on_by_name() -> None:
    name = register_defect("test-widget-race", "Updates widgets without a version check.")
    assert register_defect(name, "Updates widgets without a version check.") == name
    assert not Defects().on(name)
    defects = Defects.enabled(f" {name} ,")
    assert defects.on(name)
    assert name in defects
    with pytest.raises(ValueError, match="already registered"):
        register_defect(name, "something else")


@pytest.mark.usefixtures("scratch_catalogue")
def test_unknown_defect_names_are_a_startup_error_listing_the_known() -> None:
    register_defect("test-widget-leak", "Returns internal ids.")
    with pytest.raises(UnknownDefect) as raised:
        Defects.enabled("test-widget-leak,no-such-bug")
    message = str(raised.value)
    assert "no-such-bug" in message
    assert "test-widget-leak: Returns internal ids." in message


def test_create_app_refuses_unknown_defects() -> None:
    from shop.bootstrap import create_app

    from .fake_service import SERVICE

    with pytest.raises(UnknownDefect):
        create_app(ShopSettings(defects=("definitely-unknown",)), services=[SERVICE])
