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

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .models import AuditAction, AuditEvent, Organisation

if TYPE_CHECKING:
    from startklar.accounts.models import User

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
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=obj.pk
    ).update(object_label="", summary={})


def purge_expired(now: datetime | None = None) -> int:
    """Delete entries older than the retention period; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.STARTKLAR_AUDIT_RETENTION_DAYS)
    deleted, _per_model = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
