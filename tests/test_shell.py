"""The page shell: navigation of built modules, health check, error pages."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.urls import reverse

from startklar.core import modules
from startklar.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered_module() -> Iterator[modules.Module]:
    module = modules.Module(
        key="members-demo",
        label="Reifegrad",
        description="Wo stehen wir?",
        url_name="organisations:members",
        icon="puzzle",
        order=10,
    )
    modules.register(module)
    yield module
    modules._modules.pop(module.key)


def test_the_navigation_shows_exactly_the_built_modules(
    organisation: Organisation, owner_client: Client
) -> None:
    page = owner_client.get(f"/o/{organisation.slug}/").content.decode()
    nav = page[page.index('id="main-nav"') : page.index("navbar-nav align-items-xl-center")]
    for module in modules.built_modules():
        assert f'href="{reverse(module.url_name, args=[organisation.slug])}"' in nav
    assert nav.count('class="nav-link') == len(modules.built_modules()) + 2  # overview, members
    assert "bi-puzzle" not in page


def test_a_registered_module_appears_in_navigation_and_overview(
    organisation: Organisation, owner_client: Client, registered_module: modules.Module
) -> None:
    page = owner_client.get(f"/o/{organisation.slug}/").content.decode()
    nav = page[page.index('id="main-nav"') : page.index("navbar-nav align-items-xl-center")]
    assert f'href="/o/{organisation.slug}/members/">Reifegrad' in nav.replace("\n", "")
    assert page.count("bi-puzzle") == 1  # the overview card
    assert "Wo stehen wir?" in page


def test_health_reports_a_working_database() -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_says_unavailable_for_a_database_without_the_schema() -> None:
    """A deleted SQLite file comes back empty: it answers queries, but every page would fail."""
    recorder = MigrationRecorder(connection)
    latest = recorder.migration_qs.filter(app="usecases").order_by("-id").first()
    assert latest is not None
    latest.delete()  # the schema of an older version of the code
    try:
        response = Client().get("/health/")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "reason": "migrations not applied"}
    finally:
        recorder.record_applied(latest.app, latest.name)
    assert Client().get("/health/").status_code == 200


def test_health_says_unavailable_when_the_database_does_not_answer() -> None:
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_a_missing_page_gets_the_product_404_page(owner_client: Client) -> None:
    response = owner_client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
