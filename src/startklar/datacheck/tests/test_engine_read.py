"""Reading files: encodings, delimiters, quoting, header rows, Excel workbooks, and the bad files
that are refused with a code, in bounded time and memory."""

from __future__ import annotations

import datetime
import re
import time
import zipfile
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from startklar.datacheck.engine import DataFileError, Limits, load, profile, sheets, sniff
from startklar.datacheck.engine.read import ERRORS, WARNINGS, open_table

GERMAN = "Kunde;Ort;Umsatz\nMüller;Köln;1.234,56\nÄrger GmbH;Öhringen;12,50\nStraße AG;Fürth;3,00\n"


def write(tmp_path: Path, data: bytes, name: str = "daten.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rows(path: Path, **options: object) -> list[tuple[str | None, ...]]:
    return open_table(path, **options).frame().rows()  # type: ignore[arg-type]


def no_personal(header: str, values: pl.Series, neighbours: object) -> tuple[()]:
    return ()


# Encodings --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (GERMAN.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + GERMAN.encode("utf-8"), "utf-8-sig"),
        (GERMAN.replace("12,50", "12,50 €").encode("cp1252"), "windows-1252"),
        (GERMAN.encode("latin-1"), "iso-8859-1"),
        (GERMAN.encode("utf-16"), "utf-16"),
    ],
)
def test_encodings_give_the_umlauts_right(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = write(tmp_path, data)
    table = open_table(path)
    assert table.sniffed.encoding == encoding
    assert table.sniffed.columns == ("Kunde", "Ort", "Umsatz")
    found = table.frame()
    assert found["Kunde"].to_list() == ["Müller", "Ärger GmbH", "Straße AG"]
    assert found["Ort"].to_list() == ["Köln", "Öhringen", "Fürth"]


def test_windows_1252_after_a_plain_beginning_is_read_as_such(tmp_path: Path) -> None:
    text = "Nr;Name\n" + "".join(f"{i};Meier\n" for i in range(300)) + "300;Müller €\n"
    path = write(tmp_path, text.encode("cp1252"))
    table = open_table(path, limits=Limits(sniff_bytes=1000, chunk_bytes=1000))
    assert table.sniffed.encoding == "utf-8"  # all the beginning shows
    assert table.frame()["Name"][-1] == "Müller €"
    assert table.sniffed.encoding == "windows-1252"
    assert "encoding_guessed" in table.warnings


def test_latin1_that_turns_out_windows_1252_is_named_so(tmp_path: Path) -> None:
    text = "Name\n" + "Müller\n" * 200 + "Preis 5 €\n"
    path = write(tmp_path, text.encode("cp1252"))
    table = open_table(path, limits=Limits(sniff_bytes=500, chunk_bytes=500))
    assert table.sniffed.encoding == "iso-8859-1"
    assert table.frame()["Name"][-1] == "Preis 5 €"
    assert table.sniffed.encoding == "windows-1252"


def test_double_encoded_utf8_is_warned_about(tmp_path: Path) -> None:
    text = "Name;Ort\nMÃ¼ller;KÃ¶ln\nMÃ¼ller;GÃ¶ttingen\nStraÃŸe;BÃ¤ckerei\n"
    assert "double_encoded" in open_table(write(tmp_path, text.encode())).warnings


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"  \r\n\n  ", "empty"),
        (b"\xef\xbb\xbf\n", "empty"),
        (b"Name;Wert\n\x00\x01\x02\x03binary\x00\n", "binary"),
        (bytes(range(1, 32)) * 40 + b"\nA;B\n", "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls_unsupported"),
        (b"Name;Ort\nM\x81ller;K\x8dln\n", "encoding"),  # bytes no Western code page has
        (b"\xef\xbb\xbfName;Ort\nM\xfcller;K\xf6ln\n", "encoding"),  # a BOM, then no UTF-8
        (b"\xff\xfeN\x00a\x00\x00\xd8", "encoding"),  # UTF-16 with half a surrogate
        # Mac Roman: "Müller", "Köln", "Größe" become Š, š and §-laden nonsense
        ("Name;Ort\nMüller;Köln\nBär;Wärme\nGrüße;Übel\n".encode("mac_roman"), "encoding"),
    ],
)
def test_bad_text_is_refused_with_its_code(tmp_path: Path, data: bytes, code: str) -> None:
    assert code in ERRORS
    with pytest.raises(DataFileError) as error:
        profile(write(tmp_path, data), detect=no_personal)
    assert error.value.code == code


