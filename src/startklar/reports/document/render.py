"""A :class:`~.model.Report` as PDF: the charts' Vega-Lite specs rendered to SVG with
vl-convert, everything passed to the Typst template (``report.typ``) as JSON data, compiled with
the vendored fonts only. Nothing is downloaded; user text is data, never Typst markup."""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import typst
import vl_convert

from .model import Chart, Report

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "report.typ"
FONTS = HERE.parent / "fonts"
FONT = "Inter"
# The text width of an A4 page with 2 cm margins: 482 pt, 642 px at 96 px per inch. Charts are
# printed at their natural size (1 px = 0.75 pt), so their 12 px labels are 9 pt like the text.
TEXT_WIDTH_PT = 482
CHART_WIDTH = 640  # px, a chart of the full width
PT_PER_PX = 0.75
SQUARE = 330  # px: the plot of a chart that keeps its shape (the radar)

# Numbers and dates in the charts as on the pages (``static/startklar/charts.js``).
LOCALES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "de": (
        {
            "decimal": ",",
            "thousands": ".",
            "grouping": [3],
            "currency": ["", "\u00a0€"],
            "percent": "\u00a0%",
        },
        {
            "dateTime": "%A, %e. %B %Y, %X",
            "date": "%d.%m.%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": [
                "Sonntag",
                "Montag",
                "Dienstag",
                "Mittwoch",
                "Donnerstag",
                "Freitag",
                "Samstag",
            ],
            "shortDays": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
            "months": [
                "Januar",
                "Februar",
                "März",
                "April",
                "Mai",
                "Juni",
                "Juli",
                "August",
                "September",
                "Oktober",
                "November",
                "Dezember",
            ],
            "shortMonths": [
                "Jan",
                "Feb",
                "Mär",
                "Apr",
                "Mai",
                "Jun",
                "Jul",
                "Aug",
                "Sep",
                "Okt",
                "Nov",
                "Dez",
            ],
        },
    ),
    "en": (
        {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
        {
            "dateTime": "%A, %e %B %Y, %X",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": [
                "Sunday",
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
            ],
            "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            "months": [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            "shortMonths": [
                "Jan",
                "Feb",
                "Mar",
                "Apr",
                "May",
                "Jun",
                "Jul",
                "Aug",
                "Sep",
                "Oct",
                "Nov",
                "Dec",
            ],
        },
    ),
}

_fonts_registered = False


def _register_fonts() -> None:
    global _fonts_registered
    if not _fonts_registered:
        vl_convert.register_font_directory(str(FONTS))
        _fonts_registered = True


def printable(spec: dict[str, Any], width: float) -> dict[str, Any]:
    """The page's spec as printed: a fixed width instead of the box's ("container"), the
    report's font. Everything else (data, marks, scales, colours) stays the page's."""
    found = copy.deepcopy(spec)
    ratio = found.get("usermeta", {}).get("aspectRatio")
    if ratio:
        # The page fits the plot into the box and lets the height follow the plot's width
        # (charts.js); printed, the plot gets its size and the labels go around it.
        found["autosize"] = {"type": "pad"}
        found["width"] = round(SQUARE * width)
        found["height"] = round(SQUARE * width / ratio)
    elif found.get("width") == "container":
        found["width"] = round(CHART_WIDTH * width)
        autosize = found.get("autosize")
        if isinstance(autosize, dict):
            autosize.pop("resize", None)
        elif autosize is None:
            # What Vega-Lite does with a "container" width on the page: the whole chart, its
            # labels included, as wide as the box (a fixed width alone is the plot's).
            found["autosize"] = {"type": "fit-x", "contains": "padding"}
    printed = found.get("width")
    _legends(found, _colour_fields(found), printed if isinstance(printed, int) else CHART_WIDTH)
    config = found.setdefault("config", {})
    config["font"] = FONT
    legend = config.setdefault("legend", {})
    legend["labelLimit"] = 0  # a round's title in full
    return found


