"""The audit log: who did what when in an organisation.

Services call :func:`record` inside their own transaction, so an entry exists exactly when the
change it describes was saved. The summary is rendered at once in every language of the
interface (a callable is evaluated under each language), so an entry keeps reading the same
when the object is later renamed or deleted.

What is kept, and for how long: entries older than ``STARTKLAR_AUDIT_RETENTION_DAYS`` are
deleted by the worker's housekeeping (:func:`purge_expired`); when a person's account is deleted
their entries stay but no longer name them (:func:`forget_actor`); when a person in the literacy
records is deleted, entries about them lose the name (:func:`forget_object`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from io import BytesIO
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from startklar.core.spreadsheet import append_row

from .models import AuditAction, AuditEvent, Organisation

if TYPE_CHECKING:
    from startklar.accounts.models import User

    from .queries import AuditRow
    from .tenancy import Tenant

Summary = Callable[[], str] | Promise | str | None
LABEL_LENGTH = 300


def render(summary: Summary) -> dict[str, str]:
    """The summary in every interface language (empty dict for none)."""
    if summary is None:
        return {}
    rendered: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            text = summary() if callable(summary) else str(summary)
        rendered[code] = text
    return rendered


def _clip(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def record_for(
    organisation: Organisation | None,
    actor: User | None,
    action: AuditAction,
    obj: models.Model | None = None,
    *,
    summary: Summary = None,
    label: str | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Write one entry. ``obj`` names what was acted on (its type, id and current label)."""
    object_type = ""
    object_id = None
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
        if label is None:
            label = str(obj)
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=actor,
        actor_name=_clip(actor.display_name) if actor is not None else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=_clip(label or ""),
        summary=render(summary),
        ip_address=ip_address or None,
    )


def entry(
    tenant: Tenant,
    action: AuditAction,
    obj: models.Model,
    *,
    summary: Summary = None,
) -> AuditEvent:
    """An unsaved entry, for a service that writes many at once with ``bulk_create``."""
    return AuditEvent(
        organisation=tenant.organisation,
        actor=tenant.membership.user,
        actor_name=_clip(tenant.membership.user.display_name),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        object_label=_clip(str(obj)),
        summary=render(summary),
    )


def record(
    tenant: Tenant,
    action: AuditAction,
    obj: models.Model | None = None,
    *,
    summary: Summary = None,
    label: str | None = None,
) -> AuditEvent:
    """Write one entry for the signed-in member of ``tenant``."""
    return record_for(
        tenant.organisation, tenant.membership.user, action, obj, summary=summary, label=label
    )


def forget_actor(user: User) -> int:
    """An account is deleted: its entries stay (what happened, and when) without its name."""
    return AuditEvent.objects.filter(actor=user).update(
        actor=None, actor_name=_("deleted account"), ip_address=None
    )


def forget_object(obj: models.Model) -> int:
    """A record about a person is deleted: entries about it no longer carry the person's name."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=obj.pk).update(
        object_label="", summary={}
    )


def purge_expired(now: datetime | None = None) -> int:
    """Delete entries older than the retention period; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.STARTKLAR_AUDIT_RETENTION_DAYS)
    deleted, _per_model = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


def snapshot(obj: models.Model, fields: tuple[str, ...] | list[str]) -> dict[str, object]:
    """The values of ``fields`` now, to compare with after a change (:func:`changes`)."""
    return {name: getattr(obj, name) for name in fields}


def changes(obj: models.Model, before: dict[str, object]) -> Callable[[], str] | None:
    """A summary naming the fields whose value differs from ``before`` (None if none)."""
    changed = [name for name, value in before.items() if getattr(obj, name) != value]
    if not changed:
        return None
    meta = obj._meta

    def summary() -> str:
        names = ", ".join(
            str(getattr(meta.get_field(name), "verbose_name", name)) for name in changed
        )
        return _("Changed: %(fields)s") % {"fields": names}

    return summary


def workbook(rows: Iterable[AuditRow]) -> bytes:
    """The given rows of the audit log as an Excel file (text written as text)."""
    from openpyxl import Workbook  # here, not when the app starts (0.15 s, 15 MB)

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Audit log")[:31]
    append_row(
        sheet,
        [_("When"), _("Who"), _("What"), _("Object type"), _("Object"), _("Details"), _("From")],
    )
    zone = timezone.get_current_timezone()
    for row in rows:
        append_row(
            sheet,
            [
                timezone.localtime(row.at, zone).replace(tzinfo=None),
                row.actor,
                row.action,
                row.kind,
                row.label,
                row.summary,
                row.ip_address,
            ],
        )
    for column, width in zip("ABCDEFG", (18, 24, 26, 20, 40, 50, 16), strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["A"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