def test_invalid_utf8_after_valid_utf8_is_mixed(tmp_path: Path) -> None:
    data = b"Name\n" + "Müller\n".encode() * 100 + b"M\xfcller\n"
    with pytest.raises(DataFileError) as error:
        profile(
            write(tmp_path, data),
            detect=no_personal,
            limits=Limits(sniff_bytes=200, chunk_bytes=200),
        )
    assert error.value.code == "encoding_mixed"


def test_undefined_windows_1252_bytes_later_are_refused(tmp_path: Path) -> None:
    data = "Name\n".encode("cp1252") + "Müller\n".encode("cp1252") * 100 + b"M\x81ller\n"
    with pytest.raises(DataFileError) as error:
        open_table(write(tmp_path, data), limits=Limits(sniff_bytes=200, chunk_bytes=200)).frame()
    assert error.value.code == "encoding"


def test_a_utf16_file_broken_later_is_refused(tmp_path: Path) -> None:
    data = ("Name\n" + "Müller\n" * 100).encode("utf-16") + b"\x00\xd8\x41"
    with pytest.raises(DataFileError) as error:
        open_table(write(tmp_path, data), limits=Limits(sniff_bytes=300, chunk_bytes=300)).frame()
    assert error.value.code == "encoding"


# Delimiters, quoting, lines ---------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_delimiters(tmp_path: Path, delimiter: str) -> None:
    lines = ["Datum;Menge;Preis", "31.12.2026;3;1,50", "01.01.2027;4;2,00"]
    data = "\n".join(line.replace(";", delimiter) for line in lines) + "\n"
    if delimiter == ",":
        data = data.replace("1,50", '"1,50"').replace("2,00", '"2,00"')
    table = open_table(write(tmp_path, data.encode()))
    assert table.sniffed.delimiter == delimiter
    assert table.frame().rows() == [("31.12.2026", "3", "1,50"), ("01.01.2027", "4", "2,00")]


def test_semicolons_win_over_the_commas_of_german_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, b"Menge;Preis\n1;1,50\n2;2,50\n3;3,50\n")
    assert sniff(path).delimiter == ";"
    assert load(path)["Preis"].to_list() == ["1,50", "2,50", "3,50"]


def test_a_single_column(tmp_path: Path) -> None:
    path = write(tmp_path, b"E-Mail\na@example.com\nb@example.com\n")
    table = open_table(path)
    assert table.sniffed.columns == ("E-Mail",)
    assert table.frame().height == 2


def test_quoted_fields_with_delimiters_quotes_and_line_breaks(tmp_path: Path) -> None:
    data = 'Name;Bemerkung\n"Meier; Söhne";"sagt ""hallo"""\n"Schulz";"zwei\nZeilen"\nKurz;ohne\n'
    table = open_table(write(tmp_path, data.encode()))
    assert table.sniffed.quote == '"'
    assert table.frame().rows() == [
        ("Meier; Söhne", 'sagt "hallo"'),
        ("Schulz", "zwei\nZeilen"),
        ("Kurz", "ohne"),
    ]


def test_inch_marks_inside_fields_are_not_quotes(tmp_path: Path) -> None:
    table = open_table(write(tmp_path, b'Artikel;Menge\nRohr 1/2";4\nRohr 3/4";5\n'))
    assert table.sniffed.quote == ""
    assert table.frame()["Artikel"].to_list() == ['Rohr 1/2"', 'Rohr 3/4"']


def test_chunks_are_cut_outside_quotes(tmp_path: Path) -> None:
    body = "".join(f'{i};"Zeile {i}\nmit Umbruch; und Semikolon"\n' for i in range(400))
    path = write(tmp_path, ("Nr;Text\n" + body).encode())
    shares: list[float] = []
    chunks = list(open_table(path, limits=Limits(chunk_bytes=700)).chunks(shares.append))
    assert len(chunks) > 10
    frame = pl.concat(chunks)
    assert frame["Nr"].to_list() == [str(i) for i in range(400)]
    assert frame["Text"][399] == "Zeile 399\nmit Umbruch; und Semikolon"
    assert shares == sorted(shares)
    assert shares[-1] == 1.0


