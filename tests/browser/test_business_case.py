"""Editing a line item of a business case updates the results in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from startklar import demo
from startklar.businesscase.models import BusinessCase
from startklar.testing import demo_company

from .test_demo_journey import watch_console
from .test_readiness_round import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_editing_a_line_item_changes_the_results(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo_company()
    case = BusinessCase.objects.get(use_case__catalogue_id="administration.eingangsrechnungen")
    page = sign_in(browser, live_server.url, demo.DEMO_EMAIL, demo.DEMO_PASSWORD)
    problems = watch_console(page)
    page.goto(f"{live_server.url}/o/muster-metallbau/business-cases/")
    expect(page.locator("#comparison")).to_contain_text("Eingangsrechnungen automatisch erfassen")
    page.goto(f"{live_server.url}/o/muster-metallbau/business-cases/{case.pk}/")
    expect(page.locator("#summary")).to_contain_text(
        "Mit 80 % Wahrscheinlichkeit hat sich der Use Case bis Monat"
    )
    expect(page.locator(".chart svg").first).to_be_visible()
    before = page.locator("#npv").inner_text()
    page.screenshot(path=artifacts / "1-before.png", full_page=True)

    item = case.items.get(name="Zeitersparnis je Rechnung")
    field = page.locator(f"#id_item{item.pk}-cases_likely")
    field.fill("680")
    field.press("Tab")
    expect(page.locator("#npv")).not_to_have_text(before)
    expect(page.locator(".chart svg").first).to_be_visible()
    page.screenshot(path=artifacts / "2-after.png", full_page=True)

    field.fill("900")  # above the max of 700: a message at the field, results unchanged
    field.press("Tab")
    expect(page.locator(f"#item-{item.pk} .invalid-feedback")).to_be_visible()
    assert problems == []


def test_a_wide_table_opened_on_a_phone_is_reachable_by_keyboard(
    browser: Browser, live_server: Any
) -> None:
    """axe's scrollable-region-focusable: the cash-flow table (in a <details>) scrolls sideways
    on a phone, so the keyboard must reach it."""
    demo_company()
    case = BusinessCase.objects.get(use_case__catalogue_id="administration.eingangsrechnungen")
    page = sign_in(browser, live_server.url, demo.DEMO_EMAIL, demo.DEMO_PASSWORD, width=390)
    page.wait_for_url("**/o/muster-metallbau/")
    page.goto(f"{live_server.url}/o/muster-metallbau/business-cases/{case.pk}/")
    details = page.locator("details", has_text="Zahlungsströme pro Monat als Tabelle")
    box = details.locator(".table-responsive")
    details.locator("summary").click()
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "region")
    box.focus()
    page.keyboard.press("ArrowRight")
    expect(box).to_be_focused()
    assert box.evaluate("(b) => b.scrollWidth > b.clientWidth")
