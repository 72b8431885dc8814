"""Excel export of the AI register (KI-Verzeichnis), in the language of the person exporting."""

from __future__ import annotations

import io

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from startklar.core.spreadsheet import append_row
from startklar.organisations.tenancy import Tenant

from . import queries
from .labels import risk_labels
from .models import AISystem

# Column headers: the register's own field names (as in its form), so both read the same.
FIELDS = (
    "name",
    "owner",
    "purpose",
    "vendor",
    "capability",
    "hosting",
    "data_location",
    "personal_data",
    "use_cases",
    "status",
    None,  # the AI Act classification of the entry's assessment
    "dpia_status",
    "dpa_status",
    "next_review",
)
WIDTHS = (34, 20, 36, 22, 22, 30, 16, 28, 40, 12, 28, 18, 22, 14)


def headers() -> list[str]:
    """In the active language."""
    names = {"owner": _("Responsible"), None: _("AI Act")}
    found = []
    for name in FIELDS:
        if name in names:
            found.append(names[name])
        else:
            field = AISystem._meta.get_field(str(name))
            assert isinstance(field, models.Field)
            found.append(capfirst(str(field.verbose_name)))
    return found


def export(tenant: Tenant) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("AI register")[:31]
    append_row(sheet, headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJKLMN", WIDTHS, strict=True):  # one per field
        sheet.column_dimensions[column].width = width
    german = (get_language() or "de").startswith("de")
    date_format = "DD.MM.YYYY" if german else "DD/MM/YYYY"
    for system, summary in queries.register_export(tenant):
        labels = risk_labels(summary.labels) if summary else _("not yet assessed")
        append_row(
            sheet,
            [
                system.name,
                system.owner,
                system.purpose,
                system.vendor,
                system.get_capability_display(),
                system.get_hosting_display(),
                system.data_location,
                system.personal_data,
                ", ".join(uc.title for uc in system.use_cases.all()),
                system.get_status_display(),
                labels,
                system.get_dpia_status_display(),
                system.get_dpa_status_display(),
                system.next_review,
            ],
        )
        sheet.cell(row=sheet.max_row, column=len(FIELDS)).number_format = date_format
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
