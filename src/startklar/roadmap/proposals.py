"""The roadmap proposal: what Startklar knows, turned into engine tasks with a title, a reason
and a link each, and placed by the engine (priority, capacity, budget, legal dates).

Sources, each with a stable key so an accepted or dismissed proposal is not proposed again:

* ``readiness:<hurdle>:<n>`` – the "what first?" steps of the latest readiness round;
* ``usecase:<id>:<step>`` – for each use case of the focus set, data prerequisites → pilot →
  scale decision → rollout, from where it stands;
* ``compliance:usecase:<id>:<duty>`` – the AI Act duties of its assessment with their legal
  dates, a DPIA where the GDPR screening asks for one and none is done, a works-council step
  where co-determination applies; ``compliance:system:<id>:dpa`` – a data-processing agreement
  for an AI system in use without one;
* ``competence:<level>:<competence>`` – trainings for the people the literacy register shows
  without them (AI literacy under Art. 4 AI Act is due now);
* ``people:communication:<id>`` – each open step of the communication plan, a milestone in the
  week of its date (at the roadmap's start when that has passed);
* ``people:theme:<theme>`` – each theme the latest staff pulse raises, as the step its content
  names (e.g. "Sorge um Kontrolle": agree the usage policy with the works council).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from startklar.compliance import queries as compliance_queries
from startklar.compliance.models import (
    AISystem,
    Assessment,
    DpaStatus,
    DpiaStatus,
    Person,
    PrivacyFacts,
    RoleLevel,
    SystemStatus,
    TrainingRecord,
)
from startklar.organisations.models import Organisation
from startklar.organisations.tenancy import Tenant
from startklar.people import queries as people_queries
from startklar.people.models import CommunicationItem, CommunicationKind
from startklar.pilots.models import Outcome, Pilot, PilotStatus, ScaleDecision
from startklar.readiness import queries as readiness_queries
from startklar.readiness.models import Round
from startklar.usecases import journey as usecases_journey
from startklar.usecases.models import Status, UseCase

from . import content, engine
from .models import Dismissal, Item, Kind, Settings

# Statuses from which a step of the use case's chain is done.
DONE_STEPS: Mapping[str, tuple[engine.Step, ...]] = {
    Status.PILOT: (engine.Step.DATA,),
    Status.SCALING: (engine.Step.DATA, engine.Step.PILOT, engine.Step.DECISION),
    Status.IN_OPERATION: tuple(engine.Step),
}
DPIA_NEEDED = {"erforderlich", "wahrscheinlich_erforderlich"}
KINDS = {k.value: k for k in engine.Kind}
LITERACY = "literacy"  # Art. 4 AI Act: planned once for the company, not per use case
# The kind of item a pulse's theme becomes (any other theme: a first step).
THEME_KINDS: Mapping[str, engine.Kind] = {
    "sorge_kontrolle": engine.Kind.WORKS_COUNCIL,
    "schulungsbedarf": engine.Kind.LITERACY,
}
# The kind of item a communication step becomes (any other: a first step).
COMMUNICATION_KINDS: Mapping[str, engine.Kind] = {CommunicationKind.TRAINING: engine.Kind.LITERACY}


@dataclass(frozen=True)
class Source:
    """Why a proposal is there, as a person reads it, and where that comes from."""

    title: str
    why: str
    url: str
    link_label: str


@dataclass(frozen=True)
class Proposal:
    task: engine.Task
    placement: engine.Placement
    source: Source

    @property
    def key(self) -> str:
        return self.task.key

    @property
    def late(self) -> bool:
        return self.placement.late_days > 0


@dataclass(frozen=True)
class Gathered:
    tasks: list[engine.Task]
    sources: dict[str, Source]


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


def _days(value: Decimal | None, default: float) -> float:
    return float(value) if value is not None and value > 0 else default


class _Collector:
    def __init__(self, tenant: Tenant, language: str, start: datetime.date) -> None:
        self.tenant = tenant
        self.language = language
        self.start = start
        self.slug = tenant.organisation.slug
        self.tasks: list[engine.Task] = []
        self.sources: dict[str, Source] = {}
        self.sequencing = content.load_sequence()
        self.legal = content.load_legal()
        self.competences = content.load_competences()

    def add(self, task: engine.Task, source: Source) -> None:
        if task.key in self.sources:
            return  # the same duty reached twice (e.g. one AI system of two use cases)
        self.tasks.append(task)
        self.sources[task.key] = source

    def first(self, needed: str, keys: tuple[str, ...]) -> None:
        """The tasks ``keys`` wait for ``needed`` (e.g. a pilot for its DPIA)."""
        self.tasks = [
            replace(t, depends_on=(*t.depends_on, needed))
            if t.key in keys and needed not in t.depends_on
            else t
            for t in self.tasks
        ]

    def url(self, name: str, *args: object) -> str:
        return (
            reverse(name, kwargs={"org_slug": self.slug})
            if not args
            else reverse(name, args=[self.slug, *args])
        )

    def default(self, kind: engine.Kind) -> content.Default:
        return self.sequencing.defaults[kind]


def gather(tenant: Tenant, language: str, start: datetime.date) -> Gathered:
    """Every task Startklar would plan now, with its source (nothing is filtered yet)."""
    found = _Collector(tenant, language, start)
    _readiness(found)
    focus = usecases_journey.focus(tenant)
    _use_cases(found, focus)
    _compliance(found, focus)
    _competences(found)
    _people(found)
    return Gathered(found.tasks, found.sources)


def _readiness(found: _Collector) -> None:
    points = readiness_queries.latest(found.tenant)
    if not points:
        return
    round_ = Round.objects.get(pk=points[0].round.pk)
    page = readiness_queries.results_page(found.tenant, round_, found.language)
    if page.result is None:
        return
    url = found.url("readiness:results", round_.pk)
    default = found.default(engine.Kind.ACTION)
    for rank, (step, view) in enumerate(
        zip(page.result.combined.first_steps, page.first_steps, strict=True)
    ):
        key = f"readiness:{step.hurdle.id}:{_hash(step.action.what.get('de'))}"
        found.add(
            engine.Task(
                key=key,
                kind=engine.Kind.ACTION,
                effort=default.effort,
                weeks=default.weeks,
                priority=100.0 - rank,  # "what first" comes first
            ),
            Source(
                title=_short(view.action.what),
                why=_("Readiness check “%(round)s”: against the hurdle “%(hurdle)s”. %(step)s")
                % {"round": round_.title, "hurdle": view.against, "step": view.action.first_step},
                url=url,
                link_label=_("Readiness results"),
            ),
        )


def _use_cases(found: _Collector, focus: list[UseCase]) -> None:
    rules = found.sequencing.rules
    pilots: dict[int, Pilot] = {}
    for first in Pilot.objects.filter(use_case__in=focus).order_by("start", "pk"):
        pilots.setdefault(first.use_case_id, first)
    decided = set(  # a "go" (an extended pilot still waits for its decision)
        ScaleDecision.objects.filter(pilot__use_case__in=focus, outcome=Outcome.GO).values_list(
            "pilot__use_case_id", flat=True
        )
    )
    for rank, use_case in enumerate(focus):
        already = set(DONE_STEPS.get(use_case.status, ()))
        pilot: Pilot | None = pilots.get(use_case.pk)
        if pilot is not None and pilot.status != PilotStatus.PLANNED:
            already |= {engine.Step.DATA, engine.Step.PILOT}
        if use_case.pk in decided:
            already.add(engine.Step.DECISION)
        weeks = (
            max(1, round((pilot.planned_end - pilot.start).days / 7)) if pilot is not None else None
        )
        tasks = engine.usecase_tasks(
            use_case.pk,
            _days(use_case.person_days, 20.0),
            float(use_case.estimated_cost or 0),
            50.0 - rank,
            has_data=False,
            pilot_weeks=weeks,
            already=already,
            rules=rules,
        )
        if tasks and pilot is not None and engine.Step.PILOT in already:
            # A pilot under way: what follows waits for its (planned) end.
            tasks[0] = replace(tasks[0], earliest=pilot.planned_end + datetime.timedelta(days=1))
        url = found.url("usecases:detail", use_case.pk)
        for task in tasks:
            step = engine.Step(task.key.rsplit(":", 1)[1])
            found.add(task, _use_case_source(use_case.title, step, rank, url))


def _use_case_source(title: str, step: engine.Step, rank: int, url: str) -> Source:
    titles = {
        engine.Step.DATA: _("%(title)s: prepare the data"),
        engine.Step.PILOT: _("%(title)s: pilot"),
        engine.Step.DECISION: _("%(title)s: scale decision"),
        engine.Step.ROLLOUT: _("%(title)s: rollout"),
    }
    whys = {
        engine.Step.DATA: _("The pilot needs the data it works with, accessible and clean."),
        engine.Step.PILOT: _("Four to six weeks with measured KPIs show whether it works."),
        engine.Step.DECISION: _("Go, extend or stop, on the pilot's evidence."),
        engine.Step.ROLLOUT: _("From the pilot team to everyone who benefits."),
    }
    return Source(
        title=_short(titles[step] % {"title": title}),
        why=_("Use case no. %(rank)d of the focus set. %(why)s")
        % {"rank": rank + 1, "why": whys[step]},
        url=url,
        link_label=_("Use case"),
    )


def _compliance(found: _Collector, focus: list[UseCase]) -> None:
    calendar = found.legal.calendar
    assessments = {
        a.use_case_id: a for a in Assessment.objects.filter(use_case__in=focus).order_by("pk")
    }
    systems: dict[int, list[AISystem]] = {}
    for system in AISystem.objects.filter(use_cases__in=focus).order_by("pk").distinct():
        for use_case_id in system.use_cases.filter(pk__in=[u.pk for u in focus]).values_list(
            "pk", flat=True
        ):
            systems.setdefault(use_case_id, []).append(system)
    facts = PrivacyFacts.objects.filter(organisation=found.tenant.organisation).first()
    for rank, use_case in enumerate(focus):
        pilot_key = f"usecase:{use_case.pk}:pilot"
        before = (pilot_key,) if pilot_key in found.sources else ()
        url = found.url("usecases:detail", use_case.pk)
        assessment = assessments.get(use_case.pk)
        gdpr = None
        if assessment is not None:
            result = compliance_queries.result(assessment)
            gdpr = result.gdpr
            url = found.url("compliance:assessment", assessment.pk)
            for duty in result.classification.duties:
                key = duty.obligation.id
                if key not in calendar.duties or key == LITERACY:
                    continue  # literacy is the whole company's: the competence plan's
                task = engine.duty_task(
                    calendar, key, f"usecase:{use_case.pk}", found.start, priority=60.0 - rank
                )
                found.add(
                    task,
                    Source(
                        title=_short(
                            f"{use_case.title}: {duty.obligation.title.get(found.language)}"
                        ),
                        why=_("%(source)s, applies from %(date)s.")
                        % {
                            "source": calendar.get(key).source,
                            "date": duty.deadline.date.strftime("%d.%m.%Y"),
                        },
                        url=url,
                        link_label=_("AI Act assessment"),
                    ),
                )
        used = systems.get(use_case.pk, [])
        if (
            gdpr is not None
            and gdpr.verdict in DPIA_NEEDED
            and not any(s.dpia_status in (DpiaStatus.DONE, DpiaStatus.NOT_NEEDED) for s in used)
        ):
            _legal(found, "dpia", f"usecase:{use_case.pk}", use_case.title, url, before, rank)
        if gdpr is not None and gdpr.works_council and facts is not None and facts.works_council:
            _legal(
                found, "works_council", f"usecase:{use_case.pk}", use_case.title, url, before, rank
            )
    for system in sorted({s for used in systems.values() for s in used}, key=lambda s: s.pk):
        if (
            system.status == SystemStatus.IN_USE
            and system.dpa_status
            in (
                DpaStatus.MISSING,
                DpaStatus.REQUESTED,
            )
            and system.personal_data
        ):
            _legal(
                found,
                "dpa",
                f"system:{system.pk}",
                system.name,
                found.url("compliance:system", system.pk),
                (),
                0,
            )


def _legal(
    found: _Collector,
    key: str,
    subject: str,
    name: str,
    url: str,
    before: tuple[str, ...],
    rank: int,
) -> None:
    calendar = found.legal.calendar
    task = engine.duty_task(calendar, key, subject, found.start, priority=60.0 - rank)
    if key == LITERACY:  # the rule base's own duty, without a text in the roadmap's content
        title = _("Measures for AI literacy")
        text = _(
            "Everyone who works with AI systems needs sufficient AI literacy; record who is "
            "trained in the literacy records."
        )
    else:
        title = found.legal.titles[key].get(found.language)
        text = found.legal.texts[key].get(found.language)
    found.add(
        task,
        Source(
            title=_short(f"{name}: {title}"),
            why=f"{text} ({calendar.get(key).source})",
            url=url,
            link_label=_("Compliance"),
        ),
    )
    found.first(task.key, before)


def people_skills(organisation: Organisation) -> tuple[list[engine.PersonSkills], dict[int, str]]:
    """The literacy register's people with their training measures and AI systems, and their
    names by id (for the competence plan)."""
    measures: dict[int, list[str]] = {}
    for person_id, measure in TrainingRecord.objects.filter(organisation=organisation).values_list(
        "person_id", "measure"
    ):
        measures.setdefault(person_id, []).append(measure)
    uses: dict[int, list[str]] = {}
    for person_id, system_id in Person.ai_systems.through.objects.filter(
        person__organisation=organisation
    ).values_list("person_id", "aisystem_id"):
        uses.setdefault(person_id, []).append(str(system_id))
    people, names = [], {}
    for pk, level, name in Person.objects.filter(organisation=organisation).values_list(
        "pk", "role_level", "name"
    ):
        skills = engine.PersonSkills(
            str(pk), level, tuple(measures.get(pk, ())), tuple(uses.get(pk, ()))
        )
        people.append(skills)
        names[pk] = name
    return people, names


def _competences(found: _Collector) -> None:
    people, names = people_skills(found.tenant.organisation)
    if not people:
        # Nobody in the literacy register yet: Art. 4 applies all the same.
        url = found.url("compliance:literacy")
        _legal(found, LITERACY, "organisation", found.tenant.organisation.name, url, (), 0)
        return
    url = found.url("compliance:literacy")
    for level in engine.competence_gaps(people, found.competences.needs, found.start):
        for task in level.tasks:
            competence = task.key.rsplit(":", 1)[1]
            status = next(s for s in level.competences if s.competence.key == competence)
            lacking = [names[int(k)] for k in status.lacks if int(k) in names]
            found.add(
                task,
                Source(
                    title=_short(
                        _("Training: %(competence)s (%(level)s)")
                        % {
                            "competence": found.competences.names[competence].get(found.language),
                            "level": RoleLevel(level.level).label,
                        }
                    ),
                    why=_short(_("Without it: %(people)s.") % {"people": ", ".join(lacking)}, 600),
                    url=url,
                    link_label=_("AI literacy"),
                ),
            )


def _people(found: _Collector) -> None:
    """The communication plan's open steps and the themes of the latest staff pulse."""
    plan = found.url("people:communication")
    week = datetime.timedelta(days=6)
    for item in CommunicationItem.objects.filter(
        organisation=found.tenant.organisation, done_on__isnull=True
    ).order_by("due_on", "pk"):
        due = item.due_on
        found.add(
            engine.Task(
                key=f"people:communication:{item.pk}",
                kind=COMMUNICATION_KINDS.get(item.kind, engine.Kind.ACTION),
                # A date to keep, in the week it is due; no deadline: the roadmap reads one as
                # a legal date.
                milestone=True,
                earliest=due - week,
                priority=90.0,
            ),
            Source(
                title=_short(
                    _("Tell %(who)s: %(kind)s")
                    % {"who": item.audience, "kind": CommunicationKind(item.kind).label}
                ),
                why=_short(
                    _("Communication plan, by %(date)s (%(channel)s): %(message)s")
                    % {
                        "date": formats.date_format(due, "SHORT_DATE_FORMAT"),
                        "channel": item.get_channel_display(),
                        "message": item.message,
                    },
                    600,
                ),
                url=plan,
                link_label=_("Communication plan"),
            ),
        )
    results = people_queries.latest_results(found.tenant)
    if results is None or not results.shown:
        return
    pulse = results.pulse
    url = found.url("people:results", pulse.pk)
    label = _("Pulse results")
    for rank, theme in enumerate(results.themes):
        kind = THEME_KINDS.get(theme.key, engine.Kind.ACTION)
        default = found.sequencing.defaults.get(kind) or found.default(engine.Kind.ACTION)
        found.add(
            engine.Task(
                key=f"people:theme:{theme.key}",
                kind=kind,
                effort=default.effort,
                weeks=default.weeks,
                priority=95.0 - rank,
            ),
            Source(
                title=_short(theme.words.roadmap.get(found.language)),
                why=_short(
                    _("Staff pulse “%(pulse)s”: %(theme)s. %(why)s")
                    % {
                        "pulse": pulse.title,
                        "theme": theme.words.title.get(found.language),
                        "why": theme.words.why.get(found.language),
                    },
                    600,
                ),
                url=url,
                link_label=label,
            ),
        )


