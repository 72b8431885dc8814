"""The managing director asks for the management report in English, sees it wait for the
worker and then being ready without reloading the page (htmx polls every 2 s), and downloads
the PDF; at 1280 px in German and at 390 px in English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, expect

from startklar import demo, worker
from startklar.reports import services
from startklar.reports.models import ReportRun
from startklar.testing import demo_company

from .test_demo_journey import watch_console
from .test_readiness_round import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=QUEUED)  # as in production: the request only queues the report
def test_a_report_is_requested_made_by_the_worker_and_downloaded(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo_company()
    kept = ReportRun.objects.get(language="de")  # the demo's report
    services.produce(kept.pk)  # made where the demo was committed; the tests' demo may wait
    page = sign_in(browser, live_server.url, demo.DEMO_EMAIL, demo.DEMO_PASSWORD)
    page.wait_for_url("**/o/muster-metallbau/")
    problems = watch_console(page)
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    navigation.get_by_role("link", name="Bericht", exact=True).click()
    expect(page.locator(f"#run-{kept.pk}")).to_contain_text("fertig")
    page.screenshot(path=artifacts / "1-de-1280.png", full_page=True)

    page.get_by_label("Englisch").check()
    page.get_by_role("button", name="Bericht erstellen").click()
    run = ReportRun.objects.exclude(pk=kept.pk).get()
    row = page.locator(f"#run-{run.pk}")
    expect(row).to_have_attribute("data-status", "queued")
    expect(row.locator("progress")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text("im Hintergrund")
    page.screenshot(path=artifacts / "2-queued.png", full_page=True)

    assert worker.run(once=True) == 0  # the worker makes it; the page notices by itself
    expect(row).to_have_attribute("data-status", "done", timeout=10_000)
    expect(row.locator("progress")).to_have_count(0)
    page.screenshot(path=artifacts / "3-done.png", full_page=True)
    with page.expect_download() as started:
        row.get_by_role("link", name="PDF herunterladen").click()
    download = started.value
    assert download.suggested_filename.startswith("management-report-")
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) == ReportRun.objects.get(pk=run.pk).size

    phone = sign_in(browser, live_server.url, demo.DEMO_EMAIL, demo.DEMO_PASSWORD, width=390)
    phone.wait_for_url("**/o/muster-metallbau/")
    phone.goto(f"{live_server.url}/o/muster-metallbau/reports/")
    phone.locator(".navbar-toggler").click()
    english = phone.locator("form.language-switch button[value=en]")
    expect(english).to_be_visible()  # the menu has opened
    english.click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.locator("h1")).to_have_text("Management report")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=artifacts / "4-en-390.png", full_page=True)
    assert problems == []
