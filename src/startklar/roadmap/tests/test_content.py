"""Roadmap content: a use case's chain, the legal dates (the same as the compliance rule base's),
the competence plan per role level of the literacy register; broken content is refused naming
the file and the key. No database."""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from startklar.compliance.content import load_rules
from startklar.compliance.models import RoleLevel as RegisterLevel
from startklar.core.content import ContentError, Versions
from startklar.roadmap import content
from startklar.roadmap.engine import (
    Kind,
    PersonSkills,
    RoleLevel,
    competence_gaps,
    duty_deadline,
    usecase_tasks,
)

LOADERS: list[Callable[..., object]] = [
    content.load_sequence,
    content.load_legal,
    content.load_competences,
]


def test_the_current_version_loads_and_released_versions_are_unchanged() -> None:
    assert content.CURRENT_VERSION in content.VERSIONS.available()
    assert content.VERSIONS.edited() == []
    assert content.VERSIONS.unreleased() == []
    for load in LOADERS:
        assert load() == load(content.CURRENT_VERSION)


def test_the_sequence_plans_a_pilot_of_four_to_six_weeks() -> None:
    sequencing = content.load_sequence()
    rules = sequencing.rules
    assert 4 <= rules.pilot_weeks_min <= rules.pilot_weeks <= rules.pilot_weeks_max <= 6
    tasks = usecase_tasks("1", 100, 0, 0, False, None, (), rules=rules)
    assert sum(t.effort for t in tasks) == pytest.approx(100)
    assert set(sequencing.defaults) == {Kind.ACTION, Kind.WORKS_COUNCIL}


def test_every_duty_of_the_compliance_rule_base_has_its_date() -> None:
    rules = load_rules()
    calendar = content.load_legal().calendar
    for obligation in rules.obligations:
        duty = calendar.get(obligation.id)
        assert duty.applies_from == rules.deadlines[obligation.effective].date, obligation.id
        assert duty.source
    assert calendar.get("art50_1_disclose").applies_from == datetime.date(2026, 8, 2)
    assert calendar.get("literacy").applies_from == datetime.date(2025, 2, 2)
    assert calendar.get("literacy").kind is Kind.LITERACY


def test_gdpr_and_works_council_duties_apply_before_go_live_and_say_what_they_are() -> None:
    legal = content.load_legal()
    start, go_live = datetime.date(2027, 1, 4), datetime.date(2027, 6, 7)
    for key in ("dpia", "dpa", "works_council"):
        assert legal.calendar.get(key).applies_from is None
        assert duty_deadline(legal.calendar, key, start, go_live) == datetime.date(2027, 6, 6)
        assert legal.titles[key].de
        assert legal.titles[key].en
        assert legal.texts[key].de
    assert legal.calendar.get("works_council").kind is Kind.WORKS_COUNCIL
    assert legal.calendar.get("dpa").source == "Art. 28 DSGVO"


def test_the_competence_plan_covers_every_role_level_of_the_register() -> None:
    plan = content.load_competences()
    assert [str(level) for level in RoleLevel] == list(RegisterLevel.values)
    assert set(plan.needs.levels) == set(RoleLevel)
    for needs in plan.needs.levels.values():
        assert any(c.legal for c in needs.competences)
        assert needs.training.effort_per_person > 0
        for competence in needs.competences:
            assert plan.names[competence.key].de
            assert plan.descriptions[competence.key].en


@pytest.mark.parametrize(
    ("measure", "covers"),
    [
        ("KI-Grundlagen (halber Tag, intern)", {"ai_basics"}),  # the demo's records
        ("Einweisung Chat-Assistent und Nutzungsregeln", {"tool_use"}),
        ("AI literacy e-learning", {"ai_basics"}),
        ("Datenschutz-Unterweisung 2026", {"data_protection"}),
        ("Workshop KI-Strategie für die Geschäftsführung", {"strategy"}),
        ("Train the Trainer für KI-Champions", {"coaching"}),
        ("Qualitätsmanagement nach ISO 9001", {"quality_review"}),
        ("Praxisgerechte Projektarbeit", set()),
        ("Erste-Hilfe-Kurs", set()),
    ],
)
def test_training_measures_are_matched_by_keywords(measure: str, covers: set[str]) -> None:
    plan = content.load_competences()
    every = {c.key: c for n in plan.needs.levels.values() for c in n.competences}
    assert {key for key, c in every.items() if c.covered_by(measure)} == covers


def test_the_demo_like_register_has_literacy_due_now() -> None:
    plan = content.load_competences()
    start = datetime.date(2027, 1, 4)
    people = [
        PersonSkills("p1", "user", ("KI-Grundlagen (halber Tag, intern)",), ("chat",)),
        PersonSkills("p2", "user", ("Einweisung Chat-Assistent und Nutzungsregeln",), ("chat",)),
    ]
    gaps = {g.level: g for g in competence_gaps(people, plan.needs, start)}
    users = gaps[RoleLevel.USER]
    literacy = next(t for t in users.tasks if t.kind is Kind.LITERACY)
    assert literacy.legal
    assert literacy.deadline == start + datetime.timedelta(days=plan.needs.literacy_due_days)
    assert gaps[RoleLevel.MANAGEMENT].tasks == ()  # nobody there


# Broken content ----------------------------------------------------------------------------------


