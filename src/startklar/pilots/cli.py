"""``startklar pilot evaluate PILOT.yaml [--json] [--lang de|en]`` and
``startklar pilot export ORG_SLUG PILOT_ID [-o FILE]``.

``evaluate`` runs without a database: a pilot file (``docs/pilot-file.md``) through the same
engine calls the pages make – a KPI's status as ``pilots.dashboard.status`` (progress of the
latest value, the forecast for the target date from the measurements' sums, the traffic light),
a review plan's figures as ``reviews.queries.plan_summaries`` (Wilson 95 % intervals per period
and overall, alerts with the plan's threshold and baseline, the trend, the sample size the
wanted precision needs), and the scale decision's gate from the evidence. ``export`` writes a
pilot of the database in that format, so the CLI and the pages can be held side by side.

Exit codes: 0 done, 2 a file or argument that cannot be used (the message names line and field).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engines load scipy: imported where used, not by every startklar command
    from . import engine
    from .pilotfile import KpiSpec, PeriodSpec, PilotSpec, PlanSpec

FORMAT_VERSION = 1  # of the JSON structure ``evaluate --json`` prints (docs/pilot-file.md)
USAGE_ERROR = 2


class CommandError(Exception):
    """What the command says on stderr before it exits with :data:`USAGE_ERROR`."""


# Evaluation: the engines as the pages call them ----------------------------------------------


def _kpi(kpi: KpiSpec) -> dict[str, Any]:
    from . import engine

    sums = engine.Sums.of(kpi.measurements)
    ahead = engine.forecast_from_sums(sums, kpi.target_date)
    status = engine.status_of(kpi.direction, kpi.baseline, kpi.target, kpi.latest, ahead)
    latest = kpi.measurements[-1] if kpi.measurements else None
    return {
        "name": kpi.name,
        "category": kpi.category,
        "unit": kpi.unit,
        "direction": str(kpi.direction),
        "baseline": {"value": kpi.baseline, "date": kpi.baseline_date.isoformat()},
        "target": {"value": kpi.target, "date": kpi.target_date.isoformat()},
        "measurements": len(kpi.measurements),
        "latest": None
        if latest is None
        else {"date": latest.day.isoformat(), "value": latest.value},
        "progress": status.progress,  # share of the way from baseline to target
        "percent": None if status.progress is None else round(status.progress * 100),
        "forecast": None
        if ahead is None
        else {
            "date": ahead.day.isoformat(),
            "value": ahead.value,
            "low": ahead.interval.low,
            "high": ahead.interval.high,
            "confidence": engine.FORECAST_CONFIDENCE,
        },
        "light": str(status.light),
        "reason": str(status.reason),
        "missed": kpi.missed,  # for the gate: misses the target without a waiver
        "waiver": kpi.waiver,
    }


def _plan(plan: PlanSpec) -> tuple[dict[str, Any], engine.ReviewFacts]:
    from startklar.reviews import engine as reviews

    from . import engine, pilotfile

    judged = reviews.periods(
        [(p.start, p.errors, p.items) for p in plan.periods], plan.threshold, plan.baseline
    )
    items = sum(p.result.items for p in judged)
    errors = sum(p.result.errors for p in judged)
    overall = reviews.wilson_interval(errors, items)
    rate = errors / items if items else None
    alerts = pilotfile.open_alerts(plan, [p.result.alert for p in judged])
    required = plan.required
    facts = engine.ReviewFacts(
        name=plan.name,
        enough=items >= required,
        rate=rate,
        threshold=plan.threshold,
        open_alerts=alerts,
    )
    data = {
        "name": plan.name,
        "system": plan.system,
        "cadence": str(plan.cadence),
        "active": plan.active,
        "threshold": plan.threshold,
        "precision": plan.precision,
        "confidence": plan.confidence,  # of the sample size; the intervals are 95 %
        "expected_rate": plan.expected_rate,
        "required": required,
        "items_judged": items,
        "errors": errors,
        "enough": facts.enough,
        "rate": rate,
        "low": overall.low,
        "high": overall.high,
        "open_alerts": alerts,
        "trend": str(reviews.trend(judged)),
        "periods": [
            {
                "start": p.start.isoformat(),
                "end": reviews.period_end(p.start, plan.cadence).isoformat(),
                "items": p.result.items,
                "errors": p.result.errors,
                "rate": p.result.rate,
                "low": p.result.interval.low,
                "high": p.result.interval.high,
                "alert": p.result.alert,
                "reasons": [str(r) for r in p.result.reasons],
                "handled": spec.handled,
            }
            for p, spec in zip(judged, plan.periods, strict=True)
        ],
    }
    return data, facts


def evaluate(pilot: PilotSpec) -> dict[str, Any]:
    """The pilot's figures as JSON-ready data (the structure ``--json`` prints)."""
    from . import engine, pilotfile

    plans = [_plan(plan) for plan in pilot.reviews]
    facts = pilotfile.evidence(
        pilot, [(spec, f) for spec, (_data, f) in zip(pilot.reviews, plans, strict=True)]
    )
    gate = engine.gate(facts)
    return {
        "format": FORMAT_VERSION,
        "name": pilot.name,
        "start": pilot.start.isoformat(),
        "end": pilot.end.isoformat(),
        "kpis": [_kpi(kpi) for kpi in pilot.kpis],
        "reviews": [data for data, _facts in plans],
        "gate": {
            "ready": gate.ready,
            "blocked": gate.blocked,
            "met": sum(1 for item in gate.items if item.passes),
            "open": [str(item) for item in gate.open],
            "items": [
                {
                    "item": str(item.item),
                    "state": str(item.state),
                    "passes": item.passes,
                    "reason": str(item.reason),
                    "names": list(item.names),
                    "note": pilot.gate.notes.get(item.item, ""),
                }
                for item in gate.items
            ],
        },
    }


