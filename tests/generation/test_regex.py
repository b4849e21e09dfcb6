"""`RegexSampler`: strings matching common patterns, within length bounds."""

from __future__ import annotations

import random
import re

import pytest

from assay.generation.regex import RegexSampler, UnsupportedPattern

PATTERNS = [
    r"^[A-Z]{3}$",
    r"^SKU-\d{4,6}$",
    r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$",
    r"^(red|green|blue)(-dark)?$",
    r"^\+?[0-9 ]{7,15}$",
    r"^[^\s/]+$",
    r"^\w+\s\w+$",
    r"abc",
    r"^(?:[01]\d|2[0-3]):[0-5]\d$",
    r"^([a-z])-\1$",
    r"^.{2,4}$",
    r"^[\u00c0-\u00ff]+$",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_samples_match_over_many_seeds(pattern: str) -> None:
    sampler = RegexSampler()
    for seed in range(20):
        text = sampler.sample(pattern, random.Random(seed))
        assert re.search(pattern, text), (pattern, text)


def test_length_bounds_are_respected() -> None:
    sampler = RegexSampler()
    for seed in range(20):
        text = sampler.sample(r"[a-z]+", random.Random(seed), 5, 8)
        assert 5 <= len(text) <= 8


def test_look_arounds_are_satisfied_by_retries() -> None:
    text = RegexSampler().sample(r"^(?=.*\d)[a-z\d]{4}$", random.Random(0))
    assert re.search(r"^(?=.*\d)[a-z\d]{4}$", text)


def test_impossible_patterns_are_reported() -> None:
    with pytest.raises(UnsupportedPattern):
        RegexSampler().sample(r"^[a-z]{3}$", random.Random(0), 5, 6)
    with pytest.raises(UnsupportedPattern):
        RegexSampler().sample(r"\p{L}+", random.Random(0))
