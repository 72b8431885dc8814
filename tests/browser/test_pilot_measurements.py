"""On a phone (390 px), a person records a KPI's measurement on the pilot page: the KPI's card
is swapped in place and its chart plots one point more, inside its box."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from startklar import demo
from startklar.pilots.models import Kpi
from startklar.testing import demo_company

from .test_demo_journey import watch_console
from .test_readiness_round import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_measurement_recorded_on_a_phone_moves_the_chart(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo_company()
    kpi = Kpi.objects.filter(measurements__isnull=False).order_by("pk").first()
    assert kpi is not None, "the demo has a pilot with measured KPIs"
    # A period without a value yet: the one before the first measured.
    first = kpi.measurements.order_by("period").first()
    assert first is not None
    step = {"day": 1, "week": 7, "month": 20}[kpi.period]
    day = first.period - datetime.timedelta(days=step)
    page = sign_in(browser, live_server.url, demo.DEMO_EMAIL, demo.DEMO_PASSWORD, width=390)
    problems = watch_console(page)
    page.wait_for_url("**/o/muster-metallbau/")
    page.goto(f"{live_server.url}/o/muster-metallbau/pilots/{kpi.pilot_id}/")
    card = page.locator(f"#kpi-{kpi.pk}")
    symbols = card.locator(".kpi-chart svg .mark-symbol path")
    expect(symbols.first).to_be_attached()
    before = symbols.count()
    card.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "1-before.png", full_page=True)

    card.locator("input[name=period]").fill(day.isoformat())
    card.locator("input[name=value]").fill("abc")
    card.get_by_role("button", name="Eintragen").click()
    expect(card.locator(".invalid-feedback")).to_be_visible()  # a message at the field
    expect(symbols).to_have_count(before)

    card.locator("input[name=value]").fill("7,5")
    card.locator("input[name=note]").fill("am Telefon erfasst")
    card.get_by_role("button", name="Eintragen").click()
    expect(card.locator(".invalid-feedback")).to_have_count(0)
    expect(symbols).to_have_count(before + 1)
    count = kpi.measurements.count()
    expect(card.locator(".kpi-chart")).to_have_attribute("data-points", str(count))
    box = card.locator(".kpi-chart").bounding_box()
    svg = card.locator(".kpi-chart svg").bounding_box()
    assert box is not None
    assert svg is not None
    assert svg["x"] + svg["width"] <= box["x"] + box["width"] + 1  # the chart stays in its box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifacts / "2-after.png", full_page=True)
    assert kpi.measurements.filter(note="am Telefon erfasst").exists()
    assert problems == []
