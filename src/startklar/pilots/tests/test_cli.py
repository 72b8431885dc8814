"""``startklar pilot evaluate`` and ``export`` (issue 14, point 7): the CLI gives the same numbers
as the pages – every demo pilot exported, its file evaluated, each figure held against the page
queries; human output in German and English; a bad file exits 2 naming line and field."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from startklar.organisations.models import Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant
from startklar.pilots import cli, dashboard, queries
from startklar.pilots.models import Pilot
from startklar.reviews.queries import plan_summaries
from startklar.testing import demo_company, run_startklar

ROOT = Path(__file__).resolve().parents[4]
EXAMPLE = ROOT / "examples" / "pilots" / "belegerfassung.yaml"


def close(a: float | None, b: float | None) -> bool:
    """Equal but for the last bits: the pages add up in SQL, the CLI in Python."""
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def evaluate_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert cli.main(["evaluate", str(path), "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


@pytest.mark.django_db
def test_every_demo_pilot_exported_and_evaluated_gives_the_pages_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    organisation = demo_company()
    owner = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    tenant = Tenant(organisation=organisation, membership=owner)
    pilots = list(Pilot.objects.filter(organisation=organisation).order_by("pk"))
    assert len(pilots) >= 2
    for pilot in pilots:
        path = tmp_path / f"pilot-{pilot.pk}.yaml"
        assert cli.main(["export", organisation.slug, str(pilot.pk), "-o", str(path)]) == 0
        data = evaluate_json(path, capsys)
        assert data["name"] == str(pilot)

        # KPIs: as the pilot page's cards show them.
        cards = dashboard.kpi_section(tenant, pilot).cards
        assert [k["name"] for k in data["kpis"]] == [c.kpi.name for c in cards]
        for kpi, card in zip(data["kpis"], cards, strict=True):
            assert kpi["light"] == card.status.light
            assert kpi["reason"] == card.status.reason
            assert close(kpi["progress"], card.status.progress)
            assert kpi["percent"] == card.percent
            assert kpi["measurements"] == card.count
            if card.forecast is None:
                assert kpi["forecast"] is None
            else:
                assert close(kpi["forecast"]["value"], card.forecast.value)
                assert close(kpi["forecast"]["low"], card.forecast.interval.low)
                assert close(kpi["forecast"]["high"], card.forecast.interval.high)

        # Review plans: as the quality reviews' summaries (and the gate) see them.
        systems = list(pilot.ai_systems.values_list("pk", flat=True))
        summaries = plan_summaries(tenant, systems) if systems else []
        assert [r["name"] for r in data["reviews"]] == [s.title for s in summaries]
        for plan, summary in zip(data["reviews"], summaries, strict=True):
            assert plan["required"] == summary.required
            assert plan["items_judged"] == summary.items_judged
            assert plan["errors"] == summary.errors
            assert plan["enough"] == summary.enough
            assert close(plan["rate"], summary.rate)
            assert close(plan["low"], summary.low)
            assert close(plan["high"], summary.high)
            assert plan["open_alerts"] == summary.open_alerts
            assert plan["trend"] == summary.trend
            assert plan["threshold"] == summary.threshold
            assert len(plan["periods"]) == len(summary.periods)
            for period, row in zip(plan["periods"], summary.periods, strict=True):
                assert period["start"] == row.start.isoformat()
                assert period["end"] == row.end.isoformat()
                assert (period["items"], period["errors"]) == (row.n, row.errors)
                assert close(period["rate"], row.rate)
                assert close(period["low"], row.low)
                assert close(period["high"], row.high)
                assert period["reasons"] == [str(r) for r in row.reasons]

        # The gate: as the scale decision's page has it.
        gate = queries.gate_page(tenant, pilot).gate
        assert data["gate"]["ready"] == gate.ready
        assert data["gate"]["open"] == [str(i) for i in gate.open]
        assert [
            (i["item"], i["state"], i["reason"], tuple(i["names"])) for i in data["gate"]["items"]
        ] == [(str(r.item), str(r.state), str(r.reason), r.names) for r in gate.items]


@pytest.mark.django_db
def test_the_invoice_pilot_reads_in_german_and_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    organisation = demo_company()
    pilot = Pilot.objects.get(
        organisation=organisation, use_case__catalogue_id="administration.eingangsrechnungen"
    )
    path = tmp_path / "rechnungen.yaml"
    assert cli.main(["export", organisation.slug, str(pilot.pk), "-o", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Pilot-Datei, aus Startklar exportiert")
    assert "alert: {handled:" in text  # the regression week's alert, dealt with

    assert cli.main(["evaluate", str(path)]) == 0
    german = capsys.readouterr().out
    assert "Kennzahlen" in german
    assert "Prognose für" in german
    assert "80-%-Bereich" in german
    assert "nicht auf Kurs" in german  # the KPI behind its target
    assert "Fehlerquote 9,1 % (95-%-Intervall 6,1 % – 13,3 %), Schwelle 10 %" in german
    assert "Stichproben bewertet, 139 nötig" in german
    assert "Alarm: über der Schwelle" in german
    assert "Skalierungsentscheidung: 1 Punkt offen" in german
    assert "✗" in german
    assert german.count("✓") == 8

    assert cli.main(["evaluate", str(path), "--lang", "en"]) == 0
    english = capsys.readouterr().out
    assert "Forecast for" in english
    assert "off track" in english
    assert "Error rate 9.1% (95 % interval 6.1% – 13.3%), threshold 10%" in english
    assert "Scale decision: 1 item open" in english

    assert cli.main(["export", organisation.slug, str(pilot.pk)]) == 0
    assert capsys.readouterr().out == text  # to standard output: the same file


@pytest.mark.django_db
def test_export_names_what_it_cannot_find(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    organisation: Organisation = demo_company()
    assert cli.main(["export", "no-such-company", "1"]) == 2
    assert "no organisation with the slug 'no-such-company'" in capsys.readouterr().err
    assert cli.main(["export", organisation.slug, "99999"]) == 2
    assert "has no pilot number 99999" in capsys.readouterr().err
    pilot = Pilot.objects.filter(organisation=organisation).first()
    assert pilot is not None
    target = tmp_path / "missing-folder" / "pilot.yaml"
    assert cli.main(["export", organisation.slug, str(pilot.pk), "-o", str(target)]) == 2
    assert "cannot write the file" in capsys.readouterr().err


def test_a_bad_file_exits_2_naming_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("threshold: 10", "treshold: 10"),
        encoding="utf-8",
    )
    assert cli.main(["evaluate", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "reviews[1].treshold: unknown key 'treshold'" in captured.err
    assert "did you mean 'threshold'?" in captured.err
    assert "line " in captured.err
    assert "Traceback" not in captured.err
    assert cli.main(["evaluate", str(tmp_path / "none.yaml")]) == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_the_example_evaluates_without_a_database(capsys: pytest.CaptureFixture[str]) -> None:
    data = evaluate_json(EXAMPLE, capsys)
    assert data["format"] == 1
    lights = {k["name"]: (k["light"], k["percent"]) for k in data["kpis"]}
    assert lights["Bearbeitungszeit je Rechnung"] == ("red", 74)
    plan = data["reviews"][0]
    assert (plan["items_judged"], plan["errors"], plan["required"]) == (243, 22, 139)
    assert [p["alert"] for p in plan["periods"]].count(True) == 1
    assert plan["open_alerts"] == 0
    assert data["gate"]["open"] == ["kpis"]


def test_the_command_runs_as_a_user_types_it(tmp_path: Path) -> None:
    """One real process: no Django settings, no database – translations and formats only."""
    result = run_startklar(
        "pilot", "evaluate", str(EXAMPLE), env={"STARTKLAR_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    assert "Skalierungsentscheidung: 1 Punkt offen" in result.stdout
    assert "Zuletzt 6,1 min (01.12.2025): 74 % des Wegs zum Ziel" in result.stdout
    assert not (tmp_path / "startklar.sqlite3").exists()  # evaluate needs no database
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nstart: 2026-02-30\nend: 2026-03-01\n", encoding="utf-8")
    result = run_startklar("pilot", "evaluate", str(bad), env={"STARTKLAR_VAR_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "line 2: start: 2026-02-30 is no date of the calendar" in result.stderr
    assert "Traceback" not in result.stderr
