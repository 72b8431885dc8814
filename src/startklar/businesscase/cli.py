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


def report(name: str, result: Result, simulation: Simulation, swings: list[Any]) -> dict[str, Any]:
    return {
        "name": name,
        "deterministic": {
            "npv": round(result.npv, 2),
            "roi": None if result.roi is None else round(result.roi, 4),
            "payback_month": result.payback_month,
            "total_costs": round(result.total_costs, 2),
            "total_benefits": round(result.total_benefits, 2),
            "months": [
                {
                    "month": m.month,
                    "costs": round(m.costs, 2),
                    "benefits": round(m.benefits, 2),
                    "net": round(m.net, 2),
                    "cumulative": round(m.cumulative, 2),
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
    payback = det["payback_month"] or "nicht im Betrachtungszeitraum"
    print(f"{name}")
    print(
        f"  Kapitalwert (wahrscheinlichste Werte): {det['npv']:,.2f} EUR, Amortisation: {payback}"
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
