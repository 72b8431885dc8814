"""Every write of the data check. One transaction per call; a rule broken raises
``DataCheckError`` with a message for the user and the field it is about.

An uploaded file goes into the database in parts (``UploadPart``), the worker profiles it
(``produce``) and the parts are deleted in the same step, whatever the outcome: the file is
never kept, only its profile.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from startklar.organisations import audit
from startklar.organisations.models import AuditAction
from startklar.organisations.tenancy import Tenant
from startklar.usecases import services as usecase_services
from startklar.usecases.models import UseCase

from .models import UNDER_WAY, Answer, DataCheck, DataSource, Status, UploadPart

logger = logging.getLogger(__name__)

PART_BYTES = 4 * 1024 * 1024  # one UploadPart
SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")
DEFAULT_LEASE_SECONDS = 15 * 60
FAILED_INTERNAL = "internal"  # not the file's fault: the details are in the log


class DataCheckError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def max_bytes() -> int:
    """The largest file the data check accepts (``STARTKLAR_DATACHECK_MAX_BYTES``)."""
    return int(settings.STARTKLAR_DATACHECK_MAX_BYTES)


def _too_large() -> DataCheckError:
    return DataCheckError(
        _("The file is larger than %(mb)s MB. Please export fewer rows or columns.")
        % {"mb": max_bytes() >> 20},
        "file",
    )


def lease() -> timedelta:
    seconds = getattr(settings, "STARTKLAR_DATACHECK_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
    return timedelta(seconds=float(seconds))


def _feed(organisation_id: int, use_case_ids: Iterable[int]) -> None:
    """The use cases' data-check scores as the suggested "Datenverfügbarkeit" score (and so
    the feasibility axis of the portfolio), after a check, an answer or a link changed."""
    from . import queries

    wanted = sorted(set(use_case_ids))
    if wanted:
        usecase_services.suggest_from_data_check(
            organisation_id, queries.data_scores(organisation_id, wanted)
        )


def _linked(source_id: int) -> list[int]:
    return list(
        DataSource.use_cases.through.objects.filter(datasource_id=source_id).values_list(
            "usecase_id", flat=True
        )
    )


# Sources -----------------------------------------------------------------------------------------


def _check_source(
    tenant: Tenant, name: str, use_cases: Iterable[UseCase], source: DataSource | None = None
) -> list[UseCase]:
    """The use cases chosen (each the organisation's), once the name is given and is not
    another source's. Two people naming two sources alike at the same moment is harmless, so
    the database holds no constraint (which would also stand in the way of copying an
    organisation's data)."""
    chosen = list(use_cases)
    for use_case in chosen:
        tenant.require(use_case)
    if not name.strip():
        raise DataCheckError(_("Please give the data source a name."), "name")
    others = DataSource.objects.filter(organisation=tenant.organisation, name__iexact=name.strip())
    if source is not None:
        others = others.exclude(pk=source.pk)
    if others.exists():
        raise DataCheckError(_("A data source of this name exists already."), "name")
    return chosen


@transaction.atomic
def create_source(
    tenant: Tenant, name: str, description: str, use_cases: list[UseCase]
) -> DataSource:
    chosen = _check_source(tenant, name, use_cases)
    source = DataSource.objects.create(
        organisation=tenant.organisation, name=name.strip(), description=description
    )
    source.use_cases.set(chosen)
    audit.record(tenant, AuditAction.CREATED, source)
    return source


@transaction.atomic
def update_source(
    tenant: Tenant, source: DataSource, name: str, description: str, use_cases: list[UseCase]
) -> DataSource:
    tenant.require(source)
    chosen = _check_source(tenant, name, use_cases, source)
    unchanged = (
        source.name == name.strip()
        and source.description == description
        and {u.pk for u in chosen} == set(source.use_cases.values_list("pk", flat=True))
    )
    if unchanged:
        return source  # saved as it was: nothing to record
    before = _linked(source.pk)
    source.name, source.description = name.strip(), description
    source.save()
    source.use_cases.set(chosen)
    audit.record(tenant, AuditAction.CHANGED, source)
    _feed(tenant.organisation.pk, [*before, *(u.pk for u in chosen)])
    return source


@transaction.atomic
def delete_source(tenant: Tenant, source: DataSource) -> None:
    tenant.require(source)
    linked = _linked(source.pk)
    audit.record(tenant, AuditAction.DELETED, source)
    source.delete()
    _feed(tenant.organisation.pk, linked)


# Checks ------------------------------------------------------------------------------------------


def _enqueue(check_id: int) -> None:
    from .tasks import profile_check

    transaction.on_commit(lambda: profile_check.enqueue(check_id))


@transaction.atomic
def request_check(
    tenant: Tenant, source: DataSource, name: str, size: int, chunks: Iterable[bytes], sheet: str
) -> DataCheck:
    """Keep the uploaded file (given as ``chunks``) until the worker has checked it."""
    tenant.require(source)
    base = Path(name.replace("\\", "/")).name.strip()[:255]
    if not base.lower().endswith(SUFFIXES):
        raise DataCheckError(
            _("Please upload a CSV file (.csv, .txt, .tsv) or an Excel file (.xlsx)."), "file"
        )
    if size <= 0:
        raise DataCheckError(_("The file is empty."), "file")
    if size > max_bytes():
        raise _too_large()
    check = DataCheck.objects.create(
        organisation=tenant.organisation,
        source=source,
        file_name=base,
        size=size,
        sheet=sheet.strip()[:200],
        requested_by=tenant.membership.user,
        requested_at=timezone.now(),
    )
    stored = 0
    for index, chunk in enumerate(chunks):
        stored += len(chunk)
        if stored > max_bytes():
            raise _too_large()
        UploadPart.objects.create(
            organisation=tenant.organisation, data_check=check, index=index, data=chunk
        )
    if stored == 0:
        raise DataCheckError(_("The file is empty."), "file")
    DataCheck.objects.filter(pk=check.pk).update(size=stored)
    audit.record(tenant, AuditAction.CREATED, check)
    _enqueue(check.pk)
    return check


def _assemble(check_id: int, target: IO[bytes]) -> None:
    """Write the parts of a check's file to ``target``, one part in memory at a time."""
    indexes = list(
        UploadPart.objects.filter(data_check_id=check_id)
        .order_by("index")
        .values_list("pk", flat=True)
    )
    for pk in indexes:
        target.write(bytes(UploadPart.objects.values_list("data", flat=True).get(pk=pk)))


def produce(check_id: int) -> bool:
    """Profile a queued check's file and delete the file (what the worker's task does).
    ``False`` when the check is gone or another delivery of the task claimed it first."""
    from . import content, engine

    claimed = DataCheck.objects.filter(pk=check_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, failure=""
    )
    if not claimed:
        return False
    check = DataCheck.objects.get(pk=check_id)
    mine = DataCheck.objects.filter(pk=check_id, status=Status.RUNNING, attempts=check.attempts)
    suffix = Path(check.file_name).suffix.lower() or ".csv"
    handle, path = tempfile.mkstemp(prefix="startklar-check-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as target:
            _assemble(check_id, target)
        profile = engine.profile(Path(path), sheet=check.sheet or None)
    except engine.DataFileError as error:
        mine.update(status=Status.FAILED, failure=error.code[:40], finished_at=timezone.now())
    except Exception:
        logger.exception("data check %s failed", check_id)
        mine.update(status=Status.FAILED, failure=FAILED_INTERNAL, finished_at=timezone.now())
    else:
        mine.update(
            status=Status.DONE,
            profile=profile.to_dict(),
            engine_version=engine.ENGINE_VERSION,
            content_version=content.CURRENT_VERSION,
            finished_at=timezone.now(),
        )
    finally:
        Path(path).unlink(missing_ok=True)
        UploadPart.objects.filter(data_check_id=check_id).delete()
    _feed(check.organisation_id, _linked(check.source_id))
    return True


@transaction.atomic
def retry(tenant: Tenant, check: DataCheck) -> DataCheck:
    """Profile a check again whose worker stopped before it was done, while its file is still
    there; a file that was already deleted must be uploaded again."""
    tenant.require(check)
    if not check.parts.exists():
        raise DataCheckError(_("The file is no longer there. Please upload it again."))
    DataCheck.objects.filter(pk=check.pk).update(
        status=Status.QUEUED, failure="", started_at=None, finished_at=None
    )
    _enqueue(check.pk)
    check.refresh_from_db()
    return check


@transaction.atomic
def delete_check(tenant: Tenant, check: DataCheck) -> None:
    tenant.require(check)
    audit.record(tenant, AuditAction.DELETED, check)
    check.delete()
    _feed(tenant.organisation.pk, _linked(check.source_id))


def expire_stale(now: datetime) -> tuple[int, int]:
    """Checks whose worker did not finish within the lease written down as failed, and the
    files of checks no longer under way deleted (idempotent; several workers may run it)."""
    expired = DataCheck.objects.filter(status=Status.RUNNING, started_at__lt=now - lease()).update(
        status=Status.FAILED, failure="timed_out", finished_at=now
    )
    leftover, _counts = (
        UploadPart.objects.exclude(data_check__status__in=UNDER_WAY)
        .filter(data_check__finished_at__lt=now - lease())
        .delete()
    )
    return expired, leftover


def housekeeping(now: datetime) -> str:
    expired, deleted = expire_stale(now)
    return f"data checks past their lease marked failed: {expired}; file parts deleted: {deleted}"


# Answers -----------------------------------------------------------------------------------------


@transaction.atomic
def answer(tenant: Tenant, use_case: UseCase, rule_key: str, choice: str) -> Answer | None:
    """The answer to an asked prerequisite; "" takes an answer back."""
    tenant.require(use_case)
    from . import content

    if rule_key not in content.load_rules().questions:
        raise DataCheckError(_("This question does not exist."), "answer")
    given = Answer.objects.filter(use_case=use_case, rule_key=rule_key).first()
    if choice == "":
        if given is not None:
            given.delete()
            _feed(tenant.organisation.pk, [use_case.pk])
        return None
    if choice not in Answer.Choice.values:
        raise DataCheckError(_("Please answer yes, no or don't know."), "answer")
    if given is not None and given.answer == choice:
        return given  # saved as it was
    found, _created = Answer.objects.update_or_create(
        use_case=use_case,
        rule_key=rule_key,
        defaults={
            "organisation": tenant.organisation,
            "answer": choice,
            "answered_by": tenant.membership.user,
        },
    )
    _feed(tenant.organisation.pk, [use_case.pk])
    return found
