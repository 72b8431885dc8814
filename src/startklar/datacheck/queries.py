"""Every read the data check's pages show: one page query per screen, each a frozen dataclass.

A check's page words its stored profile (codes and counts, ``engine.Profile``) for people: what
is wrong in plain words, a table of the columns, and for every use case the source is meant for
whether the data is enough (the fitness rules, evaluated when the page is read: they are cheap,
and an answer given later counts at once)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from startklar.compliance.models import Assessment
from startklar.core.charts import CONFIG, TOOLTIP_HEADING
from startklar.core.deletion import Confirmation, preview
from startklar.organisations.tenancy import Tenant
from startklar.usecases.content import load_catalogue
from startklar.usecases.models import UseCase

from . import content, labels, wording
from .engine import facts as engine_facts
from .engine import fitness
from .engine.model import ColumnProfile, Profile
from .models import UNDER_WAY, Answer, DataCheck, DataSource, Status
from .services import lease

# The compliance screening's question whether personal data is processed (its content's id).
PERSONAL_DATA_QUESTION = "personal_data"


def url(tenant: Tenant, name: str, *args: object) -> str:
    return reverse(f"datacheck:{name}", args=[tenant.organisation.slug, *args])


def profile_of(check: DataCheck) -> Profile | None:
    if check.status != Status.DONE or not check.profile:
        return None
    try:
        return Profile.from_dict(check.profile)
    except ValueError:
        return None  # a profile of an engine this version cannot read (never written so)


# A check in a list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRow:
    id: int
    file_name: str
    size: int
    requested_at: datetime.datetime
    status: str  # "queued", "running", "done", "failed" (a run past its lease: failed)
    status_name: str
    failure: str  # why it failed, in words
    rows: int | None
    columns: int | None
    problems: int | None
    personal: int | None  # columns with personal data
    url: str
    scores: str = ""  # the use cases' data-check scores, in words (on the source's page)

    @property
    def under_way(self) -> bool:
        return self.status in UNDER_WAY


def _status(check: DataCheck, now: datetime.datetime) -> tuple[str, str]:
    started = check.started_at
    if check.status == Status.RUNNING and started and started + lease() < now:
        return Status.FAILED, "timed_out"
    return str(check.status), check.failure


def check_row(
    tenant: Tenant,
    check: DataCheck,
    now: datetime.datetime,
    profile: Profile | None = None,
    scores: str = "",
) -> CheckRow:
    status, failure = _status(check, now)
    profile = profile or profile_of(check)
    return CheckRow(
        id=check.pk,
        file_name=check.file_name,
        size=check.size,
        requested_at=check.requested_at,
        status=status,
        status_name=str(Status(status).label),
        failure=labels.word(labels.FAILURES, failure) if status == Status.FAILED else "",
        rows=profile.rows if profile else None,
        columns=len(profile.columns) if profile else None,
        problems=len(wording.findings(profile)) if profile else None,
        personal=len(profile.personal_columns) if profile else None,
        url=url(tenant, "check", check.pk),
        scores=scores,
    )


# The list of sources -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    id: int
    name: str
    description: str
    use_cases: tuple[str, ...]
    checks: int
    latest: CheckRow | None
    url: str


@dataclass(frozen=True)
class ListPage:
    sources: tuple[SourceRow, ...]


def list_page(tenant: Tenant, now: datetime.datetime) -> ListPage:
    sources = list(tenant.scoped(DataSource.objects))
    ids = [s.pk for s in sources]
    latest: dict[int, DataCheck] = {}
    counts: dict[int, int] = {}
    for check in DataCheck.objects.filter(source_id__in=ids).order_by("-requested_at", "-pk"):
        latest.setdefault(check.source_id, check)
        counts[check.source_id] = counts.get(check.source_id, 0) + 1
    linked: dict[int, list[UseCase]] = {}
    links = DataSource.use_cases.through.objects.filter(datasource_id__in=ids)
    for link in links.select_related("usecase").order_by("usecase__title", "usecase_id"):
        linked.setdefault(link.datasource_id, []).append(link.usecase)
    answers = _answers(tenant.organisation.pk, [uc.pk for ucs in linked.values() for uc in ucs])
    rows = []
    for s in sources:
        use_cases = linked.get(s.pk, [])
        newest = latest.get(s.pk)
        profile = profile_of(newest) if newest is not None else None
        scores = _scores(use_cases, [profile], answers)[0] if profile is not None else {}
        text = _scores_text(scores, {uc.pk: uc.title for uc in use_cases})
        rows.append(
            SourceRow(
                id=s.pk,
                name=s.name,
                description=s.description,
                use_cases=tuple(uc.title for uc in use_cases),
                checks=counts.get(s.pk, 0),
                latest=check_row(tenant, newest, now, profile, text) if newest else None,
                url=url(tenant, "source", s.pk),
            )
        )
    return ListPage(sources=tuple(rows))


# A source and its checks -------------------------------------------------------------------------


@dataclass(frozen=True)
class SourcePage:
    source: DataSource
    use_cases: tuple[str, ...]
    checks: tuple[CheckRow, ...]
    chart: dict[str, Any] | None  # the use cases' scores over the checks, once there are two


HISTORY = 24  # the latest checks a source's chart shows


def _technique(use_case: UseCase) -> str | None:
    """The technique of the use case's catalogue entry, whose rules apply without its own."""
    entry = load_catalogue().entry(use_case.catalogue_id) if use_case.catalogue_id else None
    return str(entry.technique.value) if entry is not None else None


