"""Excel export and import of the use-case list (openpyxl).

Export, then import, gives the same list: rows carry the use case's ID and update it; rows
without a known ID create new use cases. An import is all or nothing: any missing or unknown
column, or any invalid cell, is reported with its row, and nothing is saved.

The sheet speaks the reader's language: headers, statuses and answers are written as labels in
the interface language, and the import reads German and English labels (and the internal
values of earlier exports) alike. Number cells are taken as numbers; numbers typed as text are
read like form input (``4.800,50``).
"""

from __future__ import annotations

import datetime
import io
import itertools
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from startklar.core.spreadsheet import append_row
from startklar.organisations import audit
from startklar.organisations.models import AuditAction
from startklar.organisations.tenancy import Tenant

from . import queries, services
from .content import load_catalogue, load_criteria
from .engine.goal import read_goal
from .forms import UseCaseForm
from .models import GATED, ClassicAnswer, Status, StatusChange, UseCase

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024  # the file as uploaded
MAX_UNPACKED = 40 * 1024 * 1024  # all its parts unpacked (2,000 full rows need a few MB)
MAX_PARTS = 200  # files inside the .xlsx
MAX_COLUMNS = 200  # cells read per row
HEADERS = (
    ("id", gettext_lazy("ID")),
    ("title", gettext_lazy("Title")),
    ("catalogue_id", gettext_lazy("Catalogue ID")),
    ("problem", gettext_lazy("Problem")),
    ("goal_metric", gettext_lazy("Metric")),
    ("goal_unit", gettext_lazy("Unit")),
    ("goal_baseline", gettext_lazy("Baseline")),
    ("goal_target", gettext_lazy("Target")),
    ("goal_date", gettext_lazy("Target date")),
    ("goal_unparsed", gettext_lazy("Goal as written before")),
    ("process_owner", gettext_lazy("Process owner")),
    ("department", gettext_lazy("Department")),
    ("affected_roles", gettext_lazy("Affected roles")),
    ("data_sources", gettext_lazy("Data sources")),
    ("classic_enough", gettext_lazy("Classic improvement enough")),
    ("classic_note", gettext_lazy("Reasoning")),
    ("status", gettext_lazy("Status")),
    ("status_reason", gettext_lazy("Status reason")),
    ("estimated_cost", gettext_lazy("Cost (EUR)")),
    ("person_days", gettext_lazy("Effort (person-days)")),
)
REQUIRED = {"title", "problem"}
# Form fields read from a column of another name (the goal's values from "Baseline", "Target").
COLUMN_OF = {"goal_baseline_value": "goal_baseline", "goal_target_value": "goal_target"}
LANGUAGES = ("de", "en")


def criterion_header(name: str) -> str:
    return _("Criterion: %(name)s") % {"name": name}


def headers() -> list[str]:
    """The header row in the active language."""
    language = translation.get_language() or "de"
    return [str(label) for _k, label in HEADERS] + [
        criterion_header(c.name.get(language)) for c in load_criteria()
    ]


@cache
def _known_headers(language: str) -> dict[str, str]:
    """Header text → key (a criterion's key is its id) in one language."""
    with translation.override(language):
        known = {str(label): key for key, label in HEADERS}
        known.update({criterion_header(c.name.get(language)): c.id for c in load_criteria()})
    return known


@cache
def _choice_values(choices: type[Status] | type[ClassicAnswer]) -> dict[str, str]:
    """Label (German or English, any case) or internal value → internal value."""
    values = {str(v).casefold(): str(v) for v in choices.values}
    for language in LANGUAGES:
        with translation.override(language):
            values.update({str(label).casefold(): str(v) for v, label in choices.choices})
    return values


def _choice(choices: type[Status] | type[ClassicAnswer], text: object) -> str | None:
    return _choice_values(choices).get(str(text).strip().casefold())


