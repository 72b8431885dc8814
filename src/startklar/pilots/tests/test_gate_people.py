"""The scale decision shows the people side: for the AI systems of the pilot and its use case
whether the works council must agree and whether the agreement exists, and the latest staff
pulse's headline (the demo company's website-chatbot pilot)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from startklar.organisations.models import Membership, Role
from startklar.organisations.tenancy import Tenant
from startklar.people import council_services
from startklar.people.models import CouncilEvent, EventKind
from startklar.pilots.models import Pilot
from startklar.testing import client_for, demo_company

pytestmark = pytest.mark.django_db


def test_the_gate_shows_the_works_agreement_and_the_latest_pulse() -> None:
    organisation = demo_company()
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    pilot = Pilot.objects.get(
        organisation=organisation, use_case__catalogue_id="kundenservice.anfragen-vorsortieren"
    )
    client = client_for(owner.user, "en")
    gate = reverse("pilots:gate", args=[organisation.slug, pilot.pk])
    html = client.get(gate).content.decode()
    assert 'id="gate-staff"' in html
    assert "Website-Chatbot" in html
    assert "consent of the works council needed" in html
    assert "The agreement needed before scaling is missing." not in html
    assert "Latest staff pulse:" in html
    assert "KI-Puls Sommer" in html
    assert f"/o/{organisation.slug}/people/council/systems/" in html

    # Without its agreement the chatbot's consultation is open: the page says it is missing.
    tenant = Tenant(organisation=organisation, membership=owner)
    for event in CouncilEvent.objects.filter(
        organisation=organisation, kind=EventKind.WORKS_AGREEMENT
    ):
        council_services.delete_event(tenant, event)
    html = client.get(gate).content.decode()
    assert "The agreement needed before scaling is missing." in html
    assert "in consultation" in html
