"""``[resilience]`` in assay.toml: parsed, validated, and handed to the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.config import load_config
from assay.engine.settings import ALL_PHASES, DEFAULT_PHASES
from assay.errors import AssayError

VALID = """
[resilience]
budget = 6
faults = ["hang", "unavailable"]

[[resilience.dependencies]]
name = "payments"
listen = "127.0.0.1:9104"
upstream = "http://127.0.0.1:8104"
"""


def test_the_section_is_read(tmp_path: Path) -> None:
    file = tmp_path / "assay.toml"
    file.write_text(VALID, encoding="utf-8")
    config = load_config(file).resilience
    assert (config.budget, config.faults, config.max_calls) == (6.0, ["hang", "unavailable"], 4)
    [payments] = config.dependencies
    assert (payments.name, payments.listen, payments.upstream) == (
        "payments",
        "127.0.0.1:9104",
        "http://127.0.0.1:8104",
    )


def test_an_empty_configuration_has_no_dependencies(tmp_path: Path) -> None:
    file = tmp_path / "assay.toml"
    file.write_text("", encoding="utf-8")
    config = load_config(file).resilience
    assert config.dependencies == []
    assert config.faults == ["unavailable", "hang", "reset"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            'listen = "10.1.2.3:9104"',
            r"resilience\.dependencies\[0\]\.listen: '10\.1\.2\.3:9104' is not a local address",
        ),
        (
            'upstream = "http://payments.internal:8104"',
            r"dependencies\[0\]\.upstream: .* is not a local base URL",
        ),
        ('listen = "127.0.0.1:70000"', r"dependencies\[0\]\.listen"),
        ("timeout = 3", r"dependencies\[0\]\.timeout: unknown key"),
    ],
)
def test_bad_dependencies_name_the_file_and_the_key(
    tmp_path: Path, change: str, message: str
) -> None:
    key = change.split(" = ", maxsplit=1)[0]
    lines = [line for line in VALID.splitlines() if not line.startswith(f"{key} = ")]
    file = tmp_path / "assay.toml"
    file.write_text("\n".join([*lines, change]) + "\n", encoding="utf-8")
    with pytest.raises(AssayError, match=message) as caught:
        load_config(file)
    assert str(file) in caught.value.message


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('faults = ["explode"]', r"resilience\.faults\[0\]: Input should be 'unavailable'"),
        ("budget = 0", r"resilience\.budget: Input should be greater than 0"),
        (
            '[[resilience.dependencies]]\nname = "a"\nlisten = "127.0.0.1:1"\nupstream = "http://127.0.0.1:2"\n'
            '[[resilience.dependencies]]\nname = "a"\nlisten = "127.0.0.1:3"\nupstream = "http://127.0.0.1:2"',
            "each dependency needs its own name; repeated: a",
        ),
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, section: str, message: str) -> None:
    file = tmp_path / "assay.toml"
    header = "" if section.startswith("[[") else "[resilience]\n"
    file.write_text(header + section + "\n", encoding="utf-8")
    with pytest.raises(AssayError, match=message):
        load_config(file)


def test_the_phase_exists_but_is_not_a_default() -> None:
    assert "resilience" in ALL_PHASES
    assert "resilience" not in DEFAULT_PHASES
