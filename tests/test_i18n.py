"""German first, English switchable: catalogues complete and compiled, formats right."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "startklar"
CATALOGUE = PACKAGE / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_every_german_translation_is_present() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated: {missing}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_compiled_catalogues_match_their_sources() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "compile_messages.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path: Path) -> None:
    """Extract the strings afresh (needs GNU gettext) and compare with the committed catalogue."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is missing; .ci/run installs it")
        pytest.skip("GNU gettext (xgettext) is not installed; CI runs this check")
    copy = tmp_path / "startklar"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "tests"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "startklar.settings.test"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "de", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / CATALOGUE.relative_to(PACKAGE)))}
    committed = {e.msgid for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    assert fresh - committed == set(), "run makemessages and translate the new strings"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "1.234,56\xa0€ · 21.11.2026 · 1.234.567 · 85\xa0%"),
        ("en", "€1,234.56 · 21 Nov 2026 · 1,234,567 · 85%"),
    ],
)
def test_numbers_money_and_dates_use_the_language_formats(language: str, expected: str) -> None:
    template = Template(
        '{{ amount|money }} · {{ day|date:"DATE_FORMAT" }} · {{ count|number }}'
        " · {{ share|percent }}"
    )
    context = Context(
        {
            "amount": Decimal("1234.56"),
            "day": datetime.date(2026, 11, 21),
            "count": 1234567,
            "share": Decimal("0.85"),
        }
    )
    with translation.override(language):
        assert template.render(context) == expected


def test_money_shows_negative_amounts_and_blanks() -> None:
    template = Template("{{ a|money:0 }}|{{ b|money }}")
    with translation.override("de"):
        assert template.render(Context({"a": Decimal("-2500"), "b": None})) == "−2.500\xa0€|–"


@pytest.mark.django_db
def test_german_is_the_default_whatever_the_browser_asks_for() -> None:
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "de"
    assert "Bei Startklar anmelden" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_turns_the_interface_english() -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/")
    assert page["Content-Language"] == "en"
    assert "Sign in to Startklar" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "de", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "de"


@pytest.mark.django_db
def test_an_unknown_language_falls_back_to_german() -> None:
    client = Client()
    client.cookies["startklar_language"] = "fr"
    assert client.get("/accounts/login/")["Content-Language"] == "de"
