"""Official statistics exports (GENESIS family): the real downloads in tests/files/amtlich/ (see
HERKUNFT.md there) and variants made of them (CRLF, re-saved without leading zeros, 12-digit ARS,
names only, XLSX download, a second Stand, a table without the Kreis Unna).

Every expected value below was read by eye from the file (the line is quoted in the comment), not
taken from the reader's output."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from loaders.__main__ import main
from loaders.statistik import parse_statistik
from tests.helpers.official import (
    ARBEITSLOSE,
    AUSLAENDER,
    BEVOELKERUNG,
    GENESIS,
    KOELN,
    MINDESTSICHERUNG,
    POP,
    SCHULEN,
    ingest_tables,
    read_export,
    write_export,
)

KOMMUNEN = [f"05978{n:03d}" for n in range(4, 41, 4)]
AREA = "Flächenerhebung nach Art der tatsächlichen Nutzung | Bodenfläche (Katasterfläche) in qkm | qkm"
DENSITY = "Fortschreibung des Bevölkerungsstandes | Bevölkerungsdichte | EW pro qkm"


def _values(database: Path, capsys: pytest.CaptureFixture[str], tabelle: str | None = None) -> list[dict[str, str]]:
    assert main(["statistik", "--db", str(database), *(["--tabelle", tabelle] if tabelle else [])]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def _by_key(rows: list[dict[str, str]]) -> dict[tuple[str, str, str], tuple[str, str]]:
    return {(r["merkmal"], r["region"], r["periode"]): (r["wert"], r["symbol"]) for r in rows}


# --- the real files -----------------------------------------------------------------------------


def test_population_of_the_kreis_and_its_kommunen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, [report] = ingest_tables(tmp_path / "kim.duckdb", BEVOELKERUNG, capsys=capsys)
    assert code == 0 and report["status"] == "accepted" and report["source"] == "statistik"
    assert report["tabelle"] == "12411-15i" and report["stand"] == "2026-01-19 13:58:12"
    # 11 regions × 3 value columns; the other 433 data rows (NRW, Regierungsbezirke, …) are skipped.
    assert report["rows"] == 33
    assert any("433 Zeilen anderer Regionen" in w["message"] for w in report["warnings"])
    rows = _values(tmp_path / "kim.duckdb", capsys)
    assert list(rows[0]) == ["tabelle", "merkmal", "region", "periode", "wert", "symbol", "stand", "titel"]
    values = _by_key(rows)
    assert len(values) == 33 and {r["tabelle"] for r in rows} == {"12411-15i"}
    # 31.12.2024;05978;    Unna, Kreis;393784;543,21;724,9
    assert values[(POP, "05978", "2024-12")] == ("393784", "")
    assert values[(AREA, "05978", "2024-12")] == ("543.21", "")
    assert values[(DENSITY, "05978", "2024-12")] == ("724.9", "")
    # 31.12.2024;05978012;      Fröndenberg / Ruhr, Stadt;20504;56,23;364,6
    assert values[(POP, "05978012", "2024-12")] == ("20504", "")
    # 31.12.2024;05978040;      Werne, Stadt;30202;76,14;396,7
    assert values[(AREA, "05978040", "2024-12")] == ("76.14", "")
    assert {region for _, region, _ in values} == {"05978", *KOMMUNEN}


def test_second_delivery_is_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "kim.duckdb"
    ingest_tables(database, MINDESTSICHERUNG, capsys=capsys)
    code, [again] = ingest_tables(database, MINDESTSICHERUNG, capsys=capsys)
    assert code == 0 and again["status"] == "unchanged"
    assert len(_values(database, capsys)) == 77


def test_benefits_year_column_and_repeated_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, [report] = ingest_tables(tmp_path / "kim.duckdb", MINDESTSICHERUNG, capsys=capsys)
    # Columns D and F carry the same labels and the same values: stored once, with a note.
    assert any("Spalte F wiederholt Spalte D" in w["message"] for w in report["warnings"])
    values = _by_key(_values(tmp_path / "kim.duckdb", capsys))
    assert len(values) == 11 * 7
    top = "Empfänger/innen von soz. Mindestsicherungsleistung"
    grusi = f"{top} | Grundsicherung im Alter und bei Erwerbsminderung nach dem SGB XII"
    # 2024;05978;    Unna, Kreis;32129;40354;32129;800;6025;3635;2395;1400
    assert values[(f"{top} | Insgesamt | Anzahl", "05978", "2024")] == ("40354", "")
    assert values[(f"{grusi} | Insgesamt | Anzahl", "05978", "2024")] == ("6025", "")
    assert values[(f"{grusi} | im Alter | Anzahl", "05978", "2024")] == ("3635", "")
    # 2024;05978008;      Bönen;1542;1812;1542;35;215;115;100;20
    assert values[(f"{top} | Regelleistungen nach dem Asylbewerberleistungsgesetz | Anzahl", "05978008", "2024")] == (
        "20",
        "",
    )


def test_nationalities_keep_subtotals_and_symbols(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, [report] = ingest_tables(tmp_path / "kim.duckdb", AUSLAENDER, capsys=capsys)
    assert report["rows"] == 221 * 3  # 221 rows of the Kreis (continents and countries), 3 columns
    values = _by_key(_values(tmp_path / "kim.duckdb", capsys))
    total = "Ausländische Bevölkerung | Insgesamt | Anzahl"
    # 31.12.2024;05978;    Unna, Kreis;1;Europa;43410;22040;21370  (a continent subtotal, its own row)
    assert values[(f"{total} | 1 | Europa", "05978", "2024-12")] == ("43410", "")
    # 31.12.2024;05978;    Unna, Kreis;121;  Albanien;745;435;310
    assert values[("Ausländische Bevölkerung | weiblich | Anzahl | 121 | Albanien", "05978", "2024-12")] == ("310", "")
    # 31.12.2024;05978;    Unna, Kreis;123;  Andorra;-;-;-  ('-' = nothing: 0 with its symbol)
    assert values[(f"{total} | 123 | Andorra", "05978", "2024-12")] == ("0", "-")
    # a nationality code never counts as a region: only the Kreis is stored
    assert {region for _, region, _ in values} == {"05978"}


def test_unemployment_rates_as_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ingest_tables(tmp_path / "kim.duckdb", ARBEITSLOSE, capsys=capsys)
    values = _by_key(_values(tmp_path / "kim.duckdb", capsys))
    assert len(values) == 13
    # 2025;05978;      Unna, Kreis;16314;5311;1541;244;1186;4062;6264;8,1;7,5;7,9;7,1;19,2;5,6
    assert values[("Arbeitslose | Anzahl", "05978", "2025")] == ("16314", "")
    assert values[("Arbeitslose | ausländisch | Anzahl", "05978", "2025")] == ("5311", "")
    rate = "Arbeitslosenquote bez. auf alle zivile Erwerbsp."
    assert values[(f"{rate} | ausländisch | Prozent", "05978", "2025")] == ("19.2", "")
    assert values[(f"{rate} | Prozent", "05978", "2025")] == ("7.5", "")
    assert values[("Arbeitslosenquote bez. abh. zivile Erwerbspers. | Prozent", "05978", "2025")] == ("8.1", "")


def test_schools_x_is_no_value_and_insgesamt_is_its_own_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ingest_tables(tmp_path / "kim.duckdb", SCHULEN, capsys=capsys)
    values = _by_key(_values(tmp_path / "kim.duckdb", capsys))
    assert len(values) == 12 * 6
    pupils = "Schülerinnen und Schüler an allgemeinbildenden Schulen"
    # 2023;05978;      Unna, Kreis;Insgesamt;x;42795;21045;5910;3725;695
    assert values[(f"{pupils} | Nationalität | ausländisch | Anzahl | Insgesamt", "05978", "2023")] == ("5910", "")
    assert values[(f"{pupils} | Geschlecht | Insgesamt | Anzahl | Insgesamt", "05978", "2023")] == ("42795", "")
    assert values[("Allgemeinbildende Schulen | Anzahl | Insgesamt", "05978", "2023")] == ("", "x")
    # 2023;05978;      Unna, Kreis;Gymnasien;14;9940;5255;710;1320;15
    assert values[(f"{pupils} | Nationalität | ausländisch | Anzahl | Gymnasien", "05978", "2023")] == ("710", "")


def test_wide_by_stichtag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, [report] = ingest_tables(tmp_path / "kim.duckdb", GENESIS, capsys=capsys)
    assert report["tabelle"] == "12411-0015" and report["stand"] == "2020-02-24 00:01:03"
    values = _by_key(_values(tmp_path / "kim.duckdb", capsys))
    # 05978;Unna, Landkreis;422662;…;394782  (31.12.1995 … 31.12.2018, one column each)
    assert len(values) == 24
    assert values[("Bevölkerungsstand (Anzahl)", "05978", "1995-12")] == ("422662", "")
    assert values[("Bevölkerungsstand (Anzahl)", "05978", "2011-12")] == ("394873", "")
    assert values[("Bevölkerungsstand (Anzahl)", "05978", "2018-12")] == ("394782", "")


def test_table_without_kreis_unna_is_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, [report] = ingest_tables(tmp_path / "kim.duckdb", KOELN, capsys=capsys)
    assert code == 1 and report["status"] == "rejected"
    message = report["errors"][0]["message"]
    assert "Arbeitsmarktstatistik: Arbeitslose nach Geschlecht" in message
    assert "keine Zeile für den Kreis Unna" in message and "Köln, krfr. Stadt" in message


# --- variants -----------------------------------------------------------------------------------


def test_crlf_gives_the_same_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    crlf = write_export(tmp_path / "crlf.csv", read_export(BEVOELKERUNG), "\r\n")
    ingest_tables(tmp_path / "a.duckdb", BEVOELKERUNG, capsys=capsys)
    ingest_tables(tmp_path / "b.duckdb", crlf, capsys=capsys)
    assert _values(tmp_path / "a.duckdb", capsys) == _values(tmp_path / "b.duckdb", capsys)


def test_resaved_without_leading_zeros_and_ars(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = read_export(BEVOELKERUNG)
    resaved = write_export(tmp_path / "ohne_null.csv", re.sub(r"^(31\.12\.2024);0(\d+);", r"\1;\2;", text, flags=re.M))
    assert ";5978004;" in read_export(resaved) and ";05978004;" not in read_export(resaved)

    def ars(match: re.Match[str]) -> str:
        code = match.group(2)
        if len(code) == 8:
            code = code[:5] + "0" + code[5:] + code[5:]  # 05978004 → 059780004004
        elif len(code) == 5:
            code += "0000000"
        return f"{match.group(1)};{code};"

    with_ars = write_export(tmp_path / "ars.csv", re.sub(r"^(31\.12\.2024);(\d+);", ars, text, flags=re.M))
    assert ";059780004004;" in read_export(with_ars)
    for name, path in (("a", BEVOELKERUNG), ("b", resaved), ("c", with_ars)):
        ingest_tables(tmp_path / f"{name}.duckdb", path, capsys=capsys)
    expected = _values(tmp_path / "a.duckdb", capsys)
    assert len(expected) == 33
    assert _values(tmp_path / "b.duckdb", capsys) == expected
    assert _values(tmp_path / "c.duckdb", capsys) == expected


def test_names_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No code column: the indented names (4 and 6 spaces) identify the Kreis and its Kommunen."""
    lines = read_export(BEVOELKERUNG).split("\n")
    out = []
    for line in lines:
        match = re.match(r"^(31\.12\.2024);\d+;(.*)$", line)
        out.append(f"{match.group(1)};{match.group(2)}" if match else re.sub(r"^;;;", ";;", line))
    names = write_export(tmp_path / "namen.csv", "\n".join(out))
    ingest_tables(tmp_path / "a.duckdb", BEVOELKERUNG, capsys=capsys)
    ingest_tables(tmp_path / "b.duckdb", names, capsys=capsys)
    assert _values(tmp_path / "b.duckdb", capsys) == _values(tmp_path / "a.duckdb", capsys)


