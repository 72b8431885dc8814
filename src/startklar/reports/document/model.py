"""What the management report prints, as frozen dataclasses: the executive summary and the
sections made of a few kinds of blocks. Every text is final (translated, numbers formatted as the
pages format them); the Typst template only lays them out. ``gather`` builds a :class:`Report`,
``render`` turns it into a PDF."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "normal"  # "normal", "muted" (small, grey) or "note" (a framed remark)
    kind: str = "paragraph"


@dataclass(frozen=True)
class Heading:
    """A heading inside a section (one level below the section's title)."""

    text: str
    new_page: bool = False  # starts a page (a part that fills one, e.g. a business case)
    kind: str = "heading"


@dataclass(frozen=True)
class Facts:
    """Key figures side by side: (label, value) pairs."""

    items: tuple[tuple[str, str], ...]
    kind: str = "facts"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False
    kind: str = "bullets"


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # per column: right-aligned figures
    widths: tuple[float, ...]  # per column: share of the width
    marked: tuple[bool, ...] = ()  # per row: printed as a warning (e.g. overdue); none if empty
    kind: str = "table"


@dataclass(frozen=True)
class Chart:
    """A chart from a feature's Vega-Lite spec (the page's), printed as SVG."""

    spec: dict[str, Any]
    alt: str  # what it shows, in words (the PDF's alternative text)
    width: float = 1.0  # share of the text width
    kind: str = "chart"


@dataclass(frozen=True)
class Action:
    """A hurdle's action: what, who, and the first step."""

    what: str
    who: str
    first_step: str
    kind: str = "action"


Block = Paragraph | Heading | Facts | Bullets | Table | Chart | Action


@dataclass(frozen=True)
class Section:
    key: str  # e.g. "readiness"; the template may give a key its own layout
    title: str
    intro: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Missing:
    """Something the report cannot show yet, and where in Startklar to do it."""

    what: str
    where: str


@dataclass(frozen=True)
class FocusLine:
    """A use case of the focus set on the summary page."""

    title: str
    npv_p50: str  # "59.023 €", or "–" without a business case
    payback: str  # "Monat 5", "nicht im Zeitraum", "–"
    chance: str  # chance of a positive NPV, "85 %" or "–"
    decision: str  # make/buy/partner as it reads, "–" if open


@dataclass(frozen=True)
class Summary:
    """The executive summary: one page."""

    readiness: str  # stage and score, or that there is none yet
    readiness_trend: str  # the change since the round before ("" without one)
    hurdles: tuple[str, ...]  # the top three
    focus: tuple[FocusLine, ...]
    compliance: tuple[str, ...]  # short sentences on where the company stands
    next_steps: tuple[str, ...]
    decisions: tuple[str, ...]  # what the board is asked to decide


@dataclass(frozen=True)
class Version:
    label: str  # what it is, e.g. "Fragenkatalog des Reifegrad-Checks"
    version: str


@dataclass(frozen=True)
class Report:
    organisation: str
    language: str
    today: datetime.date
    date_text: str  # the report's date as it is printed
    title: str
    summary: Summary
    sections: tuple[Section, ...]
    missing: tuple[Missing, ...]
    versions: tuple[Version, ...]
    texts: dict[str, str] = field(default_factory=dict)  # the template's fixed wording

    @property
    def empty(self) -> bool:
        """Nothing to report yet but what is missing."""
        return not self.sections
