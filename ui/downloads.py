"""Downloads of shown tables as Excel and CSV, exactly as shown (hidden cells stay hidden) and
safe against formula injection: no text cell may start a formula in a spreadsheet program."""

from __future__ import annotations

import io
import re
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import streamlit as st
from openpyxl import Workbook

from access import audit
from ui import auth

_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def safe_text(value: object) -> object:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    safe.columns = [safe_text(str(c)) for c in safe.columns]
    if safe.index.name is not None or not isinstance(safe.index, pd.RangeIndex):
        safe = safe.reset_index()
        safe.columns = [safe_text(str(c)) for c in safe.columns]
    return safe.map(safe_text)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for Excel in Germany: semicolon, UTF-8 with BOM."""
    return _safe(frame).to_csv(index=False, sep=";").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Tabelle") -> bytes:
    safe = _safe(frame)
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet[:31]
    worksheet.append(list(safe.columns))
    for row in safe.itertuples(index=False):
        worksheet.append([None if isinstance(v, float) and pd.isna(v) else v for v in row])
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TableFiles(NamedTuple):
    """A table made ready once (for a view that is cached): as Arrow for the screen (what
    st.dataframe would convert it to on every run) and its two download files."""

    frame: pd.DataFrame
    arrow: pa.Table
    xlsx: bytes
    csv: bytes


def table_files(frame: pd.DataFrame) -> TableFiles:
    return TableFiles(frame, pa.Table.from_pandas(frame), xlsx_bytes(frame), csv_bytes(frame))


def table(frame: pd.DataFrame | TableFiles, key: str, file_stem: str, **options: object) -> None:
    """Show a table with its two downloads (the files made now, unless they come with the table)."""
    if isinstance(frame, TableFiles):
        shown, xlsx, csv = frame.arrow, frame.xlsx, frame.csv
    else:
        shown, xlsx, csv = frame, xlsx_bytes(frame), csv_bytes(frame)
    st.dataframe(shown, key=key, **options)  # type: ignore[arg-type]
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Excel herunterladen",
        xlsx,
        f"{file_stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click=record_export,
        args=(f"{file_stem}.xlsx",),
    )
    right.download_button(
        "CSV herunterladen",
        csv,
        f"{file_stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        on_click=record_export,
        args=(f"{file_stem}.csv",),
    )


def record_export(file_name: str, action: str = "export") -> None:
    """Every download goes into the audit log: who took which table or briefing."""
    audit.record(action, auth.user_name(), file_name)
