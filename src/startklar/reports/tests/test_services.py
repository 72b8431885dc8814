"""Requesting a report, the worker's run (claimed once, stored only by the attempt that
claimed it), failures with a retry, the lease after which a lost run counts as failed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from startklar.accounts.models import User
from startklar.organisations.models import AuditEvent, Organisation, Role
from startklar.reports import services
from startklar.reports.models import Failure, ReportRun, Status
from startklar.testing import add_member, make_organisation, tenant_of

from .conftest import FAKE_PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant(owner: User, organisation: Organisation) -> Any:
    return tenant_of(owner, organisation)


def test_a_request_is_queued_for_the_worker_after_the_commit(
    tenant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        run, new = services.request_report(tenant, "en")
    assert new
    assert run.status == Status.QUEUED
    assert run.language == "en"
    assert run.requested_by == tenant.membership.user
    assert len(callbacks) == 1  # the task, once the run is saved
    assert AuditEvent.objects.filter(object_type="reports.reportrun", object_id=run.pk).exists()


def test_a_second_request_shows_the_one_under_way(tenant: Any) -> None:
    first, _ = services.request_report(tenant, "de")
    again, new = services.request_report(tenant, "de")
    assert (again.pk, new) == (first.pk, False)
    other, new = services.request_report(tenant, "en")
    assert new
    assert other.pk != first.pk
    ReportRun.objects.filter(pk=first.pk).update(status=Status.RUNNING, started_at=timezone.now())
    assert services.request_report(tenant, "de")[0].pk == first.pk


@pytest.mark.parametrize("language", ["fr", "", None, "DE", ["de"], "de\x00"])
def test_only_german_or_english(tenant: Any, language: object) -> None:
    with pytest.raises(services.ReportError) as raised:
        services.request_report(tenant, language)
    assert raised.value.field == "language"
    assert not ReportRun.objects.exists()


def test_the_worker_makes_the_report_once(tenant: Any, fake_build: Any) -> None:
    run, _ = services.request_report(tenant, "en")
    assert services.produce(run.pk) is True
    run.refresh_from_db()
    assert run.status == Status.DONE
    assert bytes(run.pdf) == FAKE_PDF
    assert run.size == len(FAKE_PDF)
    assert run.attempts == 1
    assert run.started_at
    assert run.finished_at
    assert run.finished_at >= run.started_at
    assert "startklar" in run.versions
    [(made_for, language)] = fake_build.calls
    assert (made_for.organisation, made_for.membership.user, language) == (
        tenant.organisation,
        tenant.membership.user,
        "en",
    )
    assert services.produce(run.pk) is False  # the task delivered again
    assert len(fake_build.calls) == 1
    run.refresh_from_db()
    assert run.attempts == 1
    assert services.produce(run.pk + 1000) is False  # gone


def test_a_failure_is_kept_with_a_message_and_can_be_retried(
    tenant: Any, monkeypatch: pytest.MonkeyPatch, fake_build: Any
) -> None:
    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise ValueError("no data")

    run, _ = services.request_report(tenant, "de")
    monkeypatch.setattr("startklar.reports.document.build", broken)
    assert services.produce(run.pk)
    run.refresh_from_db()
    assert (run.status, run.failure, run.size) == (Status.FAILED, Failure.BUILD, 0)
    with pytest.raises(services.ReportError):
        services.retry(tenant, _done(tenant))
    again, new = services.retry(tenant, run)
    assert new
    assert again.pk == run.pk
    assert again.status == Status.QUEUED
    assert again.failure == ""
    monkeypatch.setattr("startklar.reports.document.build", fake_build)
    assert services.produce(run.pk)
    run.refresh_from_db()
    assert run.status == Status.DONE
    assert run.attempts == 2


def _done(tenant: Any) -> ReportRun:
    return ReportRun.objects.create(
        organisation=tenant.organisation,
        language="en",
        status=Status.DONE,
        requested_at=timezone.now(),
        pdf=FAKE_PDF,
        size=len(FAKE_PDF),
    )


def test_a_retry_while_another_is_under_way_shows_that_one(tenant: Any) -> None:
    failed = ReportRun.objects.create(
        organisation=tenant.organisation,
        language="de",
        status=Status.FAILED,
        failure=Failure.BUILD,
        requested_at=timezone.now(),
    )
    running, _ = services.request_report(tenant, "de")
    found, new = services.retry(tenant, failed)
    assert (found.pk, new) == (running.pk, False)
    failed.refresh_from_db()
    assert failed.status == Status.FAILED


def test_a_run_past_its_lease_counts_as_failed_and_can_be_retried(
    tenant: Any, settings: Any, fake_build: Any
) -> None:
    settings.STARTKLAR_REPORT_LEASE_SECONDS = 60
    run, _ = services.request_report(tenant, "de")
    started = timezone.now() - timedelta(seconds=61)
    ReportRun.objects.filter(pk=run.pk).update(status=Status.RUNNING, started_at=started)
    run.refresh_from_db()
    assert services.shown_status(run) == Status.FAILED  # before anything wrote it down
    assert services.shown_failure(run) == Failure.TIMED_OUT
    assert services.shown_status(run, started + timedelta(seconds=30)) == Status.RUNNING
    assert services.expire_stale() == 1
    assert services.expire_stale() == 0
    run.refresh_from_db()
    assert (run.status, run.failure) == (Status.FAILED, Failure.TIMED_OUT)
    services.retry(tenant, run)
    assert services.produce(run.pk)
    run.refresh_from_db()
    assert run.status == Status.DONE


def test_a_new_request_replaces_a_run_whose_worker_was_lost(tenant: Any, settings: Any) -> None:
    settings.STARTKLAR_REPORT_LEASE_SECONDS = 60
    lost, _ = services.request_report(tenant, "de")
    ReportRun.objects.filter(pk=lost.pk).update(
        status=Status.RUNNING, started_at=timezone.now() - timedelta(minutes=5)
    )
    fresh, new = services.request_report(tenant, "de")
    assert new
    assert fresh.pk != lost.pk
    lost.refresh_from_db()
    assert lost.status == Status.FAILED


def test_a_worker_back_after_its_lease_stores_nothing(
    tenant: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, fake_build: Any
) -> None:
    """The slow worker's attempt was given up and retried meanwhile: its result is not stored,
    and the retried run is made by the next delivery."""
    settings.STARTKLAR_REPORT_LEASE_SECONDS = 60
    run, _ = services.request_report(tenant, "de")

    def slow(*_args: object, **_kwargs: object) -> bytes:
        ReportRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=5))
        services.retry(tenant, ReportRun.objects.get(pk=run.pk))
        return b"%PDF late"

    monkeypatch.setattr("startklar.reports.document.build", slow, raising=False)
    assert services.produce(run.pk)
    run.refresh_from_db()
    assert (run.status, run.size, run.attempts) == (Status.QUEUED, 0, 1)


def test_an_organisation_without_members_gets_a_failed_run(tenant: Any, fake_build: Any) -> None:
    run, _ = services.request_report(tenant, "de")
    tenant.organisation.memberships.all().delete()
    services.produce(run.pk)
    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert fake_build.calls == []


def test_the_report_is_made_for_an_owner_when_the_requester_left(
    tenant: Any, fake_build: Any
) -> None:
    editor = add_member(tenant.organisation, role=Role.EDITOR)
    run, _ = services.request_report(tenant_of(editor, tenant.organisation), "de")
    tenant.organisation.memberships.filter(user=editor).delete()
    services.produce(run.pk)
    [(made_for, _language)] = fake_build.calls
    assert made_for.membership.user == tenant.membership.user


def test_deleting_and_another_organisations_run(tenant: Any, fake_build: Any) -> None:
    run, _ = services.request_report(tenant, "de")
    other = make_organisation("Andere GmbH")
    outsider = tenant_of(add_member(other, role=Role.OWNER), other)
    with pytest.raises(Http404):
        services.delete_run(outsider, run)
    with pytest.raises(Http404):
        services.retry(outsider, run)
    services.delete_run(tenant, run)
    assert not ReportRun.objects.exists()
    assert services.produce(run.pk) is False  # its task finds nothing
    assert fake_build.calls == []


def test_runs_under_way_in_an_imported_archive_are_failed(tenant: Any) -> None:
    run, _ = services.request_report(tenant, "de")
    done = _done(tenant)
    services.settle_imported(tenant.organisation)
    run.refresh_from_db()
    done.refresh_from_db()
    assert (run.status, run.failure) == (Status.FAILED, Failure.INTERRUPTED)
    assert done.status == Status.DONE


def test_content_versions_come_from_the_document_where_it_names_them(
    tenant: Any, monkeypatch: pytest.MonkeyPatch, fake_build: Any
) -> None:
    monkeypatch.setattr(
        "startklar.reports.document.content_versions",
        lambda _tenant, _language: {"compliance": "2026.2"},
        raising=False,
    )
    versions = services.content_versions(tenant, "de")
    assert versions["compliance"] == "2026.2"
    assert versions["startklar"]


def test_two_requests_at_the_same_moment_make_one_run(
    tenant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other request saved its run between this one's look and its insert: the database's
    constraint refuses the second run, and this request shows the other's."""
    first, _ = services.request_report(tenant, "de")
    looks = iter([None])
    real = services._under_way
    monkeypatch.setattr(services, "_under_way", lambda *args: _race(looks, real, args))
    again, new = services.request_report(tenant, "de")
    assert (again.pk, new) == (first.pk, False)
    assert ReportRun.objects.count() == 1


def _race(looks: Any, real: Any, args: tuple[Any, ...]) -> Any:
    for _missed in looks:  # the first look misses the other request's run
        return None
    return real(*args)
