"""Downloads keep what is shown and never start a formula."""

from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import load_workbook

from ui.downloads import csv_bytes, xlsx_bytes

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
