"""The numeric goal (form, sentence, flagged old text, migration, Excel) and the status rules
(scaling and operation only through the scale decision or an owner's override, a reason for
every step back)."""

from __future__ import annotations

import datetime
import importlib
import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from startklar.accounts.models import User
from startklar.organisations.models import Organisation
from startklar.organisations.tenancy import Tenant
from startklar.testing import client_for, tenant_of
from startklar.usecases import excel, services
from startklar.usecases.models import Status, StatusChange, UseCase
from startklar.usecases.tests.test_excel import workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant(organisation: Organisation, owner: User) -> Tenant:
    return tenant_of(owner, organisation)


@pytest.fixture
def editor_tenant(organisation: Organisation, editor: User) -> Tenant:
    return tenant_of(editor, organisation)


def make(tenant: Tenant, **fields: Any) -> UseCase:
    return services.create_use_case(tenant, {"title": "Rechnungen", "problem": "p", **fields})


def walk(tenant: Tenant, use_case: UseCase, *steps: Status) -> None:
    for step in steps:
        services.change_status(tenant, use_case, step)


# The goal ------------------------------------------------------------------------------------


def test_the_goal_sentence_uses_the_readers_number_and_date_formats(tenant: Tenant) -> None:
    use_case = make(
        tenant,
        goal_metric="Bearbeitungszeit je Rechnung",
        goal_unit="min",
        goal_baseline_value=Decimal("1234.5"),
        goal_target_value=Decimal(4),
        goal_date=datetime.date(2027, 3, 31),
    )
    assert use_case.has_numeric_goal
    with translation.override("de"):
        assert (
            use_case.goal_sentence == "Bearbeitungszeit je Rechnung: 1.234,5 → 4 min bis 31.03.2027"
        )
    with translation.override("en"):
        assert use_case.goal_sentence.startswith(
            "Bearbeitungszeit je Rechnung: 1,234.5 → 4 min by "
        )
    use_case.goal_baseline_value = None
    use_case.goal_date = None
    assert use_case.goal_sentence == "Bearbeitungszeit je Rechnung: ? → 4 min"
    use_case.goal_target_value = None
    assert use_case.goal_sentence == "Bearbeitungszeit je Rechnung"
    assert not use_case.has_numeric_goal


def test_the_form_reads_german_and_english_numbers_and_names_the_field(
    organisation: Organisation, owner: User, tenant: Tenant
) -> None:
    use_case = make(tenant)
    url = f"/o/{organisation.slug}/usecases/{use_case.pk}/edit/"
    data = {"title": "Rechnungen", "problem": "p", "classic_enough": "unklar"}
    german = client_for(owner, "de")
    response = german.post(
        url,
        {**data, "goal_metric": "Zeit", "goal_unit": "min", "goal_baseline_value": "1.234,5"},
    )
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.goal_baseline_value == Decimal("1234.5")
    english = client_for(owner, "en")
    response = english.post(url, {**data, "goal_target_value": "1,234.5"})
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.goal_target_value == Decimal("1234.5")
    response = german.post(url, {**data, "goal_target_value": "halbieren"})
    assert response.status_code == 422
    assert "Bitte geben Sie eine Zahl ein" in response.content.decode()
    use_case.refresh_from_db()
    assert use_case.goal_target_value == Decimal("1234.5")  # nothing half-saved


def test_a_flagged_goal_is_shown_until_numbers_are_entered_or_it_is_let_go(
    organisation: Organisation, owner: User, tenant: Tenant
) -> None:
    use_case = make(tenant, goal_metric="Rüstzeit", goal_unparsed="halbieren")
    client = client_for(owner, "de")
    page = client.get(f"/o/{organisation.slug}/usecases/{use_case.pk}/").content.decode()
    assert "Ziel als Zahl erfassen: bisher ›halbieren‹" in page
    assert 'id="goal-unparsed"' in page
    form = client.get(f"/o/{organisation.slug}/usecases/{use_case.pk}/edit/").content.decode()
    assert "›halbieren‹" in form
    assert "discard_unparsed" in form
    data = {"title": "Rechnungen", "problem": "p", "classic_enough": "unklar"}
    url = f"/o/{organisation.slug}/usecases/{use_case.pk}/edit/"
    client.post(url, {**data, "goal_metric": "Rüstzeit"})
    use_case.refresh_from_db()
    assert use_case.goal_unparsed == "halbieren"  # saved without numbers: still shown
    client.post(url, {**data, "goal_metric": "Rüstzeit", "goal_target_value": "30"})
    use_case.refresh_from_db()
    assert use_case.goal_unparsed == ""
    assert use_case.has_numeric_goal
    services.update_use_case(
        tenant, use_case, {"goal_unparsed": "weniger", "goal_target_value": None}
    )
    services.update_use_case(tenant, use_case, {"discard_unparsed": True})
    use_case.refresh_from_db()
    assert use_case.goal_unparsed == ""


