"""The management report's roadmap (issue 15, points 5 and 9): the section prints what the
roadmap page's query says (counts, the next 90 days with the overdue items first, the phases, the
Gantt chart of every item), the summary's next steps come from the roadmap where there is one,
the content version is named, and an organisation without a roadmap is told what is missing
instead of getting an empty chart; in German and English.

The demo company's PDF is the one ``test_document`` makes (once per process and language); the
long roadmap is printed with the summary and its own section only. Pages go to the artefacts as
PNG files (``STARTKLAR_ARTIFACTS``, else ``test-artifacts``)."""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
from typing import Any, TypeVar

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from startklar.core.templatetags.startklar import number
from startklar.core.tests.vegalite import assert_valid, layers
from startklar.organisations.models import Role
from startklar.reports import document
from startklar.reports.document import model, render
from startklar.reports.document.gather import (
    GANTT_LABEL,
    GANTT_ROWS,
    SUMMARY_LINES,
    SUMMARY_TITLE,
    Context,
    _due,
    _print_label,
    _roadmap_missing,
    clean,
    day,
    gather_report,
    roadmap_part,
    texts,
)
from startklar.reports.tests.test_document import (
    _write_pngs,
    demo_report,
    flat,
    owner_of,
    pages_of,
    text_of,
)
from startklar.roadmap import charts, queries
from startklar.roadmap.content import CURRENT_VERSION
from startklar.roadmap.models import Item
from startklar.testing import add_member, demo_company, make_organisation, make_user

pytestmark = pytest.mark.django_db

LANGUAGES = ["de", "en"]
B = TypeVar("B")


def roadmap_section(report: model.Report) -> model.Section:
    return next(s for s in report.sections if s.key == "roadmap")


def blocks_of(section: model.Section, kind: type[B]) -> list[B]:
    return [b for b in section.blocks if isinstance(b, kind)]


def page_texts(pdf: bytes) -> list[str]:
    found = pdfium.PdfDocument(pdf)
    return [
        flat(
            found[i].get_textpage().get_text_range().replace("\ufffe\r\n", "").replace("\ufffe", "")
        )
        for i in range(len(found))
    ]


def chart_rows(spec: dict[str, Any]) -> list[str]:
    """The rows a Gantt chart draws (bars and milestones), top to bottom."""
    drawn = layers(spec)
    found = [
        str(v["row"])
        for layer in drawn
        if layer.get("mark", {}).get("type") in {"bar", "point"}
        for v in layer["data"]["values"]
    ]
    order = next(
        layer["encoding"]["y"]["sort"] for layer in drawn if "y" in layer.get("encoding", {})
    )
    assert sorted(found) == sorted(order)
    return list(order)