def test_csv_without_kreis_unna_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "\n".join(line for line in read_export(ARBEITSLOSE).split("\n") if ";05978;" not in line)
    code, [report] = ingest_tables(tmp_path / "kim.duckdb", write_export(tmp_path / "ohne.csv", text), capsys=capsys)
    assert code == 1 and report["status"] == "rejected"
    message = report["errors"][0]["message"]
    assert "„13211-02-05-4“" in message and "keine Zeile für den Kreis Unna" in message
    assert "DG Deutschland" in message and "weitere" in message


def test_newer_stand_replaces_the_values_it_carries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "kim.duckdb"
    text = read_export(BEVOELKERUNG)
    newer = text.replace(";05978;    Unna, Kreis;393784;", ";05978;    Unna, Kreis;393790;").replace(
        "Stand: 19.01.2026 / 13:58:12", "Stand: 20.02.2026 / 09:00:00"
    )
    ingest_tables(database, BEVOELKERUNG, capsys=capsys)
    _code, [report] = ingest_tables(database, write_export(tmp_path / "neu.csv", newer), capsys=capsys)
    assert report["status"] == "accepted"
    rows = _values(database, capsys)
    assert len(rows) == 33  # replaced, not added
    assert _by_key(rows)[(POP, "05978", "2024-12")] == ("393790", "")
    assert {r["stand"] for r in rows} == {"2026-02-20 09:00:00"}
    # the older Stand loaded again afterwards does not push the newer values out
    shutil.copy(BEVOELKERUNG, tmp_path / "alt.csv")
    ingest_tables(database, tmp_path / "alt.csv", capsys=capsys)
    assert _by_key(_values(database, capsys))[(POP, "05978", "2024-12")] == ("393790", "")


