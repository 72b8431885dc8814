"""Everything the management report prints, read through the features' page queries.

The report is a list of sections (:data:`SECTIONS`), each a function of a :class:`Context` that
returns a :class:`Part`: its section (None while it has nothing to show), what is missing for it
and the content versions it used. Adding a section is one such function added
to :data:`SECTIONS`, and, if it wants a layout of its own, one entry under its key in the
template's ``layouts`` (``report.typ``); the generic blocks need none.

Numbers are formatted with the pages' filters (``core.templatetags.startklar``), in the
language the caller chose; user text is cleaned (control characters, length) but never
interpreted: the template receives it as data.
"""

from __future__ import annotations

import copy
import datetime
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from startklar.businesscase import queries as businesscase
from startklar.businesscase.queries import ENGINE_VERSION as BUSINESSCASE_VERSION
from startklar.compliance import queries as compliance
from startklar.compliance.engine import RiskLabel
from startklar.compliance.labels import DPIA_VERDICTS, risk_labels
from startklar.compliance.models import Assessment, DpaStatus
from startklar.core import labels
from startklar.core.templatetags.startklar import money, number, percent
from startklar.organisations import queries as organisations
from startklar.organisations.tenancy import Tenant
from startklar.pilots import dashboard
from startklar.pilots import queries as pilots
from startklar.pilots.models import PilotStatus
from startklar.readiness import queries as readiness
from startklar.roadmap import queries as roadmap
from startklar.roadmap.content import CURRENT_VERSION as ROADMAP_VERSION
from startklar.roadmap.models import Item as RoadmapItem
from startklar.usecases import queries as usecases
from startklar.usecases.content import CURRENT_VERSION as CRITERIA_VERSION

from .model import (
    Action,
    Block,
    Bullets,
    Chart,
    Facts,
    FocusLine,
    Heading,
    Missing,
    Paragraph,
    Report,
    Section,
    Summary,
    Table,
    Version,
)

TITLE_LENGTH = 160  # user text longer than this is cut (with "…")
TEXT_LENGTH = 600
KPI_CHARTS_PER_PILOT = 2  # KPI charts of a running pilot (the table lists every KPI)
SUMMARY_LINES = 4  # next steps and decisions on the summary page
SUMMARY_TITLE = 90  # a use case's title on the summary page (which must stay one page)
HURDLES_IN_DETAIL = 5  # with their actions; further ones by title
# Rows of one printed Gantt chart: a longer roadmap is printed as several charts of equal
# length on the same time axis, each on a page of its own with its rows at the page's size.
GANTT_ROWS = 30
GANTT_LABEL = 38  # characters of an item's title on the printed chart's axis
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def clean(text: object, limit: int = TITLE_LENGTH) -> str:
    """User text as printed: control characters removed, white space collapsed, cut to
    ``limit`` characters. Never interpreted: the template shows it as text."""
    found = _CONTROL.sub(" ", "" if text is None else str(text))
    found = " ".join(found.split())
    if len(found) > limit:
        found = found[: limit - 1].rstrip() + "…"
    return found


def day(value: datetime.date) -> str:
    """A date as the pages show it (``SHORT_DATE_FORMAT``: 13.12.2026 / 13/12/2026)."""
    return str(formats.date_format(value, "SHORT_DATE_FORMAT"))


def _month(month: int | None) -> str:
    if month is None:
        return _("not within the horizon")
    return _("month %(month)s") % {"month": month}


@dataclass(frozen=True)
class Part:
    section: Section | None
    missing: tuple[Missing, ...] = ()
    versions: tuple[Version, ...] = ()


@dataclass
class Context:
    """The organisation, the language, the day, and the page queries several parts share
    (each read once)."""

    tenant: Tenant
    language: str
    today: datetime.date
    notes: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def overview(self) -> organisations.Overview:
        return organisations.overview(self.tenant)

    @cached_property
    def rounds(self) -> list[readiness.TrendPoint]:
        """The latest two rounds with results, latest first."""
        return readiness.latest(self.tenant, 2)

    @cached_property
    def results(self) -> readiness.ResultsPage | None:
        if not self.rounds:
            return None
        page = readiness.results_page(self.tenant, self.rounds[0].round, self.language)
        return page if page.result is not None else None

    @cached_property
    def portfolio(self) -> usecases.PortfolioPage:
        return usecases.portfolio_page(self.tenant)

    @cached_property
    def focus(self) -> tuple[usecases.Row[usecases.Listed], ...]:
        return self.portfolio.portfolio.focus

    @cached_property
    def comparison(self) -> list[businesscase.ComparisonRow]:
        return businesscase.comparison(self.tenant)

    @cached_property
    def cases(self) -> dict[int, businesscase.ComparisonRow]:
        """The comparison's rows with a business case, by use case."""
        return {r.use_case.pk: r for r in self.comparison if r.case is not None}

    @cached_property
    def compliance_page(self) -> compliance.OverviewPage:
        return compliance.overview_page(self.tenant)

    @cached_property
    def register(self) -> compliance.RegisterPage:
        return compliance.register_page(self.tenant)

    @cached_property
    def pilot_list(self) -> pilots.PilotList:
        return pilots.pilot_list(self.tenant)

    @cached_property
    def plan(self) -> roadmap.Plan:
        """The roadmap page's query (its rows, phases, next 90 days and Gantt chart)."""
        return roadmap.plan(self.tenant, self.today)

    @cached_property
    def gates(self) -> dict[int, pilots.PilotPage]:
        """The page query of every active pilot (its scale decision's evidence)."""
        return {r.pilot.pk: pilots.pilot_page(self.tenant, r.pilot) for r in self.pilot_list.active}