# The demo company --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_roadmap_section_prints_what_the_roadmap_page_shows(language: str) -> None:
    tenant, report, pdf, _took = demo_report(language)
    with translation.override(language):
        plan = queries.plan(tenant, report.today)
    assert plan.overdue  # the demo has an overdue item
    assert len(plan.next) > plan.overdue
    assert [s.key for s in report.sections][-1] == "roadmap"
    section = roadmap_section(report)
    text = text_of(pdf)
    assert flat(section.title) in text
    facts = dict(blocks_of(section, model.Facts)[0].items)
    with translation.override(language):
        assert facts[gettext("Overdue")] == number(plan.overdue)
        assert facts[gettext("Ending after their legal date")] == number(plan.late)
        assert facts[gettext("Items in total")].startswith(f"{number(plan.total)}, ")
        assert number(plan.done) in facts[gettext("Items in total")]
    for label, value in facts.items():
        assert flat(f"{label} {value}") in text
    # The next 90 days: the page's items, the overdue ones first and marked.
    table = blocks_of(section, model.Table)[0]
    due = sorted(plan.next, key=lambda r: r.state != "overdue")
    assert [row[0] for row in table.rows] == [r.title for r in _due(plan)]
    assert {row[0] for row in table.rows} == {r.title for r in plan.next}
    assert [row[0] for row in table.rows][: plan.overdue] == [
        r.title for r in due if r.state == "overdue"
    ]
    assert table.marked == tuple(i < plan.overdue for i in range(len(table.rows)))
    overdue = next(r for r in plan.next if r.state == "overdue")
    assert str(overdue.overdue_days) in table.rows[0][3]
    for row in table.rows:
        assert flat(" ".join(row)) in text, row[0]
    # A line per phase, with its items and how many are done.
    phases = dict(blocks_of(section, model.Facts)[1].items)
    assert list(phases) == [p.title for p in plan.phases]
    for phase in plan.phases:
        line = phases[phase.title]
        if phase.rows:
            assert line.startswith(f"{number(len(phase.rows))} ")
            assert f", {number(phase.done)} " in line
        else:
            with translation.override(language):
                assert line.startswith(gettext("no items"))
        assert flat(f"{phase.title} {line}") in text
    # The Gantt chart: every item once, in the page's order, each title as on paper.
    specs = [c.spec for c in blocks_of(section, model.Chart)]
    assert len(specs) == math.ceil(plan.total / GANTT_ROWS)  # one for up to 30 items
    rows = [row for spec in specs for row in chart_rows(spec)]
    assert len(rows) == plan.total
    assert [r.partition(" ")[2] for r in rows] == [_print_label(r.title) for r in plan.rows]
    for spec in specs:
        assert_valid(spec)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_summary_takes_the_next_steps_from_the_roadmap(language: str) -> None:
    tenant, report, pdf, _took = demo_report(language)
    with translation.override(language):
        plan = queries.plan(tenant, report.today)
        heading = gettext("Next 90 days on the roadmap")
    due = _due(plan)
    steps = report.summary.next_steps
    assert len(steps) == SUMMARY_LINES
    assert len(due) > SUMMARY_LINES  # so the last line says how many more there are
    for step, row in zip(steps[:-1], due, strict=False):
        assert step.startswith(f"{clean(row.title, SUMMARY_TITLE)} – {row.owner_name}, ")
    assert number(len(due) - SUMMARY_LINES + 1) in steps[-1]
    assert due[0].state == "overdue"
    assert f"{due[0].overdue_days} " in steps[0]  # the overdue item first, said so
    assert report.texts["next_steps"] == heading
    first = page_texts(pdf)[0]
    assert flat(heading) in first
    for step in steps:
        assert flat(step) in first


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_roadmaps_content_version_is_named(language: str) -> None:
    tenant, report, pdf, _took = demo_report(language)
    with translation.override(language):
        label = gettext("Rules of the roadmap proposal")
    assert model.Version(label, CURRENT_VERSION) in report.versions
    assert flat(f"{label} {CURRENT_VERSION}") in text_of(pdf)
    assert document.content_versions(tenant, language)["roadmap"] == CURRENT_VERSION


# Without a roadmap -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_a_roadmap_the_report_says_what_is_missing(language: str) -> None:
    organisation = make_organisation("Ohne Plan GmbH")
    add_member(organisation, make_user(), Role.OWNER)
    tenant = owner_of(organisation)
    report = document.gather(tenant, language)
    assert "roadmap" not in [s.key for s in report.sections]
    with translation.override(language):
        missing = _roadmap_missing()
        assert gettext("Roadmap") in missing.where
        assert report.texts["next_steps"] == texts()["next_steps"]  # not the roadmap's
    assert missing in report.missing
    assert "roadmap" not in document.content_versions(tenant, language)
    pdf = document.build(tenant, language)
    _write_pngs(pdf, f"no-roadmap-{language}")
    text = text_of(pdf)
    assert flat(missing.what) in text
    assert flat(missing.where) in text


def test_a_company_whose_roadmap_is_emptied_keeps_the_other_next_steps() -> None:
    tenant = owner_of(demo_company())
    Item.objects.filter(organisation=tenant.organisation).delete()
    report = document.gather(tenant, "de")
    assert "roadmap" not in [s.key for s in report.sections]
    assert not [b for s in report.sections for b in s.blocks if "Gantt" in getattr(b, "alt", "")]
    with translation.override("de"):
        assert _roadmap_missing() in report.missing
        assert report.texts["next_steps"] == texts()["next_steps"]
    focus = [f for f in Context(tenant, "de", report.today).overview.focus if f.next_step]
    assert focus
    assert report.summary.next_steps[0].startswith(f"{focus[0].use_case.title}: ")


# A long roadmap ----------------------------------------------------------------------------------


