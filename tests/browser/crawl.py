"""Checks of a page as a person sees it in Chromium, shared by the crawl and round-trip tests.

``vocabulary()`` collects, once per process, what the checks compare the page with:

* the internal keys of the content and the code (content ids, answer values and other keyed
  values of the YAML content, enum values, model choice values), which a page must never show
  where they are not also the proper word in the page's language;
* the words and the whole labels of each language (German: the catalogue's ``msgstr`` and the
  ``de`` side of the content; English: the ``msgid`` and the ``en`` side), which say whether a
  key is also a proper word ("niedrig" is German, so it is raw only on an English page);
* the German strings (catalogue ``msgstr`` that differs from its ``msgid``, ``de`` content that
  differs from its ``en`` side) that must not appear on an English page, without those that are
  also English ("Workshop", "Portfolio", "GoBD").

``user_strings()`` reads what people typed into the database (every free-text value), which is
removed from the page text before those checks, so that the demo company's German data on an
English page or a name that happens to equal a key is not reported.

``inspect(page, ...)`` then reports, for one loaded page, the layout, text and accessibility
problems; ``Watcher`` records network failures, console errors and CSP violations meanwhile.
"""

from __future__ import annotations

import enum
import functools
import html
import importlib
import inspect as pyinspect
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import axe_playwright_python  # type: ignore[import-untyped]
import polib
import yaml
from django.apps import apps
from django.db import models
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response

import startklar
from startklar.core import generation
from startklar.core.text import Text

LANGUAGES = ("de", "en")
WIDTHS = (1280, 390)
# The views a page is looked at in. Each run looks at two of the four (language, width) pairs,
# one per language and one per width: the SQLite run German on the phone (the longest words in
# the narrowest space) and English on the desktop; the PostgreSQL run, there for what the
# database changes, the other two. CI runs both, so every page is seen in all four views.
# The accessibility rules (axe-core, half a second a page) run once a page and run: in German,
# the first language, on the phone (SQLite) and on the desktop (PostgreSQL); the round trip of
# the edit forms likewise runs in one language a run (German on SQLite, English on
# PostgreSQL), and the journeys in one view a run: on the phone, where buttons are hardest to
# reach, in German (SQLite) and English (PostgreSQL). STARTKLAR_CRAWL_VIEWS=all does everything
# CI does, and the journeys in all four views, in one run.
ALL_VIEWS = tuple((language, width) for language in LANGUAGES for width in WIDTHS)
_SQLITE_VIEWS = ((LANGUAGES[0], WIDTHS[1]), (LANGUAGES[1], WIDTHS[0]))
_POSTGRESQL_VIEWS = ((LANGUAGES[0], WIDTHS[0]), (LANGUAGES[1], WIDTHS[1]))
_SQLITE_AXE = frozenset({(LANGUAGES[0], WIDTHS[1])})
_POSTGRESQL_AXE = frozenset({(LANGUAGES[0], WIDTHS[0])})
ROUND_TRIP_LANGUAGES: tuple[str, ...]
JOURNEY_VIEWS: tuple[tuple[str, int], ...]
_EVERYTHING = os.environ.get("STARTKLAR_CRAWL_VIEWS") == "all"
_ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
if _EVERYTHING:
    VIEWS = ALL_VIEWS
    AXE_VIEWS = _SQLITE_AXE | _POSTGRESQL_AXE
    ROUND_TRIP_LANGUAGES = LANGUAGES
    JOURNEY_VIEWS = ALL_VIEWS
elif _ON_POSTGRESQL:
    VIEWS = _POSTGRESQL_VIEWS
    AXE_VIEWS = _POSTGRESQL_AXE
    ROUND_TRIP_LANGUAGES = LANGUAGES[1:]
    JOURNEY_VIEWS = ((LANGUAGES[1], WIDTHS[1]),)
else:
    VIEWS = _SQLITE_VIEWS
    AXE_VIEWS = _SQLITE_AXE
    ROUND_TRIP_LANGUAGES = LANGUAGES[:1]
    JOURNEY_VIEWS = ((LANGUAGES[0], WIDTHS[1]),)
