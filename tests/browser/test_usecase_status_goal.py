"""On the phone: a goal once written as text is seen and entered as numbers; an owner who
moves a pilot to scaling is told about the scale decision and overrides it with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from startklar import demo
from startklar.testing import demo_company
from startklar.usecases.models import Status, UseCase

from .test_demo_journey import watch_console
from .test_readiness_round import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_flagged_goal_and_the_owners_override_at_phone_width(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo_company()
    flagged = UseCase.objects.get(catalogue_id="produktion.feinplanung")
    flagged.goal_unparsed = "45 min → halbieren"
    flagged.save()
    pilot = UseCase.objects.get(catalogue_id="administration.eingangsrechnungen")
    assert pilot.status == Status.PILOT
    base = live_server.url
    slug = flagged.organisation.slug

    page = sign_in(browser, base, demo.DEMO_EMAIL, demo.DEMO_PASSWORD, width=390)
    problems = watch_console(page)
    page.goto(f"{base}/o/{slug}/usecases/{flagged.pk}/")
    expect(page.locator("#goal-unparsed")).to_contain_text(
        "Ziel als Zahl erfassen: bisher ›45 min → halbieren‹"
    )
    page.locator("#next-step").get_by_role("link", name="Ziel als Zahl erfassen").click()
    page.get_by_label("Einheit").fill("min")
    page.get_by_label("Ausgangswert").fill("45")
    page.get_by_label("Zielwert").fill("22,5")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#goal-sentence")).to_contain_text("45 → 22,5 min")
    expect(page.locator("#goal-unparsed")).to_have_count(0)
    page.screenshot(path=artifacts / "1-goal-in-numbers.png", full_page=True)

    page.goto(f"{base}/o/{slug}/usecases/{pilot.pk}/")
    page.get_by_label("Neuer Status").select_option("skalierung")
    page.get_by_role("button", name="Status ändern").click()
    expect(
        page.get_by_text("über die Skalierungsentscheidung seines Pilots (Seite")
    ).to_be_visible()
    page.get_by_label("Neuer Status").select_option("skalierung")
    page.get_by_label("Begründung").fill("Kunde braucht es vor dem Gate")
    page.get_by_label("Ohne Skalierungsentscheidung setzen").check()
    page.get_by_role("button", name="Status ändern").click()
    expect(page.locator("#status")).to_have_text("Skalierung")
    expect(page.locator("#history")).to_contain_text(
        "Ohne Skalierungsentscheidung gesetzt von Martina Keller – "
        "Grund: Kunde braucht es vor dem Gate"
    )
    page.screenshot(path=artifacts / "2-override-in-history.png", full_page=True)
    assert problems == []
