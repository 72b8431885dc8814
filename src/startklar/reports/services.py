"""Every write of the management report: requesting one, the worker's run, retrying, deleting.

A run goes queued → running → done or failed. The worker claims a queued run with one
``UPDATE … WHERE status = 'queued'``, so a task delivered twice (or to two workers) makes the
report once; it stores the result only while the run is still the attempt it claimed, so a
worker that comes back after its lease ran out changes nothing. A running run whose lease
(``started_at`` + :func:`lease`) is over counts as failed everywhere it is shown, before the
housekeeping (:func:`expire_stale`) writes it down, and can be retried.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from startklar.organisations import audit
from startklar.organisations.models import AuditAction, Membership, Organisation, Role
from startklar.organisations.tenancy import Tenant

from .models import UNDER_WAY, Failure, Language, ReportRun, Status

logger = logging.getLogger("startklar.reports")

DEFAULT_LEASE_SECONDS = 600  # a report takes seconds; a run ten minutes old has lost its worker


class ReportError(Exception):
    """A request that cannot be done; the message is for the person who asked."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def lease() -> timedelta:
    """How long a run may be "being made" before it counts as failed."""
    seconds = getattr(settings, "STARTKLAR_REPORT_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
    return timedelta(seconds=float(seconds))


def shown_status(run: ReportRun, now: datetime | None = None) -> str:
    """The status a person sees: a run whose lease is over has failed, written down or not."""
    started = run.started_at
    if run.status == Status.RUNNING and started and started + lease() < (now or timezone.now()):
        return Status.FAILED
    return str(run.status)


def shown_failure(run: ReportRun, now: datetime | None = None) -> str:
    if run.status == Status.RUNNING and shown_status(run, now) == Status.FAILED:
        return Failure.TIMED_OUT
    return str(run.failure)


def _language(value: object) -> str:
    if value not in Language.values:
        raise ReportError(_("Choose German or English."), "language")
    return str(value)


def _expire(queryset: Any, now: datetime) -> int:
    return int(
        queryset.filter(status=Status.RUNNING, started_at__lt=now - lease()).update(
            status=Status.FAILED, failure=Failure.TIMED_OUT, finished_at=now
        )
    )


def expire_stale(now: datetime | None = None) -> int:
    """Write down as failed every run whose worker did not finish within the lease (for the
    housekeeping; idempotent, so several workers may run it at once)."""
    return _expire(ReportRun.objects.all(), now or timezone.now())


def housekeeping(now: datetime) -> str:
    """The housekeeping's step (``Feature.housekeeping``): stale runs written down as failed."""
    return f"reports past their worker's lease marked failed: {expire_stale(now)}"


def _under_way(organisation: Organisation, language: str) -> ReportRun | None:
    return (
        ReportRun.objects.filter(organisation=organisation, language=language, status__in=UNDER_WAY)
        .defer("pdf")
        .first()
    )


def _enqueue(run_id: int) -> None:
    from .tasks import make_report

    transaction.on_commit(lambda: make_report.enqueue(run_id))


def request_report(tenant: Tenant, language: object) -> tuple[ReportRun, bool]:
    """Ask the worker for a report in ``language``. While one in that language is queued or
    being made, that one is returned (``False``: nothing new was asked for)."""
    chosen = _language(language)
    now = timezone.now()
    with transaction.atomic():
        _expire(ReportRun.objects.filter(organisation=tenant.organisation, language=chosen), now)
        running = _under_way(tenant.organisation, chosen)
        if running is not None:
            return running, False
        try:
            with transaction.atomic():  # another request may have come first
                run = ReportRun.objects.create(
                    organisation=tenant.organisation,
                    language=chosen,
                    requested_by=tenant.membership.user,
                    requested_at=now,
                )
        except IntegrityError:
            running = _under_way(tenant.organisation, chosen)
            if running is None:  # pragma: no cover - finished in the same instant
                raise
            return running, False
        audit.record(tenant, AuditAction.CREATED, run)
        _enqueue(run.pk)
    return run, True


def retry(tenant: Tenant, run: ReportRun) -> tuple[ReportRun, bool]:
    """Queue a failed run again (also one whose lease ran out). While another report in that
    language is under way, that one is returned instead."""
    tenant.require(run)
    now = timezone.now()
    with transaction.atomic():
        _expire(ReportRun.objects.filter(pk=run.pk), now)
        current = ReportRun.objects.defer("pdf").get(pk=run.pk)
        if current.status != Status.FAILED:
            raise ReportError(_("Only a failed report can be made again."))
        running = _under_way(tenant.organisation, current.language)
        if running is not None:
            return running, False
        try:
            with transaction.atomic():
                ReportRun.objects.filter(pk=run.pk, status=Status.FAILED).update(
                    status=Status.QUEUED,
                    failure="",
                    requested_at=now,
                    requested_by=tenant.membership.user,
                    started_at=None,
                    finished_at=None,
                )
        except IntegrityError:  # pragma: no cover - another request queued one meanwhile
            running = _under_way(tenant.organisation, current.language)
            if running is None:
                raise
            return running, False
        current.refresh_from_db(fields=["status", "failure", "requested_at", "requested_by"])
        audit.record(tenant, AuditAction.STATUS_CHANGED, current)
        _enqueue(current.pk)
    return current, True


def delete_run(tenant: Tenant, run: ReportRun) -> None:
    """Delete a kept report (or one under way: its worker then finds nothing to store)."""
    tenant.require(run)
    with transaction.atomic():
        audit.record(tenant, AuditAction.DELETED, run)
        ReportRun.objects.filter(pk=run.pk).delete()


def settle_imported(organisation: Organisation) -> None:
    """After an archive import: runs that were under way where the archive was made are failed
    here (no task was queued for them), so they can be retried."""
    ReportRun.objects.filter(organisation=organisation, status__in=UNDER_WAY).update(
        status=Status.FAILED, failure=Failure.INTERRUPTED, finished_at=timezone.now()
    )


# The worker's part ---------------------------------------------------------------------------


def _tenant_for(run: ReportRun) -> Tenant | None:
    """Whom the report is made for: the person who asked while still a member, else an owner."""
    members = Membership.objects.filter(organisation_id=run.organisation_id).select_related(
        "organisation", "user"
    )
    membership = (
        members.filter(user_id=run.requested_by_id).first()
        if run.requested_by_id is not None
        else None
    )
    membership = (
        membership or members.filter(role=Role.OWNER).order_by("pk").first() or members.first()
    )
    if membership is None:
        return None
    return Tenant(organisation=membership.organisation, membership=membership)


def startklar_version() -> str:
    try:
        return version("startklar")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without metadata
        return "unknown"


def content_versions(tenant: Tenant, language: str) -> dict[str, str]:
    """What the report was made with: Startklar's version and, where the document names them,
    the content versions of the results it shows."""
    from . import document

    found: dict[str, str] = {"startklar": startklar_version()}
    named = getattr(document, "content_versions", None)
    if callable(named):
        found.update({str(k): str(v) for k, v in named(tenant, language).items()})
    return found


def produce(run_id: int) -> bool:
    """Make the report of a queued run (what the worker's task does). ``False`` when the run
    is gone or another delivery of the task claimed it first: nothing is done twice."""
    started = timezone.now()
    claimed = ReportRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=started, attempts=F("attempts") + 1, failure=""
    )
    if not claimed:
        return False
    run = ReportRun.objects.defer("pdf").get(pk=run_id)
    mine = ReportRun.objects.filter(pk=run_id, status=Status.RUNNING, attempts=run.attempts)
    try:
        tenant = _tenant_for(run)
        if tenant is None:
            raise RuntimeError(f"organisation {run.organisation_id} has no members")
        from . import document

        pdf = document.build(tenant, run.language)
        versions = content_versions(tenant, run.language)
    except Exception:
        logger.exception("report run %s failed", run_id)
        mine.update(status=Status.FAILED, failure=Failure.BUILD, finished_at=timezone.now())
        return True
    stored = mine.update(
        status=Status.DONE,
        pdf=pdf,
        size=len(pdf),
        versions=versions,
        finished_at=timezone.now(),
    )
    if not stored:
        logger.warning("report run %s: finished after its lease or deletion; not stored", run_id)
    return True
