"""The use-case catalogue as dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from startklar.core.text import Text


class Technique(StrEnum):
    TEXT = "text"
    DOKUMENTE = "dokumente"
    BILD_TON = "bild-ton"
    ZEITREIHEN = "zeitreihen"
    CLUSTER = "cluster"
    ASSISTENZ = "assistenz"
    SENSORIK = "sensorik"
    ROBOTIK = "robotik"


class Effort(StrEnum):
    NIEDRIG = "niedrig"
    MITTEL = "mittel"
    HOCH = "hoch"


class Path(StrEnum):
    MAKE = "make"
    BUY = "buy"
    PARTNER = "partner"


class Kind(StrEnum):
    QUICK_WIN = "quick-win"
    STRUKTURHEBEL = "strukturhebel"


class KpiCategory(StrEnum):
    EFFIZIENZ = "effizienz"
    QUALITAET = "qualitaet"
    WIRKUNG = "wirkung"


class Risk(StrEnum):
    MINIMAL = "minimal"
    TRANSPARENZ = "transparenz"
    HOCHRISIKO = "hochrisiko"
    PRUEFEN = "pruefen"


@dataclass(frozen=True)
class Kpi:
    name: Text
    category: KpiCategory


@dataclass(frozen=True)
class Triple:
    """A three-point estimate: minimum, most likely, maximum."""

    low: float
    likely: float
    high: float


@dataclass(frozen=True)
class Estimates:
    one_off_eur: Triple
    monthly_eur: Triple
    person_days: Triple
    hours_saved_per_month: Triple


@dataclass(frozen=True)
class Function:
    id: str
    name: Text


@dataclass(frozen=True)
class Entry:
    id: str
    function: str
    title: Text
    problem: Text
    solution: Text
    technique: Technique
    data: Text
    kpis: tuple[Kpi, ...]
    effort: Effort
    path: Path
    products: Text
    kind: Kind
    risk: Risk
    risk_note: Text
    pitfalls: Text
    examples: tuple[Text, ...]
    keywords_de: tuple[str, ...]
    keywords_en: tuple[str, ...]
    estimates: Estimates


@dataclass(frozen=True)
class Catalogue:
    functions: tuple[Function, ...]
    entries: tuple[Entry, ...]

    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def function(self, function_id: str) -> Function | None:
        return next((f for f in self.functions if f.id == function_id), None)