# The journeys (a task done end to end: the modules of tests/browser/ but the crawl) each run in
# one of the two runs: where two people work at once (answers, votes) and where amounts are
# stored and computed (the business case, a pilot's measurements, review verdicts) and where a
# worker makes a report on PostgreSQL, the others on SQLite. A module in
# neither set runs in both (the next-steps journey: in one view a run, above).
# STARTKLAR_CRAWL_VIEWS=all runs every journey.
POSTGRESQL_JOURNEYS = frozenset(
    {
        "test_readiness_round.py",
        "test_usecase_workshop.py",
        "test_business_case.py",
        "test_pilot_measurements.py",
        "test_reviews.py",
        "test_reports.py",
        "test_roadmap.py",
    }
)
SQLITE_JOURNEYS = frozenset(
    {
        "test_charts.py",
        "test_demo_journey.py",
        "test_two_factor.py",
        "test_usecase_status_goal.py",
        "test_scale_decision.py",
        "test_pulse_answer.py",
    }
)


def journey_runs_here(module: str) -> bool:
    """Whether the browser test module named ``module`` runs in this run (see above)."""
    return _EVERYTHING or module not in (SQLITE_JOURNEYS if _ON_POSTGRESQL else POSTGRESQL_JOURNEYS)


# Screenshots of every page and view are for people looking at the pages; CI keeps the artefacts
# only when a test fails, so there only the views with problems are photographed (about 20 s a
# run). STARTKLAR_SCREENSHOTS=all photographs every view in CI too.
SCREENSHOTS_OF_EVERY_VIEW = (
    not os.environ.get("CI") or os.environ.get("STARTKLAR_SCREENSHOTS") == "all"
)
TOLERANCE = 1  # px
MAX_PER_KIND = 12  # problems of one kind listed per page; the rest is counted
SRC = Path(startklar.__file__).resolve().parent
CATALOGUE = SRC / "locale" / "de" / "LC_MESSAGES" / "django.po"

# A word: letters, digits and underscores, with dots and hyphens inside (content ids such as
# "strategie.ziele", "quick-win", "not_needed" stay one token).
TOKEN = re.compile(r"\w(?:[\w.\-]*\w)?")
ARROW = re.compile(r"(?:→|->)\s*(\w(?:[\w.\-]*\w)?)")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{[^{}]*\}")
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")
LETTERS = re.compile(r"[^\W\d_]{2}")
NTH = re.compile(r":nth-of-type\(\d+\)")
NUMBERED = re.compile(r"(#[\w-]*?)\d+")

# YAML keys whose string values are ids of something else (an answer, a section, an enum).
KEYED_VALUES = {
    "id", "is", "in", "q", "ref", "class", "group", "section", "type", "axis", "effective",
    "informed_by", "function", "technique", "effort", "path", "kind", "category", "risk",
    "area", "severity", "dimension", "perspective", "stage",
}  # fmt: skip
# YAML mappings whose keys are ids.
KEYED_MAPPINGS = {"deadlines", "definitions", "questions_ask_if", "weights", "estimates"}


def normalise(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def _tokens(text: str) -> Iterator[str]:
    yield from TOKEN.findall(text)


def _plain(text: str) -> str:
    """A catalogue or content string as it reads on a page: no tags, entities, placeholders."""
    return normalise(html.unescape(PLACEHOLDER.sub(" ", TAG.sub(" ", text))))


# Collecting keys and texts -------------------------------------------------------------------


@dataclass
class _Collected:
    keys: set[str] = field(default_factory=set)
    pairs: set[tuple[str, str]] = field(default_factory=set)  # (de, en) content texts


def _walk_yaml(node: Any, out: _Collected, key: str | None = None) -> None:
    if isinstance(node, dict):
        de, en = node.get("de"), node.get("en")
        if isinstance(de, str) and isinstance(en, str):
            out.pairs.add((de.strip(), en.strip()))
            return
        for k, value in node.items():
            if key in KEYED_MAPPINGS and isinstance(k, str):
                out.keys.add(k)
            if k in KEYED_VALUES:
                values = value if isinstance(value, list) else [value]
                out.keys.update(v for v in values if isinstance(v, str))
            _walk_yaml(value, out, str(k))
    elif isinstance(node, list):
        for item in node:
            _walk_yaml(item, out, key)


def _walk_object(node: Any, out: _Collected, seen: set[int]) -> None:
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, Text):
        out.pairs.add((node.de, node.en))
    elif isinstance(node, enum.Enum):
        if isinstance(node.value, str):
            out.keys.add(node.value)
    elif is_dataclass(node) and not isinstance(node, type):
        for f in fields(node):
            value = getattr(node, f.name)
            if f.name == "id" and isinstance(value, str):
                out.keys.add(value)
            _walk_object(value, out, seen)
    elif isinstance(node, dict):
        for k, value in node.items():
            _walk_object(k, out, seen)
            _walk_object(value, out, seen)
    elif isinstance(node, list | tuple | set | frozenset):
        for item in node:
            _walk_object(item, out, seen)


