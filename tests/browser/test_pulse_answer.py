"""A member of staff without an account answers the demo company's open pulse on a phone: the
link from the poster, one tap per question, a comment, sent; the answer counts for the group of
the link and says nothing about who gave it. A code-only pulse then refuses a used code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant
from startklar.people import services
from startklar.people.models import Pulse, PulseAnswer, PulseLink, PulseStatus
from startklar.testing import demo_company

from .test_demo_journey import watch_console

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pulse_is_answered_on_a_phone_without_an_account(
    browser: Browser, live_server: Any, artifacts: Path
) -> None:
    demo_company()
    pulse = Pulse.objects.get(status=PulseStatus.OPEN)
    link = PulseLink.objects.get(pulse=pulse, group__name="Produktion")
    before = PulseAnswer.objects.filter(pulse=pulse, group=link.group).count()
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    problems = watch_console(page)
    page.goto(f"{live_server.url}/pulse/{link.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(pulse.title)
    expect(page.locator("#anonymity-note")).to_contain_text("Anonym")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    questions = page.locator("fieldset.pulse-question")
    assert questions.count() == len(pulse.questions)
    taps = 0
    for i in range(questions.count()):
        # one tap per question: the label is the button (a question left out is "keine Angabe")
        choice = questions.nth(i).locator("label").nth(3 if i % 2 else 1)
        box = choice.bounding_box()
        assert box is not None
        assert box["height"] >= 36
        assert box["width"] >= 150
        choice.tap()
        taps += 1
    page.get_by_label("Was sollten wir bei KI aus Ihrer Sicht beachten?", exact=False).fill(
        "Bitte früh Bescheid geben."
    )
    page.screenshot(path=artifacts / "1-answered.png", full_page=True)
    page.get_by_role("button", name="Antworten absenden").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vielen Dank")
    page.screenshot(path=artifacts / "2-thanks.png", full_page=True)
    assert taps == len(pulse.questions)
    stored = PulseAnswer.objects.filter(pulse=pulse, group=link.group).order_by("-pk")
    assert stored.count() == before + 1
    answer = stored.first()
    assert answer is not None
    assert answer.comment == "Bitte früh Bescheid geben."
    assert answer.answered_on == timezone.localdate()
    assert sorted(v for v in answer.points.values() if v is not None)  # the taps arrived
    assert problems == []

    # A pulse that takes answers only with a code: a used code gets a clear message.
    membership = Membership.objects.get(organisation=pulse.organisation, role=Role.OWNER)
    owner = Tenant(organisation=pulse.organisation, membership=membership)
    coded = services.create_pulse(owner, "KI-Puls mit Codes", codes_required=True)
    services.open_pulse(owner, coded, timezone.localdate())
    code = services.issue_codes(owner, coded, 1)[0]
    token = PulseLink.objects.get(pulse=coded, group=None).token
    for attempt in range(2):
        page.goto(f"{live_server.url}/pulse/{token}/")
        page.get_by_label("Ihr Code").fill(code.lower().replace("-", " "))
        page.locator("fieldset.pulse-question").first.locator("label").first.tap()
        page.get_by_role("button", name="Antworten absenden").tap()
        if attempt == 0:
            expect(page.get_by_role("heading", level=1)).to_contain_text("Vielen Dank")
    expect(page.locator("#answer-error")).to_contain_text("bereits verwendet")
    page.screenshot(path=artifacts / "3-code-used.png", full_page=True)
    assert PulseAnswer.objects.filter(pulse=coded).count() == 1
    context.close()
