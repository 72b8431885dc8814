"""A stand-in for the document where a test is about the runs (states, claims, leases, errors),
not the PDF: the real document is tested in ``test_document*.py`` and made for real by the
worker, CLI, scaling and browser tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

FAKE_PDF = b"%PDF-1.7\n% stand-in\n%%EOF\n"


@pytest.fixture
def fake_build(monkeypatch: pytest.MonkeyPatch) -> Callable[..., bytes]:
    calls: list[tuple[Any, str]] = []

    def build(tenant: Any, language: str, *, today: Any = None) -> bytes:
        calls.append((tenant, language))
        return FAKE_PDF

    build.calls = calls  # type: ignore[attr-defined]
    monkeypatch.setattr("startklar.reports.document.build", build)
    return build