# Human output ----------------------------------------------------------------------------


def _i18n() -> None:
    """Django's translations and formats without a database: the pages' own wording."""
    from startklar.core import offline

    offline.configure()


def render(data: dict[str, Any], pilot: PilotSpec, language: str) -> str:
    """The evaluation in words, German or English."""
    _i18n()
    from django.utils import translation

    with translation.override(language):
        return "\n".join(_lines(data, _figures(pilot)))


def _number(value: float, places: int = 2) -> str:
    """A value with as few decimals as it needs (at most ``places``), in the language's
    format."""
    from django.utils.formats import number_format

    rounded = round(value, places)
    text = f"{rounded:.{places}f}".rstrip("0").rstrip(".") if places else f"{rounded:.0f}"
    decimals = len(text.split(".")[1]) if "." in text else 0
    return str(number_format(Decimal(text), decimals, use_l10n=True, force_grouping=True))


def _share(value: float | None, places: int = 1, exact: bool = True) -> str:
    """A share as a percentage: a rate with ``places`` decimals (9,1 %), or a setting with
    as few as it needs (``exact`` False: 10 %, 99,5 %)."""
    from django.utils.formats import number_format
    from django.utils.translation import get_language

    if value is None:
        return "–"
    if exact:
        text = str(number_format(round(value * 100, places), places, use_l10n=True))
    else:
        text = _number(value * 100, places)
    return f"{text} %" if (get_language() or "de").startswith("de") else f"{text}%"


def _day(iso: str) -> str:
    from django.utils.formats import date_format

    return str(date_format(datetime.date.fromisoformat(iso), "DATE_FORMAT"))


def _period(iso: str, cadence: str) -> str:
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from startklar.reviews import engine as reviews

    day = datetime.date.fromisoformat(iso)
    if cadence == reviews.Cadence.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return _("Week %(week)d/%(year)d") % {"week": week, "year": year}
    return str(date_format(day, "M Y"))