def _answers(organisation_id: int, use_case_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    answers: dict[int, dict[str, str]] = {}
    for use_case_id, key, choice in Answer.objects.filter(
        organisation_id=organisation_id, use_case__in=list(use_case_ids)
    ).values_list("use_case_id", "rule_key", "answer"):
        answers.setdefault(use_case_id, {})[key] = choice
    return answers


def _scores(
    use_cases: Sequence[UseCase],
    profiles: Sequence[Profile],
    answers: dict[int, dict[str, str]],
) -> list[dict[int, int | None]]:
    """For each profile the use cases' data-check scores (with today's ``answers``)."""
    rules = content.load_rules()
    techniques = {use_case.pk: _technique(use_case) for use_case in use_cases}
    found = []
    for profile in profiles:
        facts = engine_facts.facts_from(profile)
        found.append(
            {
                uc.pk: fitness.evaluate(
                    rules.rule_set,
                    uc.catalogue_id or None,
                    techniques[uc.pk],
                    facts,
                    answers.get(uc.pk, {}),
                ).score
                for uc in use_cases
            }
        )
    return found


def source_page(tenant: Tenant, source: DataSource, now: datetime.datetime) -> SourcePage:
    stored = list(DataCheck.objects.filter(source=source).order_by("-requested_at", "-pk"))
    profiles = [profile_of(c) for c in stored]
    use_cases = list(source.use_cases.order_by("title"))
    done = [(c, p) for c, p in zip(stored, profiles, strict=True) if p is not None]
    scores = dict(
        zip(
            [c.pk for c, _p in done],
            _scores(
                use_cases,
                [p for _c, p in done],
                _answers(tenant.organisation.pk, [uc.pk for uc in use_cases]),
            ),
            strict=True,
        )
    )
    titles = {uc.pk: uc.title for uc in use_cases}
    checks = [
        check_row(tenant, c, now, p, _scores_text(scores.get(c.pk, {}), titles))
        for c, p in zip(stored, profiles, strict=True)
    ]
    history = [(row, scores[row.id]) for row in checks if row.id in scores][:HISTORY]
    history.reverse()  # oldest first
    return SourcePage(
        source=source,
        use_cases=tuple(titles.values()),
        checks=tuple(checks),
        chart=_history_chart(history, titles) if len(history) >= 2 else None,
    )


def _scores_text(scores: dict[int, int | None], titles: dict[int, str]) -> str:
    parts = [
        _("%(use_case)s: %(score)s of 100") % {"use_case": titles[pk], "score": score}
        for pk, score in scores.items()
        if score is not None
    ]
    return "; ".join(parts)


def _history_chart(
    history: Sequence[tuple[CheckRow, dict[int, int | None]]], titles: dict[int, str]
) -> dict[str, Any]:
    """Each use case's data-check score per check, oldest first: does the source get better?
    Without a use case to score against, the problems found per check."""
    when = [
        formats.date_format(timezone.localtime(row.requested_at), "SHORT_DATE_FORMAT")
        for row, _scores in history
    ]
    scored = [
        {
            "when": f"{n + 1}. {label}",
            "use_case": titles[pk],
            "score": score,
            "file": row.file_name,
        }
        for n, ((row, scores), label) in enumerate(zip(history, when, strict=True))
        for pk, score in scores.items()
        if score is not None
    ]
    x = {"field": "when", "type": "ordinal", "title": None, "sort": None, "axis": {"labelAngle": 0}}
    if scored:
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "config": CONFIG,
            "width": "container",
            "height": 180,
            "data": {"values": scored},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": x,
                "y": {
                    "field": "score",
                    "type": "quantitative",
                    "title": _("Data check (0–100)"),
                    "scale": {"domain": [0, 100]},
                },
                "color": {
                    "field": "use_case",
                    "type": "nominal",
                    "title": None,
                    "legend": {"orient": "bottom", "labelLimit": 320},
                },
                "tooltip": [
                    {"field": "file", "type": "nominal", "title": TOOLTIP_HEADING},
                    {"field": "use_case", "type": "nominal", "title": _("Use case")},
                    {"field": "score", "type": "quantitative", "title": _("Data check (0–100)")},
                ],
            },
        }
    values = [
        {"when": f"{n + 1}. {label}", "problems": row.problems, "file": row.file_name}
        for n, ((row, _scores), label) in enumerate(zip(history, when, strict=True))
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": CONFIG,
        "width": "container",
        "height": 160,
        "data": {"values": values},
        "mark": {"type": "line", "point": True, "color": "#0b5d7a"},
        "encoding": {
            "x": x,
            "y": {
                "field": "problems",
                "type": "quantitative",
                "title": _("Problems found"),
                "axis": {"tickMinStep": 1},
            },
            "tooltip": [
                {"field": "file", "type": "nominal", "title": TOOLTIP_HEADING},
                {"field": "problems", "type": "quantitative", "title": _("Problems found")},
            ],
        },
    }