def _long_roadmap(total: int) -> None:
    """The demo's roadmap with items added in the scale phase up to ``total`` items."""
    tenant = owner_of(demo_company())
    settings = queries.settings_of(tenant, timezone.localdate())
    extra = total - Item.objects.filter(organisation=tenant.organisation).count()
    assert extra > 0
    Item.objects.bulk_create(
        Item(
            organisation=tenant.organisation,
            title=f"Weitere Einführung Nr. {n + 1}: Schulung der Teams am Standort {n + 1}",
            start=settings.start + datetime.timedelta(weeks=26 + 3 * n),
            end=settings.start + datetime.timedelta(weeks=30 + 3 * n),
            owner=tenant.membership,
            milestone=n % 5 == 4,
        )
        for n in range(extra)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_long_roadmap_is_printed_legibly_on_several_pages(language: str) -> None:
    _long_roadmap(42)
    tenant = owner_of(demo_company())
    today = timezone.localdate()
    with translation.override(language):
        ctx = Context(tenant, language, today)
        part = roadmap_part(ctx)
        report = gather_report(tenant, language, today)
    section = part.section
    assert section is not None
    total = ctx.plan.total
    assert total == 42
    charts_ = blocks_of(section, model.Chart)
    assert len(charts_) == 2  # two charts of 21 rows, not one of 30 and one of 12
    rows = [chart_rows(c.spec) for c in charts_]
    assert [len(r) for r in rows] == [21, 21]
    assert [r.partition(" ")[2] for r in rows[0] + rows[1]] == [
        _print_label(r.title) for r in ctx.plan.rows
    ]
    with translation.override(language):
        assert charts_[1].alt.startswith(
            gettext("Items %(first)s to %(last)s of %(total)s, by start.")
            % {"first": 22, "last": 42, "total": 42}
        )
    for chart in charts_:
        assert_valid(chart.spec)
        # Every chart keeps the phases and today, so both share one time axis.
        marks = [layer.get("mark", {}) for layer in layers(chart.spec)]
        assert any(isinstance(m, dict) and m.get("type") == "rect" for m in marks)
        assert any(isinstance(m, dict) and m.get("color") == charts.TODAY for m in marks)
        # A link only between rows of the same chart.
        drawn = set(chart_rows(chart.spec))
        for layer in layers(chart.spec):
            for value in layer.get("data", {}).get("values", []):
                if "to_row" in value:
                    assert {value["from_row"], value["to_row"]} <= drawn
        # Printed at its natural size (labels as large as the text's 9 pt), as wide as the text.
        image = render.svg(chart, language)
        width = float(re.search(r'<svg[^>]*?\swidth="([\d.]+)"', image).group(1))  # type: ignore[union-attr]
        assert render.CHART_WIDTH - 10 <= width <= render.TEXT_WIDTH_PT / render.PT_PER_PX
        assert render.printed_width(image) == pytest.approx(width * render.PT_PER_PX, abs=0.1)
    # Printed: the summary and this section only (the rest is the demo's report as before).
    pdf = render.pdf(dataclasses.replace(report, sections=(section,)))
    _write_pngs(pdf, f"roadmap-long-{language}")
    printed = page_texts(pdf)
    pages = [i for i, t in enumerate(printed) if flat(charts_[0].alt)[:40] in t]
    later = [i for i, t in enumerate(printed) if flat(charts_[1].alt)[:40] in t]
    assert len(pages) == 1  # a page each
    assert later == [pages[0] + 1]
    assert pages_of(pdf) <= 5


# The pieces --------------------------------------------------------------------------------------


def test_titles_are_cut_for_paper_keeping_the_step() -> None:
    assert _print_label("Kurz") == "Kurz"
    long_step = "Angebote schneller schreiben mit KI-Entwürfen: Skalierungsentscheidung"
    cut = _print_label(long_step)
    assert cut.endswith("…: Skalierungsentscheidung")
    assert len(cut) <= GANTT_LABEL
    plain = "x" * 80
    assert _print_label(plain) == "x" * (GANTT_LABEL - 1) + "…"
    long_tail = "Anfang: " + "y" * 60
    assert _print_label(long_tail).endswith("y…")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_item_ending_after_its_legal_date_is_counted_and_dated(language: str) -> None:
    tenant = owner_of(demo_company())
    today = timezone.localdate()
    with translation.override(language):
        plan = queries.plan(tenant, today)
    upcoming = next(r for r in plan.next if r.state == "open" and r.start != r.end)
    legal = upcoming.end - datetime.timedelta(days=10)
    Item.objects.filter(pk=upcoming.id).update(deadline=legal)
    overdue = next(r for r in plan.next if r.state == "overdue")
    Item.objects.filter(pk=overdue.id).update(deadline=overdue.end - datetime.timedelta(days=3))
    with translation.override(language):
        ctx = Context(tenant, language, today)
        section = roadmap_part(ctx).section
        assert section is not None
        facts = dict(blocks_of(section, model.Facts)[0].items)
        assert facts[gettext("Ending after their legal date")] == number(2)
        states = {row[0]: row[3] for row in blocks_of(section, model.Table)[0].rows}
        late = gettext("after its legal date (%(date)s)")
        assert states[upcoming.title] == late % {"date": day(legal)}
        both = states[overdue.title]
        days = overdue.overdue_days
        said = ngettext("overdue by %(days)s day", "overdue by %(days)s days", days)
        assert both.startswith(f"{said % {'days': number(days)}}; ")
        assert both.endswith(late % {"date": day(overdue.end - datetime.timedelta(days=3))})
