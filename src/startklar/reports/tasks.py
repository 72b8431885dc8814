"""Background work of the management report: making the PDF of a requested run."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def make_report(run_id: int) -> bool:
    """Claim the queued run and make its report; a second delivery of the task does nothing
    (``services.produce``), nor does a run deleted meanwhile."""
    return services.produce(run_id)