# The check's page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnRow:
    name: str
    type_name: str
    formats: str
    mixed: bool
    missing: int
    missing_percent: str
    distinct: int
    top: str
    span: str  # smallest – largest value
    personal: str  # what personal data it holds, in words ("" for none)
    outliers: int


@dataclass(frozen=True)
class Line:
    """One rule of a use case's data prerequisites with its result."""

    key: str
    text: str
    state: str
    state_name: str
    evidence: str
    question: str  # for a rule that is asked, not profiled
    answer: str


@dataclass(frozen=True)
class Privacy:
    """What the file's personal data means for a use case's GDPR screening."""

    text: str  # "Personal data: yes – found in the columns …"
    url: str  # the use case's assessment, or the compliance overview to start one
    link: str
    conflict: str  # the screening says "no personal data" although the file has some


@dataclass(frozen=True)
class UseCaseFitness:
    id: int
    title: str
    url: str
    score: int | None
    lines: tuple[Line, ...]
    rules_from: str  # whose rules: the use case's own, its technique's, none
    privacy: Privacy | None = None  # only for a file with personal data


@dataclass(frozen=True)
class CheckPage:
    check: CheckRow
    source: DataSource
    profile: Profile | None
    read_as: str  # how the file was read, in words
    sheets: tuple[str, ...]
    findings: tuple[wording.Finding, ...]
    columns: tuple[ColumnRow, ...]
    fitness: tuple[UseCaseFitness, ...]
    missing_chart: dict[str, Any] | None


def _read_as(profile: Profile) -> str:
    sniffed = profile.sniffed
    if sniffed.kind == "xlsx":
        return _("Excel workbook, sheet “%(sheet)s”") % {"sheet": sniffed.sheet}
    return _("CSV, %(encoding)s, separated by %(delimiter)s") % {
        "encoding": sniffed.encoding.upper(),
        "delimiter": labels.word(labels.DELIMITERS, sniffed.delimiter),
    }


