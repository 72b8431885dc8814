"""A workshop with two participants on their own devices: blind scoring, reveal, agreement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from startklar import demo
from startklar.accounts.models import User
from startklar.testing import demo_company
from startklar.usecases.models import CriterionScore

from .test_demo_journey import watch_console
from .test_readiness_round import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def score_everything(page: Page, score: int) -> None:
    """Click one score per criterion, each saved at once (htmx), and wait for the last."""
    forms = page.locator("form.vote")
    for i in range(forms.count()):
        form = forms.nth(i)
        with page.expect_response(lambda r: r.url.endswith("/vote/")):
            form.locator("label", has_text=str(score)).click()
    expect(page.locator("#my-progress")).to_contain_text(f"{forms.count()} von {forms.count()}")


def test_two_participants_score_blind_and_the_facilitator_records_the_agreement(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo_company()
    engineer = User.objects.get(email="j.weber@startklar.example")
    engineer.set_password("Schweissen-und-Biegen-9")
    engineer.save()
    base = live_server.url

    owner = sign_in(browser, base, demo.DEMO_EMAIL, demo.DEMO_PASSWORD)
    problems = watch_console(owner)
    owner.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Use Cases"
    ).click()
    owner.get_by_role("link", name="Workshops").click()
    owner.get_by_label("Titel").fill("Workshop Test")
    owner.get_by_label("Schweißnahtprotokolle digitalisieren").check()
    owner.get_by_role("button", name="Workshop eröffnen").click()
    workshop_url = owner.url

    participant = sign_in(browser, base, engineer.email, "Schweissen-und-Biegen-9", width=390)
    participant_problems = watch_console(participant)
    participant.goto(workshop_url)
    score_everything(participant, 2)
    participant.screenshot(path=artifacts / "1-participant-phone.png", full_page=True)

    # The facilitator's page updates by polling, without a reload.
    expect(owner.locator("#live")).to_contain_text("1 Person hat bewertet", timeout=10_000)
    score_everything(owner, 4)
    expect(owner.locator("#live")).to_contain_text("2 Personen haben bewertet", timeout=10_000)

    owner.get_by_role("button", name="Bewertungen aufdecken").click()
    table = owner.locator(".reveal-table").first
    disputed = table.locator("tr.table-warning")
    expect(disputed).to_have_count(11)  # 2 against 4 on every criterion
    expect(disputed.first).to_contain_text("besprechen")
    first_row = table.locator("tbody tr").first
    first_row.get_by_role("combobox").select_option("3")
    first_row.get_by_role("button").click()
    expect(
        owner.locator(".reveal-table").first.locator("tbody tr").first.get_by_role("button")
    ).to_have_text("✓")
    owner.screenshot(path=artifacts / "2-facilitator-revealed.png", full_page=True)

    participant.reload()
    expect(participant.locator(".reveal-table").first).to_be_visible()
    assert (
        CriterionScore.objects.filter(
            source="workshop", use_case__title__startswith="Schweiß"
        ).count()
        == 1
    )
    assert problems == []
    assert participant_problems == []
