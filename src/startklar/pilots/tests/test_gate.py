"""The scale decision on the demo's invoice pilot (issue 14, point 6): the gate from the evidence,
notes, go / extend / stop, and the owner's override recorded with the open items."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from startklar.compliance.models import Assessment
from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.pilots import engine, queries, services
from startklar.pilots.models import GateItem, Outcome, Pilot, PilotStatus
from startklar.testing import client_for, demo_company
from startklar.usecases import services as usecases
from startklar.usecases.models import Status, StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def company() -> tuple[Organisation, Tenant, Pilot]:
    organisation = demo_company()
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    pilot = Pilot.objects.get(
        organisation=organisation, use_case__catalogue_id="administration.eingangsrechnungen"
    )
    return organisation, Tenant(organisation=organisation, membership=owner), pilot


def editor_of(organisation: Organisation) -> Tenant:
    membership = Membership.objects.filter(organisation=organisation, role=Role.EDITOR).first()
    assert membership is not None
    return Tenant(organisation=organisation, membership=membership)


def test_the_demo_pilot_is_ready_but_for_its_kpi(
    company: tuple[Organisation, Tenant, Pilot],
) -> None:
    _organisation, tenant, pilot = company
    gate = queries.gate_page(tenant, pilot).gate
    assert gate.open == (engine.GateItem.KPIS,)
    kpis = next(r for r in gate.items if r.item is engine.GateItem.KPIS)
    assert kpis.names == ("Bearbeitungszeit je Rechnung",)


def test_go_with_an_open_item_is_refused_without_override(
    company: tuple[Organisation, Tenant, Pilot],
) -> None:
    _organisation, tenant, pilot = company
    with pytest.raises(services.PilotError, match="noch offen"):
        services.decide(tenant, pilot, Outcome.GO, "Passt", to_status=Status.SCALING)
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.EXTENDED
    assert pilot.use_case.status == Status.PILOT
    assert not pilot.decisions.filter(outcome=Outcome.GO).exists()


def test_a_documented_reason_opens_the_gate_and_go_moves_the_use_case(
    company: tuple[Organisation, Tenant, Pilot],
) -> None:
    _organisation, tenant, pilot = company
    services.note_gate(
        tenant, pilot, GateItem.KPIS, "6 statt 4 Minuten: Sammelrechnungen bleiben manuell."
    )
    assert queries.gate_page(tenant, pilot).gate.ready
    decision = services.decide(
        tenant, pilot, Outcome.GO, "Auf alle Rechnungen ausweiten.", to_status=Status.SCALING
    )
    assert (decision.override, decision.open_items, decision.to_status) == (
        False,
        [],
        Status.SCALING,
    )
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.CLOSED
    change = pilot.use_case.history.first()
    assert change is not None
    assert (change.to_status, change.cause, change.override) == (
        Status.SCALING,
        StatusChange.Cause.SCALE_DECISION,
        False,
    )


def test_an_owner_may_override_and_the_open_items_are_kept(
    company: tuple[Organisation, Tenant, Pilot],
) -> None:
    organisation, tenant, pilot = company
    with pytest.raises(services.PilotError, match="nur Inhaber"):
        services.decide(
            editor_of(organisation),
            pilot,
            Outcome.GO,
            "Trotzdem",
            to_status=Status.IN_OPERATION,
            override=True,
        )
    decision = services.decide(
        tenant,
        pilot,
        Outcome.GO,
        "Geschäftsführung entscheidet: die Minuten folgen mit der Schulung.",
        to_status=Status.IN_OPERATION,
        override=True,
    )
    assert decision.override
    assert decision.open_items == ["kpis"]
    page = client_for(tenant.membership.user, "de").get(
        f"/o/{organisation.slug}/pilots/{pilot.pk}/decision/"
    )
    html = page.content.decode()
    assert "Von Inhaber:in trotz offener Punkte entschieden: Kennzahlen am Ziel" in html


def test_extend_needs_a_later_end_and_stop_postpones_the_use_case(
    company: tuple[Organisation, Tenant, Pilot],
) -> None:
    _organisation, tenant, pilot = company
    with pytest.raises(services.PilotError, match="nach dem bisherigen"):
        services.decide(tenant, pilot, Outcome.EXTEND, "Mehr Zeit", new_end=pilot.planned_end)
    later = pilot.planned_end + datetime.timedelta(days=14)
    services.decide(tenant, pilot, Outcome.EXTEND, "Mehr Zeit", new_end=later)
    pilot.refresh_from_db()
    assert (pilot.status, pilot.planned_end) == (PilotStatus.EXTENDED, later)
    with pytest.raises(services.PilotError, match="Begründung"):
        services.decide(tenant, pilot, Outcome.STOP, "   ")
    services.decide(tenant, pilot, Outcome.STOP, "Der Anbieter stellt das Produkt ein.")
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.CLOSED
    assert pilot.use_case.status == Status.POSTPONED
    with pytest.raises(services.PilotError, match="laufenden"):
        services.decide(tenant, pilot, Outcome.STOP, "Noch einmal")


def test_a_prohibited_practice_blocks_even_an_override(
    company: tuple[Organisation, Tenant, Pilot],
) -> None:
    _organisation, tenant, pilot = company
    Assessment.objects.filter(use_case=pilot.use_case).update(labels=["verboten"])
    assert queries.gate_page(tenant, pilot).gate.blocked
    with pytest.raises(services.PilotError, match="verbotene Praxis"):
        services.decide(
            tenant, pilot, Outcome.GO, "Trotzdem", to_status=Status.SCALING, override=True
        )


def test_scaling_is_reached_only_through_the_decision(
    company: tuple[Organisation, Tenant, Pilot],
) -> None:
    organisation, _tenant, pilot = company
    with pytest.raises(usecases.UseCaseError):
        usecases.change_status(editor_of(organisation), pilot.use_case, Status.SCALING)


def test_notes_only_for_items_a_person_confirms(
    company: tuple[Organisation, Tenant, Pilot],
) -> None:
    _organisation, tenant, pilot = company
    with pytest.raises(services.PilotError):
        services.note_gate(tenant, pilot, GateItem.DPA, "unterschrieben")
    assert services.note_gate(tenant, pilot, GateItem.USAGE_POLICY, "  ") is None
    assert not pilot.gate_notes.filter(item=GateItem.USAGE_POLICY).exists()


def test_the_gate_page_and_its_forms(company: tuple[Organisation, Tenant, Pilot]) -> None:
    organisation, tenant, pilot = company
    client: Client = client_for(tenant.membership.user, "en")
    base = f"/o/{organisation.slug}/pilots/{pilot.pk}"
    page = client.get(f"{base}/decision/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "8 of 9 items are met." in html
    assert "Not at target yet: Bearbeitungszeit je Rechnung" in html
    # A decision without outcome or rationale: field messages, nothing saved.
    bad = client.post(f"{base}/decide/", {"outcome": "go", "rationale": ""})
    assert bad.status_code == 422
    assert not pilot.decisions.filter(outcome=Outcome.GO).exists()
    unknown = client.post(f"{base}/decide/", {"outcome": "launch", "rationale": "x"})
    assert unknown.status_code == 422
    note = client.post(f"{base}/decision/", {"item": "kpis", "text": "Sammelrechnungen manuell"})
    assert note.status_code == 302
    assert "9 of 9" not in html
    assert "All 9 items are met" in client.get(f"{base}/decision/").content.decode()
    go = client.post(
        f"{base}/decide/",
        {"outcome": "go", "to_status": "skalierung", "rationale": "Ausweiten"},
    )
    assert go.status_code == 302
    pilot.refresh_from_db()
    assert pilot.use_case.status == Status.SCALING
    # A note for an item the evidence shows: the field says why.
    refused = client.post(f"{base}/decision/", {"item": "dpa", "text": "ok"})
    assert refused.status_code == 422