def _content_modules() -> Iterator[Any]:
    for folder in sorted(SRC.glob("*/content/__init__.py")):
        yield importlib.import_module(f"startklar.{folder.parent.parent.name}.content")


def _loaded_content() -> Iterator[Any]:
    """What every ``load_*()`` of a content package returns (with its default arguments)."""
    for module in _content_modules():
        for name, function in vars(module).items():
            if not name.startswith("load_") or not callable(function):
                continue
            parameters = pyinspect.signature(function).parameters.values()
            if all(p.default is not p.empty for p in parameters):
                yield function()


def _enum_values() -> Iterator[str]:
    for name, module in list(sys.modules.items()):
        if not name.startswith("startklar.") or ".tests" in name or module is None:
            continue
        for obj in list(vars(module).values()):
            if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj.__module__ == name:
                yield from (m.value for m in obj if isinstance(m.value, str))


def _choice_values() -> Iterator[str]:
    for model in project_models():
        for f in model._meta.get_fields():
            for value, _label in getattr(f, "flatchoices", None) or ():
                if isinstance(value, str):
                    yield value


def project_models(include_through: bool = False) -> list[type[models.Model]]:
    """The project's models (with ``include_through``: also the tables behind many-to-many);
    not the generation token, which only says that something else changed."""
    return [
        m
        for m in apps.get_models(include_auto_created=include_through)
        if m._meta.app_config is not None
        and m._meta.app_config.name.startswith("startklar.")
        and m._meta.db_table != generation.TABLE
    ]


@dataclass(frozen=True)
class Vocabulary:
    keys: frozenset[str]
    words: dict[str, frozenset[str]]  # every word of each language's texts
    labels: dict[str, frozenset[str]]  # every whole text of each language
    german: tuple[str, ...]  # German strings that must not appear on an English page
    english: tuple[str, ...]  # English strings that must not appear on a German page
    msgstr: frozenset[str]  # the catalogue's German texts, whole


@functools.cache
def vocabulary() -> Vocabulary:
    out = _Collected()
    for path in sorted(SRC.glob("*/content/**/*.yaml")):
        _walk_yaml(yaml.safe_load(path.read_text(encoding="utf-8")), out)
    seen: set[int] = set()
    for loaded in _loaded_content():
        _walk_object(loaded, out, seen)
    out.keys.update(_enum_values())
    out.keys.update(_choice_values())
    keys = {k for k in out.keys if k and not k.isdigit()}

    texts: dict[str, list[str]] = {"de": [], "en": []}
    german: list[str] = []  # what only a German page may show
    english: list[str] = []  # what only an English page may show
    catalogue_german: list[str] = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete:
            continue
        english_ids = [entry.msgid, *([entry.msgid_plural] if entry.msgid_plural else [])]
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        texts["en"].extend(english_ids)
        texts["de"].extend(t for t in translations if t)
        german.extend(t for t in translations if t and t not in english_ids)
        english.extend(t for t in english_ids if t not in translations)
        catalogue_german.extend(t for t in translations if t and t not in english_ids)
    for de, en in out.pairs:
        texts["de"].append(de)
        texts["en"].append(en)
        if de != en:
            german.append(de)
            english.append(en)
    plain = {lang: [_plain(t) for t in values] for lang, values in texts.items()}
    words = {
        lang: frozenset(w for t in values for w in _tokens(t)) for lang, values in plain.items()
    }
    labels = {lang: frozenset(values) for lang, values in plain.items()}
    english_text = "\n".join(plain["en"])
    german_text = "\n".join(plain["de"])
    msgstr = frozenset(_plain(t) for t in catalogue_german)
    return Vocabulary(
        frozenset(keys),
        words,
        labels,
        _foreign(german, words["en"], english_text),
        _foreign(english, words["de"], german_text),
        msgstr,
    )


