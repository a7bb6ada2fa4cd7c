"""Templates (Vorlagen): generated from the source declarations, filled as a user would, ingested.

For every source the template is written to disk, filled with openpyxl in its data sheet the way a
user fills it in Excel (Kommune names, category labels and ja/nein as the dropdowns offer them, real
date cells, the month as text JJJJ-MM), saved and ingested by the real command line::

    python -m loaders ingest FILE --db DB --json      (KIM_TODAY=2026-11-25)

It must be accepted with no error and no warning, with the expected partitions and rows, and the
stored values (checked by hand below) must be in ``v_<source>``. The values a test row takes from a
dropdown are checked against the dropdown as it is in the file (inline list or named range on the
hidden sheet), and every value any dropdown offers is checked against the reader's own resolvers.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from core.errors import ConfigError
from core.normalize import header_key, value_key
from core.reference import extern_codes, handlungsfelder, kommunen, resolve_kommune
from core.sources import sources
from loaders.read import MIN_HEADER_MATCHES, read_sheets
from loaders.templates import (
    HINWEISE_SHEET,
    LISTS_SHEET,
    TEMPLATE_ROWS,
    choices,
    data_sheet_name,
    template_bytes,
    template_filename,
    write_template,
)
from loaders.values import category_lookup, parse_bool, parse_handlungsfelder
from tests.helpers.cli import run_module
from tests.helpers.corpus import BERGKAMEN, FROENDENBERG, LUENEN, UNNA, Cell, fall, where_kommune
from tests.helpers.databases import upload_count

D = dt.date


# --- what each filled template holds and must yield ---------------------------------------------


@dataclass(frozen=True)
class Filled:
    """Rows as a user types them, keyed by the header as the template writes it (German label)."""

    source: str
    rows: tuple[dict[str, object], ...]
    partitions: tuple[tuple[str, str], ...]
    cells: tuple[Cell, ...]


FILLED: dict[str, Filled] = {
    f.source: f
    for f in (
        Filled(
            "fallmanagement",
            rows=(
                {
                    "Fall-ID": "BK-26-001",
                    "Kommune": "Bergkamen",
                    "Monat": "2026-10",
                    "Anfragedatum": D(2026, 8, 3),
                    "Fallbeginn": D(2026, 8, 20),
                    "Erstgespräch": D(2026, 8, 25),
                    "Zuzugsjahr": 2023,
                    "Altersgruppe": "27-44",
                    "Geschlecht": "weiblich",
                    "Rechtskreis": "SGB II",
                    "Beteiligte Rechtskreise": 2,
                    "Zugangsweg": "Ausländerbehörde",
                    "Handlungsfelder": "Sprache; Arbeit und Ausbildung",
                    "Ehrenamt eingebunden": "ja",
                    "Übergaben": 2,
                    "Übergaben erfolgreich": 1,
                    "Arbeit/Ausbildung aufgenommen": "nein",
                },
                {
                    "Fall-ID": "BK-26-002",
                    "Kommune": "Bergkamen",
                    "Monat": "2026-10",
                    "Fallbeginn": D(2026, 5, 4),
                    "Fallende": D(2026, 10, 28),
                    "Abschlussgrund": "Ziel teilweise erreicht",
                    "Zuzugsjahr": 2022,
                    "Geschlecht": "männlich",
                    "Rechtskreis": "SGB III",
                    "Zugangsweg": "Agentur für Arbeit",
                    "Handlungsfelder": "Aufenthalt und Einbürgerung",
                    "Ehrenamt eingebunden": "nein",
                    "Arbeit/Ausbildung aufgenommen": "ja",
                },
                {  # only the required columns, in Fröndenberg/Ruhr (a name with a slash)
                    "Fall-ID": "FR-26-001",
                    "Kommune": "Fröndenberg/Ruhr",
                    "Monat": "2026-10",
                    "Fallbeginn": D(2026, 10, 5),
                    "Zuzugsjahr": 2025,
                    "Altersgruppe": "0-17",
                    "Geschlecht": "k.A.",
                    "Rechtskreis": "ohne Leistungsbezug",
                    "Handlungsfelder": "Bildung und Schule",
                },
            ),
            partitions=((BERGKAMEN, "2026-10"), (FROENDENBERG, "2026-10")),
            cells=(
                Cell(fall("BK-26-001"), "kommune", BERGKAMEN),
                Cell(fall("BK-26-001"), "monat", D(2026, 10, 1)),
                Cell(fall("BK-26-001"), "anfrage", D(2026, 8, 3)),
                Cell(fall("BK-26-001"), "erstkontakt", D(2026, 8, 25)),
                Cell(fall("BK-26-001"), "fallende", None),
                Cell(fall("BK-26-001"), "zuzugsjahr", 2023),
                Cell(fall("BK-26-001"), "altersgruppe", "27-44"),
                Cell(fall("BK-26-001"), "geschlecht", "w"),
                Cell(fall("BK-26-001"), "rechtskreis", "SGB II"),
                Cell(fall("BK-26-001"), "rechtskreise_beteiligt", 2),
                Cell(fall("BK-26-001"), "zugang", "auslaenderbehoerde"),
                Cell(fall("BK-26-001"), "handlungsfelder", ["sprache", "arbeit"]),
                Cell(fall("BK-26-001"), "ehrenamt", True),
                Cell(fall("BK-26-001"), "uebergaben", 2),
                Cell(fall("BK-26-001"), "uebergaben_erfolgreich", 1),
                Cell(fall("BK-26-001"), "ergebnis_arbeit", False),
                Cell(fall("BK-26-002"), "fallbeginn", D(2026, 5, 4)),
                Cell(fall("BK-26-002"), "fallende", D(2026, 10, 28)),
                Cell(fall("BK-26-002"), "abschlussgrund", "teilweise_erreicht"),
                Cell(fall("BK-26-002"), "geschlecht", "m"),
                Cell(fall("BK-26-002"), "rechtskreis", "SGB III"),
                Cell(fall("BK-26-002"), "zugang", "agentur_fuer_arbeit"),
                Cell(fall("BK-26-002"), "handlungsfelder", ["aufenthalt"]),
                Cell(fall("BK-26-002"), "ehrenamt", False),
                Cell(fall("BK-26-002"), "ergebnis_arbeit", True),
                Cell(fall("FR-26-001"), "kommune", FROENDENBERG),
                Cell(fall("FR-26-001"), "fallbeginn", D(2026, 10, 5)),
                Cell(fall("FR-26-001"), "altersgruppe", "0-17"),
                Cell(fall("FR-26-001"), "geschlecht", "k.A."),
                Cell(fall("FR-26-001"), "rechtskreis", "ohne Leistungsbezug"),
                Cell(fall("FR-26-001"), "handlungsfelder", ["bildung"]),
                Cell(fall("FR-26-001"), "ehrenamt", False),  # an empty yes/no cell means nein
                Cell(fall("FR-26-001"), "uebergaben", None),
            ),
        ),
        Filled(
            "arbeitsmarkt",
            rows=(
                {
                    "Kommune": "Lünen",
                    "Monat": "2026-09",
                    "Arbeitslose Ausländer/innen": 1480,
                    "eLb Ausländer/innen": 3120,
                    "Integrationen Ausländer/innen": 41,
                },
                {
                    "Kommune": "Lünen",
                    "Monat": "2026-10",
                    "Arbeitslose Ausländer/innen": 1502,
                    "eLb Ausländer/innen": 3098,
                    "Integrationen Ausländer/innen": 38,
                },
                {
                    "Kommune": "Fröndenberg/Ruhr",
                    "Monat": "2026-10",
                    "Arbeitslose Ausländer/innen": 211,
                    "eLb Ausländer/innen": 402,
                    "Integrationen Ausländer/innen": "*",
                },
            ),
            partitions=((FROENDENBERG, "2026-10"), (LUENEN, "2026-09"), (LUENEN, "2026-10")),
            cells=(
                Cell(where_kommune(LUENEN, "2026-09"), "arbeitslose_auslaendisch", 1480),
                Cell(where_kommune(LUENEN, "2026-10"), "elb_auslaendisch", 3098),
                Cell(where_kommune(LUENEN, "2026-10"), "unterdrueckt", []),
                Cell(where_kommune(FROENDENBERG, "2026-10"), "elb_auslaendisch", 402),
                Cell(where_kommune(FROENDENBERG, "2026-10"), "integrationen_auslaendisch", None),  # suppressed, never 0
                Cell(where_kommune(FROENDENBERG, "2026-10"), "unterdrueckt", ["integrationen_auslaendisch"]),
            ),
        ),
        Filled(
            "auslaenderbehoerde",
            rows=(
                {
                    "Kommune": "Unna",
                    "Monat": "2026-10",
                    "Anträge Eingang": 120,
                    "Anträge entschieden": 98,
                    "Bearbeitungstage (Summe)": 4312,
                    "Offene Verfahren": 512,
                    "Aufenthaltsverfestigungen": 7,
                    "Einbürgerungen": 15,
                },
                {
                    "Kommune": "Bergkamen",
                    "Monat": "2026-10",
                    "Anträge Eingang": 88,
                    "Anträge entschieden": 80,
                    "Bearbeitungstage (Summe)": 3050,
                    "Offene Verfahren": 301,
                    "Aufenthaltsverfestigungen": 4,
                    "Einbürgerungen": 0,
                },
            ),
            partitions=((BERGKAMEN, "2026-10"), (UNNA, "2026-10")),
            cells=(
                Cell(where_kommune(UNNA, "2026-10"), "bearbeitungstage_summe", 4312),
                Cell(where_kommune(UNNA, "2026-10"), "offene_verfahren", 512),
                Cell(where_kommune(BERGKAMEN, "2026-10"), "einbuergerungen", 0),
            ),
        ),
        Filled(
            "schule",
            rows=(
                {
                    "Kommune": "Bergkamen",
                    "Monat": "2026-10",
                    "Seiteneinsteiger neu": 14,
                    "Beschult innerhalb 4 Wochen": 11,
                    "Wartende auf Schulplatz": 6,
                },
                {
                    "Kommune": "Unna",
                    "Monat": "2026-10",
                    "Seiteneinsteiger neu": 9,
                    "Beschult innerhalb 4 Wochen": 9,
                    "Wartende auf Schulplatz": 0,
                },
            ),
            partitions=((BERGKAMEN, "2026-10"), (UNNA, "2026-10")),
            cells=(
                Cell(where_kommune(BERGKAMEN, "2026-10"), "seiteneinsteiger_beschult_4w", 11),
                Cell(where_kommune(UNNA, "2026-10"), "wartende_schulplatz", 0),
            ),
        ),
        Filled(
            "sprache",
            rows=(
                {
                    "Kommune": "Lünen",
                    "Monat": "2026-10",
                    "Berechtigungen": 64,
                    "Kurseintritte": 51,
                    "Wartetage (Summe)": 2890,
                    "Prüfungen DTZ": 40,
                    "B1 erreicht": 23,
                },
            ),
            partitions=((LUENEN, "2026-10"),),
            cells=(
                Cell(where_kommune(LUENEN, "2026-10"), "wartetage_summe", 2890),
                Cell(where_kommune(LUENEN, "2026-10"), "b1_erreicht", 23),
            ),
        ),
        Filled(
            "ehrenamt",
            rows=(
                {
                    "Kommune": "Unna",
                    "Monat": "2026-10",
                    "Ehrenamtliche aktiv": 140,
                    "Ehrenamtliche neu": 6,
                    "Tandems aktiv": 38,
                    "Einsatzstunden": 912.5,
                },
                {
                    "Kommune": "Bergkamen",
                    "Monat": "2026-10",
                    "Ehrenamtliche aktiv": 75,
                    "Ehrenamtliche neu": 3,
                    "Tandems aktiv": 20,
                    "Einsatzstunden": 410,
                },
            ),
            partitions=((BERGKAMEN, "2026-10"), (UNNA, "2026-10")),
            cells=(
                Cell(where_kommune(UNNA, "2026-10"), "einsatzstunden", Decimal("912.5")),
                Cell(where_kommune(BERGKAMEN, "2026-10"), "einsatzstunden", Decimal("410")),
                Cell(where_kommune(BERGKAMEN, "2026-10"), "tandems_aktiv", 20),
            ),
        ),
        Filled(
            "bevoelkerung",
            rows=(
                {
                    "Kommune": "Bergkamen",
                    "Monat": "2025-12",
                    "Einwohner": 48712,
                    "Ausländer/innen": 7310,
                    "Ausländer/innen 15–64 Jahre": 5420,
                    "Zugewandert (5 Jahre)": 2240,
                },
                {
                    "Kommune": "Fröndenberg/Ruhr",
                    "Monat": "2025-12",
                    "Einwohner": 20850,
                    "Ausländer/innen": 1620,
                    "Ausländer/innen 15–64 Jahre": 1190,
                    "Zugewandert (5 Jahre)": 480,
                },
            ),
            partitions=((BERGKAMEN, "2025-12"), (FROENDENBERG, "2025-12")),
            cells=(
                Cell(where_kommune(BERGKAMEN, "2025-12"), "einwohner", 48712),
                Cell(where_kommune(FROENDENBERG, "2025-12"), "zugewandert_5j", 480),
            ),
        ),
        Filled(
            "kennzahlen",
            rows=(
                {"Kommune": "Bergkamen", "Monat": "2026-10", "Kennzahl": "E01", "Wert": 41},
                {"Kommune": "Bergkamen", "Monat": "2026-10", "Kennzahl": "E02", "Wert": 12},
                {"Kommune": "Unna", "Monat": "2026-10", "Kennzahl": "E01", "Wert": 17.5},
            ),
            partitions=((BERGKAMEN, "2026-10"), (UNNA, "2026-10")),
            cells=(
                Cell(where_kommune(BERGKAMEN, "2026-10") + " AND kennzahl = 'E02'", "wert", Decimal("12")),
                Cell(where_kommune(UNNA, "2026-10") + " AND kennzahl = 'E01'", "wert", Decimal("17.5")),
            ),
        ),
    )
}
SOURCE_NAMES = list(sources())


# --- helpers ----------------------------------------------------------------------------------


def ingest(path: Path, db: Path) -> dict[str, Any]:
    """``python -m loaders ingest PATH --db DB --json`` from the project root; the file's entry."""
    result = run_module(["loaders", "ingest", str(path), "--db", str(db), "--json"])
    try:
        document = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"stdout is not JSON (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    assert "Traceback" not in result.stderr, result.stderr
    (entry,) = document["files"]
    return dict(entry)


