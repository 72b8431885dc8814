"""A managing director walks the demo's invoice pilot through the scale decision (issue 14,
point 10): the pilot page says how far the gate is, the evidence page names the one open item
with its source, a documented reason opens it, and "Skalieren" moves the use case to scaling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from startklar import demo
from startklar.pilots.models import Pilot, PilotStatus
from startklar.testing import demo_company
from startklar.usecases.models import Status

from .test_demo_journey import watch_console
from .test_readiness_round import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_pilot_walks_through_the_gate(
    browser: Browser, live_server: Any, artifacts: Path, width: int
) -> None:
    demo_company()
    pilot = Pilot.objects.get(use_case__catalogue_id="administration.eingangsrechnungen")
    page = sign_in(browser, live_server.url, demo.DEMO_EMAIL, demo.DEMO_PASSWORD, width=width)
    problems = watch_console(page)
    page.goto(f"{live_server.url}/o/muster-metallbau/pilots/")
    page.get_by_role("link", name="Eingangsrechnungen automatisch erfassen").click()
    expect(page.locator("#gate-summary")).to_contain_text("8 von 9 Punkten sind erfüllt.")
    page.get_by_role("link", name="Nachweise und Entscheidung").click()

    kpis = page.locator("#item-kpis")
    expect(kpis).to_contain_text("Noch nicht am Ziel: Bearbeitungszeit je Rechnung")
    expect(kpis).to_contain_text("offen")
    expect(page.locator("#item-error_rate")).to_contain_text("erfüllt")
    page.screenshot(path=artifacts / "1-gate.png", full_page=True)

    # Deciding now is refused: an item is open, and the form says so.
    page.get_by_label("Skalieren").check()
    page.get_by_role("textbox", name="Begründung").fill("Auf alle Rechnungen ausweiten.")
    page.get_by_role("button", name="Entscheidung festhalten").click()
    expect(page.locator("#decision-form")).to_contain_text("noch offen")
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.EXTENDED

    # The one open item gets its documented reason …
    kpis = page.locator("#item-kpis")
    kpis.locator("summary").click()
    kpis.get_by_label("Notiz").fill("Sammelrechnungen bleiben manuell; 6 statt 4 Minuten genügen.")
    kpis.get_by_role("button", name="Notiz speichern").click()
    expect(page.locator("#gate-summary")).to_contain_text("Alle 9 Punkte sind erfüllt")
    expect(page.locator("#item-kpis")).to_contain_text("Begründung dokumentiert")

    # … and the decision moves the use case to scaling.
    page.get_by_label("Skalieren").check()
    page.get_by_label("Skalierung", exact=True).check()
    page.get_by_role("textbox", name="Begründung").fill("Auf alle Rechnungen ausweiten.")
    page.get_by_role("button", name="Entscheidung festhalten").click()
    expect(page.locator("#decisions")).to_contain_text("Auf alle Rechnungen ausweiten.")
    page.screenshot(path=artifacts / "2-decided.png", full_page=True)
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.CLOSED
    assert pilot.use_case.status == Status.SCALING
    assert problems == []
