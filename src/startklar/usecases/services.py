"""Every write of the use-case feature. One transaction per call; rule violations raise
:class:`UseCaseError` with a message for the user."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from startklar.organisations import audit
from startklar.organisations.models import AuditAction, AuditEvent, Organisation
from startklar.organisations.tenancy import Tenant

from . import axes, queries
from .content import CURRENT_VERSION, load_catalogue, load_criteria
from .engine import portfolio
from .engine.catalogue import Entry
from .models import (
    GATED,
    NEEDS_REASON,
    USE_CASE_FIELDS,
    CriterionScore,
    CriterionWeight,
    Status,
    StatusChange,
    UseCase,
    Vote,
    Workshop,
    is_backward,
)

# What a person edits, and the goal as written before (kept until numbers are entered).
FIELDS = (*USE_CASE_FIELDS, "goal_unparsed")


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
def create_use_case(
    tenant: Tenant,
    data: Mapping[str, Any],
    catalogue_id: str = "",
    defaults: Mapping[str, portfolio.DefaultScore] | None = None,
) -> UseCase:
    """A new use case (status idea) with the suggested scores; ``defaults`` may be passed in by
    a caller that creates many at once (they depend on the latest readiness round only)."""
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
        to_status=Status.IDEA,
        changed_by=tenant.membership.user,
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(
            use_case=use_case,
            criterion_id=criterion_id,
            score=default.score,
            source=CriterionScore.Source.DEFAULT,
            criteria_version=CURRENT_VERSION,
        )
        for criterion_id, default in (defaults or queries.defaults(tenant)).items()
        if default.dimension is not None  # only suggestions with a reason are stored
    )
    axes.store(tenant.organisation.pk, [use_case.pk])
    audit.record(tenant, AuditAction.CREATED, use_case)
    return use_case


DATA_CRITERION = "daten"  # "Datenverfügbarkeit", the feasibility criterion a data check informs


def data_level(score: int) -> int:
    """A data check's score (0–100) as a criterion score (1–5), like a readiness dimension's."""
    return 1 + round(score / 25)


@transaction.atomic
def suggest_from_data_check(organisation_id: int, scores: Mapping[int, int | None]) -> None:
    """The data check's scores (0–100, by use-case id; None: no check says anything any more)
    as the suggested score of the criterion "Datenverfügbarkeit", and so the feasibility axis.
    A score people entered or a workshop agreed on stays; a suggestion from the readiness
    check gives way to the measured data."""
    use_cases = set(
        UseCase.objects.filter(organisation_id=organisation_id, pk__in=list(scores)).values_list(
            "pk", flat=True
        )
    )
    existing = {
        row.use_case_id: row
        for row in CriterionScore.objects.filter(
            use_case_id__in=use_cases, criterion_id=DATA_CRITERION
        )
    }
    changed = []
    for use_case_id in sorted(use_cases):
        score, row = scores[use_case_id], existing.get(use_case_id)
        if row is not None and row.source not in CriterionScore.SUGGESTED:
            continue  # scored by people
        if score is None:
            if row is not None and row.source == CriterionScore.Source.DATA_CHECK:
                row.delete()
                changed.append(use_case_id)
            continue
        level = data_level(score)
        if row is None:
            CriterionScore.objects.create(
                use_case_id=use_case_id,
                criterion_id=DATA_CRITERION,
                score=level,
                source=CriterionScore.Source.DATA_CHECK,
                criteria_version=CURRENT_VERSION,
            )
        elif (row.score, row.source) != (level, CriterionScore.Source.DATA_CHECK):
            row.score, row.source = level, CriterionScore.Source.DATA_CHECK
            row.save(update_fields=["score", "source"])
        else:
            continue
        changed.append(use_case_id)
    if changed:
        axes.store(organisation_id, changed)


@transaction.atomic
def update_use_case(tenant: Tenant, use_case: UseCase, data: Mapping[str, Any]) -> UseCase:
    tenant.require(use_case)
    before = audit.snapshot(use_case, FIELDS)
    for field in FIELDS:
        if field in data:
            setattr(use_case, field, data[field])
    if use_case.goal_target_value is not None or data.get("discard_unparsed"):
        use_case.goal_unparsed = ""  # the goal is in numbers now, or the text is let go
    use_case.title = " ".join(use_case.title.split())
    use_case.full_clean()
    _check_title(tenant, use_case.title, use_case)
    use_case.save()
    summary = audit.changes(use_case, before)
    if summary is not None:
        audit.record(tenant, AuditAction.CHANGED, use_case, summary=summary)
    return use_case


@transaction.atomic
def delete_use_case(tenant: Tenant, use_case: UseCase) -> None:
    """Delete a use case with everything that hangs on it (business case, classification,
    scores, votes, history); AI systems and workshops stay, without the link to it."""
    tenant.require(use_case)
    audit.record(tenant, AuditAction.DELETED, use_case)
    use_case.delete()


@transaction.atomic
def status_rule(
    old: str,
    new: str,
    reason: str,
    cause: str | None = None,
    override: bool = False,
    owner: bool = False,
) -> str:
    """Why moving from ``old`` to ``new`` is not allowed so, "" if it is (the Excel import
    asks the same per row)."""
    if new in NEEDS_REASON and not (reason or cause):
        return _("Please give a reason for postponing or discarding.")
    if new == old:
        return ""
    if new in GATED and cause != StatusChange.Cause.SCALE_DECISION:
        if not override:
            return _(
                "Scaling and operation are reached through the scale decision of the use "
                "case's pilot (Pilots page: the gate with its evidence). An owner may set the "
                "status without it, with a written reason."
            )
        if not owner:
            return _("Only an owner may set scaling or operation without a scale decision.")
        if not reason:
            return _(
                "Please give a reason for setting the status without a scale decision; it "
                "is recorded and shown in the history."
            )
    if is_backward(old, new) and not reason:
        return _("Please give a reason for moving the status back from %(old)s to %(new)s.") % {
            "old": Status(old).label,
            "new": Status(new).label,
        }
    return ""


@transaction.atomic
def change_status(
    tenant: Tenant,
    use_case: UseCase,
    status: Status,
    reason: str = "",
    cause: StatusChange.Cause | None = None,
    override: bool = False,
) -> UseCase:
    """Move ``use_case`` to ``status``; ``reason`` is a person's words, ``cause`` the
    application's own (shown translated).

    Scaling and operation are reached through a pilot's scale decision
    (``cause=SCALE_DECISION``) or an owner's ``override`` with a reason, which is recorded;
    a step back needs a reason too.
    """
    tenant.require(use_case)
    reason = reason.strip()
    problem = status_rule(use_case.status, status, reason, cause, override, tenant.is_owner)
    if problem:
        raise UseCaseError(problem)
    if status == use_case.status:
        return use_case
    overridden = status in GATED and cause != StatusChange.Cause.SCALE_DECISION
    old_label, new_label = Status(use_case.status).label, Status(status).label
    audit.record(
        tenant,
        AuditAction.STATUS_CHANGED,
        use_case,
        summary=lambda: _("From %(old)s to %(new)s") % {"old": old_label, "new": new_label},
    )
    StatusChange.objects.create(
        organisation=tenant.organisation,
        use_case=use_case,
        from_status=use_case.status,
        to_status=status,
        reason=reason,
        cause=cause or "",
        override=overridden,
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
    """Store criterion scores; an idea with every criterion scored becomes "assessed".

    Reads the use case's scores once and writes only what changed (the Excel import calls this
    for up to 2,000 rows).
    """
    tenant.require(use_case)
    _check_scores(scores)
    stored = {s.criterion_id: s for s in use_case.scores.all()}
    changed, new = [], []
    for criterion_id, score in scores.items():
        found = stored.get(criterion_id)
        if found is None:
            found = CriterionScore(
                use_case=use_case,
                criterion_id=criterion_id,
                score=score,
                source=source,
                criteria_version=CURRENT_VERSION,
            )
            new.append(found)
            stored[criterion_id] = found
        elif (found.score, found.source, found.criteria_version) != (
            score,
            source,
            CURRENT_VERSION,
        ):
            found.score, found.source = score, source
            found.criteria_version = CURRENT_VERSION
            changed.append(found)
    CriterionScore.objects.bulk_create(new)
    CriterionScore.objects.bulk_update(changed, ["score", "source", "criteria_version"])
    if new or changed:
        axes.store(tenant.organisation.pk, [use_case.pk])
    criteria = [c.id for c in load_criteria()]
    complete = all(
        c in stored and stored[c].source not in CriterionScore.SUGGESTED for c in criteria
    )
    if complete and use_case.status == Status.IDEA:
        change_status(
            tenant, use_case, Status.ASSESSED, cause=StatusChange.Cause.POTENTIAL_COMPLETE
        )
    return use_case


@dataclass
class ImportItem:
    """One row of an Excel import, checked: a new use case (``target`` None) or an update."""

    target: UseCase | None
    fields: Mapping[str, Any]
    status: Status
    reason: str
    scores: Mapping[str, int]
    catalogue_id: str = ""


OWN = ["organisation", "created_by"]  # set by the service itself, not checked again per row


def _status_summary(old: object, new: object) -> Callable[[], str]:
    return lambda: _("From %(old)s to %(new)s") % {"old": old, "new": new}


@transaction.atomic
def import_use_cases(tenant: Tenant, items: list[ImportItem]) -> tuple[int, int]:
    """Create and update many use cases at once, by the same rules as :func:`create_use_case`,
    :func:`update_use_case`, :func:`change_status` and :func:`set_scores`, in a few queries
    (2,000 rows in seconds, not minutes). Titles must already be checked against each other
    and the organisation's use cases (the import does that with row numbers). Returns
    (created, updated: those of the existing ones in which anything changed)."""
    Organisation.objects.select_for_update().filter(pk=tenant.organisation.pk).first()
    user = tenant.membership.user
    criteria = [c.id for c in load_criteria()]
    suggested = {cid: d for cid, d in queries.defaults(tenant).items() if d.dimension is not None}
    for item in items:
        if item.target is not None:
            tenant.require(item.target)
        _check_scores(item.scores)
        if item.catalogue_id and load_catalogue().entry(item.catalogue_id) is None:
            raise ValueError(f"unknown catalogue entry {item.catalogue_id!r}")
        old = item.target.status if item.target is not None else Status.IDEA
        problem = status_rule(
            old, item.status, item.reason.strip(), StatusChange.Cause.EXCEL_IMPORT
        )
        if problem:
            raise UseCaseError(problem)
    events: list[Any] = []
    changes: list[StatusChange] = []

    # New use cases: one insert, their first status, the suggested scores.
    new = []
    for item in items:
        if item.target is not None:
            continue
        use_case = UseCase(
            organisation=tenant.organisation, catalogue_id=item.catalogue_id, created_by=user
        )
        for field in FIELDS:
            if field in item.fields:
                setattr(use_case, field, item.fields[field])
        use_case.title = " ".join(use_case.title.split())
        use_case.full_clean(exclude=OWN, validate_unique=False, validate_constraints=False)
        new.append((use_case, item))
    UseCase.objects.bulk_create([uc for uc, _item in new])
    for use_case, _item in new:
        changes.append(
            StatusChange(
                organisation=tenant.organisation,
                use_case=use_case,
                from_status="",
                to_status=Status.IDEA,
                changed_by=user,
            )
        )
        events.append(audit.entry(tenant, AuditAction.CREATED, use_case))

    # Existing ones: the changed fields, in one update.
    now = timezone.now()
    updated = []
    touched: set[int] = set()
    for item in items:
        existing = item.target
        if existing is None:
            continue
        use_case = existing
        before = audit.snapshot(use_case, FIELDS)
        for field in FIELDS:
            if field in item.fields:
                setattr(use_case, field, item.fields[field])
        use_case.title = " ".join(use_case.title.split())
        use_case.full_clean(exclude=OWN, validate_unique=False, validate_constraints=False)
        summary = audit.changes(use_case, before)
        if summary is not None:
            use_case.updated_at = now
            updated.append(use_case)
            touched.add(use_case.pk)
            events.append(audit.entry(tenant, AuditAction.CHANGED, use_case, summary=summary))
    UseCase.objects.bulk_update(updated, [*FIELDS, "updated_at"])

    # Scores: what is stored, the suggestions for new ones, then the imported values.
    everything = [(uc, item) for uc, item in new] + [
        (item.target, item) for item in items if item.target is not None
    ]
    stored: dict[int, dict[str, CriterionScore]] = {uc.pk: {} for uc, _item in everything}
    for row in CriterionScore.objects.filter(use_case__in=[uc for uc, _i in everything]):
        stored[row.use_case_id][row.criterion_id] = row
    to_create: list[CriterionScore] = []
    to_update: list[CriterionScore] = []
    for use_case, item in everything:
        mine = stored[use_case.pk]
        if item.target is None:
            for cid, default in suggested.items():
                mine[cid] = CriterionScore(
                    use_case=use_case,
                    criterion_id=cid,
                    score=default.score,
                    source=CriterionScore.Source.DEFAULT,
                    criteria_version=CURRENT_VERSION,
                )
                to_create.append(mine[cid])
        for cid, value in item.scores.items():
            found = mine.get(cid)
            if found is None:
                mine[cid] = CriterionScore(
                    use_case=use_case,
                    criterion_id=cid,
                    score=value,
                    source=CriterionScore.Source.MANUAL,
                    criteria_version=CURRENT_VERSION,
                )
                to_create.append(mine[cid])
            elif (found.score, found.source, found.criteria_version) != (
                value,
                CriterionScore.Source.MANUAL,
                CURRENT_VERSION,
            ):
                found.score, found.source = value, CriterionScore.Source.MANUAL
                found.criteria_version = CURRENT_VERSION
                if found.pk is not None:
                    to_update.append(found)
                    touched.add(use_case.pk)
    CriterionScore.objects.bulk_create(to_create)
    CriterionScore.objects.bulk_update(to_update, ["score", "source", "criteria_version"])
    axes.store(tenant.organisation.pk, [uc.pk for uc, _item in everything])

    # Status: as asked in the file, then "assessed" once every criterion is scored by people.
    moved: dict[str, list[int]] = {}
    for use_case, item in everything:
        steps = []
        if item.status != use_case.status:
            steps.append((item.status, item.reason.strip(), StatusChange.Cause.EXCEL_IMPORT))
        target_status = item.status
        mine = stored[use_case.pk]
        complete = all(
            c in mine and mine[c].source not in CriterionScore.SUGGESTED for c in criteria
        )
        if complete and target_status == Status.IDEA:
            steps.append((Status.ASSESSED, "", StatusChange.Cause.POTENTIAL_COMPLETE))
        for status, reason, cause in steps:
            old_label, new_label = Status(use_case.status).label, Status(status).label
            changes.append(
                StatusChange(
                    organisation=tenant.organisation,
                    use_case=use_case,
                    from_status=use_case.status,
                    to_status=status,
                    reason=reason,
                    cause=cause,
                    changed_by=user,
                )
            )
            events.append(
                audit.entry(
                    tenant,
                    AuditAction.STATUS_CHANGED,
                    use_case,
                    summary=_status_summary(old_label, new_label),
                )
            )
            use_case.status = status
        if steps:
            moved.setdefault(use_case.status, []).append(use_case.pk)
            if item.target is not None:
                touched.add(use_case.pk)
    for reached, ids in moved.items():  # one update per status reached
        UseCase.objects.filter(pk__in=ids).update(status=reached, updated_at=now)
    StatusChange.objects.bulk_create(changes)
    AuditEvent.objects.bulk_create(events)
    return len(new), len(touched)


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
    axes.store(tenant.organisation.pk)  # every use case's axes follow the weights


# Workshops ---------------------------------------------------------------------------------


@transaction.atomic
def open_workshop(tenant: Tenant, title: str, use_cases: list[UseCase]) -> Workshop:
    if not use_cases:
        raise UseCaseError(_("Choose at least one use case for the workshop."))
    for use_case in use_cases:
        tenant.require(use_case)
    workshop = Workshop.objects.create(
        organisation=tenant.organisation, title=title.strip(), facilitator=tenant.membership.user
    )
    workshop.use_cases.set(use_cases)
    audit.record(tenant, AuditAction.CREATED, workshop)
    return workshop


@transaction.atomic
def vote(
    tenant: Tenant, workshop: Workshop, use_case_id: int, criterion_id: str, score: int
) -> Vote:
    """A participant's blind score; any member may take part while the workshop is scoring."""
    tenant.require(workshop)
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
    tenant.require(workshop)
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
    tenant.require(workshop)
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
    tenant.require(workshop)
    if workshop.phase == Workshop.Phase.CLOSED:
        return workshop
    workshop.phase = Workshop.Phase.CLOSED
    workshop.save(update_fields=["phase"])
    audit.record(
        tenant,
        AuditAction.DECIDED,
        workshop,
        summary=lambda: _("Workshop closed; the agreed scores are in the use cases."),
    )
    return workshop


@transaction.atomic
def delete_workshop(tenant: Tenant, workshop: Workshop) -> None:
    """Delete a workshop and its votes; scores agreed in it stay with the use cases."""
    tenant.require(workshop)
    audit.record(tenant, AuditAction.DELETED, workshop)
    workshop.delete()


@transaction.atomic
def export_excel(tenant: Tenant) -> bytes:
    """The use-case list as an Excel file; the export is logged."""
    from . import excel  # excel imports this module for its writes

    content = excel.export(tenant)
    count = tenant.scoped(UseCase.objects).count()
    audit.record(
        tenant,
        AuditAction.EXPORTED,
        tenant.organisation,
        summary=lambda: _("Use cases as Excel, %(count)d rows") % {"count": count},
    )
    return content