def _foreign(texts: list[str], other_words: frozenset[str], other_text: str) -> tuple[str, ...]:
    """The pieces of ``texts`` worth looking for on a page in the other language: whole texts
    of two letters or more, pieces around placeholders of five or more, none that the other
    language uses too."""
    candidates: set[str] = set()
    for text in texts:
        fragments = [_strip(f) for f in PLACEHOLDER.split(html.unescape(TAG.sub(" ", text)))]
        whole = len(fragments) == 1
        for fragment in fragments:
            if len(fragment) < (2 if whole else 5) or not LETTERS.search(fragment):
                continue
            if TOKEN.fullmatch(fragment):
                if fragment in other_words:
                    continue
            elif fragment in other_text and _bounded(fragment).search(other_text):
                continue
            candidates.add(fragment)
    return tuple(sorted(candidates))


def _strip(fragment: str) -> str:
    return normalise(fragment).strip(" .,:;!?()[]–-—\"'„“”‚‘’«»·/…")


@functools.cache
def _bounded(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w\-]){re.escape(needle)}(?![\w\-])")


def _also_english(fragment: str, english_words: frozenset[str], english_text: str) -> bool:
    if TOKEN.fullmatch(fragment):
        return fragment in english_words
    return fragment in english_text and bool(_bounded(fragment).search(english_text))


def user_strings() -> tuple[str, ...]:
    """Every free-text value in the database (longest first): what people typed.

    Values that are keys stay on the page, and so do values of several words that are a German
    text of the catalogue: a built-in text saved in German instead of being translated when
    shown ("Potenzialanalyse abgeschlossen"). A single word such as "Datenschutz" is taken as
    typed (a department)."""
    found: set[str] = set()
    for model in project_models():
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        json_fields = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)
        ]
        for row in model._default_manager.values(*text_fields, *json_fields):
            for name in text_fields:
                value = row[name] or ""
                found.add(value)
                found.update(value.splitlines())  # a page may show each line on its own
            for name in json_fields:
                found.update(_json_strings(row[name]))
    vocab = vocabulary()
    typed = {normalise(s) for s in found}
    built_in = {s for s in typed if s in vocab.msgstr and " " in s}
    return tuple(
        sorted(
            (s for s in typed - built_in if len(s) >= 2 and s not in vocab.keys),
            key=len,
            reverse=True,
        )
    )


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


# A value shortened for its room ends in "…" (a chart's axis, a narrow column): what stands
# before the "…" back to the previous one or a line end.
SHORTENED = re.compile(r"([^\n¦…]{4,})…")
MIN_SHORTENED = 6  # characters of a shortened value that must match the start of a typed one


def strip_user_text(text: str, strings: Iterable[str]) -> str:
    typed = tuple(strings)
    if "…" in text:  # first: a shorter typed value may stand inside a shortened one
        text = SHORTENED.sub(lambda m: _shortened(m.group(1), typed), text)
    for s in typed:
        if s in text:
            text = text.replace(s, " ¦ ") if len(s) > 3 else _bounded(s).sub(" ¦ ", text)
    return text


def _shortened(shown: str, typed: tuple[str, ...]) -> str:
    """``shown…`` without the typed value it shortens (which starts at a word of it)."""
    # a word's start: after a space, or a capital glued to what stands before (SVG text runs
    # together the labels of an axis)
    starts = [i for i, c in enumerate(shown) if i == 0 or shown[i - 1].isspace() or c.isupper()]
    for start in starts:
        piece = shown[start:].strip()
        if len(piece) >= MIN_SHORTENED and any(s.startswith(piece) for s in typed):
            return shown[:start] + " ¦ "
    return shown + "…"


# Watching a page ----------------------------------------------------------------------------

# Registered before any page script runs (Playwright's init scripts are not subject to the CSP).
INIT_SCRIPT = """
window.__crawl = {csp: []};
document.addEventListener('securitypolicyviolation', (e) => {
  window.__crawl.csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`
    + (e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : ''));
});
"""


class Watcher:
    """Network answers ≥ 400, failed requests, console errors and uncaught exceptions."""

    def __init__(self, page: Page, base: str) -> None:
        self.base = base
        self.problems: list[str] = []
        self.allowed_statuses: set[int] = set()
        page.on("response", self._response)
        page.on("requestfailed", self._failed)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems

    def _short(self, url: str) -> str:
        return url.removeprefix(self.base)

    def _response(self, response: Response) -> None:
        if response.status >= 400 and response.status not in self.allowed_statuses:
            method = response.request.method
            self.problems.append(f"HTTP {response.status}: {method} {self._short(response.url)}")

    def _failed(self, request: Request) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" not in failure:
            self.problems.append(f"request failed ({failure}): {self._short(request.url)}")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource"):
            return  # the response listener names the URL and status
        where = message.location.get("url", "")
        self.problems.append(
            f"console error: {message.text}" + (f" ({self._short(where)})" if where else "")
        )