# The proposal ------------------------------------------------------------------------------------


def limits_of(settings: Settings) -> engine.Limits:
    return engine.Limits(
        start=settings.start,
        capacity=float(settings.capacity),
        budget=float(settings.budget) if settings.budget is not None else None,
    )


def proposals(
    tenant: Tenant, language: str, settings: Settings
) -> tuple[list[Proposal], list[tuple[Dismissal, Source | None]]]:
    """The proposals not yet accepted or dismissed, placed around the items already on the
    roadmap (which keep their dates), and the dismissed ones with their source."""
    gathered = gather(tenant, language, settings.start)
    items = list(Item.objects.filter(organisation=tenant.organisation))
    accepted = {i.source_key: i for i in items if i.source_key}
    dismissed = list(Dismissal.objects.filter(organisation=tenant.organisation).order_by("pk"))
    skipped = set(accepted) | {d.source_key for d in dismissed}
    fixed = [
        engine.Task(
            key=f"item:{i.pk}",
            kind=KINDS.get(i.kind, engine.Kind.ACTION),  # "other" plans like a first step
            effort=float(i.effort) if i.done_on is None else 0.0,
            cost=float(i.cost) if i.done_on is None else 0.0,
            fixed=(i.start, i.end),
            milestone=i.milestone,
        )
        for i in items
    ]
    open_tasks = []
    for task in gathered.tasks:
        if task.key in skipped:
            continue
        # A dependency already on the roadmap: the item; one dismissed: none.
        needs = tuple(
            f"item:{accepted[k].pk}" if k in accepted else k
            for k in task.depends_on
            if k in accepted or (k in gathered.sources and k not in skipped)
        )
        open_tasks.append(replace(task, depends_on=needs))
    plan = engine.schedule([*fixed, *open_tasks], limits_of(settings))
    placed = {p.key: p for p in plan.placements}
    found = [Proposal(t, placed[t.key], gathered.sources[t.key]) for t in open_tasks]
    found.sort(key=lambda p: (p.placement.start, p.key))
    return found, [(d, gathered.sources.get(d.source_key)) for d in dismissed]