def _where(*path: str) -> str:
    return " → ".join(["Startklar", *path])


# Readiness ---------------------------------------------------------------------------------


def _readiness_missing() -> Missing:
    return Missing(
        _("No readiness check with results yet: stage, trend and hurdles are unknown."),
        _where(_("Readiness"), _("start a round and let the team answer")),
    )


def _score(value: float | None) -> str:
    return "–" if value is None else number(value)


def _stage_line(ctx: Context) -> tuple[str, str]:
    """Stage and score of the latest round, and the change since the one before (the
    overview's headline in words)."""
    if not ctx.rounds:
        return _("No readiness check with results yet."), ""
    scores = ctx.rounds[0].assessment
    stage = scores.stage.name.get(ctx.language) if scores.stage else _("no stage yet")
    line = _("%(stage)s · %(score)s of 100 points") % {
        "stage": stage,
        "score": _score(scores.overall),
    }
    trend = ""
    if len(ctx.rounds) > 1 and ctx.rounds[1].assessment.overall is not None and scores.overall:
        change = scores.overall - ctx.rounds[1].assessment.overall
        trend = _("%(change)s points since “%(title)s”") % {
            "change": f"{'+' if change >= 0 else '−'}{number(abs(change))}",
            "title": clean(ctx.rounds[1].round.title),
        }
    return line, trend


def readiness_part(ctx: Context) -> Part:
    page = ctx.results
    if page is None or page.result is None:
        return Part(None, (_readiness_missing(),))
    round_ = page.view.round
    line, trend = _stage_line(ctx)
    blocks: list[Block] = [
        Facts(
            (
                (_("Stage and score"), line),
                (_("Change since the round before"), trend or _("first round with results")),
                (_("Latest round"), clean(round_.title)),
                (
                    _("Answered by"),
                    number(sum(1 for p in page.view.progress if p.respondent.submitted_at)),
                ),
            )
        )
    ]
    if page.radar is not None:
        blocks.append(
            Chart(
                page.radar,
                _(
                    "Radar chart: the score of each dimension from 0 to 100 in the latest "
                    "round, compared with the round before. The table lists the same values."
                ),
            )
        )
    rows = tuple(
        (clean(d.name), _score(d.median), f"{_score(d.low)} – {_score(d.high)}")
        for d in page.dimensions
    )
    blocks.append(
        Table(
            (_("Dimension"), _("Score (0–100)"), _("Range of the answers")),
            rows,
            (False, True, True),
            (2.2, 1, 1.2),
        )
    )
    rounds_page = readiness.rounds_page(ctx.tenant, ctx.language)
    if rounds_page.trend is not None:
        blocks.append(Heading(_("Development over the rounds")))
        blocks.append(
            Chart(
                rounds_page.trend,
                _("Line chart: the score of each dimension in every round with results."),
            )
        )
    versions = (Version(_("Question bank of the readiness check"), round_.bank_version),)
    return Part(
        Section(
            "readiness",
            _("Readiness"),
            _(
                "How ready the company is for AI, from the answers of the team's latest readiness "
                "check. Scores run from 0 to 100; the stage names where the company stands."
            ),
            tuple(blocks),
        ),
        versions=versions,
    )


def hurdles_part(ctx: Context) -> Part:
    page = ctx.results
    if page is None:
        return Part(None)  # said once, by the readiness part
    findings = page.findings + page.more_findings
    detailed, others = findings[:HURDLES_IN_DETAIL], findings[HURDLES_IN_DETAIL:]
    if not findings:
        return Part(
            Section(
                "hurdles",
                _("Hurdles and actions"),
                _("The latest readiness check found no hurdle."),
                (),
            )
        )
    blocks: list[Block] = []
    for finding in detailed:
        blocks.append(
            Heading(
                _("%(title)s (%(severity)s priority, %(area)s)")
                % {
                    "title": finding.title,
                    "severity": finding.severity_label,
                    "area": finding.area_label,
                }
            )
        )
        blocks.append(Paragraph(finding.explanation))
        blocks.extend(Action(a.what, a.who, a.first_step) for a in finding.actions)
    if others:
        blocks.append(Heading(_("Further hurdles")))
        blocks.append(
            Bullets(
                tuple(
                    _("%(title)s (%(severity)s priority)")
                    % {"title": f.title, "severity": f.severity_label}
                    for f in others
                )
            )
        )
        blocks.append(
            Paragraph(
                _("Their actions are on the results page of the readiness check in Startklar."),
                "muted",
            )
        )
    return Part(
        Section(
            "hurdles",
            _("Hurdles and actions"),
            _(
                "What holds the company back according to the readiness check, most urgent first, "
                "each with actions: what to do, who does it, and the first step."
            ),
            tuple(blocks),
        )
    )


# Portfolio ---------------------------------------------------------------------------------


def _value(value: float | None) -> str:
    return "–" if value is None else number(value)


