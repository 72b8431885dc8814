"""A stand-in for the document where a test is about the runs, not the PDF: the real document
is tested in ``test_document*.py`` and made for real by the worker and CLI tests."""

from __future__ import annotations

import sys
import types
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
    try:
        import startklar.reports.document
    except ImportError:  # not there yet in this tree: a module that holds only the stand-in
        import startklar.reports

        stand_in = types.ModuleType("startklar.reports.document")
        monkeypatch.setitem(sys.modules, stand_in.__name__, stand_in)
        monkeypatch.setattr(startklar.reports, "document", stand_in, raising=False)
    monkeypatch.setattr("startklar.reports.document.build", build, raising=False)
    return build