def test_the_journey_asks_for_the_goal_as_numbers(organisation: Organisation, owner: User) -> None:
    tenant = tenant_of(owner, organisation)
    make(tenant, goal_metric="Rüstzeit", goal_unparsed="12 min → halbieren")
    page = (
        client_for(owner, "de")
        .get(f"/o/{organisation.slug}/usecases/{UseCase.objects.get().pk}/")
        .content.decode()
    )
    assert "Ziel als Zahl erfassen" in page  # the next step's action


def test_the_migration_reads_the_goals_that_parse_and_keeps_the_rest() -> None:
    migration = importlib.import_module(
        "startklar.usecases.migrations.0006_numeric_goal_status_override"
    )
    rows = [
        SimpleNamespace(goal_baseline="12 min", goal_target="4 min"),
        SimpleNamespace(goal_baseline="3 Arbeitstage", goal_target="−20%"),
        SimpleNamespace(goal_baseline="1.234,5 €", goal_target="halbieren"),
    ]
    saved: list[Any] = []

    class Manager:
        def exclude(self, **_filters: object) -> Manager:
            return self

        def all(self) -> Manager:
            return self

        def iterator(self) -> list[SimpleNamespace]:
            return rows

        def bulk_update(self, objs: list[Any], fields: list[str], batch_size: int) -> None:
            saved.extend(objs)

    apps = SimpleNamespace(get_model=lambda *_names: SimpleNamespace(objects=Manager()))
    migration.read_goals(apps, None)
    found = [
        (r.goal_baseline_value, r.goal_target_value, r.goal_unit, r.goal_unparsed) for r in saved
    ]
    assert found == [
        (Decimal(12), Decimal(4), "min", ""),
        (Decimal(3), Decimal("2.4"), "Arbeitstage", ""),
        (Decimal("1234.5"), None, "€", "1.234,5 € → halbieren"),
    ]
    migration.write_goals_back(apps, None)
    assert [(r.goal_baseline, r.goal_target) for r in saved[3:]] == [
        ("12 min", "4 min"),
        ("3 Arbeitstage", "2.4 Arbeitstage"),
        ("1234.5 €", ""),
    ]


def test_an_old_excel_file_with_goals_as_text_is_imported(tenant: Tenant) -> None:
    content = workbook(
        ["Titel", "Problem", "Kennzahl", "Ausgangswert", "Zielwert"],
        ["Angebote", "p", "Durchlaufzeit", "3 Arbeitstage", "1 Arbeitstag"],
        ["Rechnungen", "p", "Zeit", "12 min", "−20%"],
        ["Rüsten", "p", "Rüstzeit", "45 min", "halbieren"],
    )
    with translation.override("de"):
        excel.import_rows(tenant, io.BytesIO(content))
    found = {
        uc.title: (uc.goal_baseline_value, uc.goal_target_value, uc.goal_unit, uc.goal_unparsed)
        for uc in UseCase.objects.all()
    }
    assert found == {
        "Angebote": (Decimal(3), Decimal(1), "Arbeitstage", ""),
        "Rechnungen": (Decimal(12), Decimal("9.6"), "min", ""),
        "Rüsten": (Decimal(45), None, "min", "45 min → halbieren"),
    }


# Status rules --------------------------------------------------------------------------------


def test_scaling_and_operation_need_the_scale_decision(
    tenant: Tenant, editor_tenant: Tenant
) -> None:
    use_case = make(tenant)
    walk(tenant, use_case, Status.ASSESSED, Status.SELECTED)
    services.change_status(tenant, use_case, Status.PILOT, cause=StatusChange.Cause.PILOT_STARTED)
    for status in (Status.SCALING, Status.IN_OPERATION):
        with (
            translation.override("de"),
            pytest.raises(services.UseCaseError, match="Skalierungsentscheidung"),
        ):
            services.change_status(tenant, use_case, status, "weil")
    with translation.override("en"):
        with pytest.raises(services.UseCaseError, match="Only an owner"):
            services.change_status(editor_tenant, use_case, Status.SCALING, "x", override=True)
        with pytest.raises(services.UseCaseError, match="reason"):
            services.change_status(tenant, use_case, Status.SCALING, " ", override=True)
    assert UseCase.objects.get().status == Status.PILOT
    services.change_status(
        editor_tenant,
        use_case,
        Status.IN_OPERATION,
        "Gate bestanden",
        cause=StatusChange.Cause.SCALE_DECISION,
    )
    last = StatusChange.objects.first()
    assert last is not None
    assert (last.to_status, last.cause, last.override) == (
        Status.IN_OPERATION,
        "scale_decision",
        False,
    )


