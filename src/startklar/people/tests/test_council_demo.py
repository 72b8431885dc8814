"""The demo company's works council tells its story: a works agreement on the website chatbot
(with most checklist points and the signed PDF), an open consultation on predictive
maintenance, and every AI system with a standing."""

from __future__ import annotations

import pytest
from django.utils import translation

from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant
from startklar.people import council_queries
from startklar.people.council_demo import CHATBOT, MAINTENANCE, agreement_pdf
from startklar.people.council_queries import Agreement, NextStep
from startklar.people.models import CouncilDocument
from startklar.testing import demo_company

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_agreement_and_an_open_consultation() -> None:
    organisation = demo_company()
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    with translation.override("en"):
        page = council_queries.council_page(Tenant(organisation, owner))
    rows = {row.name: row for row in page.systems}
    assert page.council
    chatbot = rows[CHATBOT]
    assert chatbot.standing.agreement is Agreement.AGREED
    assert chatbot.settled_by is not None
    assert chatbot.settled_by.documents == 1
    assert len(chatbot.settled_by.missing) == 2
    assert rows[MAINTENANCE].standing.agreement is Agreement.CONSULTING
    assert rows[MAINTENANCE].standing.next_step is NextStep.NEGOTIATE
    assert any(row.suggestion is not None for row in rows.values())
    document = CouncilDocument.objects.get(event__organisation=organisation)
    data = bytes(document.data)
    assert data.startswith(b"%PDF-1.4")
    assert data.rstrip().endswith(b"%%EOF")


def test_the_pdf_has_a_correct_cross_reference_table() -> None:
    data = agreement_pdf(("Titel", "Zeile (mit Klammern) und Ümlaut"))
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[start:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in data[start:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(f"{number} 0 obj".encode())