def _kpi_lines(kpi: dict[str, Any]) -> list[str]:
    from django.utils.translation import gettext as _

    from . import engine
    from .labels import LIGHT_REASONS, LIGHTS

    unit = f" {kpi['unit']}" if kpi["unit"] else ""
    direction = _("higher is better") if kpi["direction"] == "higher" else _("lower is better")
    lines = [f"  {kpi['name']} ({direction})"]
    lines.append(
        "    "
        + _("Baseline %(baseline)s, target %(target)s by %(date)s")
        % {
            "baseline": _number(kpi["baseline"]["value"]) + unit,
            "target": _number(kpi["target"]["value"]) + unit,
            "date": _day(kpi["target"]["date"]),
        }
    )
    if kpi["latest"] is None:
        lines.append("    " + _("No measurement yet."))
    else:
        lines.append(
            "    "
            + _("Latest %(value)s (%(date)s): %(percent)s of the way to the target")
            % {
                "value": _number(kpi["latest"]["value"]) + unit,
                "date": _day(kpi["latest"]["date"]),
                "percent": _share(kpi["percent"] / 100, 0, exact=False),
            }
        )
    ahead = kpi["forecast"]
    if ahead is not None:
        lines.append(
            "    "
            + _("Forecast for %(date)s: %(value)s (80 %% range %(low)s – %(high)s)")
            % {
                "date": _day(ahead["date"]),
                "value": _number(ahead["value"]) + unit,
                "low": _number(ahead["low"]),
                "high": _number(ahead["high"]) + unit,
            }
        )
    light = engine.Light(kpi["light"])
    reason = engine.LightReason(kpi["reason"])
    lines.append(f"    {LIGHTS[light]} – {LIGHT_REASONS[reason]}")
    if kpi["waiver"]:
        lines.append(f"    {_('Documented reason:')} {kpi['waiver']}")
    return lines


def _plan_lines(plan: dict[str, Any]) -> list[str]:
    from django.utils.translation import gettext as _

    from startklar.reviews import engine as reviews
    from startklar.reviews.labels import REASONS_SHORT, TRENDS

    cadence = _("weekly") if plan["cadence"] == reviews.Cadence.WEEKLY else _("monthly")
    lines = [f"  {plan['name']} ({cadence})"]
    if not plan["active"]:
        lines.append("    " + _("Paused: not counted for the scale decision."))
    lines.append(
        "    "
        + _(
            "%(n)d items judged of %(required)d needed (± %(points)s percentage points at "
            "%(confidence)s confidence)"
        )
        % {
            "n": plan["items_judged"],
            "required": plan["required"],
            "points": _number(plan["precision"] * 100, 1),
            "confidence": _share(plan["confidence"], exact=False),
        }
    )
    lines.append(
        "    "
        + _(
            "Error rate %(rate)s (95 %% interval %(low)s – %(high)s), threshold "
            "%(threshold)s; trend: %(trend)s"
        )
        % {
            "rate": _share(plan["rate"]),
            "low": _share(plan["low"]),
            "high": _share(plan["high"]),
            "threshold": _share(plan["threshold"], exact=False),
            "trend": TRENDS[reviews.Trend(plan["trend"])],
        }
    )
    for period in plan["periods"]:
        line = "      " + _(
            "%(period)s: %(rate)s (%(low)s – %(high)s), %(errors)d of %(n)d items wrong"
        ) % {
            "period": _period(period["start"], plan["cadence"]),
            "errors": period["errors"],
            "n": period["items"],
            "rate": _share(period["rate"]),
            "low": _share(period["low"]),
            "high": _share(period["high"]),
        }
        if period["alert"]:
            reasons = ", ".join(
                str(REASONS_SHORT[reviews.AlertReason(r)]) for r in period["reasons"]
            )
            line += " – " + _("alert: %(reasons)s") % {"reasons": reasons}
        if period["handled"]:
            line += " – " + _("dealt with: %(note)s") % {"note": period["handled"]}
        lines.append(line)
    if plan["open_alerts"]:
        lines.append("    " + _("Open alerts: %(n)d") % {"n": plan["open_alerts"]})
    return lines


