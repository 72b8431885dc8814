"""Lists read the stored results of the assessments; what is stored is what the engine gives for
the answers, and a change of the answers, the rule base or the engine stores or works it out
anew. The literacy coverage and the lists count as a straightforward reading of the rows would."""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from typing import Any

import pytest
from django import forms as django_forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from startklar.compliance import engine, excel, journey, queries, services
from startklar.compliance.content import CURRENT_VERSION, load_rules, results_key
from startklar.compliance.models import (
    AISystem,
    Assessment,
    Person,
    RoleLevel,
    SystemStatus,
    TrainingRecord,
)
from startklar.organisations import archive
from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.testing import demo_company
from startklar.usecases.models import UseCase

pytestmark = pytest.mark.django_db


def _company(times: int) -> tuple[Organisation, Tenant]:
    organisation = demo_company(copies=times - 1)
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    return organisation, Tenant(organisation=organisation, membership=owner)


@pytest.fixture
def company() -> tuple[Organisation, Tenant]:
    """The demo company."""
    return _company(1)


@pytest.fixture(params=[1, 10], ids=["demo", "demo-10x"])
def companies(request: pytest.FixtureRequest) -> tuple[Organisation, Tenant]:
    """The demo company as it is and with ten times its data."""
    return _company(request.param)


def reference_literacy(
    organisation: Organisation,
) -> tuple[
    list[tuple[str, int, int]], list[tuple[str, int, int]], list[tuple[int, bool, list[int]]]
]:
    """Coverage by role, by system and the gaps, counted person by person and system by system."""
    people = list(Person.objects.filter(organisation=organisation).order_by("name", "pk"))
    trained = {
        p.pk: {r.ai_system_id for r in TrainingRecord.objects.filter(person=p)} for p in people
    }
    used = {p.pk: list(p.ai_systems.order_by("name", "pk")) for p in people}
    by_role = [
        (
            str(level.label),
            sum(1 for p in people if p.role_level == level),
            sum(1 for p in people if p.role_level == level and trained[p.pk]),
        )
        for level in RoleLevel
    ]
    active = AISystem.objects.filter(organisation=organisation).exclude(status=SystemStatus.RETIRED)
    by_system = []
    for system in active.order_by("name", "pk"):
        users = [p for p in people if system in used[p.pk]]
        by_system.append(
            (system.name, len(users), sum(1 for p in users if system.pk in trained[p.pk]))
        )
    gaps = []
    for p in people:
        missing = [
            s.pk
            for s in used[p.pk]
            if s.status != SystemStatus.RETIRED and s.pk not in trained[p.pk]
        ]
        if missing or not trained[p.pk]:
            gaps.append((p.pk, not trained[p.pk], missing))
    return by_role, by_system, gaps


def test_literacy_counts_as_person_by_person(companies: tuple[Organisation, Tenant]) -> None:
    organisation, tenant = companies
    found = queries.literacy(tenant)
    by_role, by_system, gaps = reference_literacy(organisation)
    assert [(c.label, c.people, c.trained) for c in found.by_role] == by_role
    assert [(c.label, c.people, c.trained) for c in found.by_system] == by_system
    assert [
        (g.person.pk, g.missing_basics, [s.pk for s in g.missing_systems]) for g in found.gaps
    ] == gaps
    assert [p.pk for p in found.people] == [
        p.pk for p in Person.objects.filter(organisation=organisation).order_by("name", "pk")
    ]
    assert any(g[2] for g in gaps)  # the demo has people without an instruction for a system
    assert any(g[1] for g in gaps)  # and people without any training
    assert any(c[1] > c[2] > 0 for c in by_system)
    summary = queries.literacy_summary(tenant)
    assert (summary.people, summary.by_role, summary.gaps) == (
        len(found.people),
        found.by_role,
        len(found.gaps),
    )


# Stored results ------------------------------------------------------------------------------


def fresh(assessment: Assessment) -> queries.Summary:
    """The result worked out from the answers by the engine, nothing stored."""
    rules = load_rules(assessment.rules_version)
    classification = engine.classify(rules, assessment.answers)
    return queries.Summary(
        assessment.pk,
        classification.labels,
        engine.screen_gdpr(rules, assessment.answers).verdict,
        engine.next_question(rules, assessment.answers) is None,
        assessment.rules_version != CURRENT_VERSION,
    )


def forget_stored_results() -> None:
    """As after a change of the engine: every stored result is under an outdated key."""
    Assessment.objects.update(results_key="", labels=[], gdpr_verdict="", answered=False)


def test_the_stored_results_are_what_the_engine_gives(
    companies: tuple[Organisation, Tenant],
) -> None:
    organisation, _tenant = companies
    assessments = list(Assessment.objects.filter(organisation=organisation))
    assert len({frozenset(a.answers.items()) for a in assessments}) >= 5
    for assessment in assessments:
        assert assessment.results_key == results_key(assessment.rules_version)
        assert queries.summary(assessment) == fresh(assessment)
        result = queries.result(assessment)  # what the assessment page shows
        assert result.classification.labels == queries.summary(assessment).labels
        assert result.gdpr.verdict == queries.summary(assessment).verdict