def portfolio_part(ctx: Context) -> Part:
    page = ctx.portfolio
    rows = page.portfolio.rows
    if not any(r.candidate for r in rows):
        return Part(
            None,
            (
                Missing(
                    _(
                        "No active use case is scored yet: the portfolio and the focus set "
                        "are empty."
                    ),
                    _where(_("Use cases"), _("add use cases and score value and feasibility")),
                ),
            ),
        )
    focus = {r.use_case.pk for r in ctx.focus}
    blocks: list[Block] = []
    if page.matrix is not None:
        blocks.append(
            Chart(
                page.matrix,
                _(
                    "Portfolio matrix: value against feasibility of each active use case, the "
                    "bubble size is the estimated cost. The table lists the same values."
                ),
            )
        )
    blocks.append(
        Paragraph(
            _(
                "★ marks the recommended focus set: quick wins first, then strategic levers. "
                "Value and feasibility run from 0 to 100."
            ),
            "muted",
        )
    )
    table_rows = []
    for r in rows:
        mark = " ★" if r.use_case.pk in focus else ""
        table_rows.append(
            (
                clean(r.use_case.title) + mark,
                r.use_case.get_status_display(),
                _value(r.value),
                _value(r.feasibility),
                labels.label(r.quadrant) if r.quadrant else "–",
                money(r.use_case.estimated_cost, 0),
            )
        )
    blocks.append(
        Table(
            (
                _("Use case"),
                _("Status"),
                _("Value"),
                _("Feasibility"),
                _("Quadrant"),
                _("Estimated cost"),
            ),
            tuple(table_rows),
            (False, False, True, True, False, True),
            (3, 1.3, 0.9, 1.1, 1.5, 1.3),
        )
    )
    return Part(
        Section(
            "portfolio",
            _("Use-case portfolio"),
            _("The active use cases by value and feasibility, and the focus set that follows."),
            tuple(blocks),
        ),
        versions=(Version(_("Criteria of the use-case scoring"), CRITERIA_VERSION),),
    )


# Business cases ----------------------------------------------------------------------------


def business_cases_part(ctx: Context) -> Part:
    focused = [ctx.cases[r.use_case.pk] for r in ctx.focus if r.use_case.pk in ctx.cases]
    if not ctx.cases:
        return Part(
            None,
            (
                Missing(
                    _("No business case yet: value, payback and risk of the use cases are open."),
                    _where(_("Business cases"), _("create one for each use case of the focus set")),
                ),
            ),
        )
    blocks: list[Block] = []
    rows = []
    for row in ctx.comparison:
        if row.summary is None:
            continue
        rows.append(
            (
                clean(row.use_case.title),
                money(row.summary.npv_p10, 0),
                money(row.summary.npv_p50, 0),
                money(row.summary.npv_p90, 0),
                percent(row.summary.probability_positive),
                row.decision or "–",
            )
        )
    blocks.append(
        Table(
            (
                _("Use case"),
                _("NPV P10"),
                _("NPV P50"),
                _("NPV P90"),
                _("Chance that it pays off"),
                _("Decision"),
            ),
            tuple(rows),
            (False, True, True, True, True, False),
            (3, 1.2, 1.2, 1.2, 1.1, 1.5),
        )
    )
    blocks.append(
        Paragraph(
            _(
                "NPV: net present value in euros, all future costs and benefits discounted to "
                "today. P10: 9 of 10 simulated futures are worth at least this much; P50: the "
                "middle; P90: only 1 of 10 is worth more."
            ),
            "muted",
        )
    )
    for row in focused:
        assert row.case is not None
        results = businesscase.results(row.case)
        figures = results.analysis.summary
        blocks.append(Heading(clean(row.use_case.title), new_page=True))
        blocks.append(
            Facts(
                (
                    (_("NPV (most likely)"), money(figures.npv, 0)),
                    (
                        _("NPV range (P10 · P50 · P90)"),
                        " · ".join(
                            money(v, 0) for v in (figures.npv_p10, figures.npv_p50, figures.npv_p90)
                        ),
                    ),
                    (_("Chance that it pays off"), percent(figures.probability_positive)),
                    (_("Payback"), _month(figures.payback_month)),
                    (_("Horizon"), _("%(months)s months") % {"months": row.case.horizon}),
                    (_("Make, buy or partner"), row.decision or _("not decided yet")),
                )
            )
        )
        if row.case.decision_rationale:
            blocks.append(
                Paragraph(
                    _("Reason for the decision: %(text)s")
                    % {"text": clean(row.case.decision_rationale, TEXT_LENGTH)},
                    "muted",
                )
            )
        blocks.append(
            Chart(
                results.cashflow,
                _(
                    "Cumulative cash flow over the months. Solid line: the middle of the "
                    "simulated futures (P50); dashed line: the path with the most likely values; "
                    "the band holds 80 of 100 simulated futures."
                ),
            )
        )
        if results.tornado is not None:
            blocks.append(
                Chart(
                    results.tornado,
                    _(
                        "Tornado chart: how far the NPV moves when one assumption goes from its "
                        "low to its high value, the largest effect on top."
                    ),
                )
            )
        if results.top_swing:
            blocks.append(
                Paragraph(
                    _("The assumption that matters most: %(name)s.")
                    % {"name": clean(results.top_swing)}
                )
            )
    if not focused:
        blocks.append(Paragraph(_("No use case of the focus set has a business case yet.")))
    return Part(
        Section(
            "business_cases",
            _("Business cases"),
            _(
                "Every business case with its range of values, then each use case of the focus "
                "set in detail: figures, the band of the cash flow, what moves the value most, "
                "and the make, buy or partner decision."
            ),
            tuple(blocks),
        ),
        versions=(Version(_("Business-case calculation"), BUSINESSCASE_VERSION),),
    )


# Compliance --------------------------------------------------------------------------------


