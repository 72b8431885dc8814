"""Use-case content in version folders (``<version>/catalogue/<function>.yaml`` and
``<version>/criteria.yaml``), loaded into engine dataclasses and checked on the way in (pure
Python, no Django; the kit is ``startklar.core.content``).

Criterion scores keep the version of the criteria they were given with; ``CURRENT_VERSION`` is
what new scores and the catalogue pages use. Released versions are frozen (``released.json``).

``stems.json`` holds the stem of every word of the catalogues (of every version) as the installed
stemmer computes it, so that building the search index need not stem four thousand words; it is
used only with the stemmer version it was written with (``tests/test_search_index.py`` checks
it and writes it anew with ``STARTKLAR_WRITE_STEMS=1``).
"""

from __future__ import annotations

import functools
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from startklar.core.content import ContentError, Versions, at, reading, text, triple, unique
from startklar.core.text import Text
from startklar.usecases.engine.catalogue import (
    Catalogue,
    Effort,
    Entry,
    EntryKind,
    Estimates,
    Function,
    ImplementationPath,
    Kpi,
    KpiCategory,
    Risk,
    Technique,
)
from startklar.usecases.engine.portfolio import Axis, Criterion

FOLDER = Path(__file__).resolve().parent
STEMS = FOLDER / "stems.json"
VERSIONS = Versions("usecases", FOLDER)
CURRENT_VERSION = "2026.1"
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


def available_versions() -> list[str]:
    return VERSIONS.available()


def _entry(data: Any, function: str) -> Entry:
    entry_id = str(data.get("id", "")) if isinstance(data, dict) else ""
    where = at(f"entry {entry_id or '?'}", data)
    if not entry_id.startswith(f"{function}."):
        raise ContentError(f"{where}: id must start with '{function}.'")
    with reading(where):
        kpis = tuple(Kpi(text(k["name"], where), KpiCategory(k["category"])) for k in data["kpis"])
        if not 2 <= len(kpis) <= 4:
            raise ContentError("needs 2 to 4 KPIs")
        estimates = data["estimates"]
        keywords = data["keywords"]
        return Entry(
            id=entry_id,
            function=function,
            title=text(data["title"], where),
            problem=text(data["problem"], where),
            solution=text(data["solution"], where),
            technique=Technique(data["technique"]),
            data=text(data["data"], where),
            kpis=kpis,
            effort=Effort(data["effort"]),
            path=ImplementationPath(data["path"]),
            products=text(data["products"], where),
            kind=EntryKind(data["kind"]),
            risk=Risk(data["ai_act"]["risk"]),
            risk_note=text(data["ai_act"]["note"], where),
            pitfalls=text(data["pitfalls"], where),
            examples=tuple(text(e, where) for e in data.get("examples") or ()),
            keywords_de=tuple(str(k) for k in keywords["de"]),
            keywords_en=tuple(str(k) for k in keywords["en"]),
            estimates=Estimates(
                one_off_eur=triple(estimates["one_off_eur"], f"{where} one_off_eur"),
                monthly_eur=triple(estimates["monthly_eur"], f"{where} monthly_eur"),
                person_days=triple(estimates["person_days"], f"{where} person_days"),
                hours_saved_per_month=triple(
                    estimates["hours_saved_per_month"], f"{where} hours_saved_per_month"
                ),
            ),
        )


@functools.cache
def load_catalogue(version: str = CURRENT_VERSION) -> Catalogue:
    functions = tuple(Function(i, Text(de, en)) for i, de, en in FUNCTIONS)
    known = {f.id for f in functions}
    entries: list[Entry] = []
    for path in sorted(VERSIONS.path(version, "catalogue").glob("*.yaml")):
        with VERSIONS.reading(version, f"catalogue/{path.name}") as data:
            function = data.get("function") if isinstance(data, dict) else None
            if function not in known or path.stem != function:
                raise ContentError("'function' must be one of the known ids and the file's name")
            entries.extend(_entry(e, function) for e in data.get("entries") or ())
    with reading(f"usecases {version}/catalogue"):
        unique([e.id for e in entries], "entry ids")
    return Catalogue(functions, tuple(entries))


@functools.cache
def load_criteria(version: str = CURRENT_VERSION) -> tuple[Criterion, ...]:
    criteria = []
    with VERSIONS.reading(version, "criteria.yaml") as data:
        for item in data["criteria"]:
            where = at(f"criterion {item.get('id')}", item)
            weight = item["weight"]
            if not isinstance(weight, int | float) or weight <= 0:
                raise ContentError(f"{where}: weight must be positive")
            criteria.append(
                Criterion(
                    id=item["id"],
                    axis=Axis(item["axis"]),
                    name=text(item["name"], where),
                    help=text(item["help"], where),
                    weight=float(weight),
                    informed_by=item.get("informed_by"),
                )
            )
        unique([c.id for c in criteria], "criterion ids")
    return tuple(criteria)


def stemmer_version() -> str:
    return metadata.version("snowballstemmer")


@functools.cache
def load_stems() -> dict[str, str]:
    """The catalogue words' stems (``stems.json``); none if they were computed by another
    version of the stemmer than the installed one, or the file is not of the expected shape."""
    try:
        data = json.loads(STEMS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("stemmer") != stemmer_version():
        return {}
    stems = data.get("stems")
    if not isinstance(stems, dict):
        return {}
    return {str(k): str(v) for k, v in stems.items()}
