"""Every page of the URL map works as a person uses it, in German and English, on a desktop and
a phone; every edit form saved unchanged changes nothing.

The pages come from the URL map (``tests/urlmap.py``), filled with the demo company's objects
like the tenant-isolation walk, so a new view is covered without editing this file. A route
that answers 405 to GET is a POST endpoint (nothing to see); a non-HTML answer (an Excel or
JSON export) must answer 200; a redirect must land on a page that answers 200, and if that page
links to the route with a query string (``catalogue/entry/?id=…``), that link is the page.

The crawl (``test_the_page_works``) fails on, per language and width, all at once:

* an HTTP status ≥ 400 of the page or of anything it loads (static files, htmx on load),
  a failed request, a console error, an uncaught exception, a CSP violation;
* horizontal page overflow, an element (or a text) wider than a container that does not scroll;
* a raw content key or (on English pages) German text, after removing what people typed;
* a POST form that does not say whether it edits (``data-form="edit"``: saved unchanged it must
  change nothing) or acts (``data-form="action"``: creates, deletes, performs a step);
* an axe-core violation of impact serious or critical.

Each run looks at two of the four views (``crawl.VIEWS``): the SQLite run German on the phone
and English on the desktop, the PostgreSQL run the other two, so CI sees all four; axe-core runs
in one view a run, the round trip in one language a run (``crawl.AXE_VIEWS``,
``crawl.ROUND_TRIP_LANGUAGES``). ``STARTKLAR_CRAWL_VIEWS=all`` does all of it in one run.

The round trip (``test_edit_forms_saved_unchanged_change_nothing``) opens each page (in the
run's language), submits every ``data-form="edit"`` form as it is – clicking its button, or for an
htmx form that posts on change, firing ``change`` on its first field – and compares every row of
the database before and after, except ``auto_now`` timestamps. A change is undone afterwards so
the next test starts from the demo company as built.

Both share one demo company, one live server, one sign-in and one tab per language per module
(and xdist worker).
Screenshots: ``<artifacts>/pages/<route>/<language>-<width>.jpg`` (in CI only of views with
problems, see ``crawl.SCREENSHOTS_OF_EVERY_VIEW``); each failing test also writes
``findings.json`` there, which ``tests/browser/findings.py`` turns into a work list.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.test.utils import setup_databases, teardown_databases
from playwright.sync_api import Browser, BrowserContext, Locator, Page, StorageState
from pytest_django.live_server_helper import LiveServer

from startklar import demo
from startklar.organisations.models import Organisation
from startklar.testing import demo_company
from tests import urlmap

from . import crawl
from .conftest import ARTIFACTS

ROOT = Path(__file__).resolve().parents[2]
PAGES = [r for r in urlmap.ROUTES if not r.is_api and urlmap.fillable(r)]
HREF = re.compile(r'href="([^"]+)"')
EDIT_FORMS = 'form[data-form="edit"]'


@dataclass
class Tab:
    """One browser tab of a language, kept open for every page of the module: opening a tab
    starts a renderer process with cold caches, which costs more than the page itself."""

    page: Page
    watcher: crawl.Watcher
    shown: str = ""  # the URL it shows


@dataclass
class Site:
    base: str
    organisation: Organisation
    ids: dict[str, object]
    contexts: dict[str, BrowserContext]
    user_strings: tuple[str, ...]
    tabs: dict[tuple[str, str], Tab] = field(default_factory=dict)
    urls: dict[str, str | None] = field(default_factory=dict)  # route -> page_for(route)

    def tab(self, language: str, test: str) -> Tab:
        """The tab of ``language`` that ``test`` (the crawl or the round trip) uses."""
        if (test, language) not in self.tabs:
            page = self.contexts[language].new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            self.tabs[test, language] = Tab(page, crawl.Watcher(page, self.base))
        return self.tabs[test, language]


def is_test_database() -> bool:
    # _get_test_db_name is Django's (private, so not in django-stubs)
    test_name = connection.creation._get_test_db_name()  # type: ignore[attr-defined]
    return bool(connection.settings_dict["NAME"] == test_name)


@contextmanager
def crawl_database() -> Iterator[None]:
    """The test database, set up here if pytest-django has not.

    pytest-django creates test databases only for the selected tests that ask for one (a
    ``django_db`` mark, ``db`` or ``live_server``). These tests share one database per module
    instead, so when they run alone (``pytest tests/browser/test_every_page.py``) nothing
    would be set up and they would write into (and finally flush) the development database.
    """
    if is_test_database():
        yield
        return
    created = setup_databases(
        verbosity=0, interactive=False, aliases=dict.fromkeys([DEFAULT_DB_ALIAS])
    )
    try:
        yield
    finally:
        teardown_databases(created, verbosity=0)


@pytest.fixture(scope="module")
def site(django_db_setup: None, django_db_blocker: Any, browser: Browser) -> Iterator[Site]:
    """The demo company on a live server of this module, signed in once per language."""
    with django_db_blocker.unblock(), crawl_database():
        assert is_test_database(), connection.settings_dict["NAME"]
        organisation = demo_company()
        server = LiveServer("localhost")
        contexts: dict[str, BrowserContext] = {}
        try:
            state = sign_in(browser, server.url)
            for language in crawl.LANGUAGES:
                context = browser.new_context(storage_state=state)
                context.add_cookies(
                    [{"name": "startklar_language", "value": language, "url": server.url}]
                )
                context.add_init_script(crawl.INIT_SCRIPT)
                if any(lang == language for lang, _ in crawl.AXE_VIEWS):
                    crawl.add_axe(context)
                contexts[language] = context
            yield Site(
                server.url,
                organisation,
                urlmap.ids_of(organisation),
                contexts,
                crawl.user_strings(),
            )
        finally:
            for context in contexts.values():
                context.close()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            # Close this fixture's connection: left open (it is not the one pytest-django closes;
            # Playwright's sync API switches greenlets), PostgreSQL refuses to drop the test
            # database at the end of the session.
            connections.close_all()


def sign_in(browser: Browser, base: str) -> StorageState:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(demo.DEMO_EMAIL)
    page.get_by_label("Passwort").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    try:
        page.wait_for_url(re.compile(r"/o/[\w-]+/$"))
    except Exception:
        print("sign-in failed at", page.url, page.inner_text("main")[:500])
        raise
    state = context.storage_state()
    context.close()
    return state


def folder_for(route: urlmap.Route) -> Path:
    name = urlmap.PARAM.sub(lambda m: m.group("name"), route.template).strip("/")
    folder = ARTIFACTS / "pages" / (name.replace("/", "_") or "home")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def page_for(route: urlmap.Route, site: Site) -> str | None:
    """The URL to look at for ``route``, or None if it has no page of its own (see above);
    asked once per module."""
    if str(route) not in site.urls:
        site.urls[str(route)] = _page_for(route, site)
    return site.urls[str(route)]


def _page_for(route: urlmap.Route, site: Site) -> str | None:
    values = urlmap.values_for(route, site.ids, site.organisation.slug) if route.org_scoped else {}
    url = route.url(values)
    request = site.contexts["de"].request
    response = request.get(site.base + url, max_redirects=0, fail_on_status_code=False)
    kind = response.headers.get("content-type", "")
    if response.status == 405:
        return None
    if 300 <= response.status < 400:
        landed = request.get(site.base + url, fail_on_status_code=False)
        assert landed.status == 200, (
            f"{url} redirects to {landed.url}, which answers {landed.status}"
        )
        for href in HREF.findall(landed.text()):
            link = urlsplit(html.unescape(href))
            if link.path == url and link.query:
                return f"{url}?{link.query}"
        return None
    assert response.status == 200, f"{url}: GET answers {response.status}"
    return url if kind.startswith("text/html") else None


def report(route: urlmap.Route, url: str, test: str, problems: dict[str, list[str]]) -> str:
    folder = folder_for(route)
    (folder / f"findings-{test}.json").write_text(
        json.dumps({"test": test, "route": str(route), "url": url, "problems": problems}, indent=1),
        encoding="utf-8",
    )
    lines = [f"{url} (route {route}):"]
    for where, found in problems.items():
        lines.append(f"  {where}:")
        lines += [f"    - {p}" for p in found]
    return "\n".join(lines)


@pytest.mark.parametrize("route", PAGES, ids=str)
def test_the_page_works(route: urlmap.Route, site: Site) -> None:
    url = page_for(route, site)
    if url is None:
        return
    folder = folder_for(route)
    (folder / "findings-crawl.json").unlink(missing_ok=True)  # from an earlier run
    problems: dict[str, list[str]] = {}
    for language, width in crawl.VIEWS:
        tab = site.tab(language, "crawl")
        # What the page shown before reported after it was inspected (rare: a late error).
        late = [f"{p} (after {tab.shown} was inspected)" for p in tab.watcher.take()]
        tab.page.set_viewport_size({"width": width, "height": 900})
        tab.page.goto(site.base + url)
        tab.shown = url
        found = crawl.settle(tab.page)
        axe = (language, width) in crawl.AXE_VIEWS
        found += crawl.inspect(tab.page, language, width, site.user_strings, axe=axe)
        found = late + tab.watcher.take() + found
        if found or crawl.SCREENSHOTS_OF_EVERY_VIEW:
            tab.page.screenshot(
                path=folder / f"{language}-{width}.jpg", full_page=True, type="jpeg", quality=70
            )
        if found:
            problems[f"{language}, {width} px"] = found
    if problems:
        pytest.fail(report(route, url, "crawl", problems), pytrace=False)


# Round trip ---------------------------------------------------------------------------------

SUBMIT_BY_CHANGE = """
(form) => {
  const trigger = form.getAttribute('hx-trigger') || '';
  if (!/\\bchange\\b/.test(trigger) || /\\bsubmit\\b/.test(trigger)) return null;
  const field = [...form.elements].find((e) => e.name && !e.disabled
    && !['hidden', 'submit', 'button', 'reset'].includes(e.type)
    && (!['radio', 'checkbox'].includes(e.type) || e.checked));
  if (!field) return '';
  field.dispatchEvent(new Event('change', {bubbles: true}));
  return field.name;
}
"""


def submit_unchanged(form: Locator) -> str:
    """Send the form as a person would without changing anything; says how."""
    field = form.evaluate(SUBMIT_BY_CHANGE)
    if field:
        return f"change on {field}"
    own = ":not([formaction]):not([hx-post]):not([data-form=action])"  # not a delete button
    button = form.locator(
        f"button[type=submit]{own}, input[type=submit]{own}, button:not([type]){own}"
    ).first
    if button.count() and button.is_visible():
        button.click()
        return "button click"
    form.evaluate("(form) => form.requestSubmit()")
    return "submit (the form is not visible)"


def is_timestamp(f: models.Field[Any, Any]) -> bool:
    """A pure "last saved" time: ``auto_now``, ``updated_at`` or ``…_saved_at``."""
    return isinstance(f, models.DateTimeField | models.DateField) and (
        f.auto_now or f.name == "updated_at" or f.name.endswith("_saved_at")
    )


def rows() -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of the project's tables, without pure timestamps (``is_timestamp``)."""
    result: dict[str, dict[Any, dict[str, Any]]] = {}
    for model in crawl.project_models(include_through=True):
        ignored = {f.attname for f in model._meta.concrete_fields if is_timestamp(f)}
        result[model._meta.label] = {
            row["pk"]: {k: v for k, v in row.items() if k not in ignored and k != "pk"}
            for row in model._default_manager.values(
                "pk", *[f.attname for f in model._meta.concrete_fields]
            )
        }
    return result


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    found = []
    for label, old in before.items():
        new = after[label]
        for pk in sorted(set(new) - set(old), key=str):
            values = ", ".join(f"{k}={v!r}" for k, v in new[pk].items() if not k.endswith("_id"))
            found.append(f"{label} #{pk} created ({values})")
        for pk in sorted(set(old) - set(new), key=str):
            found.append(f"{label} #{pk} deleted")
        for pk in sorted(set(old) & set(new), key=str):
            for name, value in old[pk].items():
                if new[pk].get(name) != value:
                    found.append(f"{label} #{pk} {name}: {value!r} → {new[pk].get(name)!r}")
    return found