def compliance_part(ctx: Context) -> Part:
    assessed = [a for a in ctx.compliance_page.assessed if a.summary is not None]
    if not assessed:
        return Part(
            None,
            (
                Missing(
                    _("No use case is classified under the AI Act yet."),
                    _where(_("Compliance"), _("start the assessment of a use case")),
                ),
            ),
        )
    ids = [a.summary.assessment_id for a in assessed if a.summary is not None]
    found = ctx.tenant.scoped(Assessment.objects).in_bulk(ids)
    blocks: list[Block] = []
    versions: set[str] = set()
    for item in assessed:
        summary = item.summary
        assert summary is not None
        assessment = found.get(summary.assessment_id)
        if assessment is None:
            continue
        page = compliance.assessment_page(assessment)
        versions.add(assessment.rules_version)
        blocks.append(Heading(clean(item.title)))
        classification = page.result.classification
        state = (
            _("complete")
            if classification.complete
            else ngettext(
                "%(count)s question still open",
                "%(count)s questions still open",
                len(classification.open_questions),
            )
            % {"count": len(classification.open_questions)}
        )
        routes = [
            f"{labels.label(e.risk_class)}: {e.route.get(ctx.language)} ({e.article})"
            for e in page.trail
            if e.applies and e.route is not None
        ]
        blocks.append(
            Facts(
                (
                    (_("Class under the AI Act"), risk_labels(summary.labels)),
                    (_("Assessment"), state),
                    (
                        _("GDPR: data protection impact assessment"),
                        str(DPIA_VERDICTS[summary.verdict]),
                    ),
                )
            )
        )
        if routes:
            blocks.append(Bullets(tuple(routes)))
        blocks.append(Paragraph(page.dpia_why, "muted"))
        duties = classification.duties
        if duties:
            blocks.append(
                Table(
                    (_("Obligation"), _("Article"), _("Applies")),
                    tuple(
                        (
                            d.obligation.title.get(ctx.language),
                            d.obligation.article,
                            (_("since %(date)s") if d.in_force(ctx.today) else _("from %(date)s"))
                            % {"date": day(d.deadline.date)},
                        )
                        for d in duties
                    ),
                    (False, False, False),
                    (3.4, 1.4, 1.2),
                )
            )
        else:
            blocks.append(Paragraph(_("No obligations derived yet."), "muted"))
    open_ = [clean(a.title) for a in ctx.compliance_page.assessed if a.summary is None]
    if open_:
        blocks.append(Heading(_("Not yet assessed")))
        blocks.append(Bullets(tuple(open_)))
    return Part(
        Section(
            "compliance",
            _("Compliance per use case"),
            _(
                "The class of each assessed use case under the EU AI Act with the rule that "
                "decides it, the obligations with the dates from which they apply, and whether "
                "the GDPR calls for a data protection impact assessment (DPIA)."
            ),
            tuple(blocks),
        ),
        versions=tuple(
            Version(_("Rule base of the AI Act and GDPR assessment"), v) for v in sorted(versions)
        ),
    )


def register_part(ctx: Context) -> Part:
    systems = ctx.register.systems
    literacy = ctx.compliance_page.literacy
    if not systems and not literacy.people:
        return Part(
            None,
            (
                Missing(
                    _("The AI register and the AI literacy records are empty."),
                    _where(_("Compliance"), _("AI register and AI literacy")),
                ),
            ),
        )
    blocks: list[Block] = []
    if systems:
        blocks.append(Heading(_("AI register")))
        blocks.append(
            Table(
                (
                    _("AI system"),
                    _("Status"),
                    _("AI Act"),
                    _("Data-processing agreement"),
                    _("Next review"),
                ),
                tuple(
                    (
                        clean(s.name) + (f" – {clean(s.vendor)}" if s.vendor else ""),
                        s.status,
                        ", ".join(b.text for b in s.labels) or _("not assessed"),
                        s.dpa,
                        (s.next_review or "–") + (f" ({_('overdue')})" if s.review_overdue else ""),
                    )
                    for s in systems
                ),
                (False, False, False, False, False),
                (2.6, 1.1, 1.5, 1.5, 1.3),
            )
        )
    else:
        blocks.append(Paragraph(_("No AI system is in the register yet.")))
    blocks.append(Heading(_("AI literacy (Art. 4 AI Act)")))
    if literacy.people:
        blocks.append(
            Table(
                (_("Role"), _("People recorded"), _("With a recorded training"), _("Coverage")),
                tuple(
                    (c.label, number(c.people), number(c.trained), percent(c.share))
                    for c in literacy.by_role
                ),
                (False, True, True, True),
                (2.5, 1, 1.6, 1),
            )
        )
        blocks.append(
            Paragraph(
                ngettext(
                    "%(count)s person still lacks a training they need.",
                    "%(count)s people still lack a training they need.",
                    literacy.gaps,
                )
                % {"count": number(literacy.gaps)}
                if literacy.gaps
                else _("Everyone recorded has the trainings they need.")
            )
        )
    else:
        blocks.append(Paragraph(_("No people are recorded for AI literacy yet.")))
    return Part(
        Section(
            "register",
            _("AI register and AI literacy"),
            _(
                "The AI systems the company uses, with their status and review dates, and how "
                "far the people who work with AI have been trained."
            ),
            tuple(blocks),
        )
    )


# Pilots ------------------------------------------------------------------------------------


