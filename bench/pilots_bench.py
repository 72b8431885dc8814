"""Pilots and quality reviews (issue 14, point 9), on a throwaway SQLite database (WAL):

* the pilot page (its KPI dashboard) with 50 KPIs × 2 years of daily measurements: p95 under
  150 ms rendered afresh (as after every change) and as kept between changes, each measured in
  the same run as the organisation's overview page (the plain page it is compared with), and
  the same number of SQL queries as with 5 KPIs (the count does not grow with the KPIs);
* 10,000 review verdicts aggregated into the plan's figures (every week's error rate with its
  Wilson interval, the totals, the alerts): under 100 ms, against the straightforward way
  measured in the same run (every verdict loaded and counted per week in Python).
"""

from __future__ import annotations

import datetime
import os
import random
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from usecases_bench import Result, p95, timed

KPIS = 50
DAYS = 730
VERDICTS = 10_000
PAGE_P95_MS = 150.0
AGGREGATE_MS = 100.0


def _setup() -> None:
    import django
    from django.apps import apps

    if apps.ready:  # another benchmark of the run set Django up on its database
        return
    folder = Path(tempfile.mkdtemp(prefix="startklar-bench-"))
    os.environ["STARTKLAR_VAR_DIR"] = str(folder)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "startklar.settings.local"
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _tenant(name: str) -> Any:
    from startklar.accounts.models import User
    from startklar.organisations import services
    from startklar.organisations.models import Membership, NaceSection
    from startklar.organisations.tenancy import Tenant

    user = User.objects.create_user(f"{name}@example.com", "pw", full_name=name)
    organisation = services.create_organisation(
        user,
        {
            "name": f"{name} GmbH",
            "industry": NaceSection.C,
            "headcount": 40,
            "annual_turnover": Decimal(6_000_000),
            "balance_sheet_total": Decimal(4_000_000),
        },
    )
    return Tenant(organisation, Membership.objects.get(organisation=organisation, user=user))


def _pilot(tenant: Any, kpis: int, days: int) -> Any:
    """A running pilot with ``kpis`` KPIs, each measured daily for ``days`` days."""
    from startklar.compliance.models import AISystem
    from startklar.pilots import services
    from startklar.pilots.models import Kpi, Measurement, Period, Pilot
    from startklar.usecases import services as usecases

    rng = random.Random(kpis)
    use_case = usecases.create_use_case(
        tenant, {"title": f"Rechnungen {kpis}", "problem": "Erfassung von Hand."}
    )
    system = AISystem.objects.create(
        organisation=tenant.organisation,
        name=f"Belegerfassung {kpis}",
        owner="IT",
        purpose="Rechnungen auslesen",
        capability="documents",
        hosting="saas_eu",
    )
    today = datetime.date.today()
    first = today - datetime.timedelta(days=days)
    pilot = services.create_pilot(
        tenant,
        use_case,
        Pilot(goal="Schneller erfassen", start=first, planned_end=today),
        [system],
    )
    rows = Kpi.objects.bulk_create(
        Kpi(
            organisation=tenant.organisation,
            pilot=pilot,
            name=f"Kennzahl {n}",
            category="effizienz",
            unit="min",
            direction="lower",
            period=Period.DAY,
            baseline_value=Decimal(12),
            baseline_date=first,
            target_value=Decimal(4),
            target_date=today + datetime.timedelta(days=30),
            position=n,
        )
        for n in range(kpis)
    )
    Measurement.objects.bulk_create(
        (
            Measurement(
                organisation=tenant.organisation,
                kpi=kpi,
                period=first + datetime.timedelta(days=d),
                day=Measurement.day_of(first + datetime.timedelta(days=d)),
                value=Decimal(f"{12 - 6 * d / days + rng.gauss(0, 0.5):.2f}"),
            )
            for kpi in rows
            for d in range(days)
        ),
        batch_size=2000,
    )
    services.refresh_figures([kpi.pk for kpi in rows])  # as recording through the service does
    services.start_pilot(tenant, pilot)
    return pilot, system


