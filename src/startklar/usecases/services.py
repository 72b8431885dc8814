"""Every write of the use-case feature. One transaction per call; rule violations raise
:class:`UseCaseError` with a message for the user."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from startklar.organisations.models import Organisation
from startklar.organisations.tenancy import Tenant

from . import queries
from .content import load_catalogue, load_criteria
from .engine.catalogue import Entry
from .models import (
    NEEDS_REASON,
    USE_CASE_FIELDS,
    CriterionScore,
    CriterionWeight,
    Status,
    StatusChange,
    UseCase,
    Vote,
    Workshop,
)

FIELDS = USE_CASE_FIELDS


class UseCaseError(Exception):
    """A step the rules do not allow."""


class DuplicateTitle(UseCaseError):
    """Another use case of the organisation has this title (case and spaces aside)."""

    field = "title"


def _check_title(tenant: Tenant, title: str, use_case: UseCase | None = None) -> None:
    """One use case per title: a twin would be funded twice by the optimiser and listed twice.

    Locks the organisation row first, so two requests cannot both pass the check (PostgreSQL;
    SQLite writes one transaction at a time anyway).
    """
    Organisation.objects.select_for_update().filter(pk=tenant.organisation.pk).first()
    twins = tenant.scoped(UseCase.objects).filter(title__iexact=" ".join(title.split()))
    if use_case is not None and use_case.pk:
        twins = twins.exclude(pk=use_case.pk)
    twin = twins.first()
    if twin is not None:
        raise DuplicateTitle(
            _('There is already a use case called "%(title)s". Open it, or choose another title.')
            % {"title": twin.title}
        )


def from_catalogue(entry: Entry, language: str) -> dict[str, Any]:
    """Starting values for a use case taken from a catalogue entry (assumptions to replace)."""
    estimates = entry.estimates
    return {
        "title": entry.title.get(language),
        "problem": entry.problem.get(language),
        "goal_metric": entry.kpis[0].name.get(language) if entry.kpis else "",
        "data_sources": entry.data.get(language)[:300],
        "estimated_cost": Decimal(
            str(round(estimates.one_off_eur.likely + 12 * estimates.monthly_eur.likely))
        ),
        "person_days": Decimal(str(estimates.person_days.likely)),
    }


@transaction.atomic
def create_use_case(tenant: Tenant, data: Mapping[str, Any], catalogue_id: str = "") -> UseCase:
    if catalogue_id and load_catalogue().entry(catalogue_id) is None:
        raise ValueError(f"unknown catalogue entry {catalogue_id!r}")
    use_case = UseCase(
        organisation=tenant.organisation,
        catalogue_id=catalogue_id,
        created_by=tenant.membership.user,
    )
    for field in FIELDS:
        if field in data:
            setattr(use_case, field, data[field])
    use_case.title = " ".join(use_case.title.split())
    use_case.full_clean()
    _check_title(tenant, use_case.title)
    use_case.save()
    StatusChange.objects.create(
        organisation=tenant.organisation,
        use_case=use_case,
        from_status="",
        to_status=Status.IDEE,
        changed_by=tenant.membership.user,
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(
            use_case=use_case,
            criterion_id=criterion_id,
            score=default.score,
            source=CriterionScore.Source.DEFAULT,
        )
        for criterion_id, default in queries.defaults(tenant).items()
        if default.dimension is not None  # only suggestions with a reason are stored
    )
    return use_case


@transaction.atomic
def update_use_case(tenant: Tenant, use_case: UseCase, data: Mapping[str, Any]) -> UseCase:
    for field in FIELDS:
        if field in data:
            setattr(use_case, field, data[field])
    use_case.title = " ".join(use_case.title.split())
    use_case.full_clean()
    _check_title(tenant, use_case.title, use_case)
    use_case.save()
    return use_case


@transaction.atomic
def change_status(
    tenant: Tenant,
    use_case: UseCase,
    status: Status,
    reason: str = "",
    cause: StatusChange.Cause | None = None,
) -> UseCase:
    """Move ``use_case`` to ``status``; ``reason`` is a person's words, ``cause`` the
    application's own (shown translated)."""
    reason = reason.strip()
    if status in NEEDS_REASON and not (reason or cause):
        raise UseCaseError(_("Please give a reason for postponing or discarding."))
    if status == use_case.status:
        return use_case
    StatusChange.objects.create(
        organisation=tenant.organisation,
        use_case=use_case,
        from_status=use_case.status,
        to_status=status,
        reason=reason,
        cause=cause or "",
        changed_by=tenant.membership.user,
    )
    use_case.status = status
    use_case.save(update_fields=["status", "updated_at"])
    return use_case