def restore(before: dict[str, Any]) -> None:
    """Put the rows back as they were (after a form changed them)."""
    after = rows()
    for model in crawl.project_models(include_through=True):
        label = model._meta.label
        old, new = before[label], after[label]
        model._default_manager.filter(pk__in=set(new) - set(old)).delete()
        model._default_manager.bulk_create([model(pk=pk, **old[pk]) for pk in set(old) - set(new)])
        for pk in set(old) & set(new):
            if old[pk] != new[pk]:
                model._default_manager.filter(pk=pk).update(**old[pk])


def describe(form: Locator) -> str:
    return str(form.evaluate("(f) => {" + crawl.PATH_JS + " return cssPath(f); }"))


def errors_on(page: Page) -> list[str]:
    texts = page.locator(".invalid-feedback:visible, .alert-danger:visible").all_inner_texts()
    return [crawl.normalise(t) for t in texts if t.strip()]


@pytest.mark.parametrize("route", PAGES, ids=str)
def test_edit_forms_saved_unchanged_change_nothing(route: urlmap.Route, site: Site) -> None:
    url = page_for(route, site)
    if url is None:
        return
    (folder_for(route) / "findings-roundtrip.json").unlink(missing_ok=True)
    problems: dict[str, list[str]] = {}
    submitted: list[str] = []
    for language in crawl.ROUND_TRIP_LANGUAGES:
        page = site.tab(language, "roundtrip").page
        page.set_viewport_size({"width": crawl.WIDTHS[0], "height": 900})
        page.goto(site.base + url)
        crawl.settle(page)
        count = page.locator(EDIT_FORMS).count()
        for index in range(count):
            if index:
                page.goto(site.base + url)
                crawl.settle(page)
            if page.locator(EDIT_FORMS).count() != count:
                now = page.locator(EDIT_FORMS).evaluate_all(
                    "(forms) => forms.map((f) => f.id || f.action)"
                )
                problems.setdefault(language, []).append(
                    f"the page had {count} edit forms, after saving {index} of them it has "
                    f"{len(now)}: {now}"
                )
                break
            form = page.locator(EDIT_FORMS).nth(index)
            name = describe(form)
            before = rows()
            with page.expect_response(
                lambda r: r.request.method == "POST" and r.url.startswith(site.base),
                timeout=10_000,
            ) as answer:
                how = submit_unchanged(form)
            response = answer.value
            page.wait_for_load_state()
            crawl.settle(page)
            after = rows()
            found = []
            if response.status >= 400:
                messages = "; ".join(errors_on(page)) or "no message shown"
                found.append(f"saving unchanged answers {response.status}: {messages}")
            changed = changes(before, after)
            if changed:
                found += [f"changed {c}" for c in changed]
                restore(before)
            submitted.append(f"{language}: {name} ({how}) → {response.status}")
            if found:
                problems.setdefault(f"{language}, {name} ({how})", []).extend(found)
    if submitted:
        (folder_for(route) / "edit-forms.txt").write_text("\n".join(submitted) + "\n")
    if problems:
        pytest.fail(report(route, url, "roundtrip", problems), pytrace=False)