def item_from(proposal: Proposal) -> Item:
    """The roadmap item a proposal becomes when accepted (unsaved)."""
    task = proposal.task
    return Item(
        kind=Kind(task.kind.value),
        title=proposal.source.title,
        why=_short(proposal.source.why, 2000),
        source_key=task.key,
        start=proposal.placement.start,
        end=proposal.placement.end,
        effort=Decimal(str(round(task.effort, 1))),
        cost=Decimal(str(round(task.cost, 2))),
        milestone=task.milestone,
        deadline=task.deadline,
    )


def source_links(tenant: Tenant, items: Iterable[Item]) -> dict[int, str]:
    """Where each accepted item came from (empty for an item added by hand)."""
    slug = tenant.organisation.slug
    links: dict[int, str] = {}
    resolvers: dict[str, Callable[[list[str]], str]] = {
        "usecase": lambda parts: reverse("usecases:detail", args=[slug, int(parts[1])]),
        "readiness": lambda _parts: reverse("readiness:rounds", kwargs={"org_slug": slug}),
        "competence": lambda _parts: reverse("compliance:literacy", kwargs={"org_slug": slug}),
        "people": lambda parts: reverse(
            "people:communication" if parts[1] == "communication" else "people:list",
            kwargs={"org_slug": slug},
        ),
        "compliance": lambda parts: (
            reverse("usecases:detail", args=[slug, int(parts[2])])
            if parts[1] == "usecase"
            else reverse("compliance:system", args=[slug, int(parts[2])])
        ),
    }
    for item in items:
        parts = item.source_key.split(":")
        if parts[0] in resolvers:
            try:
                links[item.pk] = resolvers[parts[0]](parts)
            except (ValueError, IndexError):
                continue
    return links
