"""The managing director works with the demo's roadmap (issue 15, point 9): takes a set-aside
proposal back and accepts it, moves a pilot a week later and sees beforehand what moves along
(its scale decision), subscribes to the roadmap in a calendar and downloads the management
report; the plan's Gantt chart stays inside its box at 390 px."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, expect

from startklar import demo
from startklar.reports import services as reports
from startklar.reports.models import ReportRun
from startklar.roadmap.models import Dismissal, Item, Kind
from startklar.testing import demo_company

from .test_demo_journey import watch_console
from .test_readiness_round import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
ROADMAP = "/o/muster-metallbau/roadmap/"


def test_accept_a_proposal_move_an_item_subscribe_and_download_the_report(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo_company()
    set_aside = Dismissal.objects.get()
    page = sign_in(browser, live_server.url, demo.DEMO_EMAIL, demo.DEMO_PASSWORD)
    page.wait_for_url("**/o/muster-metallbau/")
    problems = watch_console(page)
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    navigation.get_by_role("link", name="Roadmap", exact=True).click()
    expect(page.locator("#plan-summary")).to_contain_text("1 überfällig")
    expect(page.locator(".chart-gantt svg")).to_be_visible()
    page.screenshot(path=artifacts / "1-plan.png", full_page=True)

    # The proposal set aside in the demo comes back and is accepted.
    before = Item.objects.count()
    page.get_by_role("link", name="Vorschläge", exact=True).click()
    page.get_by_role("button", name="Wieder vorschlagen").click()
    expect(page.locator(".alert-success")).to_contain_text("wieder in der Liste")
    proposal = page.locator(".proposal").first
    expect(proposal.locator("input[type=checkbox]")).to_be_checked()
    page.screenshot(path=artifacts / "2-proposals.png", full_page=True)
    page.get_by_role("button", name="Ausgewählte übernehmen").click()
    expect(page.locator(".alert-success")).to_contain_text("steht jetzt in der Roadmap")
    assert Item.objects.count() == before + 1
    assert Item.objects.filter(source_key=set_aside.source_key).exists()

    # A pilot a week later: its scale decision, waiting for it, moves along.
    pilot = Item.objects.filter(kind=Kind.PILOT, done_on__isnull=True).order_by("start").first()
    assert pilot is not None
    decision = pilot.dependents.get()
    page.goto(f"{live_server.url}{ROADMAP}items/{pilot.pk}/")
    later = pilot.start + datetime.timedelta(weeks=1)
    page.locator("#id_start").fill(later.isoformat())
    page.locator("#id_end").fill((pilot.end + datetime.timedelta(weeks=1)).isoformat())
    page.locator("#id_end").dispatch_event("change")
    moves = page.locator("#moves")
    expect(moves).to_contain_text("verschieben sich diese Einträge mit")
    expect(moves).to_contain_text(decision.title)
    page.screenshot(path=artifacts / "3-move-preview.png", full_page=True)
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("gespeichert")
    decision.refresh_from_db()
    assert decision.start > pilot.end + datetime.timedelta(weeks=1) - datetime.timedelta(days=1)

    # The calendar: an address of one's own, read by a calendar program without signing in.
    page.goto(f"{live_server.url}{ROADMAP}calendar/")
    page.get_by_role("button", name="Neue Adresse").click()
    address = page.locator("#feed-url").input_value()
    assert "/calendar/skc_" in address
    with urlopen(address) as fetched:  # noqa: S310 - the test's own server
        events = Calendar.from_ical(fetched.read()).walk("VEVENT")
    assert any(str(e["summary"]) == decision.title for e in events)
    page.screenshot(path=artifacts / "4-calendar.png", full_page=True)

    # The management report of the demo, downloaded.
    kept = ReportRun.objects.get(language="de")
    reports.produce(kept.pk)
    navigation.get_by_role("link", name="Bericht", exact=True).click()
    with page.expect_download() as started:
        page.locator(f"#run-{kept.pk}").get_by_role("link", name="PDF herunterladen").click()
    assert Path(started.value.path()).read_bytes().startswith(b"%PDF")

    phone = sign_in(browser, live_server.url, demo.DEMO_EMAIL, demo.DEMO_PASSWORD, width=390)
    phone.wait_for_url("**/o/muster-metallbau/")
    phone.goto(f"{live_server.url}{ROADMAP}")
    chart = phone.locator(".chart-gantt svg")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    # the plot has room beside the titles: it is not squeezed to a sliver by text that runs
    # past its end (the phases' names once did that)
    spans = phone.evaluate(
        "[...document.querySelectorAll('.chart-gantt .mark-rect path')]"
        ".map((p) => p.getBoundingClientRect()).map((r) => [r.left, r.right])"
    )
    plot = max(right for _left, right in spans) - min(left for left, _right in spans)
    assert plot > 150
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=artifacts / "5-plan-390.png", full_page=True)
    assert problems == []
