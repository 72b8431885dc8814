"""Excel export of the AI register (KI-Verzeichnis)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from startklar.organisations.tenancy import Tenant

from . import queries
from .models import AISystem, Capability, DpaStatus, DpiaStatus, Hosting, SystemStatus

HEADERS = (
    "Name",
    "Verantwortlich",
    "Zweck",
    "Anbieter",
    "Fähigkeit",
    "Hosting",
    "Datenort",
    "Personenbezogene Daten",
    "Use Cases",
    "Status",
    "KI-VO-Einstufung",
    "DSFA",
    "AV-Vertrag",
    "Nächste Prüfung",
)


def export(tenant: Tenant) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "KI-Verzeichnis"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in queries.system_rows(tenant):
        system = row.subject
        assert isinstance(system, AISystem)
        labels = ", ".join(row.result.classification.labels) if row.result else "nicht eingestuft"
        sheet.append(
            [
                system.name,
                system.owner,
                system.purpose,
                system.vendor,
                str(Capability(system.capability).label),
                str(Hosting(system.hosting).label),
                system.data_location,
                system.personal_data,
                ", ".join(uc.title for uc in system.use_cases.all()),
                str(SystemStatus(system.status).label),
                labels,
                str(DpiaStatus(system.dpia_status).label),
                str(DpaStatus(system.dpa_status).label),
                system.next_review,
            ]
        )
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
