"""A person's first visit: sign in, look around, switch language, invite a colleague."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from startklar import demo

pytestmark = pytest.mark.django_db(transaction=True)


# A form answered with 422 (invalid input, shown in place) is expected, not a problem.
EXPECTED = "Failed to load resource: the server responded with a status of 422"


def watch_console(page: Page) -> list[str]:
    """Collect JavaScript errors and Content-Security-Policy violations."""
    problems: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith(EXPECTED):
            problems.append(message.text)

    def answered(response: Any) -> None:
        if response.status >= 400 and response.status != 422:
            request = response.request
            sent = f" ({request.post_data})" if request.post_data else ""
            problems.append(f"HTTP {response.status}: {request.method} {response.url}{sent}")

    page.on("console", record)
    page.on("response", answered)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


@contextmanager
def swapped(page: Page, selector: str) -> Iterator[None]:
    """Wait until htmx has replaced the element, so no check reads the old one."""
    page.locator(selector).evaluate("element => element.dataset.stale = 'yes'")
    yield
    expect(page.locator(f"{selector}:not([data-stale])")).to_be_attached()


def test_demo_user_invites_a_colleague_who_joins(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo.ensure_demo()
    base = live_server.url

    owner_context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = owner_context.new_page()
    problems = watch_console(page)

    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Bei Startklar anmelden")).to_be_visible()
    page.get_by_label("E-Mail-Adresse").fill(demo.DEMO_EMAIL)
    page.get_by_label("Passwort").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("heading", name="Muster Metallbau GmbH")).to_be_visible()
    expect(page.locator("#size-class")).to_have_text("Mittleres Unternehmen")
    expect(page.get_by_text("12.400.000 €")).to_be_visible()
    page.screenshot(path=artifacts / "1-overview-de.png", full_page=True)

    page.get_by_role("button", name="EN").click()
    expect(page.locator("#size-class")).to_have_text("Medium-sized enterprise")
    expect(page.get_by_text("€12,400,000")).to_be_visible()
    page.screenshot(path=artifacts / "2-overview-en.png", full_page=True)

    page.get_by_role("link", name="Members", exact=True).click()
    page.get_by_label("E-mail address").fill("k.neumann@startklar.example")
    page.get_by_label("Role", exact=True).select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    link_field = page.locator("#invite-link")
    expect(link_field).to_be_visible()
    link = link_field.input_value()
    assert re.match(rf"{re.escape(base)}/invitation/[\w-]+/$", link)
    page.screenshot(path=artifacts / "3-invitation-en.png", full_page=True)

    guest_context = browser.new_context(viewport={"width": 390, "height": 844})
    guest = guest_context.new_page()
    guest_problems = watch_console(guest)
    guest.goto(link)
    expect(guest.get_by_role("heading", name="Muster Metallbau GmbH beitreten")).to_be_visible()
    guest.get_by_label("Ihr Name").fill("Katrin Neumann")
    guest.get_by_label("Passwort", exact=True).fill("Laser-Schnitt-2026")
    guest.get_by_label("Passwort wiederholen").fill("Laser-Schnitt-2026")
    guest.screenshot(path=artifacts / "4-accept-phone.png", full_page=True)
    guest.get_by_role("button", name="Konto anlegen und beitreten").click()
    expect(guest.get_by_text("Willkommen bei Muster Metallbau GmbH!")).to_be_visible()
    expect(guest.locator("#size-class")).to_have_text("Mittleres Unternehmen")
    guest.screenshot(path=artifacts / "5-joined-phone.png", full_page=True)

    page.reload()
    row = page.locator("#member-table tr", has_text="Katrin Neumann")
    expect(row).to_be_visible()
    expect(row.get_by_role("combobox")).to_have_value("editor")
    page.screenshot(path=artifacts / "6-members-en.png", full_page=True)

    # Changing a role swaps the member list in place (htmx), without loading a new page.
    page.evaluate("window.notReloaded = true")
    with swapped(page, "#member-area"):
        row.get_by_role("combobox").select_option("viewer")
    expect(row.get_by_role("combobox")).to_have_value("viewer")
    assert page.evaluate("window.notReloaded === true")
    owner_row = page.locator("#member-table tr", has_text="Martina Keller")
    with swapped(page, "#member-area"):
        owner_row.get_by_role("combobox").select_option("editor")
    expect(page.get_by_role("alert")).to_contain_text("last owner")
    expect(owner_row.get_by_role("combobox")).to_have_value("owner")

    assert problems == []
    assert guest_problems == []
    owner_context.close()
    guest_context.close()


def test_the_navigation_collapses_on_a_phone_and_opens_by_keyboard(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo.ensure_demo()
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    problems = watch_console(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(demo.DEMO_EMAIL)
    page.get_by_label("Passwort").fill(demo.DEMO_PASSWORD)
    page.keyboard.press("Enter")
    members_link = page.get_by_role("link", name="Mitglieder", exact=True)
    expect(members_link).to_be_hidden()
    toggler = page.get_by_role("button", name="Navigation anzeigen")
    toggler.focus()
    page.keyboard.press("Enter")
    expect(members_link).to_be_visible()
    page.screenshot(path=artifacts / "overview-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert problems == []
    context.close()
