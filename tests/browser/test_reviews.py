"""A reviewer judges an item on a phone and sees the plan's figures move."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from startklar import demo
from startklar.reviews.models import ReviewPlan
from startklar.testing import demo_company

from .test_demo_journey import watch_console
from .test_readiness_round import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_judging_an_item_at_phone_width_moves_the_error_rate(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo_company()
    plan = ReviewPlan.objects.get(title="Rechnungseingang: ausgelesene Belege")
    page = sign_in(browser, live_server.url, demo.DEMO_EMAIL, demo.DEMO_PASSWORD, width=390)
    page.wait_for_url("**/o/muster-metallbau/")
    problems = watch_console(page)
    plan_url = f"{live_server.url}/o/muster-metallbau/reviews/{plan.pk}/"
    page.goto(plan_url)
    expect(page.locator(".chart svg").first).to_be_visible()
    before = page.locator("#overall-sentence").inner_text()
    page.screenshot(path=artifacts / "1-plan.png", full_page=True)

    page.locator("#judge-next").click()
    expect(page.locator("#output")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#save-next").click()  # nothing chosen: each criterion says so
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.locator("#criterion-correct label", has_text="falsch").click()
    page.locator("#criterion-complete label", has_text="vollständig").click()
    page.locator("#criterion-usable label", has_text="nein, neu zu machen").click()
    page.get_by_label("Kommentar").fill("Betrag falsch")
    page.screenshot(path=artifacts / "2-judge.png", full_page=True)
    page.locator("#save-next").click()
    expect(page.locator(".alert-success")).to_contain_text("Gespeichert")

    page.goto(plan_url)
    expect(page.locator("#overall-sentence")).not_to_have_text(before)
    expect(page.locator(".chart svg").first).to_be_visible()
    page.screenshot(path=artifacts / "3-after.png", full_page=True)
    assert problems == []