READY = """
() => {
  if (document.readyState !== 'complete') return false;
  if (document.querySelector('.htmx-request')) return false;
  for (const chart of document.querySelectorAll('[data-chart]')) {
    if (!chart.querySelector('svg, canvas')) return false;
  }
  return true;
}
"""


def settle(page: Page, timeout: float = 5000) -> list[str]:
    """Wait until htmx is idle and every chart is drawn; a timeout is itself a problem."""
    try:
        page.wait_for_function(READY, timeout=timeout, polling=50)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError; reported, not raised
        missing = page.evaluate(
            "() => [...document.querySelectorAll('[data-chart]')]"
            ".filter(c => !c.querySelector('svg, canvas')).map(c => c.id || c.dataset.chart)"
        )
        return [f"page not settled after {timeout / 1000:.0f} s (charts not drawn: {missing})"]
    return []


# In-page inspection --------------------------------------------------------------------------

PATH_JS = """
const cssPath = (el) => {
  const parts = [];
  while (el && el.nodeType === 1 && el !== document.documentElement) {
    let part = el.localName;
    if (el.id) { parts.unshift(`${part}#${el.id}`); break; }
    const classes = [...el.classList].filter((c) => !c.startsWith('htmx-')).slice(0, 2);
    if (classes.length) part += '.' + classes.join('.');
    const parent = el.parentElement;
    if (parent) {
      const same = [...parent.children].filter((c) => c.localName === el.localName);
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(el) + 1})`;
    }
    parts.unshift(part);
    el = parent;
  }
  return parts.join(' > ');
};
const visible = (el) => el.checkVisibility({
  checkOpacity: true, checkVisibilityCSS: true, opacityProperty: true, visibilityProperty: true,
});
"""

LAYOUT_JS = (
    "(tolerance) => {"
    + PATH_JS
    + """
  const styles = new Map();
  const style = (el) => {
    let s = styles.get(el);
    if (!s) { s = getComputedStyle(el); styles.set(el, s); }
    return s;
  };
  const scrolls = (s) => s.overflowX === 'auto' || s.overflowX === 'scroll';
  const inline = (s) => s.display === 'inline' || s.display === 'contents';
  const box = (el) => {
    const r = el.getBoundingClientRect(), s = style(el);
    return {
      left: r.left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft),
      right: r.right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight),
    };
  };
  const container = (el) => {
    let c = el.parentElement;
    while (c && c !== document.body && inline(style(c))) c = c.parentElement;
    return c;
  };
  const scrolled = new Map();  // element -> inside a scroll container (or a flagged element)
  const flagged = [];
  const texts = [];
  for (const el of document.body.querySelectorAll('*')) {
    const parent = el.parentElement;
    const skipBelow = scrolled.get(parent) || scrolls(style(parent)) || false;
    if (skipBelow) { scrolled.set(el, true); continue; }
    scrolled.set(el, false);
    if (parent.closest('svg')) continue;  // inside a chart: the chart's own coordinates
    const s = style(el);
    if (s.display === 'none') { scrolled.set(el, true); continue; }
    if (s.position === 'fixed' || s.position === 'absolute') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !visible(el)) continue;
    const c = container(el);
    if (!c || style(c).overflowX !== 'visible') continue;
    const inner = box(c);
    const left = r.left - Math.min(0, parseFloat(s.marginLeft) || 0);
    const right = r.right + Math.min(0, parseFloat(s.marginRight) || 0);
    const over = Math.max(right - inner.right, inner.left - left);
    if (over > tolerance) {
      flagged.push({path: cssPath(el), width: Math.round(r.width),
        container: cssPath(c), room: Math.round(inner.right - inner.left), over: Math.round(over)});
      scrolled.set(el, true);  // report the outermost element only
      continue;
    }
    if (inline(s) || el.localName === 'svg') continue;
    // Text directly in this block that runs past its content box (a long word, a number).
    for (const node of el.childNodes) {
      if (node.nodeType !== 3 || !node.data.trim() || s.overflowX !== 'visible') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const t = range.getBoundingClientRect();
      const own = box(el);
      const past = Math.max(t.right - own.right, own.left - t.left);
      if (t.width > 0 && past > tolerance) {
        const text = node.data.trim().slice(0, 60);
        texts.push({path: cssPath(el), text, over: Math.round(past)});
        break;
      }
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    flagged, texts,
  };
}
"""
)

