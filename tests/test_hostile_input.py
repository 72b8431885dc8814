"""Hostile input to every form of the product: never a server error, never half-saved, and
what is stored breaks no later page or export. Ids of another organisation in a form's body
are refused or ignored, and no row of one organisation ever points at a row of another.

The forms are found, not listed: the demo company's owner fetches every GET page of the URL
map (and the pages they link to, see ``tests/forms.py``), and every ``<form method="post">``
on them is probed; an anonymous visitor does the same for the public pages (sign-in, password
reset). Forms that only appear once something was started (an open readiness round, a running
workshop) are found by submitting each ``data-form="action"`` form once, untouched or plausibly
filled, and crawling from where it leads. A form added later is covered without editing this
file.

For each form (one of each kind: same target pattern, same fields), with the hostile values of
``HOSTILE`` (empty, whitespace, 100 000 characters, NaN, ±Infinity, 1e309, -1, 0, 21 digits,
hex, control characters, markup, a formula, text, an unknown choice, impossible dates, two
values where one is expected, left out):

* the untouched form, an empty body, every field twice, an htmx form once more as a plain post;
* every field at once: hostile text, 100 000 characters, two values, left out, and ``MIXES``
  submissions with a different value in each field;
* each field on its own: hostile text, left out, and the rotating values the mixes did not send
  (``rotation``), so that every value reaches every form, deterministically. A form without
  fields, or one that does the same whatever it is sent (a delete button), gets every value at
  once in fields it does not have.

Every probe runs in a savepoint that is rolled back afterwards. A probe fails on any 5xx (or an
exception); on a 4xx when any row of the project's tables differs afterwards (half-saved); and
when it was accepted (2xx/3xx) and the form's page or the page it led to then answers 5xx.
Once per form, hostile text is stored in every field that takes it and every export of the URL
map (``.xlsx``, ``.json``) is fetched as well.

Tenant isolation inside form bodies: a second company is built by the same demo builders, with
the same people (so its ids are ids the demo company's owner may see elsewhere). Every select,
radio, checkbox or hidden field whose values are ids of the demo company's objects is sent with
the other company's ids instead; the answer may be a 4xx or a success that did not use them, and
afterwards no row may point into another organisation (``dbstate.cross_organisation_references``,
also asserted once over both companies) and the other company's rows are unchanged.
"""

from __future__ import annotations

import copy
import datetime
import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client
from django.urls import Resolver404, resolve
from django.urls import path as url_path

from startklar import demo
from startklar.organisations.models import Membership, Organisation, Role
from startklar.testing import client_for, demo_company, make_organisation

