"""What the report page shows: the kept reports and those under way, in one query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from startklar.core.deletion import Confirmation, preview
from startklar.organisations.tenancy import Tenant

from .models import Failure, Language, ReportRun, Status
from .services import shown_failure, shown_status

EXPECTED_SECONDS = 5.0  # what a first report is expected to take, before one is done
MAX_SHOWN = 200  # reports listed; an organisation keeps a few dozen at most in practice


@dataclass(frozen=True)
class RunRow:
    id: int
    language: Language
    status: Status
    failure: Failure | None
    requested_at: datetime.datetime
    requested_by: str
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    size: int
    seconds: float | None  # how long making it took
    percent: int  # progress while under way (an estimate from the last report made)
    status_url: str
    download_url: str
    retry_url: str
    delete_url: str

    @property
    def under_way(self) -> bool:
        return self.status in (Status.QUEUED, Status.RUNNING)

    @property
    def done(self) -> bool:
        return self.status == Status.DONE

    @property
    def failed(self) -> bool:
        return self.status == Status.FAILED

    @property
    def kilobytes(self) -> int:
        return max(1, round(self.size / 1024)) if self.size else 0

    @property
    def filename(self) -> str:
        return filename(self.language, self.requested_at)


@dataclass(frozen=True)
class ReportsPage:
    runs: tuple[RunRow, ...]
    more: bool  # older reports than those listed exist

    @property
    def under_way(self) -> tuple[RunRow, ...]:
        return tuple(r for r in self.runs if r.under_way)

    @property
    def kept(self) -> tuple[RunRow, ...]:
        return tuple(r for r in self.runs if not r.under_way)


def filename(language: str, requested_at: datetime.datetime) -> str:
    day = timezone.localtime(requested_at).strftime("%Y-%m-%d")
    return f"Bericht-{day}.pdf" if language == Language.GERMAN else f"management-report-{day}.pdf"


def _runs(tenant: Tenant, pk: int | None = None) -> list[ReportRun]:
    queryset = (
        tenant.scoped(ReportRun.objects)
        .select_related("requested_by")
        .only(
            "pk",
            "organisation_id",
            "language",
            "status",
            "failure",
            "requested_at",
            "started_at",
            "finished_at",
            "size",
            "requested_by__full_name",
            "requested_by__email",
        )
    )
    if pk is not None:
        queryset = queryset.filter(pk=pk)
    return list(queryset.order_by("-requested_at", "-pk")[: MAX_SHOWN + 1])


def _expected(runs: list[ReportRun]) -> float:
    for run in runs:
        if run.status == Status.DONE and run.started_at and run.finished_at:
            return max(1.0, (run.finished_at - run.started_at).total_seconds())
    return EXPECTED_SECONDS


def _row(tenant: Tenant, run: ReportRun, now: datetime.datetime, expected: float) -> RunRow:
    slug = tenant.organisation.slug
    status = Status(shown_status(run, now))
    failure = shown_failure(run, now)
    seconds = (
        (run.finished_at - run.started_at).total_seconds()
        if status == Status.DONE and run.started_at and run.finished_at
        else None
    )
    if status == Status.RUNNING and run.started_at:
        elapsed = (now - run.started_at).total_seconds()
        percent = min(95, 10 + round(85 * elapsed / expected))
    elif status == Status.QUEUED:
        percent = 5
    else:
        percent = 100
    person = run.requested_by
    return RunRow(
        id=run.pk,
        language=Language(run.language),
        status=status,
        failure=Failure(failure) if failure else None,
        requested_at=run.requested_at,
        requested_by=(person.full_name or person.email) if person else "",
        started_at=run.started_at,
        finished_at=run.finished_at,
        size=run.size,
        seconds=seconds,
        percent=percent,
        status_url=reverse("reports:status", args=[slug, run.pk]),
        download_url=reverse("reports:download", args=[slug, run.pk]),
        retry_url=reverse("reports:retry", args=[slug, run.pk]),
        delete_url=reverse("reports:delete", args=[slug, run.pk]),
    )


def page(tenant: Tenant) -> ReportsPage:
    runs = _runs(tenant)
    now = timezone.now()
    expected = _expected(runs)
    shown = runs[:MAX_SHOWN]
    return ReportsPage(tuple(_row(tenant, r, now, expected) for r in shown), len(runs) > MAX_SHOWN)


def one(tenant: Tenant, run_id: int) -> RunRow:
    """One run as a row of the page (the progress the page polls), or 404."""
    from django.http import Http404

    found = _runs(tenant, run_id)
    if not found:
        raise Http404
    expected = _expected(
        list(
            tenant.scoped(ReportRun.objects)
            .filter(status=Status.DONE)
            .only("pk", "status", "started_at", "finished_at")
            .order_by("-requested_at", "-pk")[:1]
        )
    )
    return _row(tenant, found[0], timezone.now(), expected)


def deletion(tenant: Tenant, run: ReportRun) -> Confirmation:
    from django.utils.translation import gettext

    slug = tenant.organisation.slug
    deleted, unlinked = preview(run)
    return Confirmation(
        title=gettext("Delete report"),
        name=str(run),
        consequences=deleted,
        unlinked=unlinked,
        kept=(gettext("The data the report was made from stays."),),
        action_url=reverse("reports:delete", args=[slug, run.pk]),
        cancel_url=reverse("reports:list", args=[slug]),
        button=gettext("Delete report for good"),
    )