def test_chunks_read_ahead_are_the_same_and_reported_in_order(tmp_path: Path) -> None:
    body = "".join(f"{i};Zeile {i}\n" for i in range(2000))
    table = open_table(
        write(tmp_path, ("Nr;Text\n" + body).encode()), limits=Limits(chunk_bytes=700)
    )
    shares: list[float] = []
    ahead: list[pl.DataFrame] = []
    for chunk in table.chunks_ahead(shares.append):
        time.sleep(0.01 if len(ahead) < 5 else 0)  # the reader waits for room meanwhile
        ahead.append(chunk)
    assert pl.concat(ahead).equals(pl.concat(list(table.chunks())))
    assert shares == sorted(shares)
    assert shares[-1] == 1.0


def test_reading_ahead_stops_with_its_caller(tmp_path: Path) -> None:
    body = "".join(f"{i};Zeile {i}\n" for i in range(2000))
    table = open_table(
        write(tmp_path, ("Nr;Text\n" + body).encode()), limits=Limits(chunk_bytes=700)
    )
    chunks = table.chunks_ahead()
    first = next(chunks)
    time.sleep(0.1)  # the reader fills its room and waits
    chunks.close()
    assert first["Nr"][0] == "0"


def test_an_error_while_reading_ahead_is_raised_to_the_caller(tmp_path: Path) -> None:
    data = "Name\n".encode("cp1252") + "Müller\n".encode("cp1252") * 100 + b"M\x81ller\n"
    table = open_table(write(tmp_path, data), limits=Limits(sniff_bytes=200, chunk_bytes=200))
    with pytest.raises(DataFileError) as error:
        list(table.chunks_ahead())
    assert error.value.code == "encoding"


def test_old_mac_line_ends(tmp_path: Path) -> None:
    table = open_table(write(tmp_path, b"Name;Wert\rA;1\rB;2\r"))
    assert table.frame().rows() == [("A", "1"), ("B", "2")]


def test_windows_line_ends_and_no_last_line_break(tmp_path: Path) -> None:
    assert rows(write(tmp_path, b"Name;Wert\r\nA;1\r\nB;2")) == [("A", "1"), ("B", "2")]


def test_rows_with_more_fields_than_the_header_are_cut_and_warned_about(tmp_path: Path) -> None:
    data = "Name;Wert\n" + "A;1\n" * 50 + "B;2;zu viel\n" + "C;3\n"
    table = open_table(write(tmp_path, data.encode()))
    frame = table.frame()
    assert frame.rows()[-2:] == [("B", "2"), ("C", "3")]
    assert table.warnings == ["ragged_rows"]
    table.frame()  # a second reading says it once
    assert table.warnings == ["ragged_rows"]


def test_rows_with_fewer_fields_get_empty_cells(tmp_path: Path) -> None:
    assert rows(write(tmp_path, b"A;B;C\n1;2;3\n4\n5;6;7\n")) == [
        ("1", "2", "3"),
        ("4", None, None),
        ("5", "6", "7"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        b'Name;Wert\nA;"offen\nB;2\nC;3\n',  # a quote never closed, in the whole file
        b'Name;Wert\nA;"zu" viel\nB;2\n',  # text after the closing quote
    ],
)
def test_broken_quoting_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(DataFileError) as error:
        profile(write(tmp_path, data), detect=no_personal)
    assert error.value.code == "quoting"


def test_a_quote_left_open_far_down_is_refused_without_reading_on(tmp_path: Path) -> None:
    data = b'Name;Wert\n"A";1\n' + b"B;2\n" * 2000 + b'C;"offen\n' + b"D;4\n" * 20_000
    limits = Limits(sniff_bytes=1000, chunk_bytes=4000, max_line_bytes=20_000)
    with pytest.raises(DataFileError) as error:
        profile(write(tmp_path, data), detect=no_personal, limits=limits)
    assert error.value.code == "quoting"


