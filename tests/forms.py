"""Every ``<form method="post">`` of a page as data, and submitting it as a browser would.

``forms_on(html, page)`` reads a page with :mod:`html.parser` and returns one :class:`Form` per
way the page can post: the form's own target (its ``hx-post`` if htmx sends it, else its
``action``, else the page itself) and one more per button with its own ``formaction`` or
``hx-post``. Each form knows its fields in page order: every input, select, textarea and named
submit button, with what the page sends for it untouched (``values``) and what it offers
(``options`` of a select, radio group or checkbox group).

``Form.submit(client, pairs)`` posts name/value pairs the way the browser would (URL-encoded or
multipart, with the htmx headers when htmx sends the form). The hostile-input test and the
isolation walk over form bodies build their variants from ``Form.pairs()``.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlencode, urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.test import Client
from django.urls import Resolver404, resolve

CSRF = "csrfmiddlewaretoken"
TEXT_KINDS = {"text", "textarea", "search", "email", "url", "tel", "password"}
CHOICE_KINDS = {"select", "select-multiple", "radio", "checkbox", "submit"}
IGNORED_INPUTS = {"button", "reset", "image"}
_NUMBER = re.compile(r"\d+")  # ids in field names ("item5-name") do not make another form
_FLOAT = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


@dataclass
class Field:
    name: str
    kind: str  # an input's type, "textarea", "select", "select-multiple" or "submit" (a button)
    values: list[str] = field(default_factory=list)  # sent when nobody touches the form
    options: list[str] = field(default_factory=list)  # offered by a select or a group of boxes

    @property
    def is_text(self) -> bool:
        """Free text a person types (not a number, date or choice by its widget)."""
        return self.kind in TEXT_KINDS

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS


@dataclass
class Form:
    page: str  # the URL of the page the form was found on
    action: str  # the URL it posts to (path and query)
    htmx: bool  # sent by htmx (hx-post), so with the HX-Request header
    multipart: bool
    fields: list[Field]
    purpose: str = ""  # its data-form attribute: "edit" or "action"

    @property
    def route(self) -> str:
        """The URL pattern the form posts to (the same form on two objects shares it)."""
        try:
            match = resolve(urlsplit(self.action).path)
        except Resolver404:
            return self.action
        return f"{match.route} ({match.view_name})"

    @property
    def key(self) -> tuple[Any, ...]:
        """Forms with the same target pattern and the same fields are the same code path."""
        names = sorted({_NUMBER.sub("#", f.name) for f in self.fields})
        return (self.route, self.htmx, tuple(names))

    @property
    def inputs(self) -> list[Field]:
        """The fields a person fills in (without the CSRF token)."""
        return [f for f in self.fields if f.name != CSRF]

    def pairs(self) -> list[tuple[str, str]]:
        """What a browser sends for the untouched form."""
        return [(f.name, v) for f in self.fields for v in f.values]

    def with_values(self, name: str, values: list[str] | None) -> list[tuple[str, str]]:
        """The untouched form with field ``name`` sending ``values`` (``None``: left out)."""
        out: list[tuple[str, str]] = []
        placed = False
        for key, value in self.pairs():
            if key != name:
                out.append((key, value))
            elif not placed:
                placed = True
                out.extend((name, v) for v in values or [])
        if not placed:
            out.extend((name, v) for v in values or [])
        return out

    def submit(
        self, client: Client, pairs: Iterable[tuple[str, str]], *, htmx: bool | None = None
    ) -> HttpResponseBase:
        htmx = self.htmx if htmx is None else htmx
        headers = {"HX-Request": "true", "HX-Current-URL": self.page} if htmx else {}
        files = {f.name for f in self.fields if f.kind == "file"}
        pairs = list(pairs)
        if self.multipart or files:
            data: dict[str, list[Any]] = {}
            for name, value in pairs:
                item: Any = value
                if name in files:
                    item = SimpleUploadedFile("upload.xlsx", value.encode("utf-8", "replace"))
                data.setdefault(name, []).append(item)
            return client.post(self.action, data, headers=headers)
        return client.post(
            self.action,
            urlencode(pairs, quote_via=_quoted),
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )

    def __str__(self) -> str:
        via = " (htmx)" if self.htmx else ""
        return f"form posting to {self.action}{via} on {self.page}"


@functools.lru_cache(maxsize=256)
def _quoted(
    text: str, safe: str = "", encoding: str | None = None, errors: str | None = None
) -> str:
    """``quote_plus``, remembered: the hostile-input probes send the same values (one of them
    100 000 characters long, quoted a byte at a time) to every form again and again."""
    return quote_plus(text, safe, encoding, errors)


@dataclass
class _Open:
    attrs: dict[str, str]
    fields: list[Field] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.done: list[_Open] = []
        self.links: list[tuple[str, bool]] = []  # (URL, fetched by htmx)
        self.form: _Open | None = None
        self.select: Field | None = None
        self.option: dict[str, str] | None = None
        self.option_text: list[str] = []
        self.selected: list[str] = []
        self.textarea: Field | None = None
        self.text: list[str] = []

    def _field(self, name: str, kind: str) -> Field:
        assert self.form is not None
        for existing in self.form.fields:
            if existing.name == name and existing.kind == kind and kind in {"radio", "checkbox"}:
                return existing
        new = Field(name, kind)
        self.form.fields.append(new)
        return new

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append((a["href"], False))
        if a.get("hx-get"):
            self.links.append((a["hx-get"], True))
        if tag == "form":
            self.form = _Open(a)
            return
        if self.form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower() or "text"
            value = a.get("value", "")
            if kind in IGNORED_INPUTS:
                return
            if kind == "submit":
                self.form.buttons.append(a)
            elif not name:
                return
            elif kind in {"checkbox", "radio"}:
                box = self._field(name, kind)
                box.options.append(value or "on")
                if "checked" in a:
                    box.values.append(value or "on")
            elif kind == "number":
                # A browser drops a value it cannot read as a floating-point number.
                self._field(name, kind).values.append(value if _FLOAT.fullmatch(value) else "")
            elif kind == "file":
                self._field(name, kind)
            else:
                self._field(name, kind).values.append(value)
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                self.form.buttons.append(a)
        elif tag == "select" and name:
            self.select = self._field(name, "select-multiple" if "multiple" in a else "select")
            self.selected = []
        elif tag == "option" and self.select is not None:
            self.option, self.option_text = a, []
        elif tag == "textarea" and name:
            self.textarea, self.text = self._field(name, "textarea"), []

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text.append(data)
        if self.option is not None:
            self.option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.option is not None and self.select is not None:
            value = self.option.get("value")
            value = "".join(self.option_text).strip() if value is None else value
            self.select.options.append(value)
            if "selected" in self.option:
                self.selected.append(value)
            self.option = None
        elif tag == "select" and self.select is not None:
            if self.option is not None:  # an unclosed last option
                self.handle_endtag("option")
            chosen = self.selected
            if not chosen and self.select.kind == "select" and self.select.options:
                chosen = self.select.options[:1]
            self.select.values = chosen
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea.values = ["".join(self.text).removeprefix("\n")]
            self.textarea = None
        elif tag == "form" and self.form is not None:
            self.done.append(self.form)
            self.form = None


def forms_on(html: str, page: str) -> list[Form]:
    """Every way to post from ``html`` (the page at URL ``page``), in page order."""
    return _read(html, page)[0]


def _read(html: str, page: str) -> tuple[list[Form], list[tuple[str, bool]]]:
    parser = _Parser()
    parser.feed(html)
    links = [(urljoin(page, href), htmx) for href, htmx in parser.links]
    found: list[Form] = []
    for raw in parser.done:
        a = raw.attrs
        if a.get("method", "get").lower() != "post" and "hx-post" not in a:
            continue
        multipart = a.get("enctype", "").lower() == "multipart/form-data"
        own = a.get("hx-post") or a.get("action") or page
        base = Form(
            page=page,
            action=urljoin(page, own),
            htmx="hx-post" in a,
            multipart=multipart,
            fields=raw.fields,
            purpose=a.get("data-form", ""),
        )
        named = [b for b in raw.buttons if b.get("name")]
        if named:
            # A named button sends its name and value (the first one as if it was clicked).
            options = [b.get("value", "") for b in named]
            base.fields = [*base.fields, Field(named[0]["name"], "submit", options[:1], options)]
        found.append(base)
        for button in raw.buttons:
            target = button.get("hx-post") or button.get("formaction")
            if target:
                found.append(
                    replace(
                        base,
                        action=urljoin(page, target),
                        htmx="hx-post" in button,
                        fields=list(raw.fields),
                        purpose=button.get("data-form", base.purpose),
                    )
                )
    return found, links


@dataclass
class Crawl:
    pages: dict[str, int] = field(default_factory=dict)  # URL -> status of every page fetched
    forms: list[Form] = field(default_factory=list)  # one of each kind (see Form.key)


def crawl(
    client: Client,
    starts: Iterable[str],
    *,
    within: Callable[[str], bool],
    skip: Iterable[str] = (),
    depth: int = 10,
    per_kind: int = 3,
    limit: int = 400,
) -> Crawl:
    """Fetch ``starts`` and, up to ``depth`` links away, the links on them (``<a href>``,
    ``hx-get``) whose path passes ``within``, except the URLs in ``skip``; at most ``per_kind``
    pages of one URL pattern with the same query parameters. Collects one form of each kind.
    Pages of the JSON API are left out."""
    found = Crawl()
    queue: deque[tuple[str, bool, int]] = deque((url, False, 0) for url in starts)
    skipped = set(skip)
    kinds: dict[tuple[Any, ...], int] = {}
    seen_forms: set[tuple[Any, ...]] = set()
    while queue and len(found.pages) < limit:
        url, htmx, distance = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in {"", "testserver"} or parts.scheme not in {"", "http"}:
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url in found.pages or url in skipped or not within(parts.path):
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        if "api" in match.namespaces:
            continue
        kind = (match.route, tuple(sorted(parse_qs(parts.query))), htmx)
        if kinds.get(kind, 0) >= per_kind:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
        found.pages[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        forms, links = _read(response.content.decode(), url)
        for form in forms:
            if form.key not in seen_forms:
                seen_forms.add(form.key)
                found.forms.append(form)
        if distance < depth:
            queue.extend((link, link_htmx, distance + 1) for link, link_htmx in links)
    return found
