"""From the overview to a use case with a business case and a classification, by following the
"next step" buttons alone: a new company, in German and English (one a run, on the phone;
``crawl.JOURNEY_VIEWS``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from startklar.organisations.models import Role
from startklar.testing import add_member, make_organisation, make_user

from . import crawl
from .test_demo_journey import watch_console
from .test_readiness_round import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "de": {
        "lang": "DE",
        "title": "Eingangsrechnungen automatisch erfassen",
        "catalogue": "Use Cases im Katalog finden",
        "search": "Suchen",
        "adopt": "Als eigenen Use Case übernehmen",
        "save": "Speichern",
        "save_scores": "Bewertungen speichern",
        "next": "Nächster Schritt",
        "use_case": "Use Case",
        "save_answers": "Antworten speichern",
        "rationale": "Begründung",
        "record": "Entscheidung festhalten",
        "continue": "Weiter",
        "done": "Alle Schritte erledigt",
        "all_answered": "Alle Fragen sind beantwortet.",
    },
    "en": {
        "lang": "EN",
        "title": "Capture incoming invoices automatically",
        "catalogue": "Find use cases in the catalogue",
        "search": "Search",
        "adopt": "Adopt as own use case",
        "save": "Save",
        "save_scores": "Save scores",
        "next": "Next step",
        "use_case": "Use case",
        "save_answers": "Save answers",
        "rationale": "Rationale",
        "record": "Record decision",
        "continue": "Next",
        "done": "All steps done",
        "all_answered": "All questions are answered.",
    },
}


def next_button(page: Page) -> Any:
    """The one button of the use case's next-step card."""
    return page.locator("#next-step").locator("a.btn, button.btn").first


def follow(page: Page, label_de: str, label_en: str, language: str) -> None:
    button = next_button(page)
    expect(button).to_have_text(label_de if language == "de" else label_en)
    button.click()


@pytest.mark.parametrize(("language", "width"), crawl.JOURNEY_VIEWS)
def test_a_new_company_reaches_a_business_case_and_a_classification_by_next_steps(
    browser: Browser, live_server: Any, artifacts: Path, language: str, width: int
) -> None:
    t = TEXT[language]
    organisation = make_organisation("Neu GmbH")
    owner = make_user("neu@example.com", name="Nora Neu", password="Neu-Start-2026")
    add_member(organisation, owner, Role.OWNER)
    page = sign_in(browser, live_server.url, owner.email, "Neu-Start-2026", width=width)
    problems = watch_console(page)
    if language == "en":  # as if switched with the EN button (at 390 px it is in the menu)
        page.context.add_cookies(
            [{"name": "startklar_language", "value": "en", "url": live_server.url}]
        )
    page.goto(f"{live_server.url}/o/{organisation.slug}/")
    shot = 0

    def snap(name: str) -> None:
        nonlocal shot
        shot += 1
        page.screenshot(
            path=artifacts / f"{shot:02d}-{name}-{language}-{width}.png", full_page=True
        )

    # An empty company: no score, its first steps.
    expect(page.locator("#first-steps")).to_be_visible()
    snap("overview")
    page.locator("#first-steps").get_by_role("link", name=t["catalogue"]).click()
    with page.expect_response(re.compile(r"/catalogue/\?")):
        page.get_by_label(t["search"], exact=True).fill("Rechnungen erfassen")
    page.locator("#results a").first.click()
    page.get_by_role("link", name=t["adopt"]).first.click()
    snap("new")
    page.locator("main form[data-form] button[type=submit]").first.click()

    # The use case page leads on.
    follow(page, "Messbares Ziel festlegen", "Set a measurable goal", language)
    page.locator("#id_goal_metric").fill("Minuten je Rechnung")
    page.locator("#id_goal_target_value").fill("4")
    page.locator("main form[data-form=edit] button[type=submit]").click()

    follow(page, "Potenzial bewerten", "Score the potential", language)
    for scale in page.locator("#scores .scale-buttons").all():
        scale.locator("label").nth(3).click()  # 4 of 5 on every criterion
    snap("scores")
    page.get_by_role("button", name=t["save_scores"]).click()

    follow(page, "Business Case anlegen", "Create the business case", language)
    expect(page.locator("#npv")).to_be_visible()
    snap("business-case")
    page.get_by_role("link", name=t["use_case"], exact=True).click()

    follow(page, "Make, Buy oder Partner klären", "Decide: make, buy or partner", language)
    page.locator(".scale-buttons").first.locator("label").nth(0).click()
    page.get_by_role("button", name=t["save_answers"]).click()
    page.get_by_label(t["rationale"]).fill("Standardprodukt reicht.")
    page.get_by_role("button", name=t["record"]).click()
    page.get_by_role("link", name=t["use_case"], exact=True).click()

    follow(page, "Einstufung starten", "Start the classification", language)
    for _question in range(80):
        if page.get_by_text(t["all_answered"]).count():
            break
        form = page.locator("#question-form")
        # A harmless invoice tool: "no", "none of these areas", else the first option (role:
        # deployer).
        choice = form.locator("input[value=no], input[value=none]")
        (choice if choice.count() else form.locator("input[type=radio]")).first.check()
        answered = page.locator("#assessment-main").element_handle()
        with page.expect_response(re.compile(r"/answer/$")):
            form.get_by_role("button", name=t["continue"]).click()
        # The response alone is not enough: until htmx has swapped in the next question (or
        # the end), the answered form is still on the page.
        page.wait_for_function("(main) => !main.isConnected", arg=answered)
    expect(page.get_by_text(t["all_answered"])).to_be_visible()
    snap("classified")
    page.locator("nav[aria-label] .breadcrumb-item a").last.click()

    expect(page.locator("#next-step")).to_contain_text(t["done"])
    snap("use-case-done")
    page.goto(f"{live_server.url}/o/{organisation.slug}/")
    expect(page.locator("#focus")).to_contain_text(t["title"])
    minimal = "Minimales Risiko" if language == "de" else "Minimal risk"
    expect(page.locator("#focus")).to_contain_text(minimal)  # classified as minimal risk
    snap("overview-after")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert problems == []