def test_unknown_cell_rejects_the_whole_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = read_export(BEVOELKERUNG).replace(
        ";05978036;      Unna, Stadt;58333;", ";05978036;      Unna, Stadt;58.333 ca.;"
    )
    code, [report] = ingest_tables(tmp_path / "kim.duckdb", write_export(tmp_path / "kaputt.csv", text), capsys=capsys)
    assert code == 1 and report["status"] == "rejected"
    assert "Zeile 448, Spalte D" in report["errors"][0]["message"]
    assert not (tmp_path / "kim.duckdb").exists() or _values(tmp_path / "kim.duckdb", capsys) == []


def test_personal_data_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = read_export(ARBEITSLOSE).replace("Unna, Kreis;", "Unna, Kreis (Frau Mustermann, 0171 2345678);", 1)
    code, [report] = ingest_tables(tmp_path / "kim.duckdb", write_export(tmp_path / "pers.csv", text), capsys=capsys)
    assert code == 1 and "personenbezogenen" in report["errors"][0]["message"]


# --- the XLSX download of the same tables and the legacy .xls -----------------------------------


def _as_xlsx(source: Path, target: Path, *, code_in_sheet_only: bool = False, wrong_dimension: bool = False) -> Path:
    """The workbook the portal offers for the same table: title cells merged across the table, each
    repeated header label merged over its columns, codes stored as text, values as numbers and
    symbols ('-', 'x', '.') as text in numeric columns."""
    rows = list(csv.reader(io.StringIO(read_export(source), newline=""), delimiter=";"))
    code = rows[0][0].split(":", 1)[1].strip()
    if code_in_sheet_only:
        rows = rows[1:]
    width = max(len(r) for r in rows)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = code
    footer = next(i for i, r in enumerate(rows) if r and r[0].startswith("_____"))
    for i, row in enumerate(rows, start=1):
        data_row = i - 1 < footer and row and row[0] and any(re.fullmatch(r"-?\d+(,\d+)?", c) for c in row[1:])
        for j, value in enumerate(row, start=1):
            if value == "":
                continue
            cell_value: object = value
            if data_row and j > 3 and re.fullmatch(r"-?\d+(,\d+)?", value):
                number = float(value.replace(",", "."))
                cell_value = int(number) if number.is_integer() and "," not in value else number
            sheet.cell(i, j, cell_value)
        filled = [j for j, v in enumerate(row) if v]
        if filled == [0] and i - 1 < footer:
            sheet.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
        elif i - 1 < footer and not row[0]:  # a header row: merge each run of a repeated label
            j = 0
            while j < len(row):
                k = j
                while k + 1 < len(row) and row[k + 1] == row[j] and row[j]:
                    k += 1
                if k > j:
                    for m in range(j + 2, k + 2):
                        sheet.cell(i, m).value = None
                    sheet.merge_cells(start_row=i, start_column=j + 1, end_row=i, end_column=k + 1)
                j = k + 1
    book.save(target)
    if wrong_dimension:
        patched = target.with_suffix(".tmp")
        with zipfile.ZipFile(target) as old, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as new:
            for item in old.infolist():
                data = old.read(item.filename)
                if item.filename.startswith("xl/worksheets/sheet"):
                    data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C3"', data)
                new.writestr(item, data)
        patched.replace(target)
    return target