def headers(sheet: Worksheet) -> dict[str, int]:
    """Header as written in row 1 → column number."""
    return {str(cell.value): cell.column for cell in sheet[1] if cell.value is not None}


def dropdown(workbook: Any, sheet: Worksheet, column: int) -> list[str] | None:
    """What the list validation over row 2 of a column offers, read from the file as Excel reads
    it: an inline list ("a,b") or a defined name pointing to a range. None: no dropdown."""
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list":
            continue
        covered = [r for r in validation.sqref.ranges if r.min_col <= column <= r.max_col and r.min_row <= 2]
        if not covered:
            continue
        formula = str(validation.formula1)
        if formula.startswith('"'):
            return formula.strip('"').split(",")
        values: list[str] = []
        for title, reference in workbook.defined_names[formula].destinations:
            target = workbook[title][reference.replace("$", "")]
            cells = target if isinstance(target, tuple) else ((target,),)
            values += [str(c.value) for row in cells for c in (row if isinstance(row, tuple) else (row,))]
        return values
    return None


def fill(template: Path, target: Path, filled: Filled) -> None:
    """Fill the template's data sheet like a user: every value of a dropdown column must be on
    offer (Handlungsfelder: each of the ';'-separated parts); dates as date cells."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    positions = headers(sheet)
    for offset, row in enumerate(filled.rows):
        for header, value in row.items():
            assert header in positions, f"the template has no column {header!r}"
            offered = dropdown(workbook, sheet, positions[header])
            if offered is not None and isinstance(value, str):
                parts = [p.strip() for p in value.split(";")] if header == "Handlungsfelder" else [value]
                for part in parts:
                    assert part in offered, f"{part!r} is not offered in {header!r}: {offered}"
            cell = sheet.cell(row=2 + offset, column=positions[header], value=value)
            if isinstance(value, dt.date):
                cell.number_format = "DD.MM.YYYY"
    workbook.save(target)


def stored(db: Path, source: str, cell: Cell) -> object:
    with duckdb.connect(str(db), read_only=True) as connection:
        rows = connection.execute(f'SELECT "{cell.column}" FROM v_{source} WHERE {cell.where}').fetchall()
    assert len(rows) == 1, f"{cell.where}: {len(rows)} rows"
    return rows[0][0]


# --- the round trip ---------------------------------------------------------------------------


def test_every_source_has_a_filled_example() -> None:
    assert set(FILLED) == set(SOURCE_NAMES)


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_filled_template_is_accepted_without_errors_or_warnings(name: str, tmp_path: Path) -> None:
    filled = FILLED[name]
    template = tmp_path / template_filename(name)
    write_template(name, template)
    delivery = tmp_path / f"{name}_ausgefuellt.xlsx"
    fill(template, delivery, filled)
    db = tmp_path / "kim.duckdb"

    entry = ingest(delivery, db)

    assert entry["errors"] == []
    assert entry["warnings"] == []
    assert entry["status"] == "accepted"
    assert entry["source"] == name
    assert entry["rows"] == len(filled.rows)
    assert sorted(map(tuple, entry["partitions"])) == sorted(filled.partitions)
    with duckdb.connect(str(db), read_only=True) as connection:
        count = connection.execute(f"SELECT count(*) FROM v_{name}").fetchone()
    assert count == (len(filled.rows),)
    for cell in filled.cells:
        value = stored(db, name, cell)
        assert value == cell.value, f"{cell.where}: {cell.column} = {value!r}, expected {cell.value!r}"


def test_empty_template_is_rejected_with_a_clear_message(tmp_path: Path) -> None:
    template = tmp_path / template_filename("schule")
    write_template("schule", template)

    entry = ingest(template, tmp_path / "kim.duckdb")

    assert entry["status"] == "rejected"
    assert entry["source"] == "schule"  # the header was found in the data sheet, not in 'Hinweise'
    assert entry["rows"] == 0
    (error,) = entry["errors"]
    assert error["sheet"] == "Schule"
    assert "keine Datenzeilen" in error["message"]
    assert not (tmp_path / "kim.duckdb").exists() or upload_count(tmp_path / "kim.duckdb") == 0


# --- the template itself ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbooks() -> dict[str, Any]:
    return {name: openpyxl.load_workbook(io.BytesIO(template_bytes(name))) for name in SOURCE_NAMES}


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_data_sheet_layout(name: str, workbooks: dict[str, Any]) -> None:
    source = sources()[name]
    workbook = workbooks[name]
    sheet = workbook.worksheets[0]
    assert sheet.title == data_sheet_name(source) == source.label
    assert workbook.active.title == sheet.title
    assert [c.value for c in sheet[1]] == [c.display for c in source.columns]
    assert sheet.max_row == 1  # formats and dropdowns live on columns and validations, not on empty cells
    assert sheet.freeze_panes == "A2"
    expected_formats = {
        "count": "#,##0",
        "decimal": "#,##0.0",
        "date": "DD.MM.YYYY",
        "year": "0",
        "monat": "@",
        "kommune": "@",
        "category": "@",
    }
    for index, column in enumerate(source.columns, start=1):
        header = sheet.cell(row=1, column=index)
        letter = header.column_letter
        assert header.font.bold == column.required, column.name
        assert header.comment is not None and header.comment.text.startswith(
            "Pflichtangabe" if column.required else ("Pflicht, wenn", "Freiwillig")
        )
        assert sheet.column_dimensions[letter].width >= len(column.display)
        if column.type in expected_formats:
            assert sheet.column_dimensions[letter].number_format == expected_formats[column.type], column.name
        validations = [v for v in sheet.data_validations.dataValidation if letter + "2" in v.sqref]
        assert len(validations) == 1, column.name
        (validation,) = validations
        assert f"{letter}{TEMPLATE_ROWS + 1}" in validation.sqref
        assert validation.showInputMessage and validation.prompt
        offered = dropdown(workbook, sheet, index)
        assert (offered is not None) == bool(choices(column)), column.name
        if column.type == "kommune":
            assert offered == [k.name for k in kommunen()]
        if column.type == "bool":
            assert offered == ["ja", "nein"]
        if column.type == "monat":
            assert "JJJJ-MM" in validation.prompt


def test_long_lists_are_on_the_hidden_sheet(workbooks: dict[str, Any]) -> None:
    workbook = workbooks["fallmanagement"]
    assert workbook.sheetnames == ["Fallmanagement", HINWEISE_SHEET, LISTS_SHEET]
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    formulas = {str(v.formula1) for v in workbook.worksheets[0].data_validations.dataValidation if v.type == "list"}
    assert "Auswahl_kommune" in formulas and "Auswahl_handlungsfelder" in formulas
    assert '"ja,nein"' in formulas


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_every_offered_value_is_accepted_by_the_reader(name: str) -> None:
    for column in sources()[name].columns:
        for choice in choices(column):
            if column.type == "kommune":
                assert resolve_kommune(choice.offered) == choice.code
            elif column.type == "bool":
                assert parse_bool(choice.offered) is (choice.code == "ja")
            elif column.type == "list":
                assert parse_handlungsfelder(choice.offered) == [choice.code]
            else:
                lookup = category_lookup(column, extern_codes())
                assert lookup.get(value_key(choice.offered)) == choice.code, (column.name, choice)
    # every code is on offer exactly once
    for column in sources()[name].columns:
        codes = [c.code for c in choices(column)]
        assert len(codes) == len(set(codes))
        if column.type == "category" and column.values_from is None:
            assert codes == list(column.values or {})
        if column.type == "list":
            assert codes == [h.code for h in handlungsfelder()]


def test_category_spellings_read_as_german() -> None:
    fall = sources()["fallmanagement"]
    offered = {c.name: [x.offered for x in choices(c)] for c in fall.columns if c.type == "category"}
    assert offered["abschlussgrund"][:2] == ["Ziel erreicht", "Ziel teilweise erreicht"]
    assert offered["geschlecht"] == ["weiblich", "männlich", "divers", "k.A."]
    assert offered["rechtskreis"][0] == "SGB II" and offered["rechtskreis"][-1] == "unbekannt"
    assert offered["zugang"][:4] == ["Selbstmeldung", "Ausländerbehörde", "Jobcenter", "Agentur für Arbeit"]
    assert offered["altersgruppe"] == ["0-17", "18-26", "27-44", "45-64", "65+"]


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_hinweise_explain_every_column(name: str, workbooks: dict[str, Any]) -> None:
    source = sources()[name]
    sheet = workbooks[name][HINWEISE_SHEET]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    by_identifier = {row[1]: row for row in rows if len(row) > 2}
    text = "\n".join(str(c) for row in rows for c in row)
    for column in source.columns:
        row = by_identifier.get(column.name)
        assert row is not None, f"{column.name} is not explained"
        assert row[0] == column.display
        assert (row[2] == "ja") == column.required, column.name
        if column.description:
            assert column.description in row
        for choice in choices(column):
            assert choice.offered in " ".join(map(str, row))
        if column.is_number and source.kind in ("aggregate", "reference"):
            assert ("Bestand" if column.stock else "Bewegung") in " ".join(map(str, row))
    for phrase in ("Eine Zeile je", "JJJJ-MM", "Gemeindeschlüssel", "personenbezogenen Daten"):
        assert phrase in text, phrase
    if source.kind != "records":
        assert "mit * eintragen" in text


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_no_sheet_but_the_data_sheet_looks_like_a_header(name: str, tmp_path: Path) -> None:
    """Every row of 'Hinweise' and of the hidden lists matches fewer than MIN_HEADER_MATCHES
    declared columns of any source, so no reader, even one scanning every sheet and every row, can
    take them for data."""
    path = tmp_path / template_filename(name)
    write_template(name, path)
    sheets = read_sheets(path)
    assert sheets[0].name == sources()[name].label
    for sheet in sheets[1:]:
        for number, row in enumerate(sheet.rows, start=1):
            keys = {header_key(str(c)) for c in row if c is not None and str(c).strip()}
            for source in sources().values():
                matched = [c.name for c in source.columns if c.header_keys() & keys]
                assert len(matched) < MIN_HEADER_MATCHES, (sheet.name, number, source.name, matched)


def test_file_names_and_unknown_source() -> None:
    assert template_filename("auslaenderbehoerde") == "Vorlage_Auslaenderbehoerde.xlsx"
    assert template_filename("kennzahlen") == "Vorlage_Weitere_Kennzahlen.xlsx"
    assert template_bytes("schule")[:2] == b"PK"
    with pytest.raises(ConfigError, match="Unbekannte Datenquelle"):
        template_bytes("gibt_es_nicht")


def test_binary_target(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    write_template("sprache", buffer)
    assert openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).sheetnames[:2] == ["Sprache", HINWEISE_SHEET]