def _pilot_blocks(ctx: Context, row: pilots.PilotRow) -> list[Block]:
    pilot = row.pilot
    blocks: list[Block] = [Heading(clean(row.use_case_title))]
    facts = [
        (_("Status"), str(PilotStatus(pilot.status).label)),
        (_("Period"), f"{day(pilot.start)} – {day(pilot.planned_end)}"),
        (
            _("Week"),
            _("%(current)s of %(total)s")
            % {"current": row.weeks.current, "total": row.weeks.total},
        ),
    ]
    if row.decision is not None:
        facts.append(
            (
                _("Scale decision"),
                f"{row.decision.get_outcome_display()} ({day(row.decision.decided_at.date())})",
            )
        )
    page = ctx.gates.get(pilot.pk)
    if page is not None:
        facts.append(
            (
                _("Criteria for scaling met"),
                _("%(met)s of %(total)s") % {"met": page.gate_met, "total": len(page.gate.items)},
            )
        )
    blocks.append(Facts(tuple(facts)))
    section = dashboard.kpi_section(ctx.tenant, pilot, every_card=True)
    if section.cards:
        blocks.append(
            Table(
                (_("KPI"), _("Baseline"), _("Target"), _("Latest"), _("Progress"), _("Status")),
                tuple(
                    (
                        clean(c.kpi.name) + (f" ({clean(c.kpi.unit, 30)})" if c.kpi.unit else ""),
                        c.baseline_text,
                        f"{c.target_text} ({day(c.kpi.target_date)})",
                        c.latest_text,
                        "–" if c.percent is None else percent(c.percent / 100),
                        labels.label(c.status.light),
                    )
                    for c in section.cards
                ),
                (False, True, True, True, True, False),
                (2.6, 1, 1.6, 1, 0.9, 1.3),
            )
        )
        if pilot.status in (PilotStatus.RUNNING, PilotStatus.EXTENDED):
            for card in section.cards[:KPI_CHARTS_PER_PILOT]:
                if card.count:
                    blocks.append(
                        Chart(
                            card.spec,
                            _(
                                "The KPI “%(name)s” over time: measurements in blue, the "
                                "baseline as a grey dashed line, the target in green, the "
                                "target date dotted, the forecast in orange with its 80 "
                                "percent range."
                            )
                            % {"name": clean(card.kpi.name)},
                            width=0.8,
                        )
                    )
    else:
        blocks.append(Paragraph(_("No KPIs are defined for this pilot yet."), "muted"))
    reviews = page.reviews if page is not None else ()
    if reviews:
        blocks.append(
            Table(
                (
                    _("Quality review"),
                    _("Items judged"),
                    _("Error rate"),
                    _("Range (95 percent)"),
                    _("Agreed maximum"),
                ),
                tuple(
                    (
                        clean(r.title),
                        number(r.items_judged),
                        "–" if r.rate is None else percent(r.rate),
                        f"{percent(r.low)} – {percent(r.high)}" if r.items_judged else "–",
                        percent(r.threshold),
                    )
                    for r in reviews
                ),
                (False, True, True, True, True),
                (2.6, 1.1, 1.1, 1.3, 1.3),
            )
        )
    return blocks


def pilots_part(ctx: Context) -> Part:
    rows = ctx.pilot_list.active + ctx.pilot_list.closed
    if not rows:
        return Part(
            None,
            (
                Missing(
                    _("No pilot yet: there are no measured results from practice."),
                    _where(_("Pilots"), _("plan a pilot for a use case of the focus set")),
                ),
            ),
        )
    blocks: list[Block] = []
    for row in rows:
        blocks.extend(_pilot_blocks(ctx, row))
    return Part(
        Section(
            "pilots",
            _("Pilots"),
            _(
                "The pilots with their key figures (KPIs): starting value, target, the latest "
                "measurement and the progress towards the target; where AI output is reviewed, "
                "the error rate with the range in which it lies with 95 percent certainty."
            ),
            tuple(blocks),
        )
    )


# Roadmap -----------------------------------------------------------------------------------


def _roadmap_missing() -> Missing:
    return Missing(
        _("No roadmap yet: nobody has planned who does what by when."),
        _where(_("Roadmap"), _("review the proposed roadmap and accept what fits")),
    )


def _period(row: roadmap.Row) -> str:
    if row.start == row.end:
        return day(row.start)
    return f"{day(row.start)} – {day(row.end)}"


def _due_state(row: roadmap.Row) -> str:
    """An item's state as the table of the next 90 days prints it: how long it is overdue, and
    its legal date when it ends after it."""
    if row.state == "overdue":
        found = ngettext(
            "overdue by %(days)s day", "overdue by %(days)s days", row.overdue_days
        ) % {"days": number(row.overdue_days)}
    else:
        found = row.state_name if row.state != "late" else ""
    if row.late_days and row.deadline is not None:
        late = _("after its legal date (%(date)s)") % {"date": day(row.deadline)}
        found = f"{found}; {late}" if found else late
    return found


def _due(plan: roadmap.Plan) -> list[roadmap.Row]:
    """The roadmap's next 90 days: the overdue items first (the longest overdue on top), then
    the others by start."""
    return sorted(
        plan.next,
        key=lambda r: (0, r.end, r.start) if r.state == "overdue" else (1, r.start, r.end),
    )


def _phase_line(phase: roadmap.PhaseGroup) -> str:
    """A phase in a line: its items, how many are done, its first and last day."""
    found = (
        ngettext("%(count)s item, %(done)s done", "%(count)s items, %(done)s done", len(phase.rows))
        % {"count": number(len(phase.rows)), "done": number(phase.done)}
        if phase.rows
        else _("no items")
    )
    return f"{found} · {day(phase.first)} – {day(phase.last)}"


def _owner(row: roadmap.Row) -> str:
    return clean(row.owner_name) or "–"


def _print_label(title: str) -> str:
    """A title as the printed Gantt chart's axis shows it (the page's tooltip, which has the
    whole title, is not on paper): cut in the middle where that keeps the step that tells the
    chain's items apart ("…: Pilot"), else at the end, as the page cuts it."""
    if len(title) <= GANTT_LABEL:
        return title
    head, sep, tail = title.rpartition(": ")
    room = GANTT_LABEL - len(tail) - 3
    if sep and room >= 12:
        return f"{head[:room].rstrip()}…: {tail}"
    return title[: GANTT_LABEL - 1].rstrip() + "…"


