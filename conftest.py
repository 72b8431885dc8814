"""Fixtures shared by every test (feature tests under src/ and project tests under tests/)."""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context
from django.test import Client
from django.test.signals import template_rendered
from django.utils import translation
from template_partials.templatetags.partials import TemplateProxy

from startklar.accounts.models import User
from startklar.core import pages
from startklar.organisations.models import Organisation, Role
from startklar.testing import add_member, client_for, make_organisation, make_user


def pytest_configure(config: pytest.Config) -> None:
    """Where ``PYTHONDONTWRITEBYTECODE`` is set (container images often set it), every process
    the suite starts (test workers, the ``startklar`` commands tests run) would compile all it
    imports again, one to two seconds each. They keep their compiled modules in a folder of the
    temporary directory instead, never next to the sources."""
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
        del os.environ["PYTHONDONTWRITEBYTECODE"]
        folder = Path(tempfile.gettempdir()) / f"startklar-pycache-{os.getuid()}"
        os.environ["PYTHONPYCACHEPREFIX"] = str(folder)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--measured-tests",
        action="append",
        default=[],
        metavar="PATH",
        help="with --cov: measure coverage only while the tests under PATH run (their setup and "
        "teardown included); repeat for more paths; scripts/coverage_ratchet.py --cov-args gives "
        "the services' tests",
    )
    parser.addoption(
        "--unmeasured-tests",
        action="append",
        default=[],
        metavar="PATH",
        help="with --measured-tests: pause the coverage measurement while the tests under PATH "
        "run, although they are under a measured path (tests of pages, not of services); "
        "repeat for more paths",
    )
    parser.addoption(
        "--ran-elsewhere",
        action="append",
        default=[],
        metavar="PATH",
        help="leave out the tests under PATH that use no database: CI has run them already (the "
        "engines' coverage run, scripts/coverage_ratchet.py --engine-tests); repeat for more paths",
    )


_MEASURED_IMPORTED = pytest.StashKey[bool]()


def _under(item: pytest.Item, paths: list[str]) -> bool:
    here = item.path.resolve()
    root = item.config.rootpath
    return any(here.is_relative_to((root / path).resolve()) for path in paths)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    """CI's SQLite run measures the services' branch coverage for the ratchet, which counts
    what the services' own tests reach (``SERVICE_TESTS`` in ``scripts/coverage_ratchet.py``).
    The tracer slows every test it runs under (on Python 3.11 by three quarters: the pilots'
    tests took 37 s instead of 21 s), so it is paused while the other tests run (the
    hostile-input probes, the browser tests, the query budgets …): ``--measured-tests`` names
    the tests that count, ``--unmeasured-tests`` the tests among them that check pages rather
    than services (kept pages, results read at ten times the data)."""
    measured = item.config.getoption("measured_tests")
    plugin = item.config.pluginmanager.getplugin("_cov")
    controller = getattr(plugin, "cov_controller", None)
    if (
        not measured
        or controller is None
        or not getattr(controller, "started", False)
        or (_under(item, measured) and not _under(item, item.config.getoption("unmeasured_tests")))
    ):
        return (yield)
    if not item.config.stash.get(_MEASURED_IMPORTED, False):
        # A module first imported while the tracer is paused would miss its definitions.
        for source in controller.cov.config.source or ():
            importlib.import_module(source)
        item.config.stash[_MEASURED_IMPORTED] = True
    controller.pause()
    try:
        return (yield)
    finally:
        controller.resume()


@pytest.fixture(autouse=True, scope="session")
def _partials_show_their_context() -> Iterator[None]:
    """``response.context`` for an htmx answer rendered as ``page.html#partial``, as Django's
    test runner gives it for whole templates (it instruments ``Template._render``, which a
    partial does not go through)."""
    original = TemplateProxy._render

    def instrumented(self: TemplateProxy, context: Context) -> str:
        template_rendered.send(sender=self, template=self, context=context)
        return original(self, context)

    TemplateProxy._render = instrumented
    yield
    TemplateProxy._render = original


@pytest.fixture(autouse=True)
def _no_page_kept_from_another_test() -> Iterator[None]:
    """Each test starts with no kept page (core/pages.py): a test's database is rolled back
    afterwards, and the next test's pages are its own."""
    pages.store.clear()
    yield
    pages.store.clear()