def test_a_quote_open_where_the_sample_ends_is_forgiven(tmp_path: Path) -> None:
    data = b"Nr;Text\n" + b"".join(b'%d;"a\nb"\n' % i for i in range(200))
    limits = Limits(sniff_bytes=len(data) - 3)  # the sample ends inside the last field
    assert open_table(write(tmp_path, data), limits=limits).frame().height == 200


def test_polars_refusing_a_quoted_chunk_is_a_quoting_error(tmp_path: Path) -> None:
    data = b'Name;Wert\n"A";1\n' + b"B;2\n" * 400 + b'"C"x;3\n'
    with pytest.raises(DataFileError) as error:
        open_table(write(tmp_path, data), limits=Limits(sniff_bytes=500)).frame()
    assert error.value.code == "quoting"


def test_a_long_single_line_is_refused_early(tmp_path: Path) -> None:
    path = write(tmp_path, b"x;" * 3_000_000)  # 6 MB, no line break
    started = time.perf_counter()
    with pytest.raises(DataFileError) as error:
        profile(path, detect=no_personal, limits=Limits(max_line_bytes=2**20, max_columns=10**7))
    assert error.value.code == "line_too_long"
    assert time.perf_counter() - started < 5


def test_a_long_line_later_in_the_file_is_refused_chunk_by_chunk(tmp_path: Path) -> None:
    data = b"Name;Wert\n" + b"A;1\n" * 1000 + b"B;" + b"x" * 200_000 + b"\nC;3\n"
    limits = Limits(sniff_bytes=1000, chunk_bytes=10_000, max_line_bytes=50_000)
    with pytest.raises(DataFileError) as error:
        profile(write(tmp_path, data), detect=no_personal, limits=limits)
    assert error.value.code == "line_too_long"


def test_a_long_first_line_within_the_limit_is_read(tmp_path: Path) -> None:
    data = b"Text\n" + b"a" * 3000 + b"\nkurz\n"
    limits = Limits(sniff_bytes=1000, chunk_bytes=1000, max_line_bytes=10_000)
    assert open_table(write(tmp_path, b"a" * 1500 + b"\n"), limits=limits).frame().height == 0
    assert open_table(write(tmp_path, b"a" * 1500), limits=limits).frame().height == 0
    assert rows(write(tmp_path, data), limits=limits) == [("a" * 3000,), ("kurz",)]


def test_ten_thousand_columns_are_refused_fast(tmp_path: Path) -> None:
    header = ";".join(f"Spalte {i}" for i in range(10_000))
    path = write(tmp_path, (header + "\n" + ";".join("1" * 10_000) + "\n").encode())
    started = time.perf_counter()
    with pytest.raises(DataFileError) as error:
        profile(path, detect=no_personal)
    assert error.value.code == "too_many_columns"
    assert time.perf_counter() - started < 2


def test_more_columns_than_allowed_below_the_first_line(tmp_path: Path) -> None:
    data = "Titel\n" + "\n".join(";".join("1" * 30) for _ in range(5)) + "\n"
    with pytest.raises(DataFileError) as error:
        sniff(write(tmp_path, data.encode()), limits=Limits(max_columns=20))
    assert error.value.code == "too_many_columns"


# Header rows ------------------------------------------------------------------------------------


def test_title_lines_above_the_header_are_skipped(tmp_path: Path) -> None:
    data = "Umsatzbericht 2026;;\n;;\nDatum;Menge;Preis\n31.12.2026;3;1,50\n01.01.2027;4;2,00\n"
    table = open_table(write(tmp_path, data.encode()))
    assert table.sniffed.header_row == 2
    assert table.sniffed.columns == ("Datum", "Menge", "Preis")
    assert table.frame().height == 2
    assert table.warnings == ["title_rows"]


def test_no_header_when_the_first_row_holds_values(tmp_path: Path) -> None:
    table = open_table(write(tmp_path, b"31.12.2026;3;1,50\n01.01.2027;4;2,00\n"))
    assert table.sniffed.header_row is None
    assert table.sniffed.columns == ("#1", "#2", "#3")
    assert table.frame().height == 2
    assert table.warnings == ["no_header"]


def test_empty_and_repeated_header_names(tmp_path: Path) -> None:
    table = open_table(write(tmp_path, b"Name;;Name;Name\nA;1;B;C\n"))
    assert table.sniffed.columns == ("Name", "#2", "Name (2)", "Name (3)")
    assert table.warnings == ["empty_headers", "duplicate_headers"]


