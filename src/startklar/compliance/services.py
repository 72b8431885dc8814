"""Every write of the compliance feature. One transaction per call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from startklar.organisations import audit
from startklar.organisations.models import AuditAction, Organisation
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from . import engine, excel, queries
from .content import CURRENT_VERSION, load_rules, results_key
from .models import AISystem, Assessment, Person, PrivacyFacts, TrainingRecord


def _store_result(assessment: Assessment, tenant: Tenant | None = None) -> None:
    """Classify again and store the result for the lists (``queries.summary``); with a
    ``tenant``, a changed result goes into the audit log."""
    before = (assessment.risk_labels, assessment.verdict)
    version = assessment.rules_version
    classification, gdpr = queries.classified(version, assessment.answers)
    labels, verdict = classification.labels, gdpr.verdict
    assessment.labels = [label.value for label in labels]
    assessment.gdpr_verdict = verdict.value
    assessment.answered = queries.all_answered(version, assessment.answers)
    assessment.results_key = results_key(version)
    if tenant is not None and (labels, verdict) != before:
        subject = assessment.use_case or assessment.ai_system
        audit.record(
            tenant,
            AuditAction.ASSESSED,
            subject,
            summary=lambda: queries.result_summary(labels, verdict),
        )


def restore_results(organisation: Organisation) -> None:
    """Work out every assessment's stored result of ``organisation`` again from its answers
    (after an archive import: an archive's stored results are not taken on trust)."""
    found = list(Assessment.objects.filter(organisation=organisation))
    for assessment in found:
        _store_result(assessment)
    Assessment.objects.bulk_update(found, ["labels", "gdpr_verdict", "answered", "results_key"])


@transaction.atomic
def start(tenant: Tenant, subject: UseCase | AISystem) -> Assessment:
    tenant.require(subject)
    existing = getattr(subject, "assessment", None)
    if existing is not None:
        return existing
    assessment = Assessment(
        organisation=tenant.organisation,
        rules_version=CURRENT_VERSION,
        updated_by=tenant.membership.user,
    )
    if isinstance(subject, UseCase):
        assessment.use_case = subject
    else:
        assessment.ai_system = subject
    _store_result(assessment)
    assessment.save()
    return assessment


@transaction.atomic
def answer(tenant: Tenant, assessment: Assessment, question_id: str, value: str) -> Assessment:
    """Store one answer (validated against the assessment's rule base)."""
    tenant.require(assessment)
    rules = load_rules(assessment.rules_version)
    clean = engine.validate(rules, {question_id: value})
    assessment.answers = {**assessment.answers, **clean}
    assessment.updated_by = tenant.membership.user
    _store_result(assessment, tenant)
    assessment.save()
    return assessment


@transaction.atomic
def import_answers(
    tenant: Tenant, assessment: Assessment, answers: Mapping[str, Any]
) -> Assessment:
    rules = load_rules(assessment.rules_version)
    tenant.require(assessment)
    assessment.answers = engine.validate(rules, answers)
    assessment.updated_by = tenant.membership.user
    _store_result(assessment, tenant)
    assessment.save()
    return assessment


@transaction.atomic
def recheck(tenant: Tenant, assessment: Assessment) -> Assessment:
    """Move to the current rule base; answers to questions it no longer has are dropped."""
    rules = load_rules(CURRENT_VERSION)
    known = {q.id: q for q in rules.questions}
    assessment.answers = {
        k: v for k, v in assessment.answers.items() if k in known and v in known[k].allowed
    }
    tenant.require(assessment)
    assessment.rules_version = CURRENT_VERSION
    assessment.updated_by = tenant.membership.user
    _store_result(assessment, tenant)
    assessment.save()
    return assessment


def _saved(tenant: Tenant, obj: AISystem | Person, fields: tuple[str, ...]) -> None:
    """Log a new object as created, a stored one as changed (naming the changed fields)."""
    if obj.pk is None:
        return
    stored = type(obj).objects.filter(pk=obj.pk).values(*fields).first()
    if stored is None:
        return
    summary = audit.changes(obj, stored)
    if summary is not None:
        audit.record(tenant, AuditAction.CHANGED, obj, summary=summary)


def _fields(model: type[AISystem] | type[Person]) -> tuple[str, ...]:
    return tuple(
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name != "organisation"
    )


@transaction.atomic
def save_system(tenant: Tenant, system: AISystem, use_cases: list[UseCase]) -> AISystem:
    for use_case in use_cases:
        tenant.require(use_case)
    if system.pk is not None:
        tenant.require(system)
    new = system.pk is None
    system.organisation = tenant.organisation
    system.full_clean()
    _saved(tenant, system, _fields(AISystem))
    system.save()
    system.use_cases.set(use_cases)
    if new:
        audit.record(tenant, AuditAction.CREATED, system)
    return system


@transaction.atomic
def delete_system(tenant: Tenant, system: AISystem) -> None:
    tenant.require(system)
    audit.record(tenant, AuditAction.DELETED, system)
    system.delete()


@transaction.atomic
def save_person(tenant: Tenant, person: Person, systems: list[AISystem]) -> Person:
    for system in systems:
        tenant.require(system)
    if person.pk is not None:
        tenant.require(person)
    new = person.pk is None
    person.organisation = tenant.organisation
    person.full_clean()
    _saved(tenant, person, _fields(Person))
    person.save()
    person.ai_systems.set(systems)
    if new:
        audit.record(tenant, AuditAction.CREATED, person)
    return person


@transaction.atomic
def delete_person(tenant: Tenant, person: Person) -> None:
    """Delete a person of the literacy records with every training record; the audit log
    keeps that a person was deleted, but no longer their name."""
    tenant.require(person)
    for record in person.records.all():
        audit.forget_object(record)
    audit.forget_object(person)
    count = person.records.count()
    audit.record(
        tenant,
        AuditAction.DELETED,
        person,
        label=str(_("a person")),
        summary=lambda: (
            ngettext("With %(count)d training record", "With %(count)d training records", count)
            % {"count": count}
        ),
    )
    person.delete()


@transaction.atomic
def record_training(tenant: Tenant, record: TrainingRecord) -> TrainingRecord:
    if record.pk is not None:
        tenant.require(record)
    tenant.require(record.person)
    if record.ai_system is not None:
        tenant.require(record.ai_system)
    record.organisation = tenant.organisation
    record.full_clean()
    record.save()
    audit.record(tenant, AuditAction.CREATED, record, label=_training_label(record))
    return record


def _training_label(record: TrainingRecord) -> str:
    return f"{record.measure} ({record.person.name})"


@transaction.atomic
def delete_training(tenant: Tenant, record: TrainingRecord) -> None:
    tenant.require(record)
    audit.record(tenant, AuditAction.DELETED, record, label=_training_label(record))
    record.delete()


@transaction.atomic
def export_register(tenant: Tenant) -> bytes:
    """The AI register as an Excel file; the export is logged."""
    content = excel.export(tenant)
    count = tenant.scoped(AISystem.objects).count()
    audit.record(
        tenant,
        AuditAction.EXPORTED,
        tenant.organisation,
        summary=lambda: _("AI register as Excel, %(count)d systems") % {"count": count},
    )
    return content


FACT_FIELDS = (
    "people_processing",
    "commercial_transfer",
    "core_monitoring",
    "core_special_categories",
    "works_council",
)
DPO_FIELDS = ("dpo_name", "dpo_kind", "dpo_email", "dpo_phone", "dpo_appointed")


def _update_privacy(tenant: Tenant, source: PrivacyFacts, fields: tuple[str, ...]) -> PrivacyFacts:
    """Copy ``fields`` onto the organisation's one row, leaving its other fields as they are."""
    if source.pk is not None:
        tenant.require(source)
    facts = PrivacyFacts.objects.select_for_update().filter(
        organisation=tenant.organisation
    ).first() or PrivacyFacts(organisation=tenant.organisation)
    for name in fields:
        setattr(facts, name, getattr(source, name))
    facts.full_clean(validate_unique=False)
    facts.save()
    return facts


@transaction.atomic
def save_privacy_facts(tenant: Tenant, facts: PrivacyFacts) -> PrivacyFacts:
    """The facts that decide whether a data protection officer is mandatory."""
    if facts.pk is not None:
        tenant.require(facts)
    facts.facts_saved_at = timezone.now()
    return _update_privacy(tenant, facts, (*FACT_FIELDS, "facts_saved_at"))


@transaction.atomic
def save_dpo(tenant: Tenant, details: PrivacyFacts) -> PrivacyFacts:
    """Who the data protection officer is (name, kind, contact, date); all empty: nobody."""
    if details.pk is not None:
        tenant.require(details)
    details.dpo_name = details.dpo_name.strip()
    stored = PrivacyFacts.objects.filter(organisation=tenant.organisation).first()
    before = {name: getattr(stored, name) if stored else None for name in DPO_FIELDS}
    facts = _update_privacy(tenant, details, DPO_FIELDS)
    changed = {name for name in DPO_FIELDS if getattr(facts, name) != before[name]}
    if changed and (stored is not None or any(getattr(facts, n) for n in DPO_FIELDS)):
        audit.record(
            tenant,
            AuditAction.CHANGED,
            tenant.organisation,
            summary=lambda: (
                _("Data protection officer: %(name)s") % {"name": facts.dpo_name or _("none")}
            ),
        )
    return facts
