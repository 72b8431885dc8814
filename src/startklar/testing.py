"""Builders for tests of every feature: people, organisations and signed-in clients.

Kept small on purpose; each test says what it needs through these few verbs.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.sql import InsertQuery
from django.test import Client
from django.utils import timezone

from startklar.accounts.models import User
from startklar.organisations.models import Membership, NaceSection, Organisation, Role
from startklar.organisations.tenancy import Tenant

_counter = itertools.count(1)


NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@contextmanager
def nothing_kept() -> Iterator[None]:
    """Pages rendered afresh: no kept part (the cache) and no kept page (core/pages.py)."""
    from django.test import override_settings

    from startklar.core import pages

    limit = pages.store.limit
    pages.store.limit = 0
    try:
        with override_settings(CACHES=NO_CACHE):
            yield
    finally:
        pages.store.limit = limit


def make_user(
    email: str | None = None,
    *,
    name: str = "",
    password: str = "pw",  # noqa: S107
) -> User:
    n = next(_counter)
    return User.objects.create_user(
        email or f"person{n}@example.com", password, full_name=name or f"Person {n}"
    )


def make_organisation(name: str | None = None, **profile: Any) -> Organisation:
    n = next(_counter)
    values: dict[str, Any] = {
        "name": name or f"Firma {n} GmbH",
        "slug": f"firma-{n}",
        "industry": NaceSection.C,
        "headcount": 40,
        "annual_turnover": Decimal("6000000"),
        "balance_sheet_total": Decimal("4000000"),
    }
    values.update(profile)
    return Organisation.objects.create(**values)


def add_member(
    organisation: Organisation, user: User | None = None, role: Role = Role.EDITOR
) -> User:
    user = user or make_user()
    Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


def client_for(user: User, language: str | None = None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["startklar_language"] = language
    return client


# Variables of the test run that must not leak into a ``startklar`` started by a test.
_PRIVATE_ENV = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY"}


def run_startklar(
    *args: str, env: dict[str, str], cwd: Path | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the ``startklar`` command in a fresh process with a clean environment plus ``env``
    (in the folder ``cwd``, with ``input`` typed at its prompts; none if not given)."""
    clean = {k: v for k, v in os.environ.items() if k not in _PRIVATE_ENV}
    return subprocess.run(  # noqa: S603 - fixed command, arguments from the tests
        [sys.executable, "-m", "startklar", *args],
        env={**clean, **env},
        cwd=cwd,
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


# Forms as a browser submits them -----------------------------------------------------------

_FLOAT = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


class _FormParser(HTMLParser):
    """Collects the fields of the n-th ``<form>`` on a page the way a browser would send them."""

    def __init__(self, index: int):
        super().__init__(convert_charrefs=True)
        self.index, self.seen, self.inside = index, -1, False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text: list[str] = []
        self.option_value: str | None = None
        self.option_selected = False
        self.option_text: list[str] = []
        self.in_option = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.seen += 1
            self.inside = self.seen == self.index
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            value = a.get("value", "")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields.append((a["name"], value or "on"))
            elif kind == "number":
                # A browser drops a value it cannot read as a floating-point number.
                self.fields.append((a["name"], value if _FLOAT.fullmatch(value) else ""))
            elif kind not in {"submit", "button", "reset", "file", "image"}:
                self.fields.append((a["name"], value))
        elif tag == "select" and a.get("name"):
            self.select, self.options = a["name"], []
        elif tag == "option" and self.select is not None:
            self.in_option, self.option_text = True, []
            self.option_value = a.get("value")
            self.option_selected = "selected" in a
        elif tag == "textarea" and a.get("name"):
            self.textarea, self.text = a["name"], []

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text.append(data)
        if self.in_option:
            self.option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.in_option:
            value = self.option_value
            text = "".join(self.option_text).strip()
            self.options.append((text if value is None else value, self.option_selected))
            self.in_option = False
        elif tag == "select" and self.select is not None:
            chosen = [v for v, selected in self.options if selected] or [
                v for v, _s in self.options[:1]
            ]
            self.fields.extend((self.select, v) for v in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None
        elif tag == "form" and self.inside:
            self.inside = False


def submitted_form(html: str, index: int = 0) -> dict[str, list[str]]:
    """What a browser sends for the ``index``-th form of ``html`` if nobody touches it."""
    parser = _FormParser(index)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def form_index(html: str, marker: str = "<form") -> int:
    """The position of the first ``<form`` in the page's ``<main>`` whose opening tag contains
    ``marker`` (the navigation's language and sign-out forms come before it)."""
    main = html.find("<main")
    forms = list(re.finditer(r"<form\b[^>]*>", html))
    return next(i for i, m in enumerate(forms) if m.start() > main and marker in m.group(0))


# The demo company, built once per test process -----------------------------------------------
#
# Building the demo runs every feature's services (hundreds of writes, a few seconds). Tests that
# only need it as data get it from ``demo_company()``: the first call in a process builds it with
# ``startklar.demo.ensure_demo()`` and remembers the rows it added, as the statements that insert
# them (the ORM's own bulk inserts, with the stored values, keys and times, made once); later
# calls on an empty database run those statements again. Tests of the demo build itself call
# ``ensure_demo()``. The demo at ten times its data (``demo_company(copies=9)``: the demo, then
# ``archive.copy_into``, a few seconds more) is remembered the same way, as the rows after the
# copy (which also changes rows of the demo: the archive import's stored results).

_Statements = list[tuple[str, list[Any]]]
_demo_rows: dict[tuple[str, int], _Statements] = {}


def _demo_key() -> str:
    from startklar import demo

    day = timezone.localdate()  # the demo's dates count back from the day it is built
    return repr((demo.DEMO_EMAIL, demo.DEMO_SLUG, demo.PROFILE, demo.COLLEAGUES, day))


def _tables() -> list[type[Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]


def _demo_tables_are_empty() -> bool:
    return not any(
        m._base_manager.exists()
        for m in (Organisation, User, Membership)  # what every demo row hangs from
    )


def _inserts(model: type[Model], rows: list[Model]) -> _Statements:
    """The statements ``bulk_create(rows)`` runs for rows with their keys, values as stored
    (``raw``: no ``auto_now`` stamping), in batches the database takes."""
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    statements: _Statements = []
    for start in range(0, len(rows), size):
        query = InsertQuery(model)
        query.insert_values(fields, rows[start : start + size], raw=True)
        statements += [
            (sql, list(params))
            for sql, params in query.get_compiler(connection=connection).as_sql()
        ]
    return statements


def demo_company(copies: int = 0) -> Organisation:
    """The demo company (``startklar.demo.ensure_demo()``), built at most once per process;
    with ``copies`` copies of everything it owns added (``archive.copy_into``), made at most
    once per process too."""
    from startklar import demo
    from startklar.organisations import archive

    key = (_demo_key(), copies)
    if key in _demo_rows and _demo_tables_are_empty():
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params in _demo_rows[key]:
                cursor.execute(sql, params)
        return Organisation.objects.get(slug=demo.DEMO_SLUG)
    if not _demo_tables_are_empty():
        organisation = demo.ensure_demo().organisation
        if copies:
            archive.copy_into(organisation, copies)
        return organisation
    before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in _tables()}
    if copies:
        organisation = demo_company()
        archive.copy_into(organisation, copies)
    else:
        organisation = demo.ensure_demo().organisation
    statements: _Statements = []
    restored: list[type[Model]] = []
    for model in _tables():
        rows = [r for r in model._base_manager.order_by("pk") if r.pk not in before[model]]
        if rows:
            statements += _inserts(model, rows)
            restored.append(model)
    statements += [(sql, []) for sql in connection.ops.sequence_reset_sql(no_style(), restored)]
    _demo_rows[key] = statements
    return organisation


def tenant_of(user: User, organisation: Organisation) -> Tenant:
    """What a view of ``organisation`` gets for ``user``: the organisation and the membership."""
    membership = Membership.objects.get(user=user, organisation=organisation)
    return Tenant(organisation=organisation, membership=membership)