# The gate's items in words: the same msgids as ``pilots.models.GateItem``.
def _item_labels() -> dict[str, str]:
    from django.utils.translation import gettext as _

    from . import engine

    return {
        engine.GateItem.KPIS: _("KPIs at target"),
        engine.GateItem.ERROR_RATE: _("Error rate under the threshold"),
        engine.GateItem.BUSINESS_CASE: _("Business case: actual against plan"),
        engine.GateItem.AI_ACT: _("AI Act classification and duties"),
        engine.GateItem.DPIA: _("Data protection impact assessment"),
        engine.GateItem.DPA: _("Data-processing agreement"),
        engine.GateItem.LITERACY: _("AI literacy of every user"),
        engine.GateItem.OPERATION_OWNER: _("Owner in operation"),
        engine.GateItem.USAGE_POLICY: _("Usage policy acknowledged"),
    }


def _gate_lines(gate: dict[str, Any], figures: dict[str, str]) -> list[str]:
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from . import engine
    from .labels import GATE_REASONS, GATE_STATES

    # Reasons whose sentence the page completes with the note, or with figures.
    noted = {
        engine.GateReason.WAIVED,
        engine.GateReason.DUTIES_ADDRESSED,
        engine.GateReason.POLICY_ACKNOWLEDGED,
    }
    figured = {
        engine.GateReason.OWNER_NAMED,
        engine.GateReason.PLAN_REACHED,
        engine.GateReason.BEHIND_PLAN,
    }
    labels = _item_labels()
    if gate["ready"]:
        head = _("Scale decision: ready")
    else:
        n = len(gate["open"])
        head = ngettext(
            "Scale decision: %(n)d item open", "Scale decision: %(n)d items open", n
        ) % {"n": n}
    lines = [head]
    for item in gate["items"]:
        mark = "✓" if item["passes"] else "✗"
        state = GATE_STATES[engine.GateState(item["state"])]
        reason = str(GATE_REASONS[engine.GateReason(item["reason"])])
        detail = " ".join(
            part
            for part in (
                reason,
                ", ".join(item["names"]),
                item["note"] if item["reason"] in noted else "",
                figures.get(item["item"], "") if item["reason"] in figured else "",
            )
            if part
        )
        lines.append(f"  {mark} {labels[item['item']]}: {state} – {detail}")
    return lines


def _lines(data: dict[str, Any], figures: dict[str, str]) -> list[str]:
    from django.utils.translation import gettext as _

    lines = [
        _("Pilot %(name)s, %(start)s – %(end)s")
        % {"name": data["name"], "start": _day(data["start"]), "end": _day(data["end"])},
        "",
        _("KPIs"),
    ]
    for kpi in data["kpis"]:
        lines += _kpi_lines(kpi)
    if not data["kpis"]:
        lines.append("  –")
    lines += ["", _("Quality reviews")]
    for plan in data["reviews"]:
        lines += _plan_lines(plan)
    if not data["reviews"]:
        lines.append("  –")
    lines.append("")
    lines += _gate_lines(data["gate"], figures)
    return lines


# The commands ----------------------------------------------------------------------------


def _fail(message: str) -> int:
    print(f"startklar pilot: {message}", file=sys.stderr)
    return USAGE_ERROR


def run_evaluate(args: argparse.Namespace) -> int:
    from startklar.core.yamlfile import YamlFileError

    from . import pilotfile

    try:
        pilot = pilotfile.read(Path(args.file))
    except YamlFileError as error:  # PilotFileError too: the message names line and field
        return _fail(str(error))
    data = evaluate(pilot)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(render(data, pilot, args.lang))
    return 0