@pytest.fixture(autouse=True)
def _the_default_language() -> Iterator[None]:
    """Each test starts in the default language: a request of the test client leaves its
    language active in the thread (Django's middleware does not switch back), so a test after
    one that asked in English would otherwise read English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def pages_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests of what a view computes on each request (the layers under the kept page)."""
    monkeypatch.setattr(pages.store, "limit", 0)


@pytest.fixture
def organisation(db: None) -> Organisation:
    return make_organisation("Muster Metallbau GmbH", headcount=85)


@pytest.fixture
def owner(organisation: Organisation) -> User:
    return add_member(organisation, make_user(name="Olga Owner"), Role.OWNER)


@pytest.fixture
def editor(organisation: Organisation) -> User:
    return add_member(organisation, make_user(name="Ed Editor"), Role.EDITOR)


@pytest.fixture
def viewer(organisation: Organisation) -> User:
    return add_member(organisation, make_user(name="Vera Viewer"), Role.VIEWER)


@pytest.fixture
def owner_client(owner: User) -> Client:
    return client_for(owner)


@pytest.fixture
def viewer_client(viewer: User) -> Client:
    return client_for(viewer)


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


# A test that asks for one of these (itself or through its fixtures) uses the suite's database;
# pytest-django refuses database access to every other test.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",
        "live_server",
        "postgres_url",  # tests/test_backup.py: a PostgreSQL database of its own
    }
)


def uses_the_database(item: pytest.Item) -> bool:
    """Whether the PostgreSQL run has something to check in ``item``."""
    if item.get_closest_marker("own_sqlite") or item.get_closest_marker("any_database"):
        return False
    if item.get_closest_marker("django_db"):
        return True
    return not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def only_the_database_tests() -> bool:
    return on_postgresql() and not os.environ.get("STARTKLAR_TEST_EVERYTHING")


def balanced() -> bool:
    """CI's two runs side by side (``STARTKLAR_CI_BALANCE=1``): the tests that use no database
    at all (engines, content, templates) run in the PostgreSQL run (two processes in CI) instead
    of the SQLite run (one process), which also measures the services' coverage. (The tests that
    start startklar on a SQLite database of their own stay in the SQLite run: with the tracer
    paused for the tests of kept pages, the PostgreSQL run became the longer one.)"""
    return bool(os.environ.get("STARTKLAR_CI_BALANCE"))


def uses_no_database(item: pytest.Item) -> bool:
    """Neither the suite's database nor one of its own: a test of pure code."""
    if any(item.get_closest_marker(m) for m in ("own_sqlite", "any_database", "django_db")):
        return False
    return DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run only the tests that use the database.

    The others (engines, content, templates, the command line, tests that start startklar on a
    SQLite database of their own, tests marked ``any_database``) show nothing new the second
    time, and running them twice costs minutes of CI; the SQLite run covers them.
    ``STARTKLAR_TEST_EVERYTHING=1`` keeps them.

    ``--ran-elsewhere PATH`` leaves out the tests under ``PATH`` that use no database: CI's
    engines' coverage run has run them (the same tests, before this run starts).
    """
    elsewhere = config.getoption("ran_elsewhere")
    if not only_the_database_tests() and not balanced() and not elsewhere:
        return
    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        own = balanced() and uses_no_database(item)
        if elsewhere and uses_no_database(item) and _under(item, elsewhere):
            wanted = False
        elif on_postgresql():
            wanted = own or uses_the_database(item) or not only_the_database_tests()
        else:
            wanted = not own
        (kept if wanted else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def pytest_report_header(config: pytest.Config) -> str | None:
    lines = []
    if only_the_database_tests():
        lines.append(
            "PostgreSQL run: the tests that never touch the database are left to the SQLite run "
            "(deselected; STARTKLAR_TEST_EVERYTHING=1 runs them too)"
        )
    if balanced():
        lines.append(
            "STARTKLAR_CI_BALANCE: the tests without a database run "
            + ("here" if on_postgresql() else "in the PostgreSQL run")
        )
    return "\n".join(lines) or None