def test_a_header_merged_over_columns_with_a_second_row(tmp_path: Path) -> None:
    data = "Artikel;Umsatz;;Menge\n;2025;2026;\nA-1;1,50;2,50;3\nA-2;1,00;2,00;4\n"
    table = open_table(write(tmp_path, data.encode()))
    assert table.sniffed.columns == ("Artikel", "Umsatz 2025", "Umsatz 2026", "Menge")
    assert table.frame().rows() == [("A-1", "1,50", "2,50", "3"), ("A-2", "1,00", "2,00", "4")]
    assert "two_row_header" in table.warnings


def test_an_empty_header_cell_over_values_is_no_second_header_row(tmp_path: Path) -> None:
    data = "Artikel;Umsatz;;Menge\nA-1;1,50;2,50;3\nA-2;1,00;2,00;4\n"
    table = open_table(write(tmp_path, data.encode()))
    assert table.sniffed.columns == ("Artikel", "Umsatz", "#3", "Menge")
    assert table.frame().height == 2


def test_a_header_only_file_has_no_rows(tmp_path: Path) -> None:
    found = profile(write(tmp_path, b"Datum;Menge\n"), detect=no_personal)
    assert found.rows == 0
    assert [c.inferred for c in found.columns] == ["empty", "empty"]


# Excel ------------------------------------------------------------------------------------------


def workbook(tmp_path: Path) -> Path:
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Leer"
    data = book.create_sheet("Daten")
    data.append(["Auswertung Wartung"])
    data.append([])
    data.append(["Datum", "Kosten", None, "Menge", "Summe"])
    data.merge_cells("B3:C3")
    data.append([None, "Material", "Lohn", None, None])
    for day in range(1, 6):
        data.append(
            [datetime.date(2026, 1, day), day * 1.5, "12,50", day, f"=B{day + 4}*D{day + 4}"]
        )
    data.append([datetime.datetime(2026, 1, 6, 14, 30), 1, 2, 3, None])
    other = book.create_sheet("Notizen")
    other.append(["Bitte am selben Tag eintragen"])
    path = tmp_path / "wartung.xlsx"
    book.save(path)
    return path