def test_the_crawl_covers_the_pages_people_use() -> None:
    """The URL map yields the pages the crawl must visit (a guard against an empty walk)."""
    names = {str(r) for r in PAGES}
    assert "/o/<slug:org_slug>/business-cases/<int:businesscase_id>/" in names
    assert "/o/<slug:org_slug>/usecases/<int:usecase_id>/edit/" in names
    assert not any(r.is_api for r in PAGES)


SELF_TEST = """<!doctype html><html lang="en"><head><title>Checks</title></head><body>
<main id="main">
  <div id="narrow" style="width: 300px"><div id="wide" style="width: 500px">wide</div></div>
  <table><tr><td id="raw">fuehrung</td><td id="effort">niedrig</td></tr></table>
  <p id="trail">Role → hochrisiko</p>
  <button id="german" type="button">Speichern</button>
  <p id="typed">Schichtleitung Halle 2 fuehrung</p>
  <button id="quoted" type="button" lang="de" title="Deutsch">Speichern</button>
  <form method="post" id="untagged"><button>Go</button></form>
  <img src="/pixel.png" id="noalt">
  <script>console.log("inline");</script>
</main></body></html>"""


def test_the_checks_find_what_they_look_for(browser: Browser) -> None:
    """Each check reports a planted defect, and text typed by people is left alone."""
    base = "http://checks.invalid"
    context = browser.new_context(viewport={"width": 390, "height": 600})
    context.add_init_script(crawl.INIT_SCRIPT)
    page = context.new_page()
    page.route(
        f"{base}/",
        lambda route: route.fulfill(
            body=SELF_TEST,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": "script-src 'none'"},
        ),
    )
    page.route(f"{base}/pixel.png", lambda route: route.fulfill(status=404, body=""))
    watcher = crawl.Watcher(page, base)
    page.goto(f"{base}/")
    problems = watcher.take() + crawl.inspect(page, "en", 390, ("Schichtleitung Halle 2 fuehrung",))
    context.close()
    text = "\n".join(problems)
    for expected in [
        "HTTP 404: GET /pixel.png",
        "CSP violation: script-src",
        "page overflow: the page is",
        "element wider than its container: div#wide",
        "raw content key: 'fuehrung' in td#raw",
        "raw content key: 'niedrig' in td#effort",
        "raw content key: 'hochrisiko' in p#trail",
        'German text on the English page: "Speichern" in button#german',
        "POST form without data-form",
        "accessibility (critical) image-alt",
    ]:
        assert expected in text, f"{expected!r} not reported:\n{text}"
    assert "p#typed" not in text
    assert "button#quoted" not in text


@pytest.mark.own_sqlite
def test_run_alone_the_crawl_never_touches_the_development_database(tmp_path: Path) -> None:
    """Selected on their own, no other test asks pytest-django for a database; the crawl then
    sets up the test database itself and never writes into (or flushes) the local one."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # SQLite in tmp_path
    env |= {"STARTKLAR_VAR_DIR": str(tmp_path), "STARTKLAR_ARTIFACTS": str(tmp_path / "art")}
    node = f"{Path(__file__).relative_to(ROOT)}::test_the_page_works[/health/]"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", node],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
    assert not (tmp_path / "startklar.sqlite3").exists()