TEXT_JS = (
    "() => {"
    + PATH_JS
    + """
  const lang = (document.documentElement.lang || '').slice(0, 2);
  const blocks = new Map();
  const nodes = [];
  const blockOf = new Map();
  const blockFor = (el) => {
    if (blockOf.has(el)) return blockOf.get(el);
    const svg = el.closest('svg');
    let b = svg || el;
    const flows = (e) => ['inline', 'contents'].includes(getComputedStyle(e).display);
    while (!svg && b !== document.body && flows(b)) {
      b = b.parentElement;
    }
    blockOf.set(el, b);
    return b;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.data.trim()) continue;
    // code samples (a curl call, a column name) are not prose in either language
    if (parent.closest('script, style, template, noscript, textarea, pre, code')) continue;
    const marked = parent.closest('[lang]');
    if (marked && (marked.lang || '').slice(0, 2) !== lang) continue;  // quoted on purpose
    const select = parent.closest('select');
    if (!visible(select || parent)) continue;
    const block = blockFor(parent);
    const sep = block.localName === 'svg' || select ? ' ' : '';
    blocks.set(block, (blocks.get(block) || '') + sep + node.data);
    if (block.localName !== 'svg') nodes.push({path: cssPath(parent), text: node.data.trim()});
  }
  const chunks = [{path: 'title', text: document.title}];
  for (const [block, text] of blocks) chunks.push({path: cssPath(block), text});
  for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (!visible(el) && !el.closest('.visually-hidden')) continue;
    const quoted = el.closest('[lang]');
    if (quoted && (quoted.lang || '').slice(0, 2) !== lang) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) {
        chunks.push({path: `${cssPath(el)} [${name}]`, text: value});
        nodes.push({path: `${cssPath(el)} [${name}]`, text: value.trim()});
      }
    }
  }
  return {chunks, nodes};
}
"""
)

FORMS_JS = (
    "() => {"
    + PATH_JS
    + """
  return [...document.querySelectorAll('form')]
    .filter((f) => (f.getAttribute('method') || '').toLowerCase() === 'post'
      || f.hasAttribute('hx-post'))
    .filter((f) => !['edit', 'action'].includes(f.dataset.form))
    .map((f) => `${cssPath(f)} (action ${f.getAttribute('action') || f.getAttribute('hx-post')
      || 'this page'}, data-form=${JSON.stringify(f.dataset.form ?? null)})`);
}
"""
)


def _limited(kind: str, items: list[str]) -> list[str]:
    if len(items) <= MAX_PER_KIND:
        return [f"{kind}: {item}" for item in items]
    rest = len(items) - MAX_PER_KIND
    return [f"{kind}: {item}" for item in items[:MAX_PER_KIND]] + [f"{kind}: … and {rest} more"]


def _general(path: str) -> str:
    """The path without positions and numbered ids: the same for repeated siblings."""
    return NUMBERED.sub(r"\1*", NTH.sub("", path))


