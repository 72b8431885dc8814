"""The question banks are valid, complete in both languages, and never change once released."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from startklar.core.content import ContentError, Versions
from startklar.readiness import content
from startklar.readiness.content import VERSIONS, available_versions, load_bank, parse_bank
from startklar.readiness.engine import Area

SEEDS = Path(__file__).resolve().parents[5] / "shared" / "seeds"
DIMENSIONS = {
    "strategie": "Strategie & Ziele",
    "fuehrung": "Führung & Organisation",
    "daten": "Daten",
    "infrastruktur": "IT-Infrastruktur & Integration",
    "kompetenzen": "Kompetenzen & Ressourcen",
    "akzeptanz": "Mitarbeitende & Akzeptanz",
    "recht": "Recht, Datenschutz & Ethik",
    "finanzierung": "Finanzierung & Investition",
}
STRUCTURAL = {
    "medienbrueche",
    "datensilos",
    "excel-als-zentrale-quelle",
    "manuelle-uebergaben",
    "unklare-prozessvarianten",
    "inkonsistente-formate",
    "gewachsene-systemlandschaft",
}
GAPS = {"kompetenz-luecke", "technologie-luecke", "geschaeft-luecke"}


@pytest.fixture(params=available_versions())
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_bank_loads_with_unique_ids_and_valid_rules(version: str) -> None:
    bank = load_bank(version)  # parse_bank checks ids, levels, languages and rule references
    assert bank.version == version


def test_the_bank_has_the_eight_dimensions_with_four_to_six_questions(version: str) -> None:
    bank = load_bank(version)
    assert {d.id: d.name.de for d in bank.dimensions} == DIMENSIONS
    for dimension in bank.dimensions:
        assert 4 <= len(dimension.questions) <= 6, dimension.id
        for question in dimension.questions:
            assert len(question.levels) == 5
            assert len({level.de for level in question.levels}) == 5, question.id


def test_five_stages_and_the_five_perspectives(version: str) -> None:
    bank = load_bank(version)
    assert len(bank.stages) == 5
    assert [p.id for p in bank.perspectives] == [
        "geschaeftsfuehrung",
        "it",
        "fachbereich",
        "datenschutz",
        "mitarbeitende",
    ]


def test_the_rules_cover_hurdles_gaps_and_structural_weaknesses(version: str) -> None:
    bank = load_bank(version)
    ids = {h.id for h in bank.hurdles}
    assert ids >= STRUCTURAL
    assert ids >= GAPS
    assert any("tool" in i for i in ids)
    areas = {h.area for h in bank.hurdles}
    assert {Area.TECHNOLOGY, Area.ORGANISATION, Area.PEOPLE} <= areas
    core = [h for h in bank.hurdles if h.area in {Area.TECHNOLOGY, Area.ORGANISATION, Area.PEOPLE}]
    assert len(core) >= 11


def _sentences(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts are not beside the repository")
def test_texts_are_written_in_own_words(version: str) -> None:
    seed_runs: set[str] = set()
    for seed in SEEDS.glob("*.txt"):
        seed_runs |= _sentences(seed.read_text(encoding="utf-8", errors="ignore"))
    bank_text = VERSIONS.path(version, "bank.yaml").read_text(encoding="utf-8")
    copied = _sentences(bank_text) & seed_runs
    assert not copied, f"eight-word runs copied from the seeds: {sorted(copied)[:3]}"


def test_released_banks_are_never_edited() -> None:
    """Stored rounds are scored with their bank version, so a released folder must stay as it
    is: change the bank by adding a new version (released with ``python -m
    startklar.core.content release``)."""
    assert VERSIONS.unreleased() == []
    assert VERSIONS.edited() == [], "a released bank was edited"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: b["dimensions"][0]["questions"][0]["levels"].pop(), "exactly 5 levels"),
        (lambda b: b["dimensions"][0]["questions"][0]["text"].pop("en"), "'de' and 'en'"),
        (
            lambda b: b["dimensions"][1]["questions"].append(b["dimensions"][1]["questions"][0]),
            "not unique",
        ),
        (lambda b: b["hurdles"][0].update(when={"question": "nope.x", "at_most": 2}), "unknown"),
        (lambda b: b["hurdles"][0].update(severity="extrem"), "extrem"),
        (lambda b: b.pop("stages"), "missing"),
        (lambda b: b.update(small_company_below=1), "small_company_below: must be a headcount"),
        (lambda b: b.update(small_company_below="20"), "small_company_below: must be a headcount"),
        (
            lambda b: b["small_company_roles"].update(Oberbuchhaltung={"de": "x", "en": "x"}),
            r"small_company_roles: unknown roles \['Oberbuchhaltung'\]",
        ),
    ],
)
def test_a_broken_bank_is_refused_with_the_place_named(mutate: object, message: str) -> None:
    data = yaml.safe_load(VERSIONS.path(available_versions()[-1], "bank.yaml").read_text())
    mutate(data)  # type: ignore[operator]
    with pytest.raises(ContentError, match=message):
        parse_bank(data)


def test_a_broken_bank_file_names_the_file_and_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = available_versions()[-1]
    shutil.copytree(VERSIONS.folder / version, tmp_path / version)
    monkeypatch.setattr(content, "VERSIONS", Versions("readiness", tmp_path))
    path = tmp_path / version / "bank.yaml"
    lines = path.read_text().splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, 1) if "severity:" in line)
    lines[number - 1] = lines[number - 1].replace("severity:", "severity: extrem\n    old:")
    path.write_text("".join(lines))
    with pytest.raises(ContentError) as raised:
        content.load_bank.__wrapped__(version)
    message = str(raised.value)
    assert message.startswith(f"readiness {version}/bank.yaml: hurdle ")
    assert message.endswith("'extrem' is not a valid Severity")
    start = int(message.split("(line ")[1].split(")")[0])
    assert 0 < number - start < 10  # the hurdle starts a few lines above its severity


def test_an_action_may_name_its_own_role_and_first_step_for_a_small_company() -> None:
    data = yaml.safe_load(VERSIONS.path("2026.2", "bank.yaml").read_text())
    action = data["hurdles"][0]["actions"][0]
    action["small"] = {
        "who": {"de": "Inhaberin", "en": "Owner"},
        "first_step": {"de": "Heute anfangen.", "en": "Start today."},
    }
    parsed = parse_bank(data).hurdles[0].actions[0]
    small = parsed.sized(True)
    assert (small.who.de, small.first_step.en) == ("Inhaberin", "Start today.")
    assert parsed.sized(False) is parsed