def cells(workbook: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def everything_shown(tenant: Tenant) -> dict[str, Any]:
    """What the compliance pages, the overview's headline and notices, the use cases' steps and
    the Excel export show, in German and English."""
    shown: dict[str, Any] = {}
    use_cases = list(tenant.scoped(UseCase.objects).order_by("pk"))
    for language in ("de", "en"):
        with translation.override(language):
            overview, register = queries.overview_page(tenant), queries.register_page(tenant)
            shown[language] = {
                "overview": overview,
                "overview rows": overview.use_cases,
                "register": register,
                "register rows": register.systems,
                "dpo": queries.dpo(tenant),
                "headline": journey.headline(tenant),
                "notices": journey.notices(tenant),
                "steps": journey.steps(tenant, use_cases),
                "excel": cells(excel.export(tenant)),
            }
    return shown


def test_the_lists_show_the_same_from_stored_results_as_from_the_engine(
    companies: tuple[Organisation, Tenant],
) -> None:
    _organisation, tenant = companies
    stored = everything_shown(tenant)
    forget_stored_results()
    worked_out = everything_shown(tenant)
    assert stored == worked_out
    rows = stored["de"]["overview"].use_cases
    assert {r.summary is None for r in rows} == {True, False}
    assert len({r.summary.labels for r in rows if r.summary}) >= 2
    assert stored["de"]["dpo"] == stored["de"]["overview"].dpo


def test_outdated_results_are_worked_out_with_one_query_for_all_answers(
    company: tuple[Organisation, Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    _organisation, tenant = company
    with CaptureQueriesContext(connection) as current:
        expected = queries.use_case_rows(tenant)
    forget_stored_results()
    calls: list[str] = []
    real = engine.classify

    def classify(*args: Any) -> engine.Classification:
        calls.append("classify")
        return real(*args)

    monkeypatch.setattr(engine, "classify", classify)
    queries._classified.cache_clear()
    with CaptureQueriesContext(connection) as outdated:
        assert queries.use_case_rows(tenant) == expected
    assert len(outdated) == len(current) + 1  # the answers of every outdated assessment
    assert calls  # worked out by the engine


def test_a_new_engine_revision_makes_the_stored_results_outdated(
    company: tuple[Organisation, Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    organisation, tenant = company
    assessment = Assessment.objects.filter(organisation=organisation).first()
    assert assessment is not None
    Assessment.objects.filter(pk=assessment.pk).update(labels=["verboten"])  # a different engine
    assessment.refresh_from_db()
    assert queries.summary(assessment).labels == (engine.RiskLabel.PROHIBITED,)
    results_key.cache_clear()
    monkeypatch.setattr("startklar.compliance.content.REVISION", engine.REVISION + 1)
    try:
        assert results_key(assessment.rules_version) != assessment.results_key
        assert queries.summary(assessment) == fresh(assessment)
        services.answer(tenant, assessment, "role", assessment.answers["role"])
        assessment.refresh_from_db()
        assert assessment.results_key == results_key(assessment.rules_version)
    finally:
        results_key.cache_clear()


def test_every_change_of_the_answers_stores_the_new_result(
    company: tuple[Organisation, Tenant],
) -> None:
    organisation, tenant = company
    use_case = UseCase.objects.filter(organisation=organisation, assessment__isnull=True).first()
    assert use_case is not None
    assessment = services.start(tenant, use_case)
    assert queries.summary(assessment) == fresh(assessment)
    assert not assessment.answered
    for question, answer in [
        ("role", "deployer"),
        ("role_switch", "no"),
        ("art5_manipulation", "yes"),
    ]:
        services.answer(tenant, assessment, question, answer)
        assessment.refresh_from_db()
        assert queries.summary(assessment) == fresh(assessment)
    assert assessment.risk_labels == (engine.RiskLabel.PROHIBITED,)
    answered = Assessment.objects.filter(organisation=organisation, answered=True).first()
    assert answered is not None
    services.import_answers(tenant, assessment, answered.answers)
    assessment.refresh_from_db()
    assert assessment.answered
    assert queries.summary(assessment) == fresh(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(results_key="", labels=[])
    services.recheck(tenant, assessment)
    assessment.refresh_from_db()
    assert assessment.results_key == results_key(CURRENT_VERSION)
    assert queries.summary(assessment) == fresh(assessment)


def test_the_migration_stores_the_results_of_existing_assessments(
    company: tuple[Organisation, Tenant],
) -> None:
    organisation, _tenant = company
    before = {a.pk: fresh(a) for a in Assessment.objects.filter(organisation=organisation)}
    forget_stored_results()
    broken = Assessment.objects.filter(organisation=organisation).first()
    assert broken is not None
    Assessment.objects.filter(pk=broken.pk).update(rules_version="1999.1")  # no such rule base
    migration = importlib.import_module("startklar.compliance.migrations.0004_stored_results")
    migration.store_results(apps, connection.schema_editor())
    for assessment in Assessment.objects.filter(organisation=organisation):
        if assessment.pk == broken.pk:
            assert assessment.results_key == ""  # worked out where it is read, as before
            continue
        assert assessment.results_key == results_key(assessment.rules_version)
        assert queries.summary(assessment) == before[assessment.pk]
        assert assessment.labels == [label.value for label in before[assessment.pk].labels]


@pytest.mark.parametrize(
    ("field", "value"),
    [("labels", ["hochrisiko", "gefährlich"]), ("labels", "hochrisiko"), ("gdpr_verdict", "egal")],
)
def test_a_stored_result_must_be_one_of_the_engine(
    company: tuple[Organisation, Tenant], field: str, value: object
) -> None:
    organisation, _tenant = company
    assessment = Assessment.objects.filter(organisation=organisation).first()
    assert assessment is not None
    assessment.full_clean()
    setattr(assessment, field, value)
    with pytest.raises(ValidationError) as error:
        assessment.full_clean()
    assert field in error.value.message_dict


def test_the_overview_functions_ask_the_same_number_of_queries_at_ten_times_the_data() -> None:
    organisation = demo_company()
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    tenant = Tenant(organisation=organisation, membership=owner)

    def counted() -> list[int]:
        found = []
        use_cases = list(tenant.scoped(UseCase.objects))
        for call in (
            lambda: journey.notices(tenant),
            lambda: journey.headline(tenant),
            lambda: journey.steps(tenant, use_cases),
            lambda: queries.overview_page(tenant),
            lambda: queries.register_page(tenant),
            lambda: queries.literacy(tenant),
            lambda: queries.training_records(tenant),
            lambda: queries.dpo(tenant),
        ):
            with CaptureQueriesContext(connection) as run:
                call()
            found.append(len(run))
        return found

    once = counted()
    archive.copy_into(organisation, 9)
    assert counted() == once


def test_named_choices_are_the_options_django_gives(
    company: tuple[Organisation, Tenant],
) -> None:
    from django.forms.models import ModelChoiceIterator

    from startklar.compliance import forms

    organisation, tenant = company
    system = AISystem.objects.filter(organisation=organisation, use_cases__isnull=False).first()
    person = Person.objects.filter(organisation=organisation, ai_systems__isnull=False).first()
    assert system is not None
    assert person is not None
    made: list[Callable[[], django_forms.BaseForm]] = [
        lambda: forms.SystemForm(instance=system, tenant=tenant),
        lambda: forms.SystemForm(tenant=tenant),
        lambda: forms.PersonForm(instance=person, tenant=tenant),
        lambda: forms.TrainingForm(tenant=tenant, initial={"person": person.pk}),
    ]
    for make in made:
        form = make()
        named = str(form)
        for field in form.fields.values():
            if hasattr(field, "iterator"):
                assert field.iterator is forms.NamedChoices
                assert isinstance(field, django_forms.ModelChoiceField)
                field.iterator = ModelChoiceIterator
                field.queryset = field.queryset  # the widget's choices from Django's iterator
        assert str(form) == named
        assert "checked" in named or "selected" in named


def test_an_archive_brings_answers_and_its_stored_results_are_worked_out_again() -> None:
    """Stored labels in an archive are not taken on trust: the import works them out from the
    imported answers (``Feature.imported``)."""
    import json
    import zipfile

    from startklar.organisations import services as organisations
    from startklar.testing import make_user

    source = demo_company()
    owner = Membership.objects.get(organisation=source, role=Role.OWNER)
    content = organisations.export_archive(Tenant(organisation=source, membership=owner))
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        data = json.loads(zipped.read(archive.MANIFEST))
        files = {n: zipped.read(n) for n in zipped.namelist()}
    rows = data["objects"]["compliance.assessment"]
    assert any(row["fields"]["labels"] != ["minimal"] for row in rows)
    for row in rows:  # made up, but valid values
        row["fields"]["labels"] = ["minimal"]
        row["fields"]["gdpr_verdict"] = "nicht_erforderlich"
    files[archive.MANIFEST] = json.dumps(data).encode()
    crafted = io.BytesIO()
    with zipfile.ZipFile(crafted, "w") as zipped:
        for name, body in files.items():
            zipped.writestr(name, body)
    importer = make_user("neu@example.com")
    imported = organisations.import_archive(importer, io.BytesIO(crafted.getvalue()))

    def subject_of(assessment: Assessment) -> str:
        subject = assessment.use_case or assessment.ai_system
        return str(subject)

    copies = Assessment.objects.filter(organisation=imported.organisation)
    originals = {subject_of(a): a for a in Assessment.objects.filter(organisation=source)}
    assert copies.count() == len(originals)
    for copy in copies:
        original = originals[subject_of(copy)]
        assert (copy.labels, copy.gdpr_verdict, copy.answered) == (
            original.labels,
            original.gdpr_verdict,
            original.answered,
        )
        assert copy.results_key == original.results_key
