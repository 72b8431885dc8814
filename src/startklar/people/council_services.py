"""Every write of the works council's record. One transaction per call; input the rules do not
allow raises :class:`CouncilError` with a message for the user and the field it concerns;
nothing is saved then.

Whether the organisation has a works council is not kept here: it is one of compliance's
privacy facts (``PrivacyFacts.works_council``), changed on its page."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from startklar.compliance.models import AISystem
from startklar.organisations import audit
from startklar.organisations.models import AuditAction
from startklar.organisations.tenancy import Tenant

from .content import CURRENT_VERSION, load_works_council
from .models import (
    MAX_DOCUMENT_NAME,
    MAX_EVENT_TITLE,
    MAX_NOTES,
    CouncilDocument,
    CouncilEvent,
    CouncilSystem,
    EventKind,
    Monitoring,
)

# The kinds of entry that settle what was agreed (and so carry the checklist).
AGREEMENTS = (EventKind.WORKS_AGREEMENT, EventKind.REGULATION_AGREEMENT)
EARLIEST = datetime.date(1972, 1, 19)  # the Works Constitution Act in its present form
MAX_DOCUMENTS = 20  # per entry

# What may be uploaded: the file's ending, the content type it is served with, and the bytes
# such a file begins with (the name alone proves nothing).
PDF = (b"%PDF-",)
ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", PDF),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".doc": ("application/msword", OLE),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
UNSAFE_NAME = re.compile(r'[<>:"/\\|?*;\x00-\x1f\x7f]+')


class CouncilError(Exception):
    """Input the rules do not allow; ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def max_document_bytes() -> int:
    """The largest document accepted (the uploads' limit, ``STARTKLAR_MAX_UPLOAD_BYTES``)."""
    return int(settings.STARTKLAR_MAX_UPLOAD_BYTES)


def _notes(notes: str) -> str:
    notes = notes.strip()
    if len(notes) > MAX_NOTES:
        raise CouncilError(
            _("Notes have at most %(count)d characters.") % {"count": MAX_NOTES}, "notes"
        )
    return notes


# AI systems --------------------------------------------------------------------------------------


@transaction.atomic
def assess_system(
    tenant: Tenant, ai_system: AISystem, monitoring: str, personnel: bool, notes: str = ""
) -> CouncilSystem:
    """Record whether ``ai_system`` can monitor behaviour or performance and whether it helps
    select or assess people: what decides the works council's co-determination."""
    tenant.require(ai_system)
    if monitoring not in Monitoring.values:
        raise CouncilError(_("Please choose yes, no or not assessed yet."), "monitoring")
    notes = _notes(notes)
    found = CouncilSystem.objects.filter(ai_system=ai_system).first()
    if found is None and (monitoring, bool(personnel), notes) == (Monitoring.UNCLEAR, False, ""):
        # saved as it was shown (not assessed): nothing to store, nothing to record
        return CouncilSystem(organisation=tenant.organisation, ai_system=ai_system)
    if found is None:
        found = CouncilSystem.objects.create(
            organisation=tenant.organisation,
            ai_system=ai_system,
            monitoring=monitoring,
            personnel=bool(personnel),
            notes=notes,
        )
        audit.record(tenant, AuditAction.CREATED, found)
        return found
    if (found.monitoring, found.personnel, found.notes) == (monitoring, bool(personnel), notes):
        return found  # saved as it was: nothing to record
    found.monitoring, found.personnel, found.notes = monitoring, bool(personnel), notes
    found.save()
    audit.record(tenant, AuditAction.CHANGED, found)
    return found


# The log -----------------------------------------------------------------------------------------


def _checked(
    tenant: Tenant,
    kind: str,
    happened_on: datetime.date,
    title: str,
    notes: str,
    ai_system: AISystem | None,
    covered: Sequence[str],
) -> dict[str, object]:
    if ai_system is not None:
        tenant.require(ai_system)
    if kind not in EventKind.values:
        raise CouncilError(_("Please choose what kind of entry this is."), "kind")
    if not isinstance(happened_on, datetime.date) or isinstance(happened_on, datetime.datetime):
        raise CouncilError(_("Please give the date."), "happened_on")
    if happened_on > timezone.localdate():
        raise CouncilError(
            _("The log records what has happened: the date cannot be in the future."),
            "happened_on",
        )
    if happened_on < EARLIEST:
        raise CouncilError(_("Please check the date."), "happened_on")
    title = " ".join(title.split())
    if not title or len(title) > MAX_EVENT_TITLE:
        raise CouncilError(
            _("A title of 1 to %(count)d characters is needed.") % {"count": MAX_EVENT_TITLE},
            "title",
        )
    known = [item.key for item in load_works_council(CURRENT_VERSION).checklist]
    unknown = [key for key in covered if key not in known]
    if unknown:
        raise CouncilError(_("Please choose points of the checklist only."), "covered")
    # Only an agreement covers points; the checklist's order, each point once.
    chosen = [key for key in known if key in set(covered)] if kind in AGREEMENTS else []
    return {
        "kind": kind,
        "happened_on": happened_on,
        "title": title,
        "notes": _notes(notes),
        "ai_system": ai_system,
        "covered": chosen,
        "content_version": CURRENT_VERSION if kind in AGREEMENTS else "",
    }


