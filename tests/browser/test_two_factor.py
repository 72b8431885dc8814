"""Someone switches on two-factor sign-in on their account page, signs out, and signs in again
with password and code; the code they used for the setup does not work a second time."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from startklar import demo
from startklar.accounts import engine
from startklar.testing import demo_company

from .test_demo_journey import watch_console
from .test_readiness_round import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_set_up_two_factor_sign_out_and_sign_in_with_the_code(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo_company()
    base = live_server.url

    page = sign_in(browser, base, demo.DEMO_EMAIL, demo.DEMO_PASSWORD)
    problems = watch_console(page)
    page.locator("#user-menu").click()
    page.get_by_role("link", name="Mein Konto").click()
    expect(page.locator("#two-factor-state")).to_have_text("Aus")
    page.get_by_role("button", name="Zwei-Faktor-Anmeldung einrichten").click()

    expect(page.get_by_role("img", name="QR-Code für Ihre Authenticator-App")).to_be_visible()
    page.screenshot(path=artifacts / "1-setup.png", full_page=True)
    secret = page.locator("#two-factor-secret").inner_text()  # as a person types it in
    first_code = engine.totp(secret, time.time())
    page.get_by_label("Sechsstelliger Code aus der App").fill(first_code)
    page.get_by_role("button", name="Bestätigen und einschalten").click()

    expect(page.get_by_role("heading", name="Ihre Wiederherstellungscodes")).to_be_visible()
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Als Textdatei herunterladen").click()
    saved = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert all(code in saved for code in codes.all_inner_texts())
    page.screenshot(path=artifacts / "2-recovery-codes.png", full_page=True)
    page.get_by_role("button", name="Ich habe die Codes gesichert").click()
    expect(page.locator("#two-factor-state")).to_have_text("An")
    expect(page.locator("#recovery-codes-left")).to_contain_text("10 von 10")

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Abmelden").click()
    page.get_by_label("E-Mail-Adresse").fill(demo.DEMO_EMAIL)
    page.get_by_label("Passwort").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("heading", name="Code aus der Authenticator-App")).to_be_visible()
    code_field = page.get_by_label("Code", exact=True)
    code_field.fill(first_code)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text("Dieser Code wurde bereits verwendet.")).to_be_visible()
    page.screenshot(path=artifacts / "3-code-step.png", full_page=True)
    # The app's next code (one step ahead is still inside the accepted window).
    code_field.fill(engine.totp(secret, time.time() + engine.PERIOD))
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("heading", name="Muster Metallbau GmbH")).to_be_visible()
    assert problems == []