def _grouped(items: list[dict[str, Any]], line: Any) -> list[str]:
    """One line per problem; elements that differ only by position or number counted once."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        general = {k: _general(v) if k in {"path", "container"} else v for k, v in item.items()}
        groups.setdefault(line(general), []).append(item)
    return [
        line(members[0]) if len(members) == 1 else f"{key} – {len(members)} such elements"
        for key, members in groups.items()
    ]


def layout_problems(page: Page, width: int) -> list[str]:
    found = page.evaluate(LAYOUT_JS, TOLERANCE)
    problems = []
    if found["scrollWidth"] > found["viewport"]:
        problems.append(
            f"page overflow: the page is {found['scrollWidth']} px wide in a "
            f"{found['viewport']} px viewport"
        )
    problems += _limited(
        "element wider than its container",
        _grouped(
            found["flagged"],
            lambda f: (
                f"{f['path']} ({f['width']} px, {f['over']} px past {f['container']}, "
                f"which has {f['room']} px)"
            ),
        ),
    )
    problems += _limited(
        "text wider than its box",
        _grouped(found["texts"], lambda t: f'{t["path"]}: "{t["text"]}" runs {t["over"]} px past'),
    )
    return problems


def text_problems(page: Page, language: str, strings: tuple[str, ...]) -> list[str]:
    vocab = vocabulary()
    found = page.evaluate(TEXT_JS)
    raw: dict[str, set[str]] = {}  # path -> keys
    for chunk in found["chunks"]:
        text = normalise(strip_user_text(chunk["text"], strings))
        keys = {
            t for t in _tokens(text)
            if len(t) >= 3 and t in vocab.keys and t not in vocab.words[language]
        }  # fmt: skip
        keys |= {
            m.group(1) for m in ARROW.finditer(text)
            if m.group(1) in vocab.keys and m.group(1) not in vocab.labels[language]
        }  # fmt: skip
        if keys:
            raw.setdefault(chunk["path"], set()).update(keys)
    for node in found["nodes"]:
        text = normalise(strip_user_text(node["text"], strings))
        if len(text) >= 2 and text in vocab.keys and text not in vocab.labels[language]:
            raw.setdefault(node["path"], set()).add(text)
    problems = _limited(
        "raw content key",
        [f"{', '.join(repr(k) for k in sorted(keys))} in {path}" for path, keys in raw.items()],
    )
    if language == "en":
        foreign = _foreign_on_page(found["chunks"], strings, vocab.german)
        problems += _limited("German text on the English page", foreign)
    else:
        foreign = _foreign_on_page(found["chunks"], strings, vocab.english)
        problems += _limited("English text on the German page", foreign)
    return problems


def _foreign_on_page(
    chunks: list[dict[str, str]], strings: tuple[str, ...], candidates: tuple[str, ...]
) -> list[str]:
    texts = [normalise(strip_user_text(chunk["text"], strings)) for chunk in chunks]
    everything = "\n".join(texts)
    present = [c for c in candidates if c in everything]
    hits: list[str] = []
    for chunk, text in zip(chunks, texts, strict=True):
        found = [c for c in present if c in text and _bounded(c).search(text)]
        longest = [c for c in found if not any(c != o and c in o for o in found)]
        if longest:
            quoted = ", ".join(f'"{c}"' for c in sorted(longest, key=len, reverse=True))
            hits.append(f"{quoted} in {chunk['path']}")
    return hits


def form_problems(page: Page) -> list[str]:
    return _limited(
        'POST form without data-form="edit" or data-form="action"', page.evaluate(FORMS_JS)
    )


# axe-core, as the axe-playwright-python package ships it. A context whose pages are checked
# loads it as an init script (``add_axe``): Chromium then compiles it once and caches the code,
# where injecting it into each page costs about four times as long as the check itself.
AXE_SCRIPT = Path(axe_playwright_python.__file__).with_name("axe.min.js")
AXE_RUN = "(options) => axe.run(document, options).then((results) => results.violations)"


def add_axe(context: BrowserContext) -> None:
    """Every page of ``context`` gets axe-core before its own scripts."""
    context.add_init_script(path=AXE_SCRIPT)


def axe_problems(page: Page, contrast: bool = True) -> list[str]:
    if not page.evaluate("() => typeof window.axe === 'object'"):  # not loaded by add_axe
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))  # evaluated: no CSP applies
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if not contrast:
        options["rules"] = {"color-contrast": {"enabled": False}}
    problems = []
    for violation in page.evaluate(AXE_RUN, options):
        if violation.get("impact") not in {"serious", "critical"}:
            continue
        targets = [" ".join(map(str, n["target"])) for n in violation["nodes"]]
        shown = "; ".join(targets[:6]) + (
            f"; … {len(targets) - 6} more" if len(targets) > 6 else ""
        )
        impact, rule, what = violation["impact"], violation["id"], violation["help"]
        problems.append(f"accessibility ({impact}) {rule}: {what} – {shown}")
    return problems


def csp_problems(page: Page) -> list[str]:
    violations = page.evaluate("() => (window.__crawl && window.__crawl.csp) || []")
    return [f"CSP violation: {v}" for v in violations]


def inspect(
    page: Page, language: str, width: int, strings: tuple[str, ...], axe: bool = True
) -> list[str]:
    """Every problem of the loaded page (the network and console are the Watcher's); the
    accessibility rules only with ``axe``."""
    return [
        *csp_problems(page),
        *layout_problems(page, width),
        *text_problems(page, language, strings),
        *form_problems(page),
        *(axe_problems(page) if axe else []),
    ]