def _walk(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    """Calls ``visit`` with every mapping in a chart's spec, outermost first."""
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


# px of the printed time axis per date label: about a label's width and a gap, so a roadmap
# of two years is marked by quarter (the page's chart, twice as wide, marks as finely).
TICK_SPACE = 70
# px of a printed Gantt chart's row labels when it is split: the same in each, so all of them
# have the same plot, time axis and dates (the page's labels take at most 260 px).
LABEL_SPACE = 270
_ROW_FIELDS = ("row", "from_row", "to_row")  # the Gantt chart's data naming a row


def _rows_of(spec: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """The Gantt chart's rows top to bottom (the row axis's order), and each one's title."""
    order: list[str] = []
    titles: dict[str, str] = {}

    def visit(node: dict[str, Any]) -> None:
        y = node.get("y")
        if not order and isinstance(y, dict) and isinstance(y.get("sort"), list):
            order.extend(str(v) for v in y["sort"])
        if "row" in node and "title" in node:
            titles[str(node["row"])] = str(node["title"])

    _walk(spec, visit)
    return order, titles


def _only(
    spec: dict[str, Any], rows: list[str], names: dict[str, str], *, split: bool
) -> dict[str, Any]:
    """A copy of the Gantt chart with these of its rows (the links between them, the phases
    and today), each renamed as ``names`` says; ``split``: one of several, with the same room
    for the labels as the others."""
    found = copy.deepcopy(spec)
    keep = set(rows)

    def visit(node: dict[str, Any]) -> None:
        values = node.get("values")
        if isinstance(values, list):
            values[:] = [
                {k: names.get(v, v) if k in _ROW_FIELDS else v for k, v in value.items()}
                for value in values
                if isinstance(value, dict)
                and all(value[k] in keep for k in _ROW_FIELDS if k in value)
            ]
        y = node.get("y")
        if isinstance(y, dict) and isinstance(y.get("sort"), list):
            y["sort"] = [names.get(r, r) for r in rows]
            if split and isinstance(y.get("axis"), dict):
                y["axis"] = {**y["axis"], "minExtent": LABEL_SPACE, "maxExtent": LABEL_SPACE}
        axis = node.get("axis")
        if isinstance(axis, dict) and isinstance(axis.get("tickCount"), dict):
            axis["tickCount"] = {"expr": f"max(2, floor(width / {TICK_SPACE}))"}

    _walk(found, visit)
    return found


def gantt_pages(
    spec: dict[str, Any], rows: int = GANTT_ROWS
) -> list[tuple[int, int, dict[str, Any]]]:
    """The roadmap page's Gantt chart as printed: in charts of at most ``rows`` rows (as few
    as will do, of equal length), each with the items of its rows and the links between them;
    the phases and today are in every one, so all share one time axis. The titles are cut
    for paper (:func:`_print_label`) and the dates marked as finely as on the page. Each
    chart comes with the numbers of its first and last row (from 1)."""
    order, titles = _rows_of(spec)
    # a row is named "<number> <title>" (equal titles stay apart; the axis shows the title)
    names = {
        r: f"{r.partition(' ')[0]} {_print_label(clean(titles[r]))}" for r in order if r in titles
    }
    size = max(1, math.ceil(len(order) / max(1, math.ceil(len(order) / rows))))
    split = len(order) > size
    return [
        (
            first + 1,
            min(first + size, len(order)),
            _only(spec, order[first : first + size], names, split=split),
        )
        for first in range(0, max(len(order), 1), size)
    ]


def roadmap_part(ctx: Context) -> Part:
    plan = ctx.plan
    if plan.empty or plan.chart is None:
        return Part(None, (_roadmap_missing(),))
    blocks: list[Block] = [
        Facts(
            (
                (
                    _("Items in total"),
                    ngettext(
                        "%(count)s, of which %(done)s is done",
                        "%(count)s, of which %(done)s are done",
                        plan.done,
                    )
                    % {"count": number(plan.total), "done": number(plan.done)},
                ),
                (_("Overdue"), number(plan.overdue)),
                (_("Ending after their legal date"), number(plan.late)),
                (_("Start of the roadmap"), day(plan.start)),
            )
        ),
        Heading(_("The next 90 days (to %(date)s)") % {"date": day(plan.horizon)}),
    ]
    due = _due(plan)
    if due:
        blocks.append(
            Table(
                (pgettext("roadmap", "Item"), _("Responsible"), _("Period"), _("State")),
                tuple((clean(r.title), _owner(r), _period(r), _due_state(r)) for r in due),
                (False, False, False, False),
                (3.0, 1.3, 2.1, 1.5),
                marked=tuple(r.state == "overdue" for r in due),
            )
        )
        if plan.overdue:
            blocks.append(
                Paragraph(
                    _("Overdue items are printed in red: their end has passed and they are open."),
                    "muted",
                )
            )
    else:
        blocks.append(Paragraph(_("Nothing is due in the next 90 days.")))
    blocks.append(Heading(_("Phases")))
    blocks.append(Facts(tuple((p.title, _phase_line(p)) for p in plan.phases)))
    blocks.append(Heading(_("All items over time")))
    pages = gantt_pages(plan.chart)
    described = _(
        "Gantt chart of the roadmap: a bar for each item from its start to its end, coloured "
        "by its state (open, done, overdue, after its legal date); milestones as diamonds, "
        "dependencies as grey lines, the phases as shaded bands, today as a red dashed line."
    )
    for first, last, page in pages:
        alt = described
        if len(pages) > 1:
            part = _("Items %(first)s to %(last)s of %(total)s, by start.") % {
                "first": number(first),
                "last": number(last),
                "total": number(plan.total),
            }
            alt = f"{part} {described}"
        blocks.append(Chart(page, alt))
    return Part(
        Section(
            "roadmap",
            _("Roadmap"),
            _(
                "Who does what by when: the items of the roadmap with their owners and dates, "
                "what is due in the next 90 days, the three phases, and every item over time. "
                "Overdue items are open past their end; some items have a legal date by which "
                "they must be done."
            ),
            tuple(blocks),
        ),
        versions=(Version(_("Rules of the roadmap proposal"), ROADMAP_VERSION),),
    )


# The list of sections: a new one is a function of the context added here.
SECTIONS: tuple[Callable[[Context], Part], ...] = (
    readiness_part,
    hurdles_part,
    portfolio_part,
    business_cases_part,
    compliance_part,
    register_part,
    pilots_part,
    roadmap_part,
)


# Summary -----------------------------------------------------------------------------------


def _focus_lines(ctx: Context) -> tuple[FocusLine, ...]:
    lines = []
    for r in ctx.focus:
        row = ctx.cases.get(r.use_case.pk)
        figures = row.summary if row is not None else None
        lines.append(
            FocusLine(
                clean(r.use_case.title, SUMMARY_TITLE),
                money(figures.npv_p50, 0) if figures else "–",
                _month(figures.payback_month) if figures else "–",
                percent(figures.probability_positive) if figures else "–",
                (row.decision if row is not None else "") or "–",
            )
        )
    return tuple(lines)


def _compliance_lines(ctx: Context) -> tuple[str, ...]:
    assessed = ctx.compliance_page.assessed
    done = [a for a in assessed if a.summary is not None]
    lines = []
    if assessed:
        lines.append(
            _("%(done)s of %(total)s use cases are classified under the AI Act.")
            % {"done": number(len(done)), "total": number(len(assessed))}
        )
    high = [a for a in done if a.summary and RiskLabel.HIGH_RISK in a.summary.labels]
    if high:
        lines.append(
            ngettext(
                "%(count)s use case is high-risk: strict obligations apply.",
                "%(count)s use cases are high-risk: strict obligations apply.",
                len(high),
            )
            % {"count": number(len(high))}
        )
    systems = ctx.register.systems
    if systems:
        lines.append(
            ngettext(
                "%(count)s AI system is in the register.",
                "%(count)s AI systems are in the register.",
                len(systems),
            )
            % {"count": number(len(systems))}
        )
    unsigned = sum(
        1 for s in ctx.register.listed if s.dpa_status in (DpaStatus.MISSING, DpaStatus.REQUESTED)
    )
    if unsigned:
        lines.append(
            ngettext(
                "%(count)s AI system has no signed data-processing agreement (Art. 28 GDPR).",
                "%(count)s AI systems have no signed data-processing agreement (Art. 28 GDPR).",
                unsigned,
            )
            % {"count": number(unsigned)}
        )
    overdue = sum(1 for s in ctx.register.systems if s.review_overdue)
    if overdue:
        lines.append(
            ngettext(
                "%(count)s AI system is past its review date.",
                "%(count)s AI systems are past their review date.",
                overdue,
            )
            % {"count": number(overdue)}
        )
    literacy = ctx.compliance_page.literacy
    if literacy.people:
        trained = sum(c.trained for c in literacy.by_role)
        people = sum(c.people for c in literacy.by_role)
        lines.append(
            _("AI literacy: %(trained)s of %(people)s people have a recorded training.")
            % {"trained": number(trained), "people": number(people)}
        )
    return tuple(lines)


def _roadmap_steps(ctx: Context) -> tuple[str, ...]:
    """The roadmap's next 90 days for the summary, overdue first: each item with its owner and
    dates; beyond ``SUMMARY_LINES`` how many more there are."""
    due = _due(ctx.plan)
    shown = due if len(due) <= SUMMARY_LINES else due[: SUMMARY_LINES - 1]
    steps = []
    for row in shown:
        owner = f"{clean(row.owner_name)}, " if row.owner_name else ""
        line = f"{clean(row.title, SUMMARY_TITLE)} – {owner}{_period(row)}"
        if row.state in ("overdue", "late"):
            line += f", {_due_state(row)}"
        steps.append(line)
    if len(due) > len(shown):
        more = len(due) - len(shown)
        steps.append(
            ngettext(
                "%(count)s more item in the next 90 days: see the roadmap section.",
                "%(count)s more items in the next 90 days: see the roadmap section.",
                more,
            )
            % {"count": number(more)}
        )
    return tuple(steps)


def _next_steps(ctx: Context) -> tuple[str, ...]:
    """The next steps on the summary page: the roadmap's next 90 days where the organisation
    has a roadmap with items due, else each focus use case's next step and the readiness
    check's first steps."""
    if ctx.plan.next:
        return _roadmap_steps(ctx)
    steps = []
    for focus in ctx.overview.focus:
        if focus.next_step is not None:
            steps.append(
                f"{clean(focus.use_case.title, SUMMARY_TITLE)}: {focus.next_step.title}"
                f" – {focus.next_step.summary}"
            )
    if ctx.results is not None:
        for step in ctx.results.first_steps:
            steps.append(f"{step.action.what} ({step.action.who})")
    return tuple(steps[:SUMMARY_LINES])


def _decisions(ctx: Context) -> tuple[str, ...]:
    found = []
    for row in ctx.pilot_list.active:
        page = ctx.gates[row.pilot.pk]
        met, total = page.gate_met, len(page.gate.items)
        text = (
            _("Scale “%(title)s”? All %(total)s criteria for scaling are met.")
            if page.gate.ready
            else _(
                "Scale “%(title)s”? Due at the end of the pilot on %(date)s; "
                "%(met)s of %(total)s criteria are met so far."
            )
        )
        found.append(
            text
            % {
                "title": clean(row.use_case_title, SUMMARY_TITLE),
                "date": day(row.pilot.planned_end),
                "met": met,
                "total": total,
            }
        )
    for r in ctx.focus:
        case_row = ctx.cases.get(r.use_case.pk)
        if case_row is not None and case_row.summary is not None and not case_row.decision:
            text = (
                _(
                    "Approve the business case “%(title)s” (NPV P50 %(npv)s) and choose "
                    "whether to make, buy or partner."
                )
                if case_row.summary.npv_p50 > 0
                else _(
                    "Continue “%(title)s” or stop it? Its business case does not pay off as it "
                    "stands (NPV P50 %(npv)s)."
                )
            )
            found.append(
                text
                % {
                    "title": clean(r.use_case.title, SUMMARY_TITLE),
                    "npv": money(case_row.summary.npv_p50, 0),
                }
            )
    gaps = ctx.compliance_page.literacy.gaps
    if gaps:
        found.append(
            ngettext(
                "Release the training for %(count)s person who lacks AI literacy "
                "(required by Art. 4 AI Act).",
                "Release the training for %(count)s people who lack AI literacy "
                "(required by Art. 4 AI Act).",
                gaps,
            )
            % {"count": number(gaps)}
        )
    return tuple(found[:SUMMARY_LINES])


def summary(ctx: Context) -> Summary:
    line, trend = _stage_line(ctx)
    hurdles: tuple[str, ...] = ()
    if ctx.results is not None:
        hurdles = tuple(
            f"{f.title} ({f.severity_label})"
            for f in (ctx.results.findings + ctx.results.more_findings)[:3]
        )
    return Summary(
        readiness=line,
        readiness_trend=trend,
        hurdles=hurdles,
        focus=_focus_lines(ctx),
        compliance=_compliance_lines(ctx),
        next_steps=_next_steps(ctx),
        decisions=_decisions(ctx),
    )


def texts() -> dict[str, str]:
    """The template's fixed wording."""
    return {
        "report": _("AI management report"),
        "summary": _("Executive summary"),
        "readiness": _("Readiness"),
        "hurdles": _("Top three hurdles"),
        "focus": _("Focus set"),
        "use_case": _("Use case"),
        "npv_p50": _("NPV P50"),
        "payback": _("Payback"),
        "chance": _("Chance that it pays off"),
        "decision": _("Make, buy or partner"),
        "compliance": _("Compliance"),
        "next_steps": _("Next steps"),
        "decisions": _("Decisions asked of the board"),
        "none": _("None at present."),
        "missing": _("What is still missing"),
        "missing_intro": _("These parts need data in Startklar before the report can show them."),
        "where": _("Where"),
        "page": _("Page"),
        "of": _("of"),
        "about": _("About this report"),
        "versions": _("Content versions used"),
        "version": _("Version"),
        "notice": _(
            "The compliance results are decision support, not legal advice. They rest on the "
            "answers given in Startklar; have important decisions checked by a lawyer or your "
            "data protection officer."
        ),
        "made": _("Made with Startklar on %(date)s."),
        "what": _("What"),
        "who": _("Who"),
        "first_step": _("First step"),
        "no_focus": _("No focus set yet."),
        "no_hurdles": _("No hurdles known yet."),
        "no_compliance": _("No compliance results yet."),
        "readiness_unknown": _("unknown"),
    }


def versions_of(parts: Sequence[Part]) -> tuple[Version, ...]:
    seen: list[Version] = []
    for part in parts:
        seen.extend(v for v in part.versions if v not in seen)
    return tuple(seen)


def gather_report(tenant: Tenant, language: str, today: datetime.date) -> Report:
    """The report's content in the active language (the caller sets it)."""
    ctx = Context(tenant, language, today)
    parts = [section(ctx) for section in SECTIONS]
    wording = texts()
    wording["made"] = wording["made"] % {"date": day(today)}
    if ctx.plan.next:
        wording["next_steps"] = _("Next 90 days on the roadmap")
    return Report(
        organisation=clean(tenant.organisation.name),
        language=language,
        today=today,
        date_text=str(formats.date_format(today, "DATE_FORMAT")),
        title=_("AI management report"),
        summary=summary(ctx),
        sections=tuple(p.section for p in parts if p.section is not None),
        missing=tuple(m for p in parts for m in p.missing),
        versions=versions_of(parts),
        texts=wording,
    )


def content_versions(tenant: Tenant) -> dict[str, str]:
    """The content versions a report of ``tenant`` uses, by key (what the stored run keeps),
    read without making the report."""
    found: dict[str, str] = {}
    latest = readiness.latest(tenant)
    if latest:
        found["readiness"] = latest[0].round.bank_version
    found["usecases"] = CRITERIA_VERSION
    found["businesscase"] = BUSINESSCASE_VERSION
    rules = sorted(
        set(
            tenant.scoped(Assessment.objects)
            .filter(use_case__isnull=False)
            .values_list("rules_version", flat=True)
        )
    )
    if rules:
        found["compliance"] = ", ".join(rules)
    if RoadmapItem.objects.filter(organisation=tenant.organisation).exists():
        found["roadmap"] = ROADMAP_VERSION
    return found
