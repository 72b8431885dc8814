"""Housekeeping: what must go after a while, done by ``startklar worker`` every hour (and by
``startklar housekeeping`` once, e.g. from cron where no worker runs).

* sessions past their expiry date (the idle timeout ends a session at its next request; its
  row goes once the absolute age is reached),
* audit-log entries older than ``STARTKLAR_AUDIT_RETENTION_DAYS``,
* organisations whose deletion grace period is over, with everything they own,
* records kept only to limit password-reset mails and failed sign-ins, once they no longer
  count, and django-axes' log of sign-ins after the audit log's retention period,
* results of finished background tasks after a week,
* stored business-case figures that no case's current inputs have any more,
* and what each feature declares (``Feature.housekeeping``), e.g. the management reports whose
  worker did not finish within the lease, written down as failed.

Every step is idempotent, so several workers may run it at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from startklar.accounts.models import PasswordResetRequest
from startklar.accounts.security import cooloff
from startklar.businesscase.services import forget_unused_figures
from startklar.core.features import each
from startklar.organisations import audit, services

TASK_RESULTS_KEPT = timedelta(days=7)


@dataclass(frozen=True)
class Report:
    sessions: int
    audit_entries: int
    organisations: tuple[str, ...]
    sign_in_records: int
    task_results: int
    figures: int = 0
    features: tuple[str, ...] = ()  # a line from each feature's own housekeeping

    def lines(self) -> list[str]:
        return [
            f"expired sessions deleted: {self.sessions}",
            f"audit-log entries past retention deleted: {self.audit_entries}",
            f"organisations deleted after their grace period: {len(self.organisations)}"
            + (f" ({', '.join(self.organisations)})" if self.organisations else ""),
            f"sign-in and reset records deleted: {self.sign_in_records}",
            f"finished task results deleted: {self.task_results}",
            f"stored business-case figures no case uses deleted: {self.figures}",
            *self.features,
        ]


def run() -> Report:
    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    entries = audit.purge_expired(now)
    organisations = tuple(services.delete_due_organisations(now))
    day_ago = now - timedelta(days=1)
    retention = now - timedelta(days=settings.STARTKLAR_AUDIT_RETENTION_DAYS)
    records = (
        AccessAttempt.objects.filter(attempt_time__lt=now - cooloff()).delete()[0]
        + AccessFailureLog.objects.filter(attempt_time__lt=day_ago).delete()[0]
        + AccessLog.objects.filter(attempt_time__lt=retention).delete()[0]
        + PasswordResetRequest.objects.filter(requested_at__lt=day_ago).delete()[0]
    )
    finished = DBTaskResult.objects.finished()
    tasks, _ = finished.filter(finished_at__lt=now - TASK_RESULTS_KEPT).delete()
    figures = forget_unused_figures()
    features = tuple(str(step(now)) for _feature, step in each("housekeeping"))
    return Report(sessions, entries, organisations, records, tasks, figures, features)