@pytest.mark.parametrize(
    "source",
    [BEVOELKERUNG, MINDESTSICHERUNG, ARBEITSLOSE, SCHULEN, GENESIS],
    ids=lambda p: p.name.split("_")[2],
)
def test_xlsx_download_gives_the_same_rows(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = _as_xlsx(source, tmp_path / "download.xlsx", code_in_sheet_only=True, wrong_dimension=True)
    ingest_tables(tmp_path / "csv.duckdb", source, capsys=capsys)
    code, [report] = ingest_tables(tmp_path / "xlsx.duckdb", workbook, capsys=capsys)
    assert code == 0 and report["status"] == "accepted", report["errors"]
    expected = _values(tmp_path / "csv.duckdb", capsys)
    assert expected and _values(tmp_path / "xlsx.duckdb", capsys) == expected


def test_legacy_xls_is_read(tmp_path: Path) -> None:
    """The .xls export is recognised (footer and Stand, no code line) and read with calamine: its
    refusal names the region it holds, which it found in a title line."""
    from loaders.statistik import StatistikError

    with pytest.raises(StatistikError, match=r"Köln, krfr\. Stadt"):
        parse_statistik(KOELN)


def test_database_holds_symbols_as_no_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ingest_tables(tmp_path / "kim.duckdb", SCHULEN, capsys=capsys)
    with duckdb.connect(str(tmp_path / "kim.duckdb"), read_only=True) as connection:
        rows = connection.execute(
            "SELECT symbol, count(*), count(wert), sum(wert) FROM v_statistik GROUP BY symbol ORDER BY symbol"
        ).fetchall()
    by_symbol = {symbol: (n, with_value, total) for symbol, n, with_value, total in rows}
    # '-' is stored as 0 with its symbol; 'x' without a value, never as 0
    assert by_symbol["-"][0] == by_symbol["-"][1] and by_symbol["-"][2] == 0
    assert by_symbol["x"][1] == 0


def test_header_row_naming_the_leading_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A download whose unit row also names the leading columns (Jahr, AGS, Region) is read the same."""
    text = read_export(ARBEITSLOSE).replace(";;;Anzahl;Anzahl;", "Jahr;AGS;Region;Anzahl;Anzahl;", 1)
    labelled = write_export(tmp_path / "beschriftet.csv", text)
    ingest_tables(tmp_path / "a.duckdb", ARBEITSLOSE, capsys=capsys)
    code, [report] = ingest_tables(tmp_path / "b.duckdb", labelled, capsys=capsys)
    assert code == 0, report["errors"]
    assert _values(tmp_path / "b.duckdb", capsys) == _values(tmp_path / "a.duckdb", capsys)


def test_undo_and_rebuild_cover_statistics_uploads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "kim.duckdb"
    newer = read_export(BEVOELKERUNG).replace(";05978;    Unna, Kreis;393784;", ";05978;    Unna, Kreis;393790;")
    newer = newer.replace("Stand: 19.01.2026 / 13:58:12", "Stand: 20.02.2026 / 09:00:00")
    # a rebuild replays the deliveries of the sources; the statistics tables come with it
    delivery = Path(__file__).parents[1] / "files" / "good" / "arbeitsmarkt_kanonisch.csv"
    assert ingest_tables(database, delivery, capsys=capsys)[0] == 0
    ingest_tables(database, BEVOELKERUNG, capsys=capsys)
    _code, [second] = ingest_tables(database, write_export(tmp_path / "neu.csv", newer), capsys=capsys)
    assert main(["statistik", "--db", str(database), "--rueckgaengig", str(second["upload_id"])]) == 0
    capsys.readouterr()
    # the first Stand counts again
    assert _by_key(_values(database, capsys))[(POP, "05978", "2024-12")] == ("393784", "")
    before = _values(database, capsys)
    assert main(["rebuild", "--db", str(database)]) == 0
    capsys.readouterr()
    assert _values(database, capsys) == before
    assert main(["statistik", "--db", str(database), "--uploads"]) == 0
    listing = capsys.readouterr().out
    assert "rückgängig gemacht" in listing and "Tabelle 12411-15i, Stand 19.01.2026, 33 Werte" in listing


def test_hostile_workbook_keeps_its_own_refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file no reader can read safely is refused as before, not reported as an official table."""
    hostile = Path(__file__).parents[1] / "files" / "hostile"
    bomb = hostile / "xml_billion_laughs.xlsx"
    code, [report] = ingest_tables(tmp_path / "kim.duckdb", bomb, capsys=capsys)
    assert code == 1 and report["status"] == "rejected" and report["source"] != "statistik"


def test_personal_data_in_a_footnote_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = read_export(GENESIS).replace(
        "Ab 2011: Ergebnisse", "Rückfragen: max.mustermann@example.org. Ab 2011: Ergebnisse"
    )
    code, [report] = ingest_tables(tmp_path / "kim.duckdb", write_export(tmp_path / "fuss.csv", text), capsys=capsys)
    assert code == 1 and "eine E-Mail-Adresse" in report["errors"][0]["message"]
    assert "max.mustermann" not in report["errors"][0]["message"]
    assert not (tmp_path / "archive").exists() or not any((tmp_path / "archive").rglob("*.csv"))


def test_months_as_columns_and_region_in_the_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The .xls layout (years as rows, 12 months × 3 columns, the region only in a title line, the
    code only in the sheet name, merged header cells) for the Kreis Unna: the Köln export with its
    region line changed, saved as a workbook with the same merged ranges."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(KOELN))
    sheet = workbook.get_sheet_by_name(workbook.sheet_names[0])
    book = openpyxl.Workbook()
    target = book.active
    assert target is not None
    target.title = "13211-03ir"
    for i, row in enumerate(sheet.to_python(skip_empty_area=False), start=1):
        for j, value in enumerate(row, start=1):
            if value != "":
                target.cell(i, j, "Unna, Kreis" if value == "Köln, krfr. Stadt" else value)
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
        if (top, left) != (bottom, right):
            target.merge_cells(start_row=top + 1, start_column=left + 1, end_row=bottom + 1, end_column=right + 1)
    book.save(tmp_path / "monate.xlsx")
    code, [report] = ingest_tables(tmp_path / "kim.duckdb", tmp_path / "monate.xlsx", capsys=capsys)
    assert code == 0, report["errors"]
    assert report["tabelle"] == "13211-03ir" and report["stand"] == "2014-07-21 20:19:53"
    values = _by_key(_values(tmp_path / "kim.duckdb", capsys))
    assert len(values) == 15 * 12 * 3  # 2000–2014, 12 months, Insgesamt/männlich/weiblich
    # 2014 | Januar (31.): Insgesamt 54197, männlich 29674, weiblich 24523
    assert values[("Geschlecht | Insgesamt", "05978", "2014-01")] == ("54197", "")
    assert values[("Geschlecht | weiblich", "05978", "2014-01")] == ("24523", "")
    # 2014 | Juli: '...' (not yet available): no value, never 0
    assert values[("Geschlecht | Insgesamt", "05978", "2014-07")] == ("", "...")
    # row 2010, Dezember (31.): Insgesamt 49294 (the third-last cell of that row)
    assert values[("Geschlecht | Insgesamt", "05978", "2010-12")] == ("49294", "")


def test_limits_of_every_upload_apply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Size limit, and the reading process's time limit (the file is read in the sandbox's child)."""
    monkeypatch.setenv("KIM_MAX_UPLOAD_MB", "0.5")
    code, [report] = ingest_tables(tmp_path / "kim.duckdb", AUSLAENDER, capsys=capsys)  # 889 KB
    assert code == 1 and "größer als die zulässigen 0,5 MB" in report["errors"][0]["message"]
    monkeypatch.delenv("KIM_MAX_UPLOAD_MB")
    monkeypatch.setenv("KIM_PARSE_SECONDS", "0.001")
    code, [report] = ingest_tables(tmp_path / "kim.duckdb", AUSLAENDER, capsys=capsys)
    assert code == 1 and "dauerte länger als 0,001 Sekunden" in report["errors"][0]["message"]
    assert not (tmp_path / "kim.duckdb").exists()


def test_period_only_in_a_header_row_and_repeated_cells_left_empty(tmp_path: Path) -> None:
    """The Regionaldatenbank shape ';;Jahr' / ';;2023' (the period only in header rows), with the
    region left empty where a block of category rows repeats it; a Jugendamt row (JH…), the
    'Wohnort außerhalb von NRW' code and a defunct unit of the same name are not the Kreis."""
    text = (
        "Tabelle: 99999-01-01-4\n"
        "Beispiel nach Geschlecht - Jahr - regionale Tiefe: Kreise;;;;\n"
        ";;;Jahr;Jahr\n"
        ";;;2022;2023\n"
        ";;;Anzahl;Anzahl\n"
        "05;Nordrhein-Westfalen;Insgesamt;100;110\n"
        "05978;    Unna, Kreis;Insgesamt;7;.\n"
        ";;männlich;3;/\n"
        ";;weiblich;4;x\n"
        "05978004;      Bergkamen, Stadt;Insgesamt;-;2\n"
        "JH05978;  Jugendamt Kreis Unna;Insgesamt;9;9\n"
        "05999998;Wohnort außerhalb von NRW;Insgesamt;1;1\n"
        "05978;    Unna, Kreis (bis 31.12.1974);Insgesamt;...;...\n"
        "__________\n"
        "Stand: 01.02.2026 / 10:00:00\n"
    )
    table = parse_statistik(write_export(tmp_path / "kopf.csv", text))
    assert table is not None and table.tabelle == "99999-01-01-4"
    rows = {(r["merkmal"], r["region"], r["periode"]): (r["wert"], r["symbol"]) for r in table.values.to_pylist()}
    assert rows == {
        ("Anzahl | Insgesamt", "05978", "2022"): ("7", None),
        ("Anzahl | Insgesamt", "05978", "2023"): (None, "."),
        ("Anzahl | männlich", "05978", "2022"): ("3", None),
        ("Anzahl | männlich", "05978", "2023"): (None, "/"),
        ("Anzahl | weiblich", "05978", "2022"): ("4", None),
        ("Anzahl | weiblich", "05978", "2023"): (None, "x"),
        ("Anzahl | Insgesamt", "05978004", "2022"): ("0", "-"),
        ("Anzahl | Insgesamt", "05978004", "2023"): ("2", None),
    }
    assert table.hinweise[0].startswith("4 Zeilen anderer Regionen")  # NRW, JH…, 05999998, the defunct unit


def test_ingest_text_report_and_dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "kim.duckdb"
    assert main(["ingest", str(BEVOELKERUNG), "--db", str(database), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "geprüft (Probelauf) – amtliche Statistik, Tabelle 12411-15i, Stand 19.01.2026, 33 Werte" in out
    assert not database.exists()
    assert main(["ingest", str(BEVOELKERUNG), "--db", str(database)]) == 0
    out = capsys.readouterr().out
    assert "übernommen – amtliche Statistik, Tabelle 12411-15i, Stand 19.01.2026, 33 Werte, Statistik-Upload 1" in out
    assert "Hinweis" in out and "433 Zeilen anderer Regionen" in out
