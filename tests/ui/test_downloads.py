"""Downloads keep what is shown and never start a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from core import format as fmt
from core.catalogue import catalogue
from ui.downloads import csv_bytes, excel_cell, xlsx_bytes

HOSTILE = pd.DataFrame(
    {
        "Kommune": ['=HYPERLINK("http://x")', "+49 1", "-2+3", "@SUM(A1)", "Bönen"],
        "Wert": ["1.234", "•", "-20 (-16,7 %)", "12,3 %", "–"],
        "Zahl": [1.5, 2.0, -3.0, None, 4.0],
    }
)


def test_csv_cells_never_start_a_formula() -> None:
    rows = list(csv.reader(io.StringIO(csv_bytes(HOSTILE).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Kommune", "Wert", "Zahl"]
    for row in rows[1:]:
        for cell in row[:2]:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert rows[1][0] == '\'=HYPERLINK("http://x")' and rows[5] == ["Bönen", "–", "4.0"]
    assert rows[2][1] == "•"  # hidden cells stay hidden


def test_xlsx_cells_are_text_never_formulas() -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes(HOSTILE))).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Kommune", "Wert", "Zahl"]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@"))
    assert values[3][2] == -3.0 and values[4][2] is None  # numbers stay numbers


# --- Excel downloads hold numbers, shown in German formats; hidden cells stay empty -----------------
SHOWN = pd.DataFrame(
    {
        "Kennzahl": ["K21 · Verlustfreie Übergaben", "K02 · Aktive Fälle", "K04 · Tage bis zum Erstgespräch", "K19"],
        "Wert": ["64,7 %", "1.715", "•", "12,0 Stunden (intern)"],
        "Ziel": ["≥ 85,5 %", "–", "≤ 14,0 Tage", "–"],
        "Veränderung": ["+2,3 Prozentpunkte", "-20 (-16,7 %)", "•", "±0 (±0,0 %)"],
        "Zeitraum": ["2026", "10/2026", "01.01.2027", "05978"],  # text that only looks like numbers
        "Zeilen": [1715, 3, 0, 12],
        "Hochgeladen am": pd.to_datetime(["2026-10-12 08:30"] * 4).tz_localize("UTC"),
    }
)


def _sheet(frame: pd.DataFrame) -> Worksheet:
    sheet = load_workbook(io.BytesIO(xlsx_bytes(frame)))["Tabelle"]
    return sheet


def test_xlsx_figures_are_numbers_with_german_number_formats() -> None:
    sheet = _sheet(SHOWN)
    # before: every figure was the text of the screen ("64,7 %"), nobody could calculate with it
    assert (sheet["B2"].value, sheet["B2"].number_format) == (64.7, '#,##0.0" %"')
    assert (sheet["B3"].value, sheet["B3"].number_format) == (1715, "#,##0")  # shown by Excel as 1.715
    assert (sheet["C2"].value, sheet["C2"].number_format) == (85.5, '"≥ "#,##0.0" %"')
    assert (sheet["C4"].value, sheet["C4"].number_format) == (14.0, '"≤ "#,##0.0" Tage"')
    assert sheet["D2"].value == 2.3 and sheet["D2"].number_format.startswith('"+"#,##0.0" Prozentpunkte";"−"')
    assert (sheet["B5"].value, sheet["B5"].comment.text) == (12.0, "Interner Wert: intern – nicht zur Weitergabe.")
    assert (sheet["F2"].value, sheet["F2"].number_format) == (1715, "#,##0")
    assert sheet["G2"].value == dt.datetime(2026, 10, 12, 10, 30)  # Europe/Berlin, as the screen shows it
    assert sheet["G2"].number_format == "DD.MM.YYYY HH:MM"
    for cell in ("A2", "D3", "E2", "E3", "E4", "E5", "D5"):
        assert isinstance(sheet[cell].value, str), cell  # labels, periods, codes and pairs stay text
    assert sheet["E2"].value == "2026" and sheet["E5"].value == "05978"
    assert sheet["D3"].value == "'-20 (-16,7 %)"  # text starting with "-" never becomes a formula


def test_xlsx_hidden_cells_stay_empty_with_a_note() -> None:
    sheet = _sheet(SHOWN)
    for cell in ("B4", "D4"):
        assert sheet[cell].value is None
        assert sheet[cell].comment is not None and sheet[cell].comment.text.startswith("Geheimhaltung")
    assert sheet["C3"].value is None and sheet["C3"].comment is None  # "–": no value, no note
    notes = load_workbook(io.BytesIO(xlsx_bytes(SHOWN)))["Hinweise"]
    assert any("Geheimhaltung" in str(row[0].value) for row in notes.iter_rows())


@pytest.mark.parametrize("unit", sorted({k.unit for k in catalogue().kennzahlen}))
@pytest.mark.parametrize("value", [0.0, 7.0, 64.66, 1715.0, 123456.78])
def test_every_figure_the_screen_shows_is_read_back_exactly(unit: str, value: float) -> None:
    shown = fmt.value(value, unit)
    decimals = fmt.decimals_for(unit)
    number, number_format, note = excel_cell(shown)
    assert number == pytest.approx(round(value, decimals)), shown
    assert number_format is not None and ("." in number_format) == (decimals > 0) and note is None
    number, number_format, _ = excel_cell(f"≥ {shown}")
    assert number == pytest.approx(round(value, decimals)) and number_format.startswith('"≥ "')