def _colour_fields(spec: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(spec, dict):
        colour = (
            spec.get("encoding", {}).get("color")
            if isinstance(spec.get("encoding"), dict)
            else None
        )
        if isinstance(colour, dict) and "field" in colour:
            found.add(str(colour["field"]))
        for value in spec.values():
            found |= _colour_fields(value)
    elif isinstance(spec, list):
        for value in spec:
            found |= _colour_fields(value)
    return found


_CHOICE = re.compile(r"^\s*width\s*<\s*(\d+)\s*\?\s*(\d+)\s*:\s*(\d+)\s*$")


def _legends(spec: Any, colours: set[str], width: int) -> None:
    """Legends as the browser lays them out: a shape that repeats a colour's field gets no
    legend of its own (vl-convert draws the two side by side where the browser merges them), and
    a number of columns chosen by the chart's width is chosen here (vl-convert sizes the picture
    before it evaluates the expression and cuts the legend off)."""
    if isinstance(spec, dict):
        encoding = spec.get("encoding")
        if isinstance(encoding, dict):
            shape = encoding.get("shape")
            if isinstance(shape, dict) and shape.get("field") in colours:
                encoding["shape"] = {**shape, "legend": None}
            for channel in encoding.values():
                legend = channel.get("legend") if isinstance(channel, dict) else None
                if not isinstance(legend, dict):
                    continue
                columns = legend.get("columns")
                if isinstance(columns, dict):
                    found = _CHOICE.match(str(columns.get("expr", "")))
                    if found:
                        limit, narrow, wide = (int(g) for g in found.groups())
                        chosen = narrow if width < limit else wide
                        channel["legend"] = {**legend, "columns": chosen}
        for value in spec.values():
            _legends(value, colours, width)
    elif isinstance(spec, list):
        for value in spec:
            _legends(value, colours, width)


_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"')


def printed_width(image: str) -> float:
    """How wide a rendered chart is printed, in pt: its natural size, at most the text width."""
    found = _SIZE.search(image)
    natural = float(found.group(1)) * PT_PER_PX if found else TEXT_WIDTH_PT
    return round(min(natural, TEXT_WIDTH_PT), 1)


def svg(chart: Chart, language: str) -> str:
    _register_fonts()
    number, time = LOCALES["en" if language.startswith("en") else "de"]
    return str(
        vl_convert.vegalite_to_svg(
            printable(chart.spec, chart.width),
            format_locale=number,
            time_format_locale=time,
            allowed_base_urls=[],
        )
    )


def _charts(report: Report) -> list[Chart]:
    return [b for s in report.sections for b in s.blocks if isinstance(b, Chart)]


# Characters Typst or a PDF reader should never see in text; line and paragraph separators
# become spaces (the gatherer has already removed them from user text).
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LONG_WORD = re.compile(r"\S{36,}")


def _breakable(text: str) -> str:
    """Text with a break opportunity (zero-width space) every 24 characters of a very long
    word, so a pasted URL or a run of letters cannot run over the margin."""

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        return "\u200b".join(word[i : i + 24] for i in range(0, len(word), 24))

    return _LONG_WORD.sub(split, _UNPRINTABLE.sub(" ", text))


def _data(value: Any, images: dict[int, str]) -> Any:
    if isinstance(value, Chart):
        image = images[id(value)]
        return {
            "kind": "chart",
            "alt": _breakable(value.alt),
            "width": printed_width(image),
            "svg": image,
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _data(getattr(value, f.name), images) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _data(v, images) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_data(v, images) for v in value]
    if isinstance(value, str):
        return _breakable(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    return _breakable(str(value))


def document_data(report: Report) -> dict[str, Any]:
    """The report as the template reads it: plain JSON, each chart as its SVG."""
    charts = _charts(report)
    if charts:
        with ThreadPoolExecutor(max_workers=min(4, len(charts))) as pool:
            rendered = list(pool.map(lambda c: svg(c, report.language), charts))
    else:
        rendered = []
    images = {id(c): s for c, s in zip(charts, rendered, strict=True)}
    found = _data(report, images)
    found["year"], found["month"], found["day"] = (
        report.today.year,
        report.today.month,
        report.today.day,
    )
    found["lang"] = "en" if report.language.startswith("en") else "de"
    return found


def _compile(data: str, *, standards: bool) -> bytes:
    """The PDF; with ``standards`` as PDF/UA-1 (accessible: tagged, title, language,
    alternative texts, heading levels without gaps) and PDF/A-2a (archivable), which Typst
    checks while it writes the file."""
    return bytes(
        typst.compile(
            str(TEMPLATE),
            root=str(HERE),
            font_paths=[str(FONTS)],
            ignore_system_fonts=True,
            sys_inputs={"data": data},
            pdf_standards=["a-2a", "ua-1"] if standards else None,
            pdf_tags=True,
        )
    )


def pdf(report: Report) -> bytes:
    data = json.dumps(document_data(report), ensure_ascii=False)
    try:
        return _compile(data, standards=True)
    except typst.TypstError:
        # Text the vendored font cannot show (e.g. Chinese or emoji in a title) breaks the
        # standards, not the report: then it is a tagged PDF without the claim.
        logger.info("report without PDF/A and PDF/UA: text outside the font", exc_info=True)
        return _compile(data, standards=False)