def _figures(pilot: PilotSpec) -> dict[str, str]:
    """What the gate page adds to a reason: the business case's figures, the owner's name."""
    from django.utils.translation import gettext as _

    from . import engine

    found: dict[str, str] = {}
    case = pilot.gate.business_case
    if case is not None and case[0] is not None and case[1] is not None:
        figures = _("realised %(actual)s of %(planned)s planned") % {
            "actual": _money(case[1]),
            "planned": _money(case[0]),
        }
        found[engine.GateItem.BUSINESS_CASE] = f"({figures})"
    if pilot.gate.operation_owner:
        found[engine.GateItem.OPERATION_OWNER] = pilot.gate.operation_owner
    return found


def _money(value: float) -> str:
    from django.utils.translation import get_language

    amount = _number(value, 0)
    return f"{amount} €" if (get_language() or "de").startswith("de") else f"€{amount}"


def from_database(organisation: str, pilot_id: int) -> PilotSpec:
    """A pilot of the database as the file holds it: its KPIs with every measurement, the
    review plans of its AI systems with items judged and errors per period, and the gate's
    evidence as ``pilots.queries.evidence`` gathers it (Django must be set up)."""
    from startklar.organisations.models import Membership, Organisation, Role
    from startklar.organisations.tenancy import Tenant
    from startklar.reviews.models import ReviewAlert, ReviewPlan

    from . import engine, pilotfile, queries
    from .models import Pilot

    found = Organisation.objects.filter(slug=organisation).first()
    if found is None:
        raise CommandError(f"no organisation with the slug '{organisation}'")
    pilot = Pilot.objects.filter(organisation=found, pk=pilot_id).select_related("use_case").first()
    if pilot is None:
        raise CommandError(f"{organisation} has no pilot number {pilot_id}")
    members = Membership.objects.filter(organisation=found).order_by("pk")
    membership = members.filter(role=Role.OWNER).first() or members.first()
    if membership is None:
        raise CommandError(f"{organisation} has no members")
    tenant = Tenant(organisation=found, membership=membership)
    evidence = queries.evidence(tenant, pilot)
    facts = evidence.facts
    kpis = []
    for kpi in pilot.kpis.order_by("position", "pk").prefetch_related("measurements"):
        kpis.append(
            pilotfile.KpiSpec(
                name=kpi.name,
                category=kpi.category,
                unit=kpi.unit,
                direction=engine.Direction(kpi.direction),
                period=kpi.period,
                baseline=float(kpi.baseline_value),
                baseline_date=kpi.baseline_date,
                baseline_method=kpi.baseline_method,
                target=float(kpi.target_value),
                target_date=kpi.target_date,
                waiver=kpi.waiver.strip(),
                measurements=tuple(
                    engine.Measurement(m.period, float(m.value))
                    for m in sorted(kpi.measurements.all(), key=lambda m: m.period)
                ),
            )
        )
    plans = {
        plan.pk: plan
        for plan in ReviewPlan.objects.filter(pk__in=[r.plan_id for r in evidence.reviews])
    }
    alerts: dict[int, dict[datetime.date, ReviewAlert]] = {}
    for found_alert in ReviewAlert.objects.filter(plan_id__in=list(plans)):
        alerts.setdefault(found_alert.plan_id, {})[found_alert.period] = found_alert
    specs = []
    for summary in evidence.reviews:
        plan = plans[summary.plan_id]
        of_plan = alerts.get(plan.pk, {})
        periods = []
        for row in summary.periods:
            periods.append(
                _period_spec(row.start, row.n, row.errors, row.alert, of_plan.pop(row.start, None))
            )
        # An alert still open for a period without judged items (all its verdicts withdrawn).
        periods += [
            _period_spec(day, 0, 0, False, stale)
            for day, stale in sorted(of_plan.items())
            if stale.acknowledged_at is None
        ]
        specs.append(
            pilotfile.PlanSpec(
                name=plan.title,
                system=summary.ai_system_name,
                cadence=plan.engine_cadence,
                active=plan.active,
                threshold=plan.threshold_share,
                precision=float(plan.margin) / 100,
                confidence=float(plan.confidence) / 100,
                expected_rate=None
                if plan.expected_rate is None
                else float(plan.expected_rate) / 100,
                baseline=plan.baseline,
                periods=tuple(sorted(periods, key=lambda p: p.start)),
            )
        )
    notes = {
        engine.GateItem(item): note.text
        for item, note in evidence.notes.items()
        if engine.GateItem(item) in pilotfile.NOTE_ITEMS and note.text.strip()
    }
    has_case = facts.has_business_case
    return pilotfile.PilotSpec(
        name=str(pilot),
        goal=pilot.goal.strip(),
        start=pilot.start,
        end=pilot.planned_end,
        systems=facts.systems,
        kpis=tuple(kpis),
        reviews=tuple(specs),
        gate=pilotfile.GateSpec(
            business_case=(facts.planned, facts.actual) if has_case else None,
            classified=facts.classified,
            prohibited=facts.prohibited,
            duties=facts.duties,
            dpia=facts.dpia,
            dpa_missing=facts.dpa_missing,
            users=facts.users,
            untrained=facts.untrained,
            operation_owner=pilot.operation_owner.strip(),
            notes=notes,
        ),
    )


