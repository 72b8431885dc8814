"""Every write of the compliance feature. One transaction per call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import UseCase

from . import engine
from .content import CURRENT_VERSION, load_rules
from .models import AISystem, Assessment, Person, PrivacyFacts, TrainingRecord


def _store_result(assessment: Assessment) -> None:
    rules = load_rules(assessment.rules_version)
    assessment.labels = list(engine.classify(rules, assessment.answers).labels)
    assessment.gdpr_verdict = engine.screen_gdpr(rules, assessment.answers).verdict


@transaction.atomic
def start(tenant: Tenant, subject: UseCase | AISystem) -> Assessment:
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
    rules = load_rules(assessment.rules_version)
    clean = engine.validate(rules, {question_id: value})
    assessment.answers = {**assessment.answers, **clean}
    assessment.updated_by = tenant.membership.user
    _store_result(assessment)
    assessment.save()
    return assessment


@transaction.atomic
def import_answers(
    tenant: Tenant, assessment: Assessment, answers: Mapping[str, Any]
) -> Assessment:
    rules = load_rules(assessment.rules_version)
    assessment.answers = engine.validate(rules, answers)
    assessment.updated_by = tenant.membership.user
    _store_result(assessment)
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
    assessment.rules_version = CURRENT_VERSION
    assessment.updated_by = tenant.membership.user
    _store_result(assessment)
    assessment.save()
    return assessment


@transaction.atomic
def save_system(tenant: Tenant, system: AISystem, use_cases: list[UseCase]) -> AISystem:
    system.organisation = tenant.organisation
    system.full_clean()
    system.save()
    system.use_cases.set([uc for uc in use_cases if uc.organisation_id == tenant.organisation.pk])
    return system


@transaction.atomic
def delete_system(tenant: Tenant, system: AISystem) -> None:
    system.delete()


@transaction.atomic
def save_person(tenant: Tenant, person: Person, systems: list[AISystem]) -> Person:
    person.organisation = tenant.organisation
    person.full_clean()
    person.save()
    person.ai_systems.set([s for s in systems if s.organisation_id == tenant.organisation.pk])
    return person


@transaction.atomic
def record_training(tenant: Tenant, record: TrainingRecord) -> TrainingRecord:
    if record.person.organisation_id != tenant.organisation.pk:
        raise ValueError("person of another organisation")
    if record.ai_system is not None and record.ai_system.organisation_id != tenant.organisation.pk:
        raise ValueError("AI system of another organisation")
    record.organisation = tenant.organisation
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def delete_training(tenant: Tenant, record: TrainingRecord) -> None:
    record.delete()


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
    facts.facts_saved_at = timezone.now()
    return _update_privacy(tenant, facts, (*FACT_FIELDS, "facts_saved_at"))


@transaction.atomic
def save_dpo(tenant: Tenant, details: PrivacyFacts) -> PrivacyFacts:
    """Who the data protection officer is (name, kind, contact, date); all empty: nobody."""
    details.dpo_name = details.dpo_name.strip()
    return _update_privacy(tenant, details, DPO_FIELDS)