def _verdicts(tenant: Any, system: Any, count: int = VERDICTS) -> None:
    """A weekly review plan of ``system`` with ``count`` judged items, one verdict each."""
    from startklar.reviews.content import CURRENT_VERSION, load_rubric
    from startklar.reviews.models import ReviewItem, ReviewPlan, Verdict

    plan = ReviewPlan.objects.create(
        organisation=tenant.organisation,
        ai_system=system,
        title="Ausgelesene Belege",
        items_per_period=100,
        threshold=Decimal("0.10"),
        baseline_errors=4,
        baseline_items=80,
        rubric=load_rubric(CURRENT_VERSION).data(),
        rubric_version=CURRENT_VERSION,
    )
    rng = random.Random(7)
    today = datetime.date.today()
    monday = today - datetime.timedelta(days=today.weekday())
    items = ReviewItem.objects.bulk_create(
        (
            ReviewItem(
                organisation=tenant.organisation,
                plan=plan,
                output=f"Beleg {n}",
                sampled_on=monday - datetime.timedelta(weeks=n // 100),
                period=monday - datetime.timedelta(weeks=n // 100),
                position=n + 1,
                error=rng.random() < 0.07,
                severity="ok",
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    user = tenant.membership.user
    Verdict.objects.bulk_create(
        (
            Verdict(item=item, reviewer=user, levels={}, error=item.error, severity="ok")
            for item in items
        ),
        batch_size=2000,
    )


def _page(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)


def _queries(client: Any, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # the first view fills what pages keep
    with CaptureQueriesContext(connection) as captured:
        _page(client, path)
    return len(captured)


def _straightforward(system_id: int) -> list[tuple[datetime.date, int, int, float, float]]:
    """Baseline: every verdict's week and error loaded, counted per week in Python, each week's
    Wilson interval from the engine."""
    from startklar.reviews.engine import wilson_interval
    from startklar.reviews.models import Verdict

    weeks: dict[datetime.date, list[int]] = {}
    for period, error in Verdict.objects.filter(item__plan__ai_system_id=system_id).values_list(
        "item__period", "error"
    ):
        counts = weeks.setdefault(period, [0, 0])
        counts[0] += 1
        counts[1] += int(error)
    result = []
    for period, (items, errors) in sorted(weeks.items()):
        interval = wilson_interval(errors, items)
        result.append((period, items, errors, interval.low, interval.high))
    return result


def run() -> list[Result]:
    _setup()
    from django.test import Client

    from startklar.reviews.queries import plan_summaries
    from startklar.testing import nothing_kept

    tenant = _tenant("Pilotbetrieb")
    small, small_system = _pilot(tenant, 5, DAYS)
    _verdicts(tenant, small_system, 500)  # the same kinds of evidence, less of it
    pilot, system = _pilot(tenant, KPIS, DAYS)
    _verdicts(tenant, system)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(tenant.membership.user)
    slug = tenant.organisation.slug
    page = f"/o/{slug}/pilots/{pilot.pk}/"
    overview = f"/o/{slug}/"
    _page(client, page)  # the first view of a session settles the session, the next is kept
    _page(client, page)
    kept_page_ms = p95(timed(lambda: _page(client, page), 40))
    kept_overview_ms = p95(timed(lambda: _page(client, overview), 40))
    with nothing_kept():  # every request renders the page afresh, as after a change
        few, many = _queries(client, f"/o/{slug}/pilots/{small.pk}/"), _queries(client, page)
        if many > few:
            raise SystemExit(f"the pilot page needs {many} queries with 50 KPIs, {few} with 5")
        page_ms = p95(timed(lambda: _page(client, page), 40))
        overview_ms = p95(timed(lambda: _page(client, overview), 40))
    summaries = plan_summaries(tenant, [system.pk])
    assert summaries[0].items_judged == VERDICTS
    aggregate_ms = p95(timed(lambda: plan_summaries(tenant, [system.pk]), 30))
    baseline_ms = p95(timed(lambda: _straightforward(system.pk), 30))
    return [
        Result(
            f"pilot page rendered afresh, {KPIS} KPIs × {DAYS} days ({many} queries, as with "
            "5 KPIs), p95 against the overview page",
            page_ms,
            "ms",
            PAGE_P95_MS,
            overview_ms,
        ),
        Result(
            "pilot page as kept between changes, p95 against the kept overview page",
            kept_page_ms,
            "ms",
            PAGE_P95_MS,
            kept_overview_ms,
        ),
        Result(
            f"{VERDICTS:,} review verdicts aggregated per week, p95 against loading them all",
            aggregate_ms,
            "ms",
            AGGREGATE_MS,
            baseline_ms,
        ),
    ]


if __name__ == "__main__":
    for result in run():
        mark = "ok " if result.ok else "MISS"
        print(
            f"[{mark}] {result.name}: {result.value:.1f} {result.unit} "
            f"(target < {result.target:g}); baseline {result.baseline:.1f} {result.unit}, "
            f"ratio {result.value / result.baseline:.2f}×"
        )
