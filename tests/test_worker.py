"""``startklar worker``: queued e-mails are sent by the worker, and the housekeeping deletes
what is due. ``startklar housekeeping`` does the latter once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from startklar import housekeeping, worker
from startklar.accounts.models import PasswordResetRequest
from startklar.organisations import audit, services
from startklar.organisations.models import AuditAction, AuditEvent, Membership, Role
from startklar.organisations.tenancy import Tenant
from startklar.reports.models import ReportRun, Status
from startklar.testing import add_member, make_organisation, run_startklar

pytestmark = pytest.mark.django_db

QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)  # the worker commits, as in production
@override_settings(TASKS=QUEUED)
def test_an_invitation_waits_for_the_worker_and_is_sent_once() -> None:
    organisation = make_organisation()
    owner = add_member(organisation, role=Role.OWNER)
    tenant = Tenant(organisation, Membership.objects.get(user=owner))
    mail.outbox.clear()
    services.invite_member(tenant, "neu@example.com", Role.EDITOR, link_for=lambda t: t)
    assert mail.outbox == []  # queued, not sent in the request
    assert DBTaskResult.objects.ready().count() == 1

    assert worker.run(once=True) == 0
    assert [m.to for m in mail.outbox] == [["neu@example.com"]]
    assert DBTaskResult.objects.ready().count() == 0
    assert worker.run(once=True) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=QUEUED)
def test_a_revoked_invitation_is_not_sent_when_the_worker_gets_to_it() -> None:
    organisation = make_organisation()
    owner = add_member(organisation, role=Role.OWNER)
    tenant = Tenant(organisation, Membership.objects.get(user=owner))
    mail.outbox.clear()
    invitation, _link = services.invite_member(
        tenant, "neu@example.com", Role.EDITOR, link_for=lambda t: t
    )
    services.revoke_invitation(tenant, invitation)
    worker.run(once=True)
    assert mail.outbox == []


@override_settings(STARTKLAR_AUDIT_RETENTION_DAYS=10)
def test_housekeeping_deletes_what_is_due_and_nothing_else() -> None:
    now = timezone.now()
    live = SessionStore()
    live.create()
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=now - timedelta(minutes=1)
    )
    organisation = make_organisation()
    fresh = audit.record_for(organisation, None, AuditAction.CHANGED, organisation)
    old = audit.record_for(organisation, None, AuditAction.CHANGED, organisation)
    AuditEvent.objects.filter(pk=old.pk).update(at=now - timedelta(days=11))
    PasswordResetRequest.objects.create(email="a@example.com")
    stale = PasswordResetRequest.objects.create(email="b@example.com")
    PasswordResetRequest.objects.filter(pk=stale.pk).update(requested_at=now - timedelta(days=2))
    # A worker killed a day ago, and one at work (one run per language at a time).
    for started, language in ((now - timedelta(days=1), "de"), (now, "en")):
        ReportRun.objects.create(
            organisation=organisation,
            language=language,
            status=Status.RUNNING,
            requested_at=started,
            started_at=started,
        )

    report = housekeeping.run()
    assert "reports past their worker's lease marked failed: 1" in report.lines()
    assert sorted(ReportRun.objects.values_list("status", flat=True)) == [
        Status.FAILED,
        Status.RUNNING,
    ]
    assert report.sessions == 1
    assert report.audit_entries == 1
    assert report.sign_in_records == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert list(PasswordResetRequest.objects.values_list("email", flat=True)) == ["a@example.com"]
    assert housekeeping.run().lines()[0] == "expired sessions deleted: 0"
    assert "reports past their worker's lease marked failed: 0" in housekeeping.run().lines()


@pytest.mark.own_sqlite
def test_the_housekeeping_command_runs_on_its_own(tmp_path: Path) -> None:
    env = {"STARTKLAR_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "startklar.settings.local"}
    assert run_startklar("manage", "migrate", "--verbosity", "0", env=env).returncode == 0
    result = run_startklar("housekeeping", env=env)
    assert result.returncode == 0, result.stderr
    assert "expired sessions deleted: 0" in result.stdout
    assert "organisations deleted after their grace period: 0" in result.stdout
