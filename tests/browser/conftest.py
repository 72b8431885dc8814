"""Playwright driving Debian's Chromium against a live server.

Outside CI the browser tests skip with a reason when Chromium is missing; in CI (``CI`` set)
they fail instead, so they can never silently not run there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import crawl

CHROMIUM = Path(os.environ.get("STARTKLAR_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("STARTKLAR_ARTIFACTS", "test-artifacts"))


def is_browser_test(item: pytest.Item) -> bool:
    return "tests/browser/" in str(item.path).replace(os.sep, "/")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the browser tests and run them last: they are the slowest. A journey that runs in
    the other of CI's two runs (``crawl.journey_runs_here``) is deselected."""
    elsewhere = [
        i for i in items if is_browser_test(i) and not crawl.journey_runs_here(i.path.name)
    ]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [i for i in items if i not in elsewhere]
    for item in items:
        if is_browser_test(item):
            item.add_marker(pytest.mark.browser)
    items.sort(key=is_browser_test)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium per test process (the browser tests run last, see above); each test or
    module opens contexts of its own."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM
    # calls; the tests' own ORM calls are synchronous and safe, so allow them meanwhile.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
