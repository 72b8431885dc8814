"""The data check's background work: profiling an uploaded file (``startklar worker``)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def profile_check(check_id: int) -> bool:
    """Claim the queued check and profile its file; a second delivery of the task does nothing
    (``services.produce``), nor does a check deleted meanwhile."""
    return services.produce(check_id)
