"""Excel export and import of the use-case list (openpyxl).

Export, then import, gives the same list: rows carry the use case's ID and update it; rows
without a known ID create new use cases. An import is all or nothing: any missing or unknown
column, or any invalid cell, is reported with its row, and nothing is saved.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from startklar.organisations.tenancy import Tenant

from . import queries, services
from .content import load_catalogue, load_criteria
from .forms import UseCaseForm
from .models import Status, UseCase

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "ID"),
    ("title", "Titel"),
    ("catalogue_id", "Katalog-ID"),
    ("problem", "Problem"),
    ("goal_metric", "Kennzahl"),
    ("goal_baseline", "Ausgangswert"),
    ("goal_target", "Zielwert"),
    ("goal_date", "Zieldatum"),
    ("process_owner", "Prozessverantwortung"),
    ("department", "Abteilung"),
    ("affected_roles", "Betroffene Rollen"),
    ("data_sources", "Datenquellen"),
    ("classic_enough", "Klassische Verbesserung reicht"),
    ("classic_note", "Begründung"),
    ("status", "Status"),
    ("status_reason", "Status-Begründung"),
    ("estimated_cost", "Kosten (EUR)"),
    ("person_days", "Aufwand (Personentage)"),
)
REQUIRED = {"Titel", "Problem"}


def criterion_columns() -> list[tuple[str, str]]:
    return [(c.id, f"Kriterium: {c.name.de}") for c in load_criteria()]


def export(tenant: Tenant) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Use Cases"
    headers = [h for _k, h in COLUMNS] + [h for _k, h in criterion_columns()]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in queries.rows(tenant):
        uc = row.use_case
        values: list[Any] = [
            uc.pk,
            uc.title,
            uc.catalogue_id,
            uc.problem,
            uc.goal_metric,
            uc.goal_baseline,
            uc.goal_target,
            uc.goal_date,
            uc.process_owner,
            uc.department,
            uc.affected_roles,
            uc.data_sources,
            uc.classic_enough,
            uc.classic_note,
            uc.status,
            "",
            uc.estimated_cost,
            uc.person_days,
        ]
        values += [row.scores.get(key) for key, _h in criterion_columns()]
        sheet.append(values)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class ExcelImportError(ValueError):
    """The file cannot be imported; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(file: BinaryIO) -> list[dict[str, str]]:
    """The rows of the first sheet by header; raises :class:`ExcelImportError` on a bad file."""
    content = file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ExcelImportError([_("The file is larger than 5 MB.")])
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError):
        raise ExcelImportError([_("This is not an Excel file (.xlsx).")]) from None
    sheet = book.worksheets[0] if book.worksheets else None
    rows = list(sheet.iter_rows(values_only=True)) if sheet is not None else []
    if not rows:
        raise ExcelImportError([_("The file has no header row.")])
    headers = [_cell(h) for h in rows[0]]
    known = {h for _k, h in COLUMNS} | {h for _k, h in criterion_columns()}
    problems = []
    missing = sorted(REQUIRED - set(headers))
    if missing:
        problems.append(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    unknown = sorted(h for h in headers if h and h not in known)
    if unknown:
        problems.append(_("Unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
    if problems:
        raise ExcelImportError(problems)
    if len(rows) - 1 > MAX_ROWS:
        raise ExcelImportError([_("At most %(count)d rows can be imported.") % {"count": MAX_ROWS}])
    return [
        {header: _cell(value) for header, value in zip(headers, row, strict=False) if header}
        for row in rows[1:]
        if any(_cell(v) for v in row)
    ]


def import_rows(tenant: Tenant, file: BinaryIO) -> ImportResult:
    rows = read_rows(file)
    by_header = {h: k for k, h in COLUMNS}
    criteria = {h: k for k, h in criterion_columns()}
    existing = {str(uc.pk): uc for uc in tenant.scoped(UseCase.objects)}
    problems: list[str] = []
    prepared = []
    for number, raw in enumerate(rows, start=2):
        data = {by_header[h]: v for h, v in raw.items() if h in by_header}
        target = existing.get(data.get("id", ""))
        form = UseCaseForm(
            {
                **{f: data.get(f, "") for f in services.FIELDS},
                "classic_enough": data.get("classic_enough") or "unklar",
            },
            instance=target,
            localized=False,
        )
        status = data.get("status") or Status.IDEE
        scores: dict[str, int] = {}
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = next((h for k, h in COLUMNS if k == field), field)
                problems.append(
                    _("Row %(row)d, %(column)s: %(message)s")
                    % {"row": number, "column": label, "message": " ".join(str(e) for e in errors)}
                )
        if status not in Status.values:
            problems.append(
                _('Row %(row)d, Status: unknown value "%(value)s"')
                % {"row": number, "value": status}
            )
        for header, criterion_id in criteria.items():
            value = raw.get(header, "")
            if value == "":
                continue
            if value not in {"1", "2", "3", "4", "5"}:
                problems.append(
                    _("Row %(row)d, %(column)s: must be 1 to 5") % {"row": number, "column": header}
                )
            else:
                scores[criterion_id] = int(value)
        prepared.append(
            (
                form,
                target,
                status,
                data.get("status_reason", ""),
                scores,
                data.get("catalogue_id", ""),
            )
        )
    if problems:
        raise ExcelImportError(problems)
    created = updated = 0
    with transaction.atomic():
        for form, target, status, reason, scores, catalogue_id in prepared:
            fields = form.cleaned_data
            if target is None:
                use_case = services.create_use_case(tenant, fields, _known_entry(catalogue_id))
                created += 1
            else:
                use_case = services.update_use_case(tenant, target, fields)
                updated += 1
            if status != use_case.status:
                try:
                    services.change_status(
                        tenant, use_case, Status(status), reason or _("Excel import")
                    )
                except services.UseCaseError as error:
                    raise ExcelImportError([str(error)]) from error
            if scores:
                services.set_scores(tenant, use_case, scores)
    return ImportResult(created, updated)


def _known_entry(catalogue_id: str) -> str:
    return catalogue_id if catalogue_id and load_catalogue().entry(catalogue_id) else ""
