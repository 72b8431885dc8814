"""The use-case catalogue as dataclasses.

The enum values are the stable ids of the content files (German words, e.g. ``dokumente``);
the member names say in English what they are. People read the labels of
``usecases/labels.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from startklar.core.text import Text
from startklar.core.values import Triple


class Technique(StrEnum):
    TEXT = "text"
    DOCUMENTS = "dokumente"
    IMAGE_SOUND = "bild-ton"
    TIME_SERIES = "zeitreihen"
    CLUSTER = "cluster"
    ASSISTANTS = "assistenz"
    SENSORS = "sensorik"
    ROBOTICS = "robotik"


class Effort(StrEnum):
    LOW = "niedrig"
    MEDIUM = "mittel"
    HIGH = "hoch"


class ImplementationPath(StrEnum):
    """Umsetzungsweg: build it, buy it or work with a partner (also the business case's
    make/buy/partner options)."""

    MAKE = "make"
    BUY = "buy"
    PARTNER = "partner"


class EntryKind(StrEnum):
    QUICK_WIN = "quick-win"
    STRUCTURAL_LEVER = "strukturhebel"


class KpiCategory(StrEnum):
    EFFICIENCY = "effizienz"
    QUALITY = "qualitaet"
    IMPACT = "wirkung"


class Risk(StrEnum):
    """A first AI Act estimate of a catalogue entry (the classification decides)."""

    MINIMAL = "minimal"
    TRANSPARENCY = "transparenz"
    HIGH_RISK = "hochrisiko"
    TO_CHECK = "pruefen"


@dataclass(frozen=True)
class Kpi:
    name: Text
    category: KpiCategory


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
    path: ImplementationPath
    products: Text
    kind: EntryKind
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

    @cached_property
    def _by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in reversed(self.entries)}  # the first of an id, as before

    def entry(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def function(self, function_id: str) -> Function | None:
        return next((f for f in self.functions if f.id == function_id), None)
