"""``startklar business-case simulate CASE.yaml [--json] [--draws N] [--seed S]``.

Runs without Django and without a database: the same engine as the web pages.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from . import caseformat
from .engine import (
    DEFAULT_DRAWS,
    Percentiles,
    Result,
    Simulation,
    deterministic,
    payback_month_with,
    simulate,
    tornado,
)


def _p(p: Percentiles | None, digits: int = 2) -> dict[str, float] | None:
    if p is None:
        return None
    return {"p10": round(p.p10, digits), "p50": round(p.p50, digits), "p90": round(p.p90, digits)}


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def report(name: str, result: Result, simulation: Simulation, swings: list[Any]) -> dict[str, Any]:
    return {
        "name": name,
        "deterministic": {
            "npv": round(result.npv, 2),
            "roi": _round(result.roi, 4),  # over the horizon
            "roi_annualised": _round(result.roi_annualised, 4),
            "irr": _round(result.irr, 4),  # per year; None where it does not exist
            "payback_month": result.payback_month,
            "discounted_payback_month": result.discounted_payback_month,
            "total_costs": round(result.total_costs, 2),
            "total_benefits": round(result.total_benefits, 2),  # cash-effective
            "freed_capacity": round(result.capacity_value, 2),  # beside, not in the figures
            "freed_capacity_hours": round(result.capacity_hours, 1),
            "months": [
                {
                    "month": m.month,
                    "costs": round(m.costs, 2),
                    "benefits": round(m.benefits, 2),
                    "net": round(m.net, 2),
                    "cumulative": round(m.cumulative, 2),
                    "discounted_cumulative": round(m.discounted_cumulative, 2),
                    "freed_capacity": round(m.capacity, 2),
                }
                for m in result.months
            ],
        },
        "simulation": {
            "draws": simulation.draws,
            "seed": simulation.seed,
            "npv": _p(simulation.npv),
            "roi": _p(simulation.roi, 4),
            "probability_npv_positive": round(simulation.probability_positive, 4),
            "probability_payback": round(simulation.probability_payback, 4),
            "payback_month": _p(simulation.payback, 1),
            "payback_month_80_percent": payback_month_with(simulation, 0.8),
        },
        "tornado": [
            {
                "item": s.item,
                "factor": s.factor,
                "npv_low": round(s.npv_low, 2),
                "npv_high": round(s.npv_high, 2),
            }
            for s in swings
        ],
    }


def run(args: argparse.Namespace) -> int:
    try:
        name, case = caseformat.read(Path(args.case))
        simulation = simulate(case, args.draws, args.seed)
    except ValueError as error:  # YamlFileError, CaseFileError, or the engine's checks
        raise SystemExit(f"startklar business-case: {error}") from error
    data = report(name, deterministic(case), simulation, tornado(case))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    det, sim = data["deterministic"], data["simulation"]
    never = "nicht im Betrachtungszeitraum"
    payback = f"Monat {det['payback_month']}" if det["payback_month"] else never
    discounted = (
        f"Monat {det['discounted_payback_month']}" if det["discounted_payback_month"] else never
    )
    print(f"{name}")
    print(f"  Kapitalwert (wahrscheinlichste Werte, vor Steuern): {det['npv']:,.2f} EUR")
    print(f"  Amortisation: {payback}, abgezinst: {discounted}")
    irr = "nicht bestimmbar" if det["irr"] is None else f"{_percent(det['irr'])} p. a."
    print(
        f"  Interner Zinsfuß: {irr}; ROI über {case.horizon} Monate: "
        f"{_percent(det['roi'])}, annualisiert {_percent(det['roi_annualised'])} p. a."
    )
    if det["freed_capacity_hours"]:
        print(
            f"  Freie Kapazität (nicht im Kapitalwert): {det['freed_capacity_hours']:,.0f} h, "
            f"Wert {det['freed_capacity']:,.2f} EUR"
        )
    print(
        f"  Kapitalwert P10/P50/P90: {sim['npv']['p10']:,.0f} / {sim['npv']['p50']:,.0f} / "
        f"{sim['npv']['p90']:,.0f} EUR; P(Kapitalwert > 0) = {sim['probability_npv_positive']:.0%}"
    )
    if data["tornado"]:
        top = data["tornado"][0]
        print(f"  Wichtigste Annahme: {top['item']} ({top['factor']})")
    return 0


def register(commands: Any) -> None:
    case = commands.add_parser("business-case", help="business case with uncertainty")
    actions = case.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = actions.add_parser("simulate", help="deterministic and Monte Carlo results of a case file")
    p.add_argument("case", help="YAML file (see examples/business-case/)")
    p.add_argument("--draws", type=int, default=DEFAULT_DRAWS)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run)
