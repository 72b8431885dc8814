"""The key stored results are valid for: the engine's revision and the rule base's hash."""

from __future__ import annotations

import pytest

from startklar.compliance import content
from startklar.compliance.engine import REVISION


def test_a_released_rule_base_is_named_by_its_frozen_hash() -> None:
    released = content.VERSIONS.released()
    assert content.CURRENT_VERSION in released
    content.results_key.cache_clear()
    key = content.results_key(content.CURRENT_VERSION)
    assert key == f"{REVISION}:{released[content.CURRENT_VERSION][:16]}"


def test_an_unreleased_rule_base_is_named_by_the_hash_of_its_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(type(content.VERSIONS), "released", lambda _self: {})
    content.results_key.cache_clear()
    try:
        key = content.results_key(content.CURRENT_VERSION)
        digest = content.VERSIONS.digest(content.CURRENT_VERSION)
        assert key == f"{REVISION}:{digest[:16]}"
    finally:
        content.results_key.cache_clear()