@pytest.fixture
def broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str, str, str], None]]:
    """Copy the current version to ``2099.1`` with one replacement in one file."""
    shutil.copytree(content.FOLDER / content.CURRENT_VERSION, tmp_path / "2099.1")
    monkeypatch.setattr(content, "VERSIONS", Versions("roadmap", tmp_path))

    def edit(name: str, old: str, new: str) -> None:
        path = tmp_path / "2099.1" / name
        source = path.read_text(encoding="utf-8").replace('version: "2026.1"', 'version: "2099.1"')
        assert old in source, old
        path.write_text(source.replace(old, new, 1), encoding="utf-8")

    for load in LOADERS:
        load.cache_clear()  # type: ignore[attr-defined]
    yield edit
    for load in LOADERS:
        load.cache_clear()  # type: ignore[attr-defined]


SEQUENCE = "sequence.yaml"
LEGAL = "legal.yaml"
COMPETENCES = "competences.yaml"


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            SEQUENCE,
            "data_share: 0.15",
            "data_share: 1.5",
            r"data_share: needs a number ≥ 0.0 and ≤ 1.0",
        ),
        (SEQUENCE, "pilot_share: 0.25", "pilot_share: 0.9", r"data and pilot shares exceed 1"),
        (
            SEQUENCE,
            "data_weeks: 6",
            "data_weeks: 1.5",
            r"data_weeks: needs a whole number of weeks",
        ),
        (SEQUENCE, "pilot_weeks: 6", "pilot_weeks: 3", r"pilot_weeks_min ≤ pilot_weeks"),
        (
            SEQUENCE,
            "action: {effort: 3",
            "action: {effort: -3",
            r"defaults action \(line \d+\): needs a number ≥ 0",
        ),
        (SEQUENCE, "  action:", "  holiday:", r"'holiday' is not a valid Kind"),
        (
            SEQUENCE,
            "rollout_weeks: 12",
            "rollout_week: 12",
            r"roadmap 2099.1/sequence.yaml: missing .*rollout_weeks",
        ),
        (LEGAL, "due_now_days: 30", "due_now_days: 400", r"due_now_days: needs 0 to 365 days"),
        (
            LEGAL,
            "applies_from: 2026-08-02, source",
            "applies_from: soon, source",
            r"duty art50_1_disclose \(line \d+\): applies_from needs a date",
        ),
        (LEGAL, 'source: "Art. 27 KI-VO"', 'source: ""', r"duty fria \(line \d+\): needs a source"),
        (
            LEGAL,
            'title: {de: "Betriebsrat beteiligen", en: "Involve the works council"}',
            "",
            r"duty works_council \(line \d+\): title: needs non-empty 'de' and 'en'",
        ),
        (LEGAL, "kind: works_council", "kind: party", r"'party' is not a valid Kind"),
        (
            LEGAL,
            "weeks: 6\n    title",
            "weeks: 0\n    title",
            r"duty dpia \(line \d+\): weeks: needs a whole number",
        ),
        (
            COMPETENCES,
            "literacy_due_days: 60",
            "literacy_due_days: -1",
            r"literacy_due_days: needs 0 to 365",
        ),
        (
            COMPETENCES,
            "keywords: [grundlagen,",
            "keywords: [KI,",
            r"competence ai_basics \(line \d+\): needs keywords in lower case",
        ),
        (
            COMPETENCES,
            "keywords: [grundlagen,",
            "keywords: [strategie, strategie,",
            r"ai_basics \(line \d+\): keywords: not unique: strategie",
        ),
        (
            COMPETENCES,
            "needs: [ai_basics, strategy, legal_frame]",
            "needs: ai_basics",
            r"level management \(line \d+\): needs a list",
        ),
        (
            COMPETENCES,
            "needs: [ai_basics, strategy, legal_frame]",
            "needs: [ai_basics, juggling]",
            r"unknown competences: juggling",
        ),
        (
            COMPETENCES,
            "needs: [ai_basics, strategy, legal_frame]",
            "needs: [strategy]",
            r"level management \(line \d+\): needs AI literacy",
        ),
        (
            COMPETENCES,
            "needs: [ai_basics, strategy, legal_frame]",
            "needs: [ai_basics, ai_basics]",
            r"needs: not unique: ai_basics",
        ),
        (COMPETENCES, "  champion:\n", "  apprentice:\n", r"'apprentice' is not a valid RoleLevel"),
        (
            COMPETENCES,
            "training: {effort_per_person: 0.5, weeks: 4}",
            "training: {effort_per_person: x, weeks: 4}",
            r"effort_per_person: needs a number",
        ),
        (COMPETENCES, "priority: 5", "priority: high", r"priority: needs a number"),
    ],
)
def test_broken_content_is_refused_naming_the_file_and_key(
    broken: Callable[[str, str, str], None], name: str, old: str, new: str, message: str
) -> None:
    broken(name, old, new)
    loaders: dict[str, Callable[[str], object]] = {
        SEQUENCE: content.load_sequence,
        LEGAL: content.load_legal,
        COMPETENCES: content.load_competences,
    }
    loader = loaders[name]
    with pytest.raises(ContentError, match=message) as raised:
        loader("2099.1")
    assert f"roadmap 2099.1/{name}" in str(raised.value)


def test_a_level_left_out_is_refused(broken: Callable[[str, str, str], None]) -> None:
    broken(
        COMPETENCES,
        "  champion:\n    training: {effort_per_person: 2, weeks: 8}\n"
        "    needs: [ai_basics, tool_use, advanced_use, quality_review, coaching]\n",
        "",
    )
    with pytest.raises(ContentError, match=r"competences.yaml: levels: missing champion"):
        content.load_competences("2099.1")