def _period_spec(
    start: datetime.date, items: int, errors: int, alerts: bool, alert: Any
) -> PeriodSpec:
    """A period with its alert as the database holds it: dealt with (and the note), or open
    although the figures no longer alert."""
    from . import pilotfile

    if alert is not None and alert.acknowledged_at is not None:
        return pilotfile.PeriodSpec(start, items, errors, "handled", alert.note)
    if alert is not None and not alerts:
        return pilotfile.PeriodSpec(start, items, errors, "open")
    return pilotfile.PeriodSpec(start, items, errors)


def export_text(organisation: str, pilot_id: int) -> str:
    from . import pilotfile

    pilot = from_database(organisation, pilot_id)
    today = datetime.date.today().isoformat()
    header = (
        f"Pilot-Datei, aus Startklar exportiert am {today} ({organisation}, Pilot {pilot_id}).",
        "Auswerten: startklar pilot evaluate DATEI [--json] [--lang en]",
        "Format: docs/pilot-file.md",
    )
    return pilotfile.dump(pilot, header)


def run_export(args: argparse.Namespace) -> int:
    from startklar import cli

    cli._setup(os.environ.get("DJANGO_SETTINGS_MODULE", cli.LOCAL_SETTINGS))
    from django.db import DatabaseError

    try:
        text = export_text(args.organisation, args.pilot)
    except CommandError as error:
        return _fail(str(error))
    except DatabaseError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return _fail(
            f"the database cannot be used ({first}); is STARTKLAR_VAR_DIR or DATABASE_URL "
            "the one the web application uses?"
        )
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        return _fail(f"{target}: cannot write the file ({error.strerror})")
    return 0


def _pilot_id(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a pilot's number (e.g. 12)")
    return int(value)


def register(commands: Any) -> None:
    pilot = commands.add_parser("pilot", help="a pilot's KPIs, reviews and scale decision")
    actions = pilot.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = actions.add_parser(
        "evaluate",
        help="KPI progress, review error rates with intervals and the gate of a pilot file",
    )
    p.add_argument("file", help="YAML file (see docs/pilot-file.md and examples/pilots/)")
    p.add_argument("--json", action="store_true", help="machine-readable (docs/pilot-file.md)")
    p.add_argument("--lang", choices=["de", "en"], default="de")
    p.set_defaults(handler=run_evaluate)
    p = actions.add_parser("export", help="write a pilot of the database as a pilot file")
    p.add_argument("organisation", help="the organisation's slug (as in its web addresses)")
    p.add_argument("pilot", type=_pilot_id, help="the pilot's number (as in its web address)")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(handler=run_export)


def main(argv: Sequence[str] | None = None) -> int:
    """``startklar pilot …`` in-process (tests): the whole command line's parser."""
    from startklar.cli import main as startklar_main

    return startklar_main(["pilot", *(argv or [])])