def _column_row(column: ColumnProfile, rows: int) -> ColumnRow:
    top = ", ".join(f"{value} ({wording.count(n)})" for value, n in column.top)
    return ColumnRow(
        name=column.name,
        type_name=labels.word(labels.TYPES, column.inferred),
        formats=wording.formats_text(column),
        mixed=column.mixed,
        missing=column.missing,
        missing_percent=wording.percent(column.missing / rows) if rows else "–",
        distinct=column.distinct,
        top=top,
        span=wording.span(column),
        personal=wording.personal_text(column),
        outliers=column.outliers,
    )


def _missing_chart(profile: Profile) -> dict[str, Any] | None:
    if not profile.rows or not profile.columns:
        return None
    values = [
        {
            "column": f"{c.position + 1:03d} {c.name}",
            "name": c.name,
            "missing": c.missing / profile.rows,
        }
        for c in profile.columns
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": CONFIG,
        "width": "container",
        "height": {"step": 22},
        "data": {"values": values},
        "mark": {"type": "bar", "color": "#b35c00", "cornerRadiusEnd": 2},
        "encoding": {
            "y": {
                "field": "column",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelExpr": "substring(datum.label, 4)", "labelLimit": 160},
            },
            "x": {
                "field": "missing",
                "type": "quantitative",
                "title": _("Share of missing values"),
                "scale": {"domain": [0, 1]},
                "axis": {"format": ".0%", "tickCount": 4},
            },
            "tooltip": [
                {"field": "name", "type": "nominal", "title": TOOLTIP_HEADING},
                {
                    "field": "missing",
                    "type": "quantitative",
                    "format": ".1%",
                    "title": _("missing"),
                },
            ],
        },
    }


def _privacy(
    tenant: Tenant, use_cases: Sequence[UseCase], profile: Profile | None
) -> dict[int, Privacy]:
    """For a file with personal data, each use case's line to its GDPR screening."""
    if profile is None or not profile.personal_columns:
        return {}
    columns = ", ".join(wording.quoted(name) for name in profile.personal_columns)
    text = _("Personal data: yes – found in the columns %(columns)s.") % {"columns": columns}
    slug = tenant.organisation.slug
    screened = {
        use_case_id: (pk, answers)
        for use_case_id, pk, answers in Assessment.objects.filter(
            organisation=tenant.organisation, use_case__in=[uc.pk for uc in use_cases]
        ).values_list("use_case_id", "pk", "answers")
    }
    found = {}
    for use_case in use_cases:
        if use_case.pk in screened:
            pk, answers = screened[use_case.pk]
            said = answers.get(PERSONAL_DATA_QUESTION) if isinstance(answers, dict) else None
            found[use_case.pk] = Privacy(
                text=text,
                url=reverse("compliance:assessment", args=[slug, pk]),
                link=_("Open the use case's GDPR screening"),
                conflict=_(
                    "Its GDPR screening says the use case processes no personal data: "
                    "please check that answer."
                )
                if said == "no"
                else "",
            )
        else:
            found[use_case.pk] = Privacy(
                text=text,
                url=reverse("compliance:overview", args=[slug]) + f"#use-case-{use_case.pk}",
                link=_("Start the use case's GDPR screening"),
                conflict="",
            )
    return found


def use_case_fitness(
    tenant: Tenant, use_cases: Sequence[UseCase], profile: Profile | None, language: str
) -> list[UseCaseFitness]:
    rules = content.load_rules()
    facts = engine_facts.facts_from(profile) if profile is not None else None
    answers = _answers(tenant.organisation.pk, [uc.pk for uc in use_cases])
    result = []
    sources = {
        fitness.FROM_USE_CASE: _("the use case's own prerequisites"),
        fitness.FROM_TECHNIQUE: _("the prerequisites of its technique"),
        fitness.FROM_NOTHING: _("no prerequisites known"),
    }
    privacy = _privacy(tenant, use_cases, profile)
    for use_case in use_cases:
        given = answers.get(use_case.pk, {})
        found = fitness.evaluate(
            rules.rule_set, use_case.catalogue_id or None, _technique(use_case), facts, given
        )
        lines = tuple(
            Line(
                key=c.key,
                text=rules.texts[c.key].get(language),
                state=c.state,
                state_name=labels.word(labels.STATES, c.state),
                evidence=wording.evidence(c),
                question=rules.questions[c.key].get(language) if c.key in rules.questions else "",
                answer=given.get(c.key, ""),
            )
            for c in found.checks
        )
        result.append(
            UseCaseFitness(
                id=use_case.pk,
                title=use_case.title,
                url=reverse("usecases:detail", args=[tenant.organisation.slug, use_case.pk]),
                score=found.score,
                lines=lines,
                rules_from=str(sources.get(found.source, "")),
                privacy=privacy.get(use_case.pk),
            )
        )
    return result


