"""What compliance adds to a use case's journey and to the overview: the AI Act class, the
GDPR check, the AI systems behind it, and the gaps a data protection officer would ask about."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from startklar.core import links
from startklar.core.links import reverse
from startklar.core.modules import Action, Headline, Module, Notice, Step, StepState
from startklar.organisations.tenancy import Tenant
from startklar.usecases.models import Status, UseCase

from . import engine
from .content import CURRENT_VERSION
from .labels import DPIA_VERDICTS, risk_labels
from .models import AISystem, Assessment, DpaStatus, SystemStatus
from .queries import STORED, Stored, Summary, literacy_summary, summaries, summary

LIVE = {Status.PILOT, Status.SCALING, Status.IN_OPERATION}
VERDICT_STATES = {
    engine.DpiaVerdict.REQUIRED: StepState.ATTENTION,
    engine.DpiaVerdict.PROBABLY_REQUIRED: StepState.ATTENTION,
    engine.DpiaVerdict.THRESHOLD: StepState.ATTENTION,
    engine.DpiaVerdict.NOT_REQUIRED: StepState.DONE,
    engine.DpiaVerdict.UNCLEAR: StepState.ATTENTION,
}


def _url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"compliance:{name}", args=[tenant.organisation.slug, *args])


def complete(assessment: Assessment) -> bool:
    """Every question the answers lead to is answered (hidden ones do not count)."""
    return summary(assessment).answered


def steps(tenant: Tenant, use_cases: Sequence[UseCase]) -> dict[int, list[Step]]:
    stored = tenant.scoped(Assessment.objects).filter(use_case__in=use_cases)
    by_use_case = {row[0]: Stored._make(row[1:]) for row in stored.values_list("use_case", *STORED)}
    found_summaries = summaries(by_use_case.values())
    assessments = {pk: found_summaries[row.id] for pk, row in by_use_case.items()}
    links = (
        AISystem.use_cases.through.objects.filter(
            usecase__in=use_cases, aisystem__organisation=tenant.organisation
        )
        .order_by("aisystem__name", "aisystem_id")
        .values_list("usecase_id", "aisystem_id")
    )
    linked: dict[int, list[int]] = {uc.pk: [] for uc in use_cases}
    for use_case_id, system_id in links:
        linked[use_case_id].append(system_id)
    ids = {pk for pks in linked.values() for pk in pks}
    registered = tenant.scoped(AISystem.objects).filter(pk__in=ids).only("name", "status")
    by_id = {s.pk: s for s in registered} if ids else {}
    found: dict[int, list[Step]] = {}
    for uc in use_cases:
        assessment = assessments.get(uc.pk)
        found[uc.pk] = [
            _ai_act(tenant, uc, assessment),
            _gdpr(tenant, assessment),
            _systems(tenant, uc, [by_id[pk] for pk in linked[uc.pk]]),
        ]
    return found


def _ai_act(tenant: Tenant, uc: UseCase, assessment: Summary | None) -> Step:
    title = _("AI Act classification")
    if assessment is None:
        return Step(
            key="ai_act",
            title=title,
            state=StepState.OPEN,
            summary=_("Not classified yet: which AI Act duties apply?"),
            action=Action(
                _("Start the classification"), _url(tenant, "start_use_case", uc.pk), post=True
            ),
        )
    url = _url(tenant, "assessment", assessment.assessment_id)
    if not assessment.answered:
        return Step(
            key="ai_act",
            title=title,
            state=StepState.OPEN,
            summary=_("Started, not finished yet."),
            url=url,
            action=Action(_("Continue the classification"), url),
        )
    labels = risk_labels(assessment.labels)
    stale = assessment.stale
    return Step(
        key="ai_act",
        title=title,
        state=StepState.ATTENTION if stale else StepState.DONE,
        summary=_("%(labels)s – the rule base has changed, please re-check.") % {"labels": labels}
        if stale
        else labels,
        url=url,
        value=labels,
        action=Action(_("Re-check the classification"), url) if stale else None,
    )


def _gdpr(tenant: Tenant, assessment: Summary | None) -> Step:
    title = _("GDPR check")
    if assessment is None or not assessment.answered:
        return Step(
            key="gdpr",
            title=title,
            state=StepState.OPEN,
            summary=_("Answered together with the AI Act classification."),
            url=_url(tenant, "assessment", assessment.assessment_id) if assessment else "",
        )
    verdict = assessment.verdict
    text, state = str(DPIA_VERDICTS[verdict]), VERDICT_STATES[verdict]
    return Step(
        key="gdpr",
        title=title,
        state=state,
        summary=text,
        url=_url(tenant, "assessment", assessment.assessment_id) + "#gdpr",
        value=text,
    )


def _systems(tenant: Tenant, uc: UseCase, systems: list[AISystem]) -> Step:
    title = _("AI systems in the register")
    if systems:
        return Step(
            key="ai_systems",
            title=title,
            state=StepState.DONE,
            summary=", ".join(f"{s.name} ({s.get_status_display()})" for s in systems),
            url=_url(tenant, "system", systems[0].pk),
        )
    if uc.status in LIVE:
        return Step(
            key="ai_systems",
            title=title,
            state=StepState.OPEN,
            summary=_("In use, but no AI system of the register is linked to it."),
            url=_url(tenant, "systems"),
            action=Action(_("Record the AI system"), _url(tenant, "systems") + "#new-system"),
        )
    return Step(
        key="ai_systems",
        title=title,
        state=StepState.NOT_APPLICABLE,
        summary=_("Recorded once a tool is chosen or piloted."),
        url=_url(tenant, "systems"),
    )


def notices(tenant: Tenant) -> list[Notice]:
    found: list[Notice] = []
    live = list(
        tenant.scoped(UseCase.objects)
        .filter(status__in=LIVE)
        .values_list("pk", "title", *(f"assessment__{name}" for name in STORED))
    )
    assessed = summaries(Stored._make(uc[2:]) for uc in live if uc[2] is not None)
    for pk, title, assessment_id, *_stored in live:
        assessment = assessed.get(assessment_id)
        if assessment is None or not assessment.answered:
            found.append(
                Notice(
                    _('"%(title)s" is in use without a finished AI Act classification.')
                    % {"title": title},
                    reverse("usecases:detail", args=[tenant.organisation.slug, pk]),
                    "danger",
                )
            )
    today = timezone.localdate()
    active = (
        tenant.scoped(AISystem.objects)
        .exclude(status=SystemStatus.RETIRED)
        .values_list("pk", "name", "dpa_status", "next_review")
    )
    unsigned = _('"%(name)s": the data-processing agreement is not signed yet.')
    overdue = _('"%(name)s": the review was due on %(date)s.')
    system_url = links.for_each("compliance:system", tenant.organisation.slug)
    for pk, name, dpa_status, next_review in active:
        if dpa_status in {DpaStatus.MISSING, DpaStatus.REQUESTED}:
            found.append(Notice(unsigned % {"name": name}, system_url(pk)))
        if next_review is not None and next_review < today:
            date = date_format(next_review, "SHORT_DATE_FORMAT")
            found.append(Notice(overdue % {"name": name, "date": date}, system_url(pk)))
    gaps = literacy_summary(tenant).gaps
    if gaps:
        found.append(
            Notice(
                ngettext(
                    "%(count)d person has not been reached by an AI literacy measure yet "
                    "(Art. 4 AI Act).",
                    "%(count)d people have not been reached by an AI literacy measure yet "
                    "(Art. 4 AI Act).",
                    gaps,
                )
                % {"count": gaps},
                _url(tenant, "literacy"),
            )
        )
    if tenant.can_edit:
        stale = tenant.scoped(Assessment.objects).exclude(rules_version=CURRENT_VERSION).count()
        if stale:
            found.append(
                Notice(
                    ngettext(
                        "%(count)d assessment needs a re-check against the new rule base.",
                        "%(count)d assessments need a re-check against the new rule base.",
                        stale,
                    )
                    % {"count": stale},
                    _url(tenant, "overview"),
                    "info",
                )
            )
    return found


def headline(tenant: Tenant) -> Headline | None:
    systems = tenant.scoped(AISystem.objects).exclude(status=SystemStatus.RETIRED).count()
    stored = tenant.scoped(Assessment.objects).filter(use_case__isnull=False)
    found = summaries(Stored._make(row) for row in stored.values_list(*STORED))
    assessed = sum(1 for result in found.values() if result.answered)
    use_cases = tenant.scoped(UseCase.objects).count()
    if not systems and not use_cases:
        return None
    return Headline(
        title=_("Compliance"),
        value=_("%(assessed)d of %(total)d use cases classified")
        % {"assessed": assessed, "total": use_cases},
        detail=ngettext(
            "%(count)d AI system in the register", "%(count)d AI systems in the register", systems
        )
        % {"count": systems},
        url=_url(tenant, "overview"),
    )


def module() -> Module:
    """This feature on the overview and in the navigation (``feature.py`` refers to it)."""
    from . import excel

    return Module(
        key="compliance",
        label=gettext_lazy("Compliance"),
        description=gettext_lazy(
            "AI Act classification with reasons, GDPR screening, the AI register and "
            "AI literacy records."
        ),
        url_name="compliance:overview",
        icon="shield-check",
        order=40,
        notices=notices,
        headline=headline,
        use_case_steps=steps,
        exports=lambda tenant: [("ai-register.xlsx", excel.export(tenant))],
    )