from . import urlmap
from .dbstate import (
    changed_tables,
    cross_organisation_references,
    fingerprint,
    organisation_paths,
    rolled_back,
    rows_of,
    writes,
)
from .forms import CSRF, Crawl, Field, Form, crawl

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quiet() -> Iterator[None]:
    """Thousands of refused probes would each log a warning (and each crash a traceback,
    which the test's own message already names)."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


# Hostile values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    label: str
    value: str = ""
    how: str = "value"  # "value": sent in place of the field's value; "missing"; "list"

    def send(self, f: Field) -> list[str] | None:
        """What the form sends for field ``f`` (``None``: the field is left out)."""
        if self.how == "missing":
            return None
        if self.how == "list":  # two values where one is expected
            options = [o for o in f.options if o]
            if len(options) >= 2:
                return options[:2]
            return [*(f.values[:1] or ["1"]), "2"]
        return [self.value]


# Hostile text as a person could paste it: markup, a spreadsheet formula, control characters.
TEXT = (
    '=HYPERLINK("http://x","y")"><img src=x onerror=alert(1)><script>alert(1)</script>'
    "\x00\x0b\x1b[31m ü"
)
HOSTILE_TEXT = Hostile("hostile text", TEXT)
LONG = Hostile("100 000 characters", "Ä" * 100_000)
MISSING = Hostile("left out", how="missing")
TWO_VALUES = Hostile("two values", how="list")
ROTATING = [
    Hostile("empty", ""),
    Hostile("whitespace only", " \t \u00a0 "),
    Hostile("NaN", "NaN"),
    Hostile("Infinity", "Infinity"),
    Hostile("-Infinity", "-Infinity"),
    Hostile("1e309", "1e309"),
    Hostile("-1", "-1"),
    Hostile("0", "0"),
    Hostile("21 digits", "123456789012345678901"),
    Hostile("hex", "0x10"),
    Hostile("NUL", "a\x00b"),
    Hostile("vertical tab", "a\x0bb"),
    Hostile("escape", "\x1b[31mred"),
    Hostile("script", "<script>alert(1)</script>"),
    Hostile("attribute", '"><img src=x onerror=alert(1)>'),
    Hostile("formula", '=HYPERLINK("http://x","y")'),
    Hostile("text", "abc"),
    Hostile("unknown choice", "zz-unknown"),
    Hostile("9999-12-31", "9999-12-31"),
    Hostile("0000-00-00", "0000-00-00"),
    Hostile("month 13", "2026-13"),
    LONG,
    TWO_VALUES,
]
NONE = Field("", "")  # a field the form does not have
ALWAYS = [HOSTILE_TEXT, MISSING]  # every field gets these on its own
HOSTILE = [*ALWAYS, *ROTATING]
EVERY_FIELD = [HOSTILE_TEXT, LONG, TWO_VALUES, MISSING]  # also sent in every field at once
MIXES = 2  # submissions with a different rotating value in every field at once
MIN_PER_FIELD = 1  # rotating values each field gets on its own, at least


def mixed(fields: int, mix: int) -> Callable[[int], Hostile]:
    """The value of each field in the ``mix``-th submission with every field hostile at once:
    the mixes together send the first ``MIXES × fields`` rotating values."""
    return lambda index: ROTATING[(mix * fields + index) % len(ROTATING)]


def rotation(fields: int) -> list[list[Hostile]]:
    """The rotating values each of ``fields`` fields gets on its own, continuing where the
    mixes stopped: with the mixes, every value reaches the form (deterministically), and each
    field gets at least ``MIN_PER_FIELD`` on its own."""
    count = len(ROTATING)
    each = max(MIN_PER_FIELD, -(-count // fields) - MIXES)
    start = MIXES * fields
    return [
        [ROTATING[(start + index * each + t) % count] for t in range(each)]
        for index in range(fields)
    ]


def every_field(form: Form, hostile: Hostile | Callable[[int], Hostile]) -> list[tuple[str, str]]:
    """The form with every field (not the CSRF token) sending ``hostile`` (or, for a callable,
    the value it gives for the field's position)."""
    sent = [(CSRF, v) for f in form.fields if f.name == CSRF for v in f.values]
    for index, f in enumerate(form.inputs):
        value = hostile(index) if callable(hostile) else hostile
        sent.extend((f.name, v) for v in value.send(f) or [])
    return sent


# Probing ---------------------------------------------------------------------------------------


def _crash(exc: BaseException) -> str:
    """The exception and the last line of the project's code it passed through."""
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if "/startklar/" in frame.filename.replace("\\", "/") or "/tests/" in frame.filename:
            where = f" at {frame.filename.split('src/')[-1]}:{frame.lineno}"
    message = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"server error {type(exc).__name__}: {message}{where}"


def redirect_of(response: HttpResponseBase) -> str | None:
    """Where a response sends the browser (a redirect, or htmx's HX-Redirect), if local."""
    target = response.get("HX-Redirect") or (
        response.get("Location") if 300 <= response.status_code < 400 else None
    )
    if not target:
        return None
    parts = urlsplit(target)
    if parts.netloc not in {"", "testserver"}:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class Outcome:
    status: int | None  # None after a server error
    state: str = ""  # what the rows say afterwards (without times), for an accepted probe

    @property
    def accepted(self) -> bool:
        return self.status is not None and self.status < 400


@dataclass
class Prober:
    """Submits variants of forms as one client, each in a savepoint rolled back afterwards,
    and collects what went wrong."""

    client: Client
    exports: list[str]
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def __post_init__(self) -> None:
        self.cookies = copy.deepcopy(self.client.cookies)
        self.base = fingerprint()
        self.base_state = repr(fingerprint(times=False))
        self.checked: set[tuple[Any, ...]] = set()  # (form, state) whose pages were fetched
        self.ignoring: set[str] = set()  # routes of forms that do the same whatever is sent

    def probe(
        self,
        form: Form,
        pairs: list[tuple[str, str]],
        what: str,
        *,
        htmx: bool | None = None,
        exports: bool = False,
        check: Callable[[], str | None] | None = None,
    ) -> Outcome:
        """Submit ``pairs`` to ``form`` and check the answer and what follows from it
        (``check`` looks at the database afterwards and says what is wrong, if anything)."""
        label = f"{form}: {what}"
        with rolled_back():
            self.client.cookies = copy.deepcopy(self.cookies)
            before = writes()
            response = self._request(label, lambda: form.submit(self.client, pairs, htmx=htmx))
            if response is None:
                return Outcome(None)
            status = response.status_code
            wrong = check() if check is not None else None
            if wrong:
                self.problems.append(f"{label}: answered {status} and {wrong}")
            if status >= 400:
                if writes() != before:
                    after = fingerprint()
                    if after != self.base:
                        changed = changed_tables(self.base, after)
                        self.problems.append(f"{label}: answered {status} but changed {changed}")
                return Outcome(status)
            state = repr(fingerprint(times=False)) if writes() != before else self.base_state
            # The pages are fetched once per state the form leaves behind (a form that ignores
            # its fields leaves the same state whatever it is sent).
            if exports or (form.key, state) not in self.checked:
                self.checked.add((form.key, state))
                pages = [form.page, redirect_of(response), *(self.exports if exports else [])]
                for url in dict.fromkeys(p for p in pages if p):
                    self._request(f"GET {url} after {label}", partial(self.client.get, url))
            return Outcome(status, state)

    def _request(self, label: str, send: Callable[[], HttpResponseBase]) -> HttpResponseBase | None:
        self.requests += 1
        try:
            response = send()
        except Exception as exc:  # noqa: BLE001 - a crash is what this test looks for
            self.problems.append(f"{label}: {_crash(exc)}")
            return None
        if response.status_code >= 500:
            self.problems.append(f"{label}: answered {response.status_code}")
            return None
        return response


def probe_form(prober: Prober, form: Form) -> None:
    """Every hostile value reaches the form; see the module's docstring for the plan."""
    untouched = form.pairs()
    plain = prober.probe(form, untouched, "untouched")
    empty = prober.probe(form, [], "empty body")
    prober.probe(form, untouched + untouched, "every field twice")
    if form.htmx:
        prober.probe(form, untouched, "untouched, without htmx", htmx=False)
    # A form that does the same whatever it is sent (a delete button) only needs each value once.
    ignores_fields = plain.accepted and plain == empty and plain.state != prober.base_state
    if ignores_fields:
        if form.route in prober.ignoring:
            return  # the same view with other fields it ignores (a delete button per item)
        prober.ignoring.add(form.route)
    takes_text: list[str] = []
    if not form.inputs or ignores_fields:
        # Fields it does not have (or ignores): every value at once, each in a field of its own.
        extra = [(f"unexpected-{n}", v) for n, h in enumerate(HOSTILE) for v in h.send(NONE) or []]
        prober.probe(form, untouched + extra, "every value in fields it does not have")
    if form.inputs:
        for hostile in EVERY_FIELD:
            prober.probe(form, every_field(form, hostile), f"every field {hostile.label}")
        for mix in range(MIXES):
            pairs = every_field(form, mixed(len(form.inputs), mix))
            prober.probe(form, pairs, f"every field a different value (mix {mix + 1})")
    if form.inputs and not ignores_fields:
        for f, rotating in zip(form.inputs, rotation(len(form.inputs)), strict=True):
            for hostile in [*ALWAYS, *rotating]:
                outcome = prober.probe(
                    form, form.with_values(f.name, hostile.send(f)), f"{f.name} {hostile.label}"
                )
                if hostile is HOSTILE_TEXT and outcome.accepted:
                    takes_text.append(f.name)
    if takes_text:
        # Hostile text stored in every field that takes it, then every page and export.
        stored = [(k, v) for k, v in untouched if k not in takes_text]
        stored += [(k, TEXT) for k in takes_text]
        outcome = prober.probe(
            form, stored, f"hostile text in {', '.join(takes_text)}", exports=True
        )
        if not outcome.accepted:
            first = takes_text[0]
            prober.probe(
                form, form.with_values(first, [TEXT]), f"hostile text in {first}", exports=True
            )


def report(problems: list[str], limit: int = 40) -> str:
    shown = "\n".join(problems[:limit])
    more = f"\n… and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} problems:\n{shown}{more}"


# The world: the demo company, a second company, and the forms -------------------------------


SECOND_SLUG = "zweitwerk"


def second_company() -> Organisation:
    """A second organisation built by the same demo builders, with the same people (the demo
    company's owner is owner of both, so ids of the other company are ids they may see)."""
    profile = {**demo.PROFILE, "name": "Zweitwerk Metall GmbH", "headcount": 60}
    with mock.patch.multiple(
        demo,
        DEMO_SLUG=SECOND_SLUG,
        PROFILE=profile,
        PENDING_INVITATION="q.neumann@startklar.example",
    ):
        demo_company()
    return Organisation.objects.get(slug=SECOND_SLUG)


def page_urls(organisation: Organisation) -> tuple[list[str], list[str], list[str]]:
    """The GET pages of the URL map for a member, the public ones, and the exports."""
    ids = urlmap.ids_of(organisation)
    member: list[str] = []
    public: list[str] = []
    exports: list[str] = []
    for route in urlmap.ROUTES:
        if route.is_api or not urlmap.fillable(route):
            continue
        if route.org_scoped:
            url = route.url(urlmap.values_for(route, ids, organisation.slug))
            member.append(url)
            if url.endswith((".xlsx", ".json", ".csv")):
                exports.append(url)
        else:
            url = route.url({})
            member.append(url)
            if getattr(route.callback, "login_required", True) is False:
                public.append(url)
    return member, public, exports


@dataclass
class State:
    """Forms that appear only after ``entry`` (an action form) was submitted."""

    entry: Form
    keys: set[tuple[Any, ...]]
    areas: set[str]  # the areas (URL namespaces) the forms post to


@dataclass
class World:
    victim: Organisation
    other: Organisation
    owner: Client
    anonymous: Client
    member_pages: Crawl
    public_pages: Crawl
    states: list[State]
    exports: list[str]

    def within(self, page: str) -> bool:
        """The demo company's pages and the pages outside any organisation."""
        if page in {"/o/", "/o/new/"} or not page.startswith("/o/"):
            return True
        return page.startswith(f"/o/{self.victim.slug}/")


def plausible(form: Form) -> list[tuple[str, str]]:
    """The form filled as a person plausibly would: empty fields get a value of their kind."""
    today = datetime.date.today()
    by_kind = {"date": today.isoformat(), "month": f"{today:%Y-%m}", "number": "1"}
    by_kind["email"] = "probe@example.com"
    sent: list[tuple[str, str]] = []
    for f in form.fields:
        if any(f.values):
            sent.extend((f.name, v) for v in f.values)
        elif f.kind == "checkbox":
            sent.extend((f.name, v) for v in f.options[:2])
        elif f.is_choice:
            sent.extend((f.name, v) for v in [o for o in f.options if o][:1])
        elif f.kind != "file":
            sent.append((f.name, by_kind.get(f.kind, "Probe")))
    return sent


def enter(world: World, entry: Form) -> Crawl | None:
    """Submit ``entry`` (untouched, else plausibly filled) and crawl from where it leads."""
    response = entry.submit(world.owner, entry.pairs())
    if response.status_code >= 400:
        response = entry.submit(world.owner, plausible(entry))
    target = redirect_of(response)
    if response.status_code < 400 and target:
        return crawl(
            world.owner,
            [target],
            within=world.within,
            skip=set(world.member_pages.pages) - {target},  # the target itself has changed
            depth=1,
            per_kind=2,
            limit=25,
        )
    return None


def discover_states(world: World) -> list[State]:
    known = {f.key for f in [*world.member_pages.forms, *world.public_pages.forms]}
    cookies = copy.deepcopy(world.owner.cookies)
    states = []
    for entry in world.member_pages.forms:
        if entry.purpose != "action":
            continue
        with rolled_back():
            world.owner.cookies = copy.deepcopy(cookies)
            found = enter(world, entry)
        world.owner.cookies = copy.deepcopy(cookies)
        if found is None:
            continue
        fresh = {f.key for f in found.forms} - known
        if fresh:
            known |= fresh
            areas = {area(f) for f in found.forms if f.key in fresh}
            states.append(State(entry, fresh, areas))
    return states


def build_world() -> World:
    # The second company first: the demo company's ids then start above its ids, so small
    # numbers in forms (scores 1–5) are not mistaken for ids of the demo company's objects.
    other = second_company()
    victim = demo_company()
    owner = Membership.objects.get(organisation=victim, role=Role.OWNER).user
    member, public, exports = page_urls(victim)
    world = World(victim, other, client_for(owner), Client(), Crawl(), Crawl(), [], exports)
    world.member_pages = crawl(world.owner, member, within=world.within)
    world.public_pages = crawl(world.anonymous, public, within=lambda p: p in public)
    world.states = discover_states(world)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module; every test still runs in its own transaction on top of it,
    every probe in a savepoint, and the data is removed afterwards."""
    with django_db_blocker.unblock():
        yield build_world()
        call_command("flush", interactive=False, verbosity=0)


def area(form: Form) -> str:
    try:
        match = resolve(urlsplit(form.action).path)
    except Resolver404:
        return "site"
    return match.namespaces[0] if match.namespaces else "site"


AREAS = sorted({r.namespaces[0] if r.namespaces else "site" for r in urlmap.ROUTES if not r.is_api})


# Tests -----------------------------------------------------------------------------------------


def test_the_crawl_finds_the_forms(world: World) -> None:
    member = {f.route for f in world.member_pages.forms}
    public = {f.route for f in world.public_pages.forms}
    later = {key[0] for state in world.states for key in state.keys}
    for route, found in (
        ("o/<slug:org_slug>/profile/", member),
        ("o/<slug:org_slug>/compliance/systems/<int:aisystem_id>/edit/", member),
        ("o/<slug:org_slug>/business-cases/items/<int:lineitem_id>/", member),
        ("accounts/login/", public),
        ("o/<slug:org_slug>/readiness/<int:round_id>/answer/", later),
        ("o/<slug:org_slug>/usecases/workshops/<int:workshop_id>/vote/", later),
    ):
        assert any(r.startswith(route + " ") for r in found), f"no form posting to /{route}"


def every_state(world: World, where: str | None = None) -> Iterator[tuple[Client, list[Form], str]]:
    """The forms as each client finds them: the demo company as it is, the public pages, and
    each state an action form leads to (entered in a savepoint that is rolled back after);
    with ``where``, only the states with forms of that area are entered."""
    yield world.owner, world.member_pages.forms, ""
    yield world.anonymous, world.public_pages.forms, ""
    for state in world.states:
        if where is not None and where not in state.areas:
            continue  # entering it (an action and a crawl from there) would find nothing here
        with rolled_back():
            found = enter(world, state.entry)
            assert found is not None, f"{state.entry} no longer leads anywhere"
            yield (
                world.owner,
                [f for f in found.forms if f.key in state.keys],
                f"after {state.entry}: ",
            )


@pytest.mark.parametrize("where", AREAS)
def test_every_form_survives_hostile_input(where: str, world: World) -> None:
    problems: list[str] = []
    for client, forms, prefix in every_state(world, where):
        here = [f for f in forms if area(f) == where]
        if here:
            prober = Prober(client, world.exports)
            for form in here:
                probe_form(prober, form)
            problems += [prefix + p for p in prober.problems]
    assert not problems, report(problems)


# Tenant isolation inside form bodies ----------------------------------------------------------

ID_KINDS = {"select", "select-multiple", "radio", "checkbox", "hidden"}


def id_fields(form: Form, organisation: Organisation) -> Iterator[tuple[Field, type[Any]]]:
    """The fields of ``form`` whose values are ids of the organisation's objects, each with the
    model they are ids of (every model whose ids contain all of them)."""
    owned = {
        m: p
        for m, p in organisation_paths().items()
        if m is not Organisation and not m._meta.auto_created  # not a many-to-many table
    }
    for f in form.inputs:
        values = {v for v in [*f.options, *f.values] if v.isdigit()}
        if f.kind not in ID_KINDS or not values:
            continue
        for model, path in owned.items():
            ids = model._base_manager.filter(**{path: organisation.pk}).values_list("pk", flat=True)
            if values <= {str(pk) for pk in ids}:
                yield f, model


def foreign_variants(f: Field, own: list[str], foreign: list[str]) -> list[tuple[str, list[str]]]:
    variants = [("one id of the other organisation", foreign[:1])]
    if f.kind in {"checkbox", "select-multiple"}:
        variants.append(("ids of both organisations", [*own[:1], *foreign[:1]]))
        variants.append(("only ids of the other organisation", foreign[:2]))
    return variants


def test_the_second_company_has_every_kind_of_object(world: World) -> None:
    for model, path in organisation_paths().items():
        rows = model._base_manager.filter
        if rows(**{path: world.victim.pk}).exists():
            assert rows(**{path: world.other.pk}).exists(), (
                f"the second company has no {model._meta.label}: build it in startklar/demo.py "
                "from the tenant the builders are given"
            )


def test_ids_of_another_organisation_in_form_bodies_are_refused_or_ignored(world: World) -> None:
    other_rows = rows_of(world.other)

    def nothing_crosses() -> str | None:
        crossed = cross_organisation_references()
        if crossed:
            return "now " + "; ".join(str(c) for c in crossed[:3])
        if rows_of(world.other) != other_rows:
            return f"changed rows of {world.other.slug}"
        return None

    problems: list[str] = []
    tried = 0
    for client, forms, prefix in every_state(world):
        prober = Prober(client, world.exports)
        for form in forms:
            for f, model in id_fields(form, world.victim):
                path = organisation_paths()[model]
                foreign = [
                    str(pk)
                    for pk in model._base_manager.filter(**{path: world.other.pk})
                    .order_by("pk")
                    .values_list("pk", flat=True)[:2]
                ]
                own = [v for v in [*f.values, *f.options] if v.isdigit()]
                for what, values in foreign_variants(f, own, foreign):
                    tried += 1
                    label = f"{f.name} = {what} ({model._meta.label} {', '.join(values)})"
                    prober.probe(
                        form, form.with_values(f.name, values), label, check=nothing_crosses
                    )
        problems += [prefix + p for p in prober.problems]
    assert tried >= 10, "the forms should offer ids of the demo company's objects"
    assert not problems, report(problems)


def test_no_row_points_into_another_organisation(world: World) -> None:
    assert cross_organisation_references() == []


def _point(model: type[Any], pk: object, attname: str, target: object) -> bool:
    """Point one row's relation at ``target``, unless a unique constraint forbids it."""
    try:
        with transaction.atomic():
            model._base_manager.filter(pk=pk).update(**{attname: target})
    except IntegrityError:
        return False
    return True


def test_the_invariant_finds_a_row_pointing_into_another_organisation(world: World) -> None:
    """Every relation between rows of organisations, pointed once at the other company."""
    paths = organisation_paths()
    checked = 0
    for model, path in paths.items():
        for f in model._meta.concrete_fields:
            target = getattr(f, "related_model", None)
            if target not in paths or target is Organisation or path.split("__")[0] == f.name:
                continue
            rows = model._base_manager.filter(**{path: world.victim.pk}).order_by("pk")
            foreign = target._base_manager.filter(**{paths[target]: world.other.pk}).first()
            if foreign is None:
                continue
            with rolled_back():
                if not any(
                    _point(model, pk, f.attname, foreign.pk)
                    for pk in rows.values_list("pk", flat=True)[:5]
                ):
                    continue  # every such row is held by a unique constraint
                crossed = cross_organisation_references()
                assert any(c.model == model._meta.label and c.field == f.name for c in crossed), (
                    f"{model._meta.label}.{f.name} into another organisation went unnoticed"
                )
            checked += 1
    assert checked >= 5


# The test can fail: forms that crash, half-save, or store what breaks their page --------------


@login_not_required
def selftest_page(request: HttpRequest) -> HttpResponse:
    if Organisation.objects.filter(name__startswith="note:", name__contains="<script>").exists():
        raise RuntimeError("the page cannot show what was stored")
    return HttpResponse(
        '<main><form method="post" action="/crash/"><input name="count" value="1"></form>'
        '<form method="post" action="/half/"><input name="name" value="Firma">'
        '<input name="headcount" value="5"></form>'
        '<form method="post" action="/store/"><textarea name="note"></textarea></form>'
        '<form method="post" action="/fine/"><input name="name" value="Firma">'
        '<input name="headcount" value="5"></form></main>'
    )


@login_not_required
def selftest_crash(request: HttpRequest) -> HttpResponse:
    count = request.POST.get("count", "")
    return HttpResponse(f"{1 / (count != 'NaN')}")  # crashes on exactly one value


@login_not_required
def selftest_half(request: HttpRequest) -> HttpResponse:
    make_organisation(request.POST.get("name", "")[:50] or "Firma")  # saved first …
    if not request.POST.get("headcount", "").isdigit():
        return HttpResponse("headcount?", status=422)  # … then refused
    return HttpResponse("ok")


@login_not_required
def selftest_store(request: HttpRequest) -> HttpResponse:
    make_organisation("note:" + request.POST.get("note", "")[:100])
    return HttpResponse(status=302, headers={"Location": "/selftest/"})


@login_not_required
def selftest_fine(request: HttpRequest) -> HttpResponse:
    if not request.POST.get("headcount", "").isdigit():
        return HttpResponse("headcount?", status=422)
    make_organisation(request.POST.get("name", "")[:50] or "Firma")
    return HttpResponse(status=302, headers={"Location": "/selftest/"})


urlpatterns = [
    url_path("selftest/", selftest_page),
    url_path("crash/", selftest_crash),
    url_path("half/", selftest_half),
    url_path("store/", selftest_store),
    url_path("fine/", selftest_fine),
]


@pytest.mark.urls(__name__)
def test_the_probe_catches_crashes_half_saves_and_pages_broken_by_stored_text() -> None:
    organisations = Organisation.objects.count()
    client = Client()
    found = crawl(client, ["/selftest/"], within=lambda p: True)
    assert len(found.forms) == 4
    prober = Prober(client, exports=[])
    for form in found.forms:
        probe_form(prober, form)

    def reported(where: str, what: str) -> bool:
        return any(where in p and what in p for p in prober.problems)

    assert reported("posting to /crash/", "NaN: server error ZeroDivisionError")
    assert reported("posting to /half/", "answered 422 but changed organisations.Organisation")
    assert reported("GET /selftest/ after form posting to /store/", "RuntimeError")
    assert not [p for p in prober.problems if "/fine/" in p]
    assert Organisation.objects.count() == organisations  # every probe was rolled back