def test_an_owner_overrides_with_a_reason_that_is_recorded_and_shown(
    organisation: Organisation, owner: User, tenant: Tenant
) -> None:
    use_case = make(tenant)
    walk(tenant, use_case, Status.ASSESSED, Status.SELECTED, Status.PILOT)
    client = client_for(owner, "de")
    url = f"/o/{organisation.slug}/usecases/{use_case.pk}/status/"
    response = client.post(url, {"status": "skalierung", "reason": "Eilt"})
    assert response.status_code == 422
    assert "Skalierungsentscheidung" in response.content.decode()
    response = client.post(url, {"status": "skalierung", "override": "on"})
    assert response.status_code == 422
    assert UseCase.objects.get().status == Status.PILOT
    response = client.post(
        url, {"status": "skalierung", "override": "on", "reason": "Kunde wartet"}
    )
    assert response.status_code == 302
    change = StatusChange.objects.first()
    assert change is not None
    assert change.override
    assert change.reason == "Kunde wartet"
    page = client.get(f"/o/{organisation.slug}/usecases/{use_case.pk}/").content.decode()
    assert "Ohne Skalierungsentscheidung gesetzt von" in page
    assert "Grund: Kunde wartet" in page


def test_an_editor_is_not_offered_scaling_and_is_told_why(
    organisation: Organisation, editor: User, tenant: Tenant
) -> None:
    use_case = make(tenant)
    walk(tenant, use_case, Status.ASSESSED, Status.SELECTED, Status.PILOT)
    client: Client = client_for(editor, "de")
    page = client.get(f"/o/{organisation.slug}/usecases/{use_case.pk}/").content.decode()
    assert 'value="skalierung"' not in page
    assert 'name="override"' not in page
    assert "Skalierungsentscheidung" in page
    assert "Ausgewählt (mit Grund)" in page  # a step back needs a reason
    response = client.post(
        f"/o/{organisation.slug}/usecases/{use_case.pk}/status/",
        {"status": "skalierung", "override": "on", "reason": "x"},
    )
    assert response.status_code == 422
    assert UseCase.objects.get().status == Status.PILOT


def test_a_step_back_needs_a_reason(tenant: Tenant) -> None:
    use_case = make(tenant)
    walk(tenant, use_case, Status.ASSESSED, Status.SELECTED, Status.PILOT)
    with translation.override("en"):
        with pytest.raises(services.UseCaseError, match="back from Pilot to Selected"):
            services.change_status(tenant, use_case, Status.SELECTED)
        with pytest.raises(services.UseCaseError, match="reason"):
            services.change_status(tenant, use_case, Status.POSTPONED)
    services.change_status(tenant, use_case, Status.SELECTED, "Daten fehlen")
    services.change_status(tenant, use_case, Status.POSTPONED, "Budget")
    services.change_status(tenant, use_case, Status.SELECTED)  # taken up again: forward
    assert UseCase.objects.get().status == Status.SELECTED


def test_the_excel_import_refuses_a_gated_status_and_a_step_back_without_reason(
    tenant: Tenant,
) -> None:
    pilot = make(tenant)
    walk(tenant, pilot, Status.ASSESSED, Status.SELECTED, Status.PILOT)
    content = workbook(
        ["ID", "Titel", "Problem", "Status", "Status-Begründung"],
        [pilot.pk, "Rechnungen", "p", "Ausgewählt", ""],
        ["", "Neu", "p", "Regelbetrieb", ""],
    )
    with translation.override("de"), pytest.raises(excel.ExcelImportError) as caught:
        excel.import_rows(tenant, io.BytesIO(content))
    text = " ".join(caught.value.problems)
    assert "Zeile 2, Status-Begründung" in text
    assert "Zeile 3, Status: Skalierung und Regelbetrieb" in text
    assert UseCase.objects.count() == 1
    assert UseCase.objects.get().status == Status.PILOT  # all or nothing
    with pytest.raises(services.UseCaseError):
        services.import_use_cases(
            tenant,
            [services.ImportItem(None, {"title": "X", "problem": "p"}, Status.SCALING, "", {})],
        )
