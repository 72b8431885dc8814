"""The works council's record as read: when co-determination applies (§ 87 (1) Nr. 6 for a
system that can monitor, § 95 (2a) for one that selects people, nothing without a works
council), what was agreed (the latest consent, refusal or agreement; a general agreement on AI;
an open consultation), the next step, and the GDPR screening's answer as a suggestion."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone, translation

from startklar.compliance.models import AISystem, Assessment, PrivacyFacts
from startklar.organisations.models import Role
from startklar.organisations.tenancy import Tenant
from startklar.people import council_queries as queries
from startklar.people import council_services as services
from startklar.people.council_queries import Agreement, Codetermination, NextStep, standing
from startklar.people.models import EventKind, Monitoring
from startklar.testing import add_member, make_organisation, tenant_of

MONITORING_LAW = "§ 87 Abs. 1 Nr. 6 BetrVG"
PERSONNEL_LAW = "§ 95 Abs. 2a BetrVG"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


# The rules (no database) -------------------------------------------------------------------------


def test_without_a_works_council_nothing_needs_consent() -> None:
    found = standing(False, Monitoring.YES, True, [])
    assert found.codetermination is Codetermination.NO_COUNCIL
    assert found.laws == ()
    assert found.next_step is NextStep.INFORM_STAFF


@pytest.mark.parametrize(
    ("monitoring", "personnel", "laws"),
    [
        (Monitoring.YES, False, (MONITORING_LAW,)),
        (Monitoring.NO, True, (PERSONNEL_LAW,)),
        (Monitoring.YES, True, (MONITORING_LAW, PERSONNEL_LAW)),
        (Monitoring.UNCLEAR, True, (PERSONNEL_LAW,)),
    ],
)
def test_monitoring_or_selecting_people_needs_consent(
    monitoring: Monitoring, personnel: bool, laws: tuple[str, ...]
) -> None:
    found = standing(True, monitoring, personnel, [])
    assert found.codetermination is Codetermination.REQUIRED
    assert found.laws == laws
    assert found.agreement is Agreement.NOTHING
    assert found.next_step is NextStep.INFORM_COUNCIL


def test_a_system_that_cannot_monitor_needs_information_only() -> None:
    found = standing(True, Monitoring.NO, False, [])
    assert found.codetermination is Codetermination.NOT_REQUIRED
    assert found.next_step is NextStep.INFORM_ONLY
    informed = standing(True, Monitoring.NO, False, [EventKind.INFORMATION])
    assert informed.next_step is NextStep.NOTHING


def test_an_unassessed_system_asks_for_the_assessment() -> None:
    found = standing(True, Monitoring.UNCLEAR, False, [EventKind.INFORMATION])
    assert found.codetermination is Codetermination.UNCLEAR
    assert found.next_step is NextStep.ASSESS


@pytest.mark.parametrize(
    ("kinds", "general", "agreement", "step"),
    [
        (
            [EventKind.MEETING, EventKind.INFORMATION],
            False,
            Agreement.CONSULTING,
            NextStep.NEGOTIATE,
        ),
        (
            [EventKind.WORKS_AGREEMENT, EventKind.MEETING],
            False,
            Agreement.AGREED,
            NextStep.KEEP_INFORMED,
        ),
        ([EventKind.MEETING, EventKind.CONSENT], False, Agreement.AGREED, NextStep.KEEP_INFORMED),
        ([EventKind.REGULATION_AGREEMENT], False, Agreement.AGREED, NextStep.KEEP_INFORMED),
        ([EventKind.REFUSAL, EventKind.MEETING], False, Agreement.REFUSED, NextStep.REFUSED),
        # the latest decision counts: consent after a refusal
        ([EventKind.CONSENT, EventKind.REFUSAL], False, Agreement.AGREED, NextStep.KEEP_INFORMED),
        ([EventKind.EXPERT], True, Agreement.GENERAL, NextStep.KEEP_INFORMED),
        ([], True, Agreement.GENERAL, NextStep.KEEP_INFORMED),
    ],
)
def test_what_was_agreed_is_the_latest_decision(
    kinds: list[str], general: bool, agreement: Agreement, step: NextStep
) -> None:
    found = standing(True, Monitoring.YES, False, kinds, general)
    assert found.agreement is agreement
    assert found.next_step is step


def test_an_agreement_with_open_checklist_points_asks_to_complete_it() -> None:
    found = standing(True, Monitoring.YES, False, [EventKind.WORKS_AGREEMENT], missing=2)
    assert found.next_step is NextStep.COMPLETE


# The pages ---------------------------------------------------------------------------------------


def make_tenant(council: bool | None = True) -> Tenant:
    organisation = make_organisation()
    if council is not None:
        PrivacyFacts.objects.create(organisation=organisation, works_council=council)
    return tenant_of(add_member(organisation, role=Role.OWNER), organisation)


def make_system(tenant: Tenant, name: str, **fields: str) -> AISystem:
    return AISystem.objects.create(
        organisation=tenant.organisation,
        name=name,
        owner="Jonas Weber",
        purpose="Testen",
        capability="chatbot",
        hosting="saas_eu",
        **fields,
    )


def days(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.mark.django_db
def test_the_page_reads_each_system_with_its_standing() -> None:
    tenant = make_tenant()
    chatbot = make_system(tenant, "Chatbot")
    press = make_system(tenant, "Presse")
    invoices = make_system(tenant, "Belege")
    services.assess_system(tenant, chatbot, Monitoring.YES, False)
    services.assess_system(tenant, press, Monitoring.YES, False)
    services.assess_system(tenant, invoices, Monitoring.NO, False)
    services.create_event(tenant, EventKind.MEETING, days(20), "Beratung", "", chatbot)
    agreement = services.create_event(
        tenant, EventKind.WORKS_AGREEMENT, days(10), "BV", "", chatbot, ["zweck", "daten"]
    )
    services.create_event(tenant, EventKind.INFORMATION, days(5), "Unterlagen", "", press)
    page = queries.council_page(tenant)
    rows = {row.name: row for row in page.systems}
    assert page.council
    assert page.facts_saved
    assert rows["Chatbot"].standing.agreement is Agreement.AGREED
    assert rows["Chatbot"].settled_by is not None
    assert rows["Chatbot"].settled_by.id == agreement.pk
    assert len(rows["Chatbot"].settled_by.missing) == 8
    assert rows["Chatbot"].standing.next_step is NextStep.COMPLETE
    assert rows["Presse"].standing.agreement is Agreement.CONSULTING
    assert rows["Presse"].in_use_without_consent
    assert rows["Belege"].standing.codetermination is Codetermination.NOT_REQUIRED
    assert (page.required, page.open) == (2, 1)
    assert [e.title for e in page.events] == ["Unterlagen", "BV", "Beratung"]
    assert {r.key for r in page.rights} >= {"mitbestimmung", "unterrichtung"}


@pytest.mark.django_db
def test_the_gdpr_screening_is_a_suggestion_until_the_owner_assesses() -> None:
    tenant = make_tenant()
    system = make_system(tenant, "Schichtplanung")
    Assessment.objects.create(
        organisation=tenant.organisation,
        ai_system=system,
        rules_version="2026.2",
        answers={"monitors_employees": "yes"},
    )
    row = queries.council_page(tenant).systems[0]
    assert row.monitoring is Monitoring.UNCLEAR
    assert row.suggestion is not None
    assert row.suggestion.monitoring is Monitoring.YES
    assert "GDPR screening" in row.suggestion.reason
    assert row.standing.next_step is NextStep.ASSESS  # not stored by itself
    services.assess_system(tenant, system, Monitoring.NO, False)
    row = queries.council_page(tenant).systems[0]
    assert row.suggestion is None
    assert row.monitoring is Monitoring.NO


@pytest.mark.django_db
@pytest.mark.parametrize(("council", "saved"), [(False, True), (None, False)])
def test_without_a_works_council_the_page_says_so(council: bool | None, saved: bool) -> None:
    tenant = make_tenant(council)
    system = make_system(tenant, "Chatbot")
    services.assess_system(tenant, system, Monitoring.YES, False)
    page = queries.council_page(tenant)
    assert not page.council
    assert page.facts_saved is saved
    assert page.systems[0].standing.codetermination is Codetermination.NO_COUNCIL
    assert page.required == 0


@pytest.mark.django_db
def test_a_general_agreement_covers_systems_without_their_own() -> None:
    tenant = make_tenant()
    system = make_system(tenant, "Chatbot")
    services.assess_system(tenant, system, Monitoring.YES, False)
    services.create_event(tenant, EventKind.WORKS_AGREEMENT, days(3), "Rahmen-BV KI")
    assert queries.council_page(tenant).systems[0].standing.agreement is Agreement.GENERAL
    page = queries.system_page(tenant, AISystem.objects.get(pk=system.pk))
    assert page.row.standing.agreement is Agreement.GENERAL
    assert page.events == ()
    gate = queries.gate_systems(tenant, [system])
    assert gate[0].needs_agreement
    assert gate[0].has_agreement


@pytest.mark.django_db
def test_the_gate_says_when_the_needed_agreement_is_missing() -> None:
    tenant = make_tenant()
    system = make_system(tenant, "Presse")
    other = make_system(tenant, "Belege")
    services.assess_system(tenant, system, Monitoring.YES, False)
    services.create_event(tenant, EventKind.MEETING, days(3), "Beratung", "", system)
    found = queries.gate_systems(tenant, [system, other])
    assert [(g.name, g.needs_agreement, g.has_agreement) for g in found] == [
        ("Presse", True, False),
        ("Belege", False, False),
    ]
    assert queries.gate_systems(tenant, []) == ()
