"""Two people answer a readiness round on their own; the owner sees where they differ."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from startklar import demo
from startklar.accounts.models import User
from startklar.testing import demo_company

from .test_demo_journey import watch_console

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(browser: Browser, base: str, email: str, password: str, width: int = 1280) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    return page


def answer_everything(page: Page, level: int) -> None:
    """Click one level per question on every dimension page, then submit."""
    page.get_by_role("link", name="Fragen beantworten").click()
    while True:
        questions = page.locator("form.question")
        # One answer after the other, as fast as a person clicks, without waiting for each
        # to be saved; then every question of the page says it was.
        count = questions.count()
        for i in range(count):
            questions.nth(i).locator(".level").nth(level - 1).locator("label").click()
        for i in range(count):
            expect(questions.nth(i).get_by_role("status")).to_contain_text("gespeichert")
        forward = page.get_by_role("link", name="→")
        if forward.count() == 0:
            break
        # Wait for the next dimension's page: counting its questions or its forward link
        # while the browser still shows the old page would end the loop one page early.
        target = re.compile(re.escape(forward.get_attribute("href") or "") + "$")
        forward.click()
        page.wait_for_url(target)
    page.get_by_role("button", name="Antworten abgeben").click()
    expect(page.get_by_text("Vielen Dank! Ihre Antworten sind abgegeben.")).to_be_visible()


def test_two_respondents_answer_and_the_owner_sees_the_perception_gap(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo_company()
    worker = User.objects.get(email="t.becker@startklar.example")
    worker.set_password("Fraesen-Drehen-7")
    worker.save()
    base = live_server.url

    owner = sign_in(browser, base, demo.DEMO_EMAIL, demo.DEMO_PASSWORD)
    problems = watch_console(owner)
    owner.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Reifegrad"
    ).click()
    owner.get_by_label("Titel").fill("Reifegrad-Check Test")
    # The creator answers too, from the perspective her role suggests.
    expect(owner.get_by_label("Ich beantworte die Fragen selbst")).to_be_checked()
    owner.get_by_role("button", name="Runde eröffnen").click()
    expect(owner.get_by_role("heading", name="1 befragte Person")).to_be_visible()
    owner.get_by_label("Mitglied").select_option(label="Tim Becker")
    # Choosing the machine operator suggests his perspective (by his role).
    expect(owner.get_by_label("Perspektive")).to_have_value("mitarbeitende")
    owner.get_by_role("button", name="Hinzufügen").click()
    expect(owner.get_by_role("heading", name="2 befragte Personen")).to_be_visible()
    round_url = owner.url

    answer_everything(owner, 3)
    expect(owner.locator("#overall")).to_have_text("50 / 100")
    expect(owner.locator("#perception-gaps")).to_have_count(0)

    worker_page = sign_in(browser, base, worker.email, "Fraesen-Drehen-7", width=390)
    worker_problems = watch_console(worker_page)
    worker_page.goto(round_url)
    expect(worker_page.get_by_role("link", name="Ergebnisse")).to_have_count(0)
    worker_page.goto(round_url + "results/")
    expect(worker_page.get_by_text("sobald Sie Ihre eigenen Antworten")).to_be_visible()
    worker_page.goto(round_url)
    worker_page.screenshot(path=artifacts / "1-worker-round-phone.png", full_page=True)
    answer_everything(worker_page, 1)

    owner.reload()
    gaps = owner.locator("#perception-gaps li")
    expect(gaps.first).to_contain_text("Geschäftsführung: 3")
    expect(gaps.first).to_contain_text("Mitarbeitende: 1")
    expect(owner.locator("#first-steps li")).to_have_count(3)
    expect(owner.locator(".chart svg").first).to_be_visible()
    owner.screenshot(path=artifacts / "2-owner-results.png", full_page=True)
    worker_page.screenshot(path=artifacts / "3-worker-results-phone.png", full_page=True)
    assert problems == []
    assert worker_problems == []
