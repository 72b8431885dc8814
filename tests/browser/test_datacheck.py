"""The department head checks an export (issue 16, "done when"): sets up a data source for the
demand forecast, uploads the ERP's CSV with the page's upload (progress bar, the worker's
check, the result page without reloading by hand), reads what is wrong with it, answers the
question a file cannot answer and sees the use case's score move; at 390 px the chart and the
column table stay inside the screen."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from startklar import demo
from startklar.datacheck import demofiles
from startklar.datacheck.models import DataCheck, DataSource, Status, UploadPart
from startklar.testing import demo_company

from .test_demo_journey import watch_console
from .test_readiness_round import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_an_export_read_its_problems_and_answer_what_the_file_cannot_show(
    browser: Browser, live_server: Any, artifacts: Path, tmp_path: Path
) -> None:
    demo_company()
    export = tmp_path / "kasse_export.csv"
    export.write_bytes(demofiles.sales_export(datetime.date.today()))
    page = sign_in(browser, live_server.url, demo.DEMO_EMAIL, demo.DEMO_PASSWORD)
    page.wait_for_url("**/o/muster-metallbau/")
    problems = watch_console(page)
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    navigation.get_by_role("link", name="Daten", exact=True).click()
    expect(page.get_by_text("ERP-Verkaufsexport")).to_be_visible()
    page.screenshot(path=artifacts / "1-list.png", full_page=True)

    # A new source for the forecast.
    page.get_by_role("link", name="Neue Datenquelle").first.click()
    page.get_by_label("Name").fill("Kassenexport")
    page.get_by_label("Material- und Einkaufsbedarf vorhersagen").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".alert-success")).to_contain_text("Datenquelle ist angelegt")
    source = DataSource.objects.get(name="Kassenexport")

    # The upload: sent by htmx, checked by the worker, the page follows to the result.
    page.get_by_label("Datei", exact=True).set_input_files(str(export))
    page.get_by_role("button", name="Hochladen und prüfen").click()
    page.wait_for_url("**/data-check/checks/*/")
    check = DataCheck.objects.get(source=source)
    assert check.status == Status.DONE
    assert not UploadPart.objects.filter(data_check=check).exists()  # the file is gone
    expect(page.get_by_text("„Belegdatum“ mischt Formate")).to_be_visible()
    expect(
        page.get_by_text("„Kundengruppe“ kennzeichnet fehlende Werte mit „k.A.“")
    ).to_be_visible()
    card = page.locator(".card[id^=fitness-]").first
    score_before = card.locator(".fw-semibold").first.inner_text()
    expect(card).to_contain_text("unklar")
    page.screenshot(path=artifacts / "2-check.png", full_page=True)

    # What a file cannot show is asked; the answer counts at once.
    card.get_by_role("combobox").select_option("yes")
    card.get_by_role("button", name="Speichern").click()
    expect(page.locator(".alert-success")).to_contain_text("Antwort wurde gespeichert")
    card = page.locator(".card[id^=fitness-]").first
    expect(card).not_to_contain_text("unklar")
    assert card.locator(".fw-semibold").first.inner_text() != score_before
    assert problems == []

    # On a phone the chart and the column table fit the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    chart = page.locator(".chart svg").first
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifacts / "3-check-390.png", full_page=True)