def with_cached_values(path: Path) -> Path:
    """The workbook as Excel saves it: each formula with its last result (openpyxl writes
    none)."""
    target = path.with_name("gerechnet.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                text = data.decode()
                text = re.sub(r"<f>([^<]*)</f><v\s*/>", r"<f>\1</f><v>42</v>", text)
                text = re.sub(r"<f>([^<]*)</f>(?!<v>)", r"<f>\1</f><v>42</v>", text)
                data = text.encode()
            copy.writestr(item, data)
    return target


def test_excel_sheets_listed_and_the_first_with_data_read(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    assert sheets(path) == ("Leer", "Daten", "Notizen")
    table = open_table(path)
    assert table.sniffed.kind == "xlsx"
    assert table.sniffed.sheet == "Daten"
    assert table.sniffed.header_row == 2
    assert table.sniffed.columns == ("Datum", "Kosten Material", "Kosten Lohn", "Menge", "Summe")
    frame = table.frame()
    assert frame["Datum"].to_list()[:2] == ["2026-01-01", "2026-01-02"]  # midnight left out
    assert frame["Datum"][-1] == "2026-01-06 14:30:00"
    assert frame["Kosten Material"][1] == "3"
    assert frame["Summe"].null_count() == 6  # formulas without a saved result
    assert {"title_rows", "two_row_header"} <= set(table.warnings)


def test_excel_formulas_give_their_saved_results(tmp_path: Path) -> None:
    path = with_cached_values(workbook(tmp_path))
    assert open_table(path).frame()["Summe"].to_list()[:5] == ["42"] * 5


def test_excel_sheet_by_name(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    table = open_table(path, sheet="Notizen")
    assert table.sniffed.sheet == "Notizen"
    assert table.sniffed.columns == ("Bitte am selben Tag eintragen",)
    with pytest.raises(DataFileError) as error:
        open_table(path, sheet="Fehlt")
    assert error.value.code == "sheet_not_found"
    with pytest.raises(DataFileError) as error:
        open_table(path, sheet="Leer")
    assert error.value.code == "empty"


def test_excel_profile_in_slices_with_progress(tmp_path: Path) -> None:
    shares: list[float] = []
    found = profile(workbook(tmp_path), progress=shares.append, detect=no_personal)
    assert found.rows == 6
    assert found.column("Datum").inferred == "date"
    assert shares[-1] == 1.0


def test_excel_without_any_data(tmp_path: Path) -> None:
    path = tmp_path / "leer.xlsx"
    Workbook().save(path)
    with pytest.raises(DataFileError) as error:
        profile(path, detect=no_personal)
    assert error.value.code == "empty"


def test_excel_with_too_many_columns(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([f"S{i}" for i in range(30)])
    path = tmp_path / "breit.xlsx"
    book.save(path)
    with pytest.raises(DataFileError) as error:
        sniff(path, limits=Limits(max_columns=20))
    assert error.value.code == "too_many_columns"


def zipped(tmp_path: Path, members: dict[str, bytes], name: str = "bombe.xlsx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def test_an_xlsx_zip_bomb_is_refused_from_its_directory(tmp_path: Path) -> None:
    path = zipped(tmp_path, {"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b"0" * 2**24})
    started = time.perf_counter()
    with pytest.raises(DataFileError) as error:
        profile(path, detect=no_personal)
    assert error.value.code == "zip_bomb"
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    ("limits", "members"),
    [
        (Limits(max_unzipped_bytes=1000), {"xl/workbook.xml": b"<w/>" * 500}),
        (Limits(max_zip_members=3), {f"xl/{i}.xml": b"<w/>" for i in range(5)}),
    ],
)
def test_too_much_in_a_workbook_is_refused(
    tmp_path: Path, limits: Limits, members: dict[str, bytes]
) -> None:
    with pytest.raises(DataFileError) as error:
        sniff(zipped(tmp_path, members), limits=limits)
    assert error.value.code == "zip_bomb"


def test_a_zip_that_is_no_workbook(tmp_path: Path) -> None:
    path = zipped(tmp_path, {"word/document.xml": b"<w/>"}, "brief.xlsx")
    with pytest.raises(DataFileError) as error:
        sniff(path)
    assert error.value.code == "not_a_table"


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 kaputt",
        b"",  # replaced below by a zip whose workbook calamine cannot read
    ],
)
def test_a_broken_workbook(tmp_path: Path, data: bytes) -> None:
    path = (
        write(tmp_path, data, "kaputt.xlsx")
        if data
        else zipped(tmp_path, {"xl/workbook.xml": b"<kein xml"}, "kaputt.xlsx")
    )
    with pytest.raises(DataFileError) as error:
        sniff(path)
    assert error.value.code == "xlsx_broken"


def test_codes_are_stable_and_named() -> None:
    assert len(set(ERRORS)) == len(ERRORS)
    assert len(set(WARNINGS)) == len(WARNINGS)
    assert all(re.fullmatch(r"[a-z0-9_]{1,40}", code) for code in (*ERRORS, *WARNINGS))
    error = DataFileError("empty")
    assert (str(error), error.detail) == ("empty", "")
    assert str(DataFileError("binary", "NUL bytes")) == "binary: NUL bytes"


def test_a_file_without_data_rows_gives_an_empty_frame(tmp_path: Path) -> None:
    frame = open_table(write(tmp_path, b"A;B\n")).frame()
    assert (frame.columns, frame.height) == (["A", "B"], 0)


def test_only_delimiters_is_empty(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as error:
        sniff(write(tmp_path, b";;;\n;;\n"))
    assert error.value.code == "empty"


def test_a_header_without_a_line_break(tmp_path: Path) -> None:
    table = open_table(write(tmp_path, b"Name;Wert"))
    assert (table.sniffed.columns, table.frame().height) == (("Name", "Wert"), 0)


def test_invalid_utf8_after_a_byte_order_mark_and_plain_text(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbfName\n" + b"Meier\n" * 100 + b"M\xfcller\n"
    with pytest.raises(DataFileError) as error:
        open_table(write(tmp_path, data), limits=Limits(sniff_bytes=200, chunk_bytes=200)).frame()
    assert error.value.code == "encoding_mixed"
