"""``startklar usecases search QUERY`` and ``startklar usecases optimize FILE``.

Both run without Django and without a database: the same engine as the web pages.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from startklar.core.yamlfile import YamlFileError, read_yaml, require_list

from .content import load_catalogue, load_criteria, load_stems
from .engine.catalogue import Effort, EntryKind, Technique
from .engine.portfolio import Axis, Candidate, axis_score, focus_set, optimise
from .engine.search import Filters, SearchIndex


class PortfolioFileError(YamlFileError):
    pass


def search(args: argparse.Namespace) -> int:
    filters = Filters(
        function=args.function,
        technique=Technique(args.technique) if args.technique else None,
        effort=Effort(args.effort) if args.effort else None,
        kind=EntryKind.QUICK_WIN if args.quick_win else None,
    )
    index = SearchIndex(load_catalogue(), load_stems())
    hits = index.search(args.query, filters, limit=args.limit)
    results: list[dict[str, Any]] = [
        {
            "id": h.entry.id,
            "title": h.entry.title.get(args.lang),
            "function": h.entry.function,
            "technique": h.entry.technique.value,
            "effort": h.entry.effort.value,
            "kind": h.entry.kind.value,
            "score": round(h.score, 3),
            "matched": list(h.matched),
        }
        for h in hits
    ]
    if args.json:
        print(json.dumps({"query": args.query, "results": results}, ensure_ascii=False, indent=2))
    else:
        for n, r in enumerate(results, 1):
            print(f"{n:2}. {r['title']}  [{r['id']}]  ({', '.join(r['matched']) or '-'})")
        if not results:
            print("Keine Treffer / no results")
    return 0


def _number(item: dict[str, Any], key: str, where: str, low: float, high: float) -> float:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise PortfolioFileError(f"{where}: '{key}' must be a number from {low:g} to {high:g}")
    return float(value)


def read_portfolio(path: Path) -> list[Candidate]:
    items = require_list(read_yaml(path), "use_cases", path)
    criteria = load_criteria()
    candidates = []
    for n, item in enumerate(items, 1):
        where = f"{path}: use case {n}"
        if not isinstance(item, dict) or not str(item.get("id", "")).strip():
            raise PortfolioFileError(f"{where}: needs an 'id'")
        if "scores" in item:
            scores = item["scores"]
            known = {c.id for c in criteria}
            if not isinstance(scores, dict) or set(scores) - known:
                raise PortfolioFileError(f"{where}: 'scores' may only name {sorted(known)}")
            if any(not isinstance(v, int) or not 1 <= v <= 5 for v in scores.values()):
                raise PortfolioFileError(f"{where}: every score must be 1 to 5")
            value = axis_score(criteria, Axis.VALUE, scores) or 0.0
            feasibility = axis_score(criteria, Axis.FEASIBILITY, scores) or 0.0
        else:
            value = _number(item, "value", where, 0, 100)
            feasibility = _number(item, "feasibility", where, 0, 100)
        candidates.append(
            Candidate(
                id=str(item["id"]),
                value=value,
                feasibility=feasibility,
                cost=_number(item, "cost", where, 0, 1e12),
                days=_number(item, "days", where, 0, 1e6),
            )
        )
    ids = [c.id for c in candidates]
    if len(set(ids)) != len(ids):
        raise PortfolioFileError(f"{path}: use case ids must be unique")
    return candidates


def optimize(args: argparse.Namespace) -> int:
    if args.budget < 0 or args.capacity < 0:
        raise SystemExit("startklar usecases: budget and capacity must not be negative")
    try:
        candidates = read_portfolio(Path(args.portfolio))
    except YamlFileError as error:
        raise SystemExit(f"startklar usecases: {error}") from error
    plan = optimise(candidates, args.budget, args.capacity)
    result = {
        "budget": args.budget,
        "capacity": args.capacity,
        "feasible": plan.feasible,
        "chosen": [c.id for c in plan.chosen],
        "value": round(plan.value, 2),
        "cost": round(plan.cost, 2),
        "days": round(plan.days, 2),
        "decisions": [{"id": d.candidate.id, "why": d.why.value} for d in plan.decisions],
        "focus": [c.id for c in focus_set(candidates)],
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        if not plan.feasible:
            print("Kein Use Case passt allein in Budget und Kapazität / nothing fits the limits.")
        print(f"Auswahl / chosen: {', '.join(c.id for c in plan.chosen) or '-'}")
        print(f"Wert {result['value']}, Kosten {result['cost']} EUR, {result['days']} PT")
        for d in plan.decisions:
            print(f"  {d.candidate.id}: {d.why.value}")
    return 0


def register(commands: Any) -> None:
    usecases = commands.add_parser("usecases", help="use-case catalogue and portfolio")
    actions = usecases.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = actions.add_parser("search", help="search the use-case catalogue")
    p.add_argument("query", help='e.g. "Rechnungen erfassen"')
    p.add_argument("--function", help="function id, e.g. controlling")
    p.add_argument("--technique", choices=[t.value for t in Technique])
    p.add_argument("--effort", choices=[e.value for e in Effort])
    p.add_argument("--quick-win", action="store_true", help="quick wins only")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--lang", choices=["de", "en"], default="de")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=search)
    p = actions.add_parser("optimize", help="best set of use cases under budget and capacity")
    p.add_argument("portfolio", help="YAML file with use_cases (see examples/usecases/)")
    p.add_argument("--budget", type=float, required=True, help="EUR")
    p.add_argument("--capacity", type=float, required=True, help="person-days")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=optimize)