def latest_checks(organisation_id: int, use_case_ids: Sequence[int]) -> dict[int, DataCheck]:
    """For each use case the latest finished check of a source linked to it (one query)."""
    latest: dict[int, DataCheck] = {}
    checks = (
        DataCheck.objects.filter(
            organisation_id=organisation_id,
            status=Status.DONE,
            source__use_cases__in=list(use_case_ids),
        )
        .select_related("source")
        .annotate(linked_use_case=F("source__use_cases"))
        .order_by("-requested_at", "-pk")
    )
    for check in checks:
        latest.setdefault(check.linked_use_case, check)
    return latest


def latest_fitness(
    organisation_id: int, use_cases: Sequence[UseCase]
) -> dict[int, tuple[DataCheck, int | None]]:
    """For each use case with a checked source: its latest check and the data-check score
    (None: nothing checkable), read in a fixed number of queries however many there are."""
    latest = latest_checks(organisation_id, [uc.pk for uc in use_cases])
    answers = _answers(organisation_id, [uc.pk for uc in use_cases])  # a query however many
    profiles: dict[int, Profile | None] = {}
    found: dict[int, tuple[DataCheck, int | None]] = {}
    for use_case in use_cases:
        check = latest.get(use_case.pk)
        if check is None:
            continue
        if check.pk not in profiles:
            profiles[check.pk] = profile_of(check)
        profile = profiles[check.pk]
        score = _scores([use_case], [profile], answers)[0][use_case.pk] if profile else None
        found[use_case.pk] = (check, score)
    return found


def data_scores(organisation_id: int, use_case_ids: Sequence[int]) -> dict[int, int | None]:
    """Each use case's data-check score (0–100) from the latest check of its sources; None
    where no check says anything (no source, or nothing checkable)."""
    use_cases = UseCase.objects.filter(organisation_id=organisation_id, pk__in=list(use_case_ids))
    found = latest_fitness(organisation_id, list(use_cases.only("pk", "catalogue_id")))
    return {pk: found[pk][1] if pk in found else None for pk in use_case_ids}


def check_page(
    tenant: Tenant, check: DataCheck, language: str, now: datetime.datetime
) -> CheckPage:
    profile = profile_of(check)
    source = check.source
    use_cases = list(source.use_cases.order_by("title"))
    return CheckPage(
        check=check_row(tenant, check, now),
        source=source,
        profile=profile,
        read_as=_read_as(profile) if profile else "",
        sheets=profile.sniffed.sheets if profile else (),
        findings=tuple(wording.findings(profile)) if profile else (),
        columns=tuple(_column_row(c, profile.rows) for c in profile.columns) if profile else (),
        fitness=tuple(use_case_fitness(tenant, use_cases, profile, language)) if profile else (),
        missing_chart=_missing_chart(profile) if profile else None,
    )


def deletion(tenant: Tenant, obj: DataSource | DataCheck) -> Confirmation:
    deleted, unlinked = preview(obj)
    if isinstance(obj, DataSource):
        return Confirmation(
            title=_("Delete data source"),
            name=obj.name,
            consequences=deleted,
            unlinked=unlinked,
            kept=(_("The use cases stay."),),
            action_url=url(tenant, "source_delete", obj.pk),
            cancel_url=url(tenant, "source", obj.pk),
            button=_("Delete data source for good"),
        )
    return Confirmation(
        title=_("Delete data check"),
        name=obj.file_name,
        consequences=deleted,
        unlinked=unlinked,
        kept=(_("The data source and its other checks stay."),),
        action_url=url(tenant, "check_delete", obj.pk),
        cancel_url=url(tenant, "check", obj.pk),
        button=_("Delete check for good"),
    )
