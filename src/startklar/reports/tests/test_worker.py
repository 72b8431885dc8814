"""The report is made by ``startklar worker`` (django-tasks-db), not in the request; a worker
that dies while it makes one leaves the run failed and retryable, never "being made"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from startklar import worker
from startklar.organisations.models import Organisation, Role
from startklar.reports import services
from startklar.reports.models import Failure, ReportRun, Status
from startklar.testing import add_member, client_for, make_organisation, tenant_of

QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _owner() -> tuple[Organisation, Any]:
    organisation = make_organisation("Worker GmbH")
    owner = add_member(organisation, role=Role.OWNER)
    return organisation, owner


@pytest.mark.django_db(transaction=True)  # the worker commits, as in production
@override_settings(TASKS=QUEUED)
def test_the_worker_makes_a_queued_report_once() -> None:
    """With the real document: an organisation with no data yet gets its short report."""
    organisation, owner = _owner()
    run, _ = services.request_report(tenant_of(owner, organisation), "de")
    assert DBTaskResult.objects.ready().count() == 1
    run.refresh_from_db()
    assert run.status == Status.QUEUED  # not made in the request

    assert worker.run(once=True) == 0
    run.refresh_from_db()
    assert run.status == Status.DONE
    assert bytes(run.pdf).startswith(b"%PDF")
    assert run.size == len(bytes(run.pdf))
    assert run.versions["startklar"]
    finished = run.finished_at
    assert worker.run(once=True) == 0  # nothing left to do
    run.refresh_from_db()
    assert (run.finished_at, run.attempts) == (finished, 1)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=QUEUED, STARTKLAR_REPORT_LEASE_SECONDS=60)
def test_a_killed_workers_run_becomes_failed_and_retryable(
    fake_build: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    organisation, owner = _owner()
    tenant = tenant_of(owner, organisation)
    run, _ = services.request_report(tenant, "de")

    def killed(*_args: object, **_kwargs: object) -> bytes:
        raise SystemExit(-9)  # the process ends in the middle of the build

    monkeypatch.setattr("startklar.reports.document.build", killed)
    with pytest.raises(SystemExit):
        services.produce(run.pk)
    run.refresh_from_db()
    assert run.status == Status.RUNNING  # what a killed worker leaves behind

    client = client_for(owner)
    status = reverse("reports:status", args=[organisation.slug, run.pk])
    polled = {"HX-Request": "true"}
    assert b"hx-trigger" in client.get(status, headers=polled).content  # within its lease
    ReportRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(seconds=61))
    shown = client.get(status, headers=polled).content.decode()
    assert "hx-trigger" not in shown  # no endless polling
    assert reverse("reports:retry", args=[organisation.slug, run.pk]) in shown
    assert str(Failure.TIMED_OUT.label) in shown or "Hintergrunddienst hat aufgehört" in shown

    monkeypatch.setattr("startklar.reports.document.build", fake_build)
    answer = client.post(reverse("reports:retry", args=[organisation.slug, run.pk]))
    assert answer.status_code == 302
    assert worker.run(once=True) == 0  # the retry's task (the first one's claim did nothing)
    run.refresh_from_db()
    assert (run.status, run.attempts) == (Status.DONE, 2)


@pytest.mark.django_db
def test_the_housekeeping_writes_down_lost_runs(settings: Any) -> None:
    settings.STARTKLAR_REPORT_LEASE_SECONDS = 60
    organisation, owner = _owner()
    run, _ = services.request_report(tenant_of(owner, organisation), "en")
    ReportRun.objects.filter(pk=run.pk).update(
        status=Status.RUNNING, started_at=timezone.now() - timedelta(minutes=2)
    )
    assert services.expire_stale() == 1
    run.refresh_from_db()
    assert run.status == Status.FAILED