@transaction.atomic
def create_event(
    tenant: Tenant,
    kind: str,
    happened_on: datetime.date,
    title: str,
    notes: str = "",
    ai_system: AISystem | None = None,
    covered: Sequence[str] = (),
) -> CouncilEvent:
    """A new entry of the log, for ``ai_system`` or (None) for AI in general."""
    values = _checked(tenant, kind, happened_on, title, notes, ai_system, covered)
    event = CouncilEvent.objects.create(organisation=tenant.organisation, **values)
    audit.record(tenant, AuditAction.CREATED, event)
    return event


@transaction.atomic
def update_event(
    tenant: Tenant,
    event: CouncilEvent,
    kind: str,
    happened_on: datetime.date,
    title: str,
    notes: str = "",
    ai_system: AISystem | None = None,
    covered: Sequence[str] = (),
) -> CouncilEvent:
    tenant.require(event)
    values = _checked(tenant, kind, happened_on, title, notes, ai_system, covered)
    if kind not in AGREEMENTS and event.kind not in AGREEMENTS:
        values["content_version"] = event.content_version
    if all(getattr(event, name) == value for name, value in values.items()):
        return event  # saved as it was: nothing to record
    for name, value in values.items():
        setattr(event, name, value)
    event.save()
    audit.record(tenant, AuditAction.CHANGED, event)
    return event


@transaction.atomic
def delete_event(tenant: Tenant, event: CouncilEvent) -> None:
    """The entry and its documents."""
    tenant.require(event)
    audit.record(tenant, AuditAction.DELETED, event)
    event.delete()


# Documents ---------------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """A file name safe to store and to send back: no folders, no control characters, none
    of the characters file systems or headers stumble over, at most the model's length (the
    ending kept)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = UNSAFE_NAME.sub("_", base)
    base = " ".join(base.split()).strip(" .")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = suffix.lower()[:10]
    stem = stem[: MAX_DOCUMENT_NAME - len(suffix) - 1].strip(" .") or "dokument"
    return f"{stem}.{suffix}" if suffix else stem


def _type_of(name: str, data: bytes) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    known = DOCUMENT_TYPES.get(suffix)
    if known is None:
        raise CouncilError(
            _(
                "Please upload a PDF, a Word or OpenDocument text, an Excel file or an image "
                "(PNG, JPEG)."
            ),
            "file",
        )
    content_type, beginnings = known
    if not any(data.startswith(start) for start in beginnings):
        raise CouncilError(
            _("The file is not what its name says (%(ending)s). Please upload the original file.")
            % {"ending": suffix},
            "file",
        )
    return content_type


@transaction.atomic
def add_document(tenant: Tenant, event: CouncilEvent, name: str, data: bytes) -> CouncilDocument:
    """Keep ``data`` (an uploaded file named ``name``) with the entry ``event``."""
    tenant.require(event)
    if not data:
        raise CouncilError(_("The file is empty."), "file")
    if len(data) > max_document_bytes():
        raise CouncilError(
            _("The file is larger than %(mb)s MB.") % {"mb": max_document_bytes() >> 20}, "file"
        )
    cleaned = clean_name(name)
    content_type = _type_of(cleaned, data)
    if CouncilDocument.objects.filter(event=event).count() >= MAX_DOCUMENTS:
        raise CouncilError(
            _("An entry keeps at most %(count)d documents.") % {"count": MAX_DOCUMENTS}, "file"
        )
    document = CouncilDocument.objects.create(
        event=event, name=cleaned, content_type=content_type, size=len(data), data=data
    )
    audit.record(
        tenant,
        AuditAction.CREATED,
        document,
        summary=lambda: (
            _("Document of the works-council entry “%(title)s”") % {"title": event.title}
        ),
    )
    return document


@transaction.atomic
def delete_document(tenant: Tenant, event: CouncilEvent, document: CouncilDocument) -> None:
    tenant.require(event)
    if document.event_id != event.pk:
        raise CouncilError(_("This document belongs to another entry."), "document")
    audit.record(
        tenant,
        AuditAction.DELETED,
        document,
        summary=lambda: (
            _("Document of the works-council entry “%(title)s”") % {"title": event.title}
        ),
    )
    document.delete()
