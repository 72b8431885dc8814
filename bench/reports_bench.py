"""The management report (issue 15, point 8), on a throwaway SQLite database (WAL): the demo
company's report made the way the worker makes it (``reports.services.produce``: claimed,
built with Typst, stored) in under 5 s, and with ten times the demo's data
(``archive.copy_into(org, 9)``) in under 15 s. Peak memory is reported for each: the process's
peak resident set size while the report is made (``VmHWM``, reset before; Typst's and the
chart renderer's memory is native, not Python's). The baseline is reading everything the
organisation owns once (the archive's manifest), measured in the same run.

``uv run python bench/reports_bench.py`` alone, or with every benchmark in ``bench/run.py``;
exit code 1 when a target is missed.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from usecases_bench import Result

DEMO_SECONDS = 5.0
TENFOLD_SECONDS = 15.0


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


def _reset_peak() -> bool:
    """Start counting the peak resident set size afresh (Linux); False where that is not so."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource  # not Linux: the peak of the whole process

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _owner(organisation: Any) -> Any:
    from startklar.organisations.models import Membership, Role
    from startklar.organisations.tenancy import Tenant

    membership = Membership.objects.get(organisation=organisation, role=Role.OWNER)
    return Tenant(organisation=organisation, membership=membership)


def _made(tenant: Any, language: str) -> tuple[float, float, int]:
    """Seconds, peak MiB and bytes of one report made as the worker makes it."""
    from django.utils import timezone

    from startklar.reports import services
    from startklar.reports.models import ReportRun, Status

    # queued as a request queues it, without its task: the settings here run tasks at once
    run = ReportRun.objects.create(
        organisation=tenant.organisation,
        language=language,
        requested_by=tenant.membership.user,
        requested_at=timezone.now(),
    )
    _reset_peak()
    start = time.perf_counter()
    services.produce(run.pk)
    seconds = time.perf_counter() - start
    peak = _peak_mib()
    done = ReportRun.objects.defer("pdf").get(pk=run.pk)
    if done.status != Status.DONE:
        raise RuntimeError(f"the report of {tenant.organisation} failed ({done.failure})")
    return seconds, peak, done.size


def _baseline(organisation: Any) -> float:
    from startklar.organisations import archive

    start = time.perf_counter()
    archive.manifest(organisation)
    return time.perf_counter() - start


def run() -> Iterator[Result]:
    _setup()
    from startklar.demo import ensure_demo
    from startklar.organisations import archive

    organisation = ensure_demo().organisation
    tenant = _owner(organisation)
    _made(tenant, "en")  # warm: fonts, templates and the chart renderer loaded once
    baseline = _baseline(organisation)
    seconds, peak, size = _made(tenant, "de")
    yield Result(
        f"Management report of the demo company ({size / 1024:,.0f} KB, peak {peak:,.0f} MiB)",
        seconds,
        "s",
        DEMO_SECONDS,
        baseline,
    )
    archive.copy_into(organisation, 9)
    baseline = _baseline(organisation)
    seconds, peak, size = _made(tenant, "de")
    yield Result(
        f"Management report with 10× the demo's data ({size / 1024:,.0f} KB, peak {peak:,.0f} MiB)",
        seconds,
        "s",
        TENFOLD_SECONDS,
        baseline,
    )


def main() -> int:
    results = list(run())
    for r in results:
        mark = "ok " if r.ok else "MISS"
        print(
            f"[{mark}] {r.name}: {r.value:.2f} {r.unit} (target < {r.target:g} {r.unit}); "
            f"baseline {r.baseline:.2f} {r.unit}, ratio {r.value / r.baseline:.2f}×"
        )
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