def export(tenant: Tenant) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Use Cases"
    append_row(sheet, headers())
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
            uc.goal_unit,
            uc.goal_baseline_value,
            uc.goal_target_value,
            uc.goal_date,
            uc.goal_unparsed,
            uc.process_owner,
            uc.department,
            uc.affected_roles,
            uc.data_sources,
            uc.get_classic_enough_display(),
            uc.classic_note,
            uc.get_status_display(),
            "",
            uc.estimated_cost,
            uc.person_days,
        ]
        values += [row.scores.get(c.id) for c in load_criteria()]
        append_row(sheet, values)
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


def _cell(value: Any) -> str | Decimal:
    """A cell as text, or as a Decimal when Excel holds a number (never re-read as text)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return Decimal(str(value)).normalize() if value == value else ""  # NaN: empty
    return str(value).strip()


def _text(value: str | Decimal) -> str:
    return f"{value:f}" if isinstance(value, Decimal) else value


def _not_excel() -> ExcelImportError:
    return ExcelImportError([_("This is not an Excel file (.xlsx).")])


def _check_unpacked_size(content: bytes) -> None:
    """Refuse a file whose parts unpack to more than ``MAX_UNPACKED`` bytes (a 1 MB file can
    hold a 1 GB text that drove a worker to 2.3 GB of memory), before anything is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            parts = len(archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_excel() from None
    if unpacked > MAX_UNPACKED or parts > MAX_PARTS:
        raise ExcelImportError(
            [
                _("The file unpacks to more than %(mb)d MB; it cannot be a list of use cases.")
                % {"mb": MAX_UNPACKED // (1024 * 1024)}
            ]
        )


def read_rows(file: BinaryIO) -> list[dict[str, str | Decimal]]:
    """The rows of the first sheet by column key; raises :class:`ExcelImportError` on a bad
    file. Headers may be German or English (the export writes the reader's language)."""
    content = file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ExcelImportError([_("The file is larger than 5 MB.")])
    _check_unpacked_size(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0] if book.worksheets else None
        # Read lazily and stop one row after the limit: a small file can declare a million
        # rows, and reading them all kept a worker busy until it was killed.
        found_rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS) if sheet else iter(())
        rows = list(itertools.islice(found_rows, MAX_ROWS + 2))
    except Exception:  # noqa: BLE001 - a broken zip, bad or malicious XML: not a list to import
        raise _not_excel() from None
    if not rows:
        raise ExcelImportError([_("The file has no header row.")])
    found = [_text(_cell(h)) for h in rows[0]]
    known = {**_known_headers("en"), **_known_headers("de")}
    keys = [known.get(h, "") for h in found]
    labels = dict(zip([k for k, _h in HEADERS], headers(), strict=False))
    problems = []
    missing = sorted(labels[k] for k in REQUIRED - set(keys))
    if missing:
        problems.append(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    unknown = sorted(h for h in found if h and h not in known)
    if unknown:
        problems.append(_("Unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
    if problems:
        raise ExcelImportError(problems)
    if len(rows) - 1 > MAX_ROWS:
        raise ExcelImportError([_("At most %(count)d rows can be imported.") % {"count": MAX_ROWS}])
    return [
        {key: _cell(value) for key, value in zip(keys, row, strict=False) if key}
        for row in rows[1:]
        if any(_cell(v) != "" for v in row)
    ]


def import_rows(tenant: Tenant, file: BinaryIO) -> ImportResult:
    rows = read_rows(file)
    labels = dict(zip([k for k, _h in HEADERS], headers(), strict=False))
    language = translation.get_language() or "de"
    criteria = {c.id: criterion_header(c.name.get(language)) for c in load_criteria()}
    existing = {str(uc.pk): uc for uc in tenant.scoped(UseCase.objects)}
    titles = {_title_key(uc.title): uc for uc in existing.values()}
    seen: dict[str, int] = {}
    problems: list[str] = []
    prepared = []
    for number, data in enumerate(rows, start=2):
        target = existing.get(_text(data.get("id", "")))
        title = _title_key(_text(data.get("title", "")))
        twin = titles.get(title)
        if title and ((twin is not None and twin != target) or title in seen):
            problems.append(
                _('Row %(row)d, %(column)s: "%(title)s" appears twice (also %(where)s).')
                % {
                    "row": number,
                    "column": labels["title"],
                    "title": _text(data.get("title", "")),
                    "where": _("row %(row)d") % {"row": seen[title]}
                    if title in seen
                    else _("an existing use case"),
                }
            )
        seen.setdefault(title, number)
        classic = data.get("classic_enough", "")
        classic_value = _choice(ClassicAnswer, classic) if classic != "" else ClassicAnswer.UNCLEAR
        # Numbers, or text as earlier exports wrote it ("12 min", "−20%"): read what can be
        # read; what cannot is kept as written and shown on the use case, not refused.
        goal = read_goal(data.get("goal_baseline", ""), data.get("goal_target", ""), language)
        unparsed = goal.unparsed or (
            _text(data.get("goal_unparsed", "")) if goal.target is None else ""
        )
        form = UseCaseForm(
            {
                **{f: data.get(f, "") for f in services.FIELDS},
                "goal_unit": _text(data.get("goal_unit", "")) or goal.unit,
                "goal_baseline_value": "" if goal.baseline is None else goal.baseline,
                "goal_target_value": "" if goal.target is None else goal.target,
                "classic_enough": classic_value or _text(classic),
            },
            instance=target,
        )
        status_text = _text(data.get("status", ""))
        status = _choice(Status, status_text) if status_text else Status.IDEA
        reason = _text(data.get("status_reason", ""))
        scores: dict[str, int] = {}
        if not form.is_valid():
            for field, errors in form.errors.items():
                problems.append(
                    _("Row %(row)d, %(column)s: %(message)s")
                    % {
                        "row": number,
                        "column": labels.get(COLUMN_OF.get(field, field), field),
                        "message": " ".join(str(e) for e in errors),
                    }
                )
        if status is None:
            problems.append(
                _('Row %(row)d, Status: unknown value "%(value)s"')
                % {"row": number, "value": status_text}
            )
        else:
            rule = services.status_rule(
                target.status if target is not None else Status.IDEA,
                status,
                reason.strip(),
                StatusChange.Cause.EXCEL_IMPORT,
            )
            if rule:
                problems.append(
                    _("Row %(row)d, %(column)s: %(message)s")
                    % {
                        "row": number,
                        "column": labels["status" if status in GATED else "status_reason"],
                        "message": rule,
                    }
                )
        for criterion_id, header in criteria.items():
            value = data.get(criterion_id, "")
            if value == "":
                continue
            if _text(value) not in {"1", "2", "3", "4", "5"}:
                problems.append(
                    _("Row %(row)d, %(column)s: must be 1 to 5") % {"row": number, "column": header}
                )
            else:
                scores[criterion_id] = int(value)
        prepared.append(
            (
                form,
                unparsed,
                target,
                status or Status.IDEA,
                reason,
                scores,
                _text(data.get("catalogue_id", "")),
            )
        )
    if problems:
        raise ExcelImportError(problems)
    with transaction.atomic():
        created, updated = services.import_use_cases(
            tenant,
            [
                services.ImportItem(
                    target=target,
                    fields={**form.cleaned_data, "goal_unparsed": unparsed[:200]},
                    status=Status(status),
                    reason=reason,
                    scores=scores,
                    catalogue_id=_known_entry(catalogue_id),
                )
                for form, unparsed, target, status, reason, scores, catalogue_id in prepared
            ],
        )
        audit.record(
            tenant,
            AuditAction.IMPORTED,
            tenant.organisation,
            summary=lambda: (
                _("Use cases from Excel: %(created)d new, %(updated)d updated")
                % {"created": created, "updated": updated}
            ),
        )
    return ImportResult(created, updated)


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _known_entry(catalogue_id: str) -> str:
    return catalogue_id if catalogue_id and load_catalogue().entry(catalogue_id) else ""
