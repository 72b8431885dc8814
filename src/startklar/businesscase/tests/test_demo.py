"""The demo company's business cases; the page and the CLI agree."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from startklar import demo
from startklar.accounts.models import User
from startklar.businesscase import queries
from startklar.businesscase.models import BusinessCase
from startklar.cli import main
from startklar.testing import demo_company

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "business-case" / "rechnungen.yaml"


def test_the_selected_use_cases_have_business_cases_and_one_is_clearly_unprofitable() -> None:
    organisation = demo.ensure_demo().organisation
    cases = BusinessCase.objects.filter(organisation=organisation)
    assert cases.count() == 5
    npvs = {c.use_case.catalogue_id: queries.summary(c).npv_p90 for c in cases}
    assert npvs["marketing.social-media-beitraege"] < 0  # even the optimistic P90 loses money
    assert npvs["administration.eingangsrechnungen"] > 0


def test_the_page_and_the_cli_give_the_same_result(capsys: pytest.CaptureFixture[str]) -> None:
    demo_company()  # the demo as data (its build is checked above)
    case = BusinessCase.objects.get(use_case__catalogue_id="administration.eingangsrechnungen")
    client = Client()
    client.force_login(User.objects.get(email=demo.DEMO_EMAIL))
    page = client.get(f"/o/{demo.DEMO_SLUG}/business-cases/{case.pk}/")
    analysis = page.context["analysis"]
    assert main(["business-case", "simulate", str(EXAMPLE), "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert Decimal(str(cli["deterministic"]["npv"])) == Decimal(str(round(analysis.result.npv, 2)))
    assert cli["simulation"]["npv"]["p50"] == round(analysis.simulation.npv.p50, 2)
    assert case.decision == "buy"
    assert case.items.get(name="Zeitersparnis je Rechnung").actuals.count() == 3
