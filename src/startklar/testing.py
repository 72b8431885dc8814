"""Builders for tests of every feature: people, organisations and signed-in clients.

Kept small on purpose; each test says what it needs through these few verbs.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.test import Client

from startklar.accounts.models import User
from startklar.organisations.models import Membership, NaceSection, Organisation, Role

_counter = itertools.count(1)


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
