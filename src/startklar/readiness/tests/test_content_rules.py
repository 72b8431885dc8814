"""The 2026.2 bank's rules for issue 13, point by point, on answers changed one at a time from a
company in good shape (every scored answer 4, no works council, nothing customer-facing)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from startklar.readiness.content import CURRENT_VERSION, load_bank
from startklar.readiness.engine import Severity, assess

BANK = load_bank("2026.2")
BASE: dict[str, float | None] = {q.id: 4.0 for q in BANK.questions.values() if q.scored}
BASE.update({"akzeptanz.betriebsrat": 1.0, "strategie.kundenkontakt": 1.0})


def found(changes: Mapping[str, float | None]) -> dict[str, tuple[Severity, list[str]]]:
    result = assess(BANK, {**BASE, **changes})
    return {f.hurdle.id: (f.severity, [a.what.de for a in f.actions]) for f in result.findings}


def test_new_rounds_use_2026_2_and_a_good_company_has_no_hurdle() -> None:
    assert CURRENT_VERSION == "2026.2"
    assert found({}) == {}


@pytest.mark.parametrize(
    ("changes", "backing", "money"),
    [
        ({"finanzierung.budget": 1.0}, False, True),  # budget alone: money, not backing
        ({"finanzierung.budget": 1.0, "fuehrung.engagement": 3.0}, False, True),
        ({"fuehrung.engagement": 2.0}, True, False),
        ({"fuehrung.engagement": 1.0, "finanzierung.budget": 1.0}, True, True),
    ],
)
def test_a_missing_budget_alone_is_no_missing_backing(
    changes: dict[str, float], backing: bool, money: bool
) -> None:
    hurdles = found(changes)
    assert ("fehlende-unterstuetzung-management" in hurdles) is backing
    assert ("fehlende-finanzielle-mittel" in hurdles) is money


WORKS_COUNCIL = "mitbestimmung-betriebsrat"


@pytest.mark.parametrize(
    ("council", "use", "cases", "severity"),
    [
        (1.0, 4.0, 4.0, None),  # no works council
        (5.0, 4.0, 4.0, None),  # an agreement is in place
        (None, 4.0, 4.0, None),  # "weiß nicht" triggers nothing
        (3.0, 1.0, 2.0, None),  # no system in use or planned that could monitor staff
        (3.0, 2.0, 2.0, Severity.MEDIUM),  # a few use AI; not yet discussed
        (4.0, 1.0, 3.0, Severity.MEDIUM),  # planned, council informed and open
        (2.0, 1.0, 3.0, Severity.HIGH),  # sceptical council
        (3.0, 3.0, 2.0, Severity.HIGH),  # tools in use without consent
    ],
)
def test_a_works_council_hurdle_when_systems_that_can_monitor_staff_are_used_or_planned(
    council: float | None, use: float, cases: float, severity: Severity | None
) -> None:
    hurdles = found(
        {
            "akzeptanz.betriebsrat": council,
            "akzeptanz.nutzung": use,
            "strategie.anwendungsfaelle": cases,
        }
    )
    assert (hurdles[WORKS_COUNCIL][0] if WORKS_COUNCIL in hurdles else None) is severity
    if severity is not None:
        assert hurdles[WORKS_COUNCIL][1][0].startswith("Den Betriebsrat früh einbeziehen")
        assert (
            "§ 87 Abs. 1 Nr. 6 BetrVG"
            in {h.id: h for h in BANK.hurdles}[WORKS_COUNCIL].explanation.de
        )


@pytest.mark.parametrize(
    ("changes", "shadow", "chaos"),
    [
        # private accounts, AI in use, personal data unregulated: Schatten-KI, high
        (
            {"infrastruktur.werkzeuge": 1.0, "akzeptanz.nutzung": 3.0, "recht.personenbezug": 1.0},
            True,
            False,
        ),
        (
            {"infrastruktur.werkzeuge": 2.0, "akzeptanz.nutzung": 2.0, "recht.richtlinie": 1.0},
            True,
            False,
        ),
        # the same chaos with rules for personal data: tool chaos, medium
        ({"infrastruktur.werkzeuge": 2.0, "akzeptanz.nutzung": 3.0}, False, True),
        # nobody uses AI: neither
        (
            {"infrastruktur.werkzeuge": 1.0, "akzeptanz.nutzung": 1.0, "recht.personenbezug": 1.0},
            False,
            False,
        ),
    ],
)
def test_tool_chaos_with_personal_data_in_private_accounts_is_shadow_ai(
    changes: dict[str, float], shadow: bool, chaos: bool
) -> None:
    hurdles = found(changes)
    assert ("schatten-ki" in hurdles) is shadow
    assert ("tool-chaos" in hurdles) is chaos
    if shadow:
        severity, actions = hurdles["schatten-ki"]
        assert severity is Severity.HIGH
        assert actions[0].startswith("Jetzt ein freigegebenes KI-Werkzeug")
        assert "Nutzungsregel" in actions[0]
    if chaos:
        assert hurdles["tool-chaos"][0] is Severity.MEDIUM


@pytest.mark.parametrize(
    ("hurdle", "changes"),
    [
        ("datensilos", {"daten.silos": 2.0}),
        ("gewachsene-systemlandschaft", {"infrastruktur.systemlandschaft": 2.0}),
        ("mangelhafte-technische-infrastruktur", {"infrastruktur.betrieb": 2.0}),
    ],
)
@pytest.mark.parametrize(("cases", "severity"), [(3.0, Severity.MEDIUM), (4.0, Severity.HIGH)])
def test_foundations_are_high_when_the_chosen_use_cases_depend_on_them(
    hurdle: str, changes: dict[str, float], cases: float, severity: Severity
) -> None:
    assert found({**changes, "strategie.anwendungsfaelle": cases})[hurdle][0] is severity


@pytest.mark.parametrize(
    ("contact", "customers"),
    [(1.0, False), (2.0, False), (3.0, True), (5.0, True), (None, False)],
)
def test_customer_concerns_only_when_ai_reaches_customers(
    contact: float | None, customers: bool
) -> None:
    hurdles = found({"akzeptanz.kunden": 1.0, "strategie.kundenkontakt": contact})
    assert ("bedenken-der-kundschaft" in hurdles) is customers


LEGAL = "risiko-technologiemissbrauch-datenschutz-ethik"


@pytest.mark.parametrize(
    ("dpo", "use", "expected", "not_expected"),
    [
        (
            1.0,
            3.0,
            "Klären, ob eine Datenschutzbeauftragte",
            "Die oder den Datenschutzbeauftragten",
        ),
        (
            None,
            3.0,
            "Klären, ob eine Datenschutzbeauftragte",
            "Die oder den Datenschutzbeauftragten",
        ),
        (
            2.0,
            3.0,
            "Die oder den Datenschutzbeauftragten",
            "Klären, ob eine Datenschutzbeauftragte",
        ),
        (1.0, 1.0, "Klären, ob eine Datenschutzbeauftragte", "Für jede KI-Anwendung festlegen"),
    ],
)
def test_legal_actions_fit_the_answers(
    dpo: float | None, use: float, expected: str, not_expected: str
) -> None:
    hurdles = found(
        {
            "recht.dsb": dpo,
            "recht.richtlinie": 2.0,
            "recht.aiact": 1.0,
            "akzeptanz.nutzung": use,
            "strategie.anwendungsfaelle": 2.0,
        }
    )
    _severity, actions = hurdles[LEGAL]
    assert any(a.startswith(expected) for a in actions)
    assert not any(a.startswith(not_expected) for a in actions)


@pytest.mark.parametrize(("use", "severity"), [(1.0, Severity.MEDIUM), (3.0, Severity.HIGH)])
def test_legal_uncertainty_is_high_when_ai_is_in_use(use: float, severity: Severity) -> None:
    hurdles = found(
        {"recht.personenbezug": 2.0, "akzeptanz.nutzung": use, "strategie.anwendungsfaelle": 2.0}
    )
    assert hurdles[LEGAL][0] is severity


@pytest.mark.parametrize(
    ("use", "expected"),
    [(1.0, "Ein erstes freigegebenes KI-Werkzeug"), (3.0, "Interessierte Mitarbeitende")],
)
def test_with_nobody_using_ai_the_action_is_to_pick_a_first_tool(use: float, expected: str) -> None:
    hurdles = found({"kompetenzen.kapazitaet": 1.0, "akzeptanz.nutzung": use})
    actions = hurdles["begrenzte-interne-humanressourcen"][1]
    assert [a for a in actions if a.startswith(expected)]
    assert len(actions) == 3


def test_a_legal_hurdle_reached_along_every_branch_ranks_no_higher_than_along_one() -> None:
    lukewarm = {
        "recht.personenbezug": 2.0,
        "recht.dsb": 2.0,
        "recht.richtlinie": 2.0,
        "recht.aiact": 2.0,
        "recht.ethik": 2.0,
        "akzeptanz.nutzung": 3.0,
    }
    data_gap = {"daten.verfuegbarkeit": 1.0}
    result = assess(BANK, BASE | lukewarm | data_gap)
    ids = [f.hurdle.id for f in result.findings]
    assert ids.index("fehlende-datenbasis") < ids.index(LEGAL)
    old = load_bank("2026.1")
    old_ids = [
        f.hurdle.id
        for f in assess(
            old, {q: v for q, v in (BASE | lukewarm | data_gap).items() if q in old.questions}
        ).findings
    ]
    assert old_ids.index(LEGAL) < old_ids.index("fehlende-datenbasis")  # how 2026.1 ranked it


def test_every_hurdle_keeps_an_action_for_any_answers() -> None:
    for hurdle in BANK.hurdles:
        assert any(a.when is None and a.unless is None for a in hurdle.actions), hurdle.id


# Company size (issue 13, point 18): a small company's steps name the roles it has -------------

# Roles and wordings a company under 20 staff does not have.
NOT_IN_SMALL = ("Bereichsleitung", "Abteilung", "Kaufmännische Leitung", "Führungskräfte",
                "Personalverantwortliche", "Fachbereich")  # fmt: skip


@pytest.mark.parametrize("headcount", [1, 6, 19])
def test_a_small_company_reads_only_roles_it_has(headcount: int) -> None:
    bank = load_bank("2026.2")
    assert bank.small(headcount)
    for hurdle in bank.hurdles:
        for action in hurdle.actions:
            sized = action.sized(bank.small(headcount))
            shown = f"{sized.who.de} {sized.first_step.de}"
            assert not [w for w in NOT_IN_SMALL if w in shown], (hurdle.id, shown)
            assert sized.what == action.what


@pytest.mark.parametrize("headcount", [20, 60, 250, None])
def test_from_20_staff_the_actions_stay_as_written(headcount: int | None) -> None:
    bank = load_bank("2026.2")
    assert not bank.small(headcount)
    actions = [a for h in bank.hurdles for a in h.actions]
    assert [a.sized(bank.small(headcount)) for a in actions] == actions


def test_the_2026_1_bank_has_no_size_rules() -> None:
    bank = load_bank("2026.1")
    assert not bank.small(3)
