"""Every page has a budget of SQL queries that does not grow with the data.

Each GET page of the URL map (the crawl's pages, downloads included) is requested as the demo
company's owner, once with the demo as built and once with ten times its data (every object the
company owns copied nine times, ``archive.copy_into``). A page must need no more queries at ten
times the data than at once – a query per row (N+1) fails – and no more than its budget in
``tests/query_budgets.json``. A new page needs a budget: run with ``STARTKLAR_WRITE_BUDGETS=1``
to write the measured numbers (then check them into git, lowered where you improved a page).
Each page is requested twice and the second request counted, so what a page caches for the
next request (a simulation) does not count; the page itself is not kept between the two
(``core/pages.py``): counted is a rendering, with the read of the generation token.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponseBase, StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from startklar.core import pages
from startklar.organisations import archive
from startklar.organisations.models import Membership, Organisation, Role
from startklar.testing import client_for, demo_company

from . import urlmap

# Query counts are the ORM's: the same on every database, so the SQLite run checks them.
pytestmark = [pytest.mark.django_db, pytest.mark.any_database]

BUDGETS = Path(__file__).with_name("query_budgets.json")
PAGES = [r for r in urlmap.ROUTES if not r.is_api and urlmap.fillable(r)]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[Organisation, Client]]:
    with django_db_blocker.unblock():
        organisation = demo_company()
        owner = Membership.objects.get(organisation=organisation, role=Role.OWNER).user
        yield organisation, client_for(owner)
        call_command("flush", interactive=False, verbosity=0)


def measure(organisation: Organisation, client: Client) -> dict[str, int]:
    """Queries of the second GET of each page that answers 200 (405: a POST endpoint)."""
    ids = urlmap.ids_of(organisation)
    counts = {}
    for route in PAGES:
        values = urlmap.values_for(route, ids, organisation.slug) if route.org_scoped else {}
        url = route.url(values)
        if client.get(url).status_code != 200:
            continue
        pages.store.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            # typed by django-stubs as a plain response; it may be a StreamingHttpResponse
            answer: HttpResponseBase = response
            if isinstance(answer, StreamingHttpResponse):
                answer.getvalue()  # a streamed page queries while it is read
        assert response.status_code == 200, f"{url}: {response.status_code} the second time"
        counts[str(route)] = len(queries.captured_queries)
    return counts


def test_pages_need_no_more_queries_with_ten_times_the_data(
    world: tuple[Organisation, Client],
) -> None:
    organisation, client = world
    once = measure(organisation, client)
    archive.copy_into(organisation, 9)
    tenfold = measure(organisation, client)
    budgets: dict[str, int] = json.loads(BUDGETS.read_text()) if BUDGETS.exists() else {}
    if os.environ.get("STARTKLAR_WRITE_BUDGETS"):
        BUDGETS.write_text(json.dumps(dict(sorted(tenfold.items())), indent=1) + "\n")
        budgets = tenfold
    problems = []
    for route, count in sorted(tenfold.items()):
        if count > once.get(route, count):
            problems.append(f"{route}: {once[route]} queries, {count} with ten times the data")
        if route not in budgets:
            problems.append(f"{route}: no budget in {BUDGETS.name} ({count} queries now)")
        elif count > budgets[route]:
            problems.append(f"{route}: {count} queries, over its budget of {budgets[route]}")
    assert once, "no page was measured"
    assert not problems, "\n".join(problems)
