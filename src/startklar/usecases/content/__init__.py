"""Use-case content: the catalogue (``catalogue/<function>.yaml``) and the criteria of the
potential analysis (``criteria.yaml``), loaded into engine dataclasses and checked on the way in
(pure Python, no Django)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from startklar.core.text import Text
from startklar.usecases.engine.catalogue import (
    Catalogue,
    Effort,
    Entry,
    Estimates,
    Function,
    Kind,
    Kpi,
    KpiCategory,
    Risk,
    Technique,
    Triple,
)
from startklar.usecases.engine.catalogue import Path as UseCasePath
from startklar.usecases.engine.portfolio import Axis, Criterion

FOLDER = Path(__file__).resolve().parent
FUNCTIONS: tuple[tuple[str, str, str], ...] = (
    ("kundenservice", "Kundenservice & Support", "Customer service & support"),
    ("vertrieb", "Vertrieb & Angebote", "Sales & quotes"),
    ("marketing", "Marketing & Content", "Marketing & content"),
    ("controlling", "Controlling & Finanzen", "Controlling & finance"),
    ("einkauf", "Einkauf & Bedarfsprognose", "Purchasing & demand forecasting"),
    ("administration", "Administration & Personal", "Administration & HR"),
    ("wissen", "Wissensmanagement & interne Suche", "Knowledge management & internal search"),
    ("qualitaet", "Qualitätssicherung", "Quality assurance"),
    ("produktion", "Produktion & Instandhaltung", "Production & maintenance"),
    ("logistik", "Logistik & Lager", "Logistics & warehouse"),
    ("forschung", "Forschung & Produktentwicklung", "Research & product development"),
)


class ContentError(ValueError):
    """A content file breaks a rule; the message names the file and the entry."""


def _text(value: Any, where: str) -> Text:
    if not (
        isinstance(value, dict)
        and all(isinstance(value.get(k), str) and value[k].strip() for k in ("de", "en"))
    ):
        raise ContentError(f"{where}: needs non-empty 'de' and 'en' texts")
    return Text(value["de"].strip(), value["en"].strip())


def _triple(value: Any, where: str) -> Triple:
    if not (
        isinstance(value, list)
        and len(value) == 3
        and all(isinstance(v, int | float) and v >= 0 for v in value)
        and value[0] <= value[1] <= value[2]
    ):
        raise ContentError(f"{where}: needs [min, most likely, max], 0 ≤ min ≤ likely ≤ max")
    return Triple(float(value[0]), float(value[1]), float(value[2]))


def _entry(data: dict[str, Any], function: str, where: str) -> Entry:
    entry_id = str(data.get("id", ""))
    where = f"{where} {entry_id or '?'}"
    if not entry_id.startswith(f"{function}."):
        raise ContentError(f"{where}: id must start with '{function}.'")
    try:
        kpis = tuple(Kpi(_text(k["name"], where), KpiCategory(k["category"])) for k in data["kpis"])
        if not 2 <= len(kpis) <= 4:
            raise ContentError(f"{where}: needs 2 to 4 KPIs")
        estimates = data["estimates"]
        keywords = data["keywords"]
        return Entry(
            id=entry_id,
            function=function,
            title=_text(data["title"], where),
            problem=_text(data["problem"], where),
            solution=_text(data["solution"], where),
            technique=Technique(data["technique"]),
            data=_text(data["data"], where),
            kpis=kpis,
            effort=Effort(data["effort"]),
            path=UseCasePath(data["path"]),
            products=_text(data["products"], where),
            kind=Kind(data["kind"]),
            risk=Risk(data["ai_act"]["risk"]),
            risk_note=_text(data["ai_act"]["note"], where),
            pitfalls=_text(data["pitfalls"], where),
            examples=tuple(_text(e, where) for e in data.get("examples") or ()),
            keywords_de=tuple(str(k) for k in keywords["de"]),
            keywords_en=tuple(str(k) for k in keywords["en"]),
            estimates=Estimates(
                one_off_eur=_triple(estimates["one_off_eur"], where),
                monthly_eur=_triple(estimates["monthly_eur"], where),
                person_days=_triple(estimates["person_days"], where),
                hours_saved_per_month=_triple(estimates["hours_saved_per_month"], where),
            ),
        )
    except (KeyError, TypeError) as error:
        raise ContentError(f"{where}: missing or malformed {error}") from error
    except ValueError as error:
        if isinstance(error, ContentError):
            raise
        raise ContentError(f"{where}: {error}") from error


@functools.cache
def load_catalogue(folder: Path = FOLDER / "catalogue") -> Catalogue:
    functions = tuple(Function(i, Text(de, en)) for i, de, en in FUNCTIONS)
    known = {f.id for f in functions}
    entries: list[Entry] = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        function = data.get("function") if isinstance(data, dict) else None
        if function not in known or path.stem != function:
            raise ContentError(f"{path.name}: 'function' must be one of the known ids and the name")
        entries.extend(_entry(e, function, path.name) for e in data.get("entries") or ())
    ids = [e.id for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ContentError(f"duplicate entry ids: {', '.join(duplicates)}")
    return Catalogue(functions, tuple(entries))


@functools.cache
def load_criteria() -> tuple[Criterion, ...]:
    data = yaml.safe_load((FOLDER / "criteria.yaml").read_text(encoding="utf-8"))
    criteria = []
    for item in data["criteria"]:
        where = f"criteria.yaml {item.get('id')}"
        weight = item["weight"]
        if not isinstance(weight, int | float) or weight <= 0:
            raise ContentError(f"{where}: weight must be positive")
        criteria.append(
            Criterion(
                id=item["id"],
                axis=Axis(item["axis"]),
                name=_text(item["name"], where),
                help=_text(item["help"], where),
                weight=float(weight),
                informed_by=item.get("informed_by"),
            )
        )
    return tuple(criteria)