def _check_scores(scores: Mapping[str, int]) -> None:
    known = {c.id for c in load_criteria()}
    for criterion_id, score in scores.items():
        if criterion_id not in known:
            raise ValueError(f"unknown criterion {criterion_id!r}")
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise ValueError(f"score for {criterion_id!r} must be 1 to 5")


@transaction.atomic
def set_scores(
    tenant: Tenant,
    use_case: UseCase,
    scores: Mapping[str, int],
    source: str = CriterionScore.Source.MANUAL,
) -> UseCase:
    """Store criterion scores; an idea with every criterion scored becomes "assessed"."""
    _check_scores(scores)
    for criterion_id, score in scores.items():
        CriterionScore.objects.update_or_create(
            use_case=use_case,
            criterion_id=criterion_id,
            defaults={"score": score, "source": source},
        )
    complete = use_case.scores.filter(criterion_id__in=[c.id for c in load_criteria()]).exclude(
        source=CriterionScore.Source.DEFAULT
    ).count() == len(load_criteria())
    if complete and use_case.status == Status.IDEE:
        change_status(
            tenant, use_case, Status.BEWERTET, cause=StatusChange.Cause.POTENTIAL_COMPLETE
        )
    return use_case


@transaction.atomic
def set_weights(tenant: Tenant, weights: Mapping[str, Decimal]) -> None:
    """Store the organisation's own weights; a weight equal to the content's default is not
    stored, so the defaults stay the defaults (and saving them unchanged changes nothing)."""
    criteria = {c.id: c for c in load_criteria()}
    if set(weights) - set(criteria):
        raise ValueError(f"unknown criteria {sorted(set(weights) - set(criteria))}")
    if sum(weights.values()) <= 0:
        raise UseCaseError(_("At least one weight must be above zero."))
    stored = tenant.scoped(CriterionWeight.objects)
    for criterion_id, weight in weights.items():
        if Decimal(weight) == Decimal(str(criteria[criterion_id].weight)):
            stored.filter(criterion_id=criterion_id).delete()
        else:
            CriterionWeight.objects.update_or_create(
                organisation=tenant.organisation,
                criterion_id=criterion_id,
                defaults={"weight": weight},
            )


# Workshops ---------------------------------------------------------------------------------


@transaction.atomic
def open_workshop(tenant: Tenant, title: str, use_cases: list[UseCase]) -> Workshop:
    if not use_cases:
        raise UseCaseError(_("Choose at least one use case for the workshop."))
    workshop = Workshop.objects.create(
        organisation=tenant.organisation, title=title.strip(), facilitator=tenant.membership.user
    )
    workshop.use_cases.set(use_cases)
    return workshop


@transaction.atomic
def vote(
    tenant: Tenant, workshop: Workshop, use_case_id: int, criterion_id: str, score: int
) -> Vote:
    """A participant's blind score; any member may take part while the workshop is scoring."""
    if workshop.phase != Workshop.Phase.SCORING:
        raise UseCaseError(_("Scoring has ended; the scores are revealed."))
    _check_scores({criterion_id: score})
    use_case = workshop.use_cases.filter(pk=use_case_id).first()
    if use_case is None:
        raise ValueError("use case is not part of this workshop")
    result, _created = Vote.objects.update_or_create(
        workshop=workshop,
        use_case=use_case,
        user=tenant.membership.user,
        criterion_id=criterion_id,
        defaults={"score": score},
    )
    return result


@transaction.atomic
def reveal(tenant: Tenant, workshop: Workshop) -> Workshop:
    if workshop.phase == Workshop.Phase.SCORING:
        if not workshop.votes.exists():
            raise UseCaseError(_("Nobody has scored yet."))
        workshop.phase = Workshop.Phase.REVEALED
        workshop.save(update_fields=["phase"])
    return workshop


@transaction.atomic
def agree(
    tenant: Tenant, workshop: Workshop, use_case_id: int, criterion_id: str, score: int
) -> CriterionScore:
    """The facilitator records the score the group agreed on; it becomes the use case's score."""
    if workshop.phase == Workshop.Phase.SCORING:
        raise UseCaseError(_("Reveal the scores before recording agreed ones."))
    if workshop.phase == Workshop.Phase.CLOSED:
        raise UseCaseError(_("The workshop is closed."))
    use_case = workshop.use_cases.filter(pk=use_case_id).first()
    if use_case is None:
        raise ValueError("use case is not part of this workshop")
    set_scores(tenant, use_case, {criterion_id: score}, CriterionScore.Source.WORKSHOP)
    return CriterionScore.objects.get(use_case=use_case, criterion_id=criterion_id)


@transaction.atomic
def close_workshop(tenant: Tenant, workshop: Workshop) -> Workshop:
    workshop.phase = Workshop.Phase.CLOSED
    workshop.save(update_fields=["phase"])
    return workshop
