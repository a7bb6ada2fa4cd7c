"""Downloads of shown tables as Excel and CSV, exactly as shown (hidden cells stay hidden) and
safe against formula injection: no text cell may start a formula in a spreadsheet program.

In the Excel file a figure is a number, so that people can calculate with it: a cell the screen
shows as "64,7 %", "1.234", "≥ 85,5 %", "14,0 Tage" or "+2,3 Prozentpunkte" holds 64.7, 1234,
85.5, 14.0 or 2.3 with a number format that shows it as on the screen (German Excel shows
#,##0.0 as 1.234,5). Percentages stay numbers from 0 to 100, in the unit the screen shows. A
hidden cell ("•") is empty with a note saying why, never the value; "–" (no value) is empty. The
CSV file keeps the screen's text (German Excel reads "1.234" and "64,7 %" as numbers itself)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st
from openpyxl import Workbook
from openpyxl.comments import Comment

from access import audit
from core.catalogue import catalogue
from core.format import plain
from metrics.texts import INTERNAL_MARK, SUPPRESSED_MARK
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


HIDDEN_NOTE = (
    "Geheimhaltung: ein kleiner Wert (weniger als 3 Fälle) oder ein Wert, aus dem sich ein solcher errechnen ließe. "
    "Die Zelle bleibt leer."
)
NOTES = {" (intern)": f"Interner Wert: {INTERNAL_MARK}.", " ✎": "Nach der Sitzung korrigiert."}
EXPLANATION = [
    "Hinweise zu dieser Tabelle",
    "Zahlen sind als Zahlen gespeichert und lassen sich weiterverrechnen; das Zahlenformat zeigt sie wie im "
    "KIM-Cockpit (Tausenderpunkt, Dezimalkomma, Einheit).",
    "Prozentwerte stehen als Zahl von 0 bis 100 in der Zelle: 64,7 bedeutet 64,7 %.",
    "Leere Zelle mit Notiz „Geheimhaltung“: der Wert ist geheim (im Cockpit „•“). Leere Zelle ohne Notiz: kein Wert.",
]
DAY_FORMAT = "DD.MM.YYYY"
TIME_FORMAT = "DD.MM.YYYY HH:MM"


@functools.cache
def _shown_number() -> re.Pattern[str]:
    """The grammar of a figure as ui/format writes it: an optional comparison ('≥ '), sign, German
    digits grouped by points, decimals after a comma, a unit of the catalogue, an optional mark."""
    units = {k.unit for k in catalogue().kennzahlen if k.unit != "Anzahl"} | {"Prozentpunkte"}
    unit = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    marks = "|".join(re.escape(m) for m in NOTES)
    return re.compile(
        rf"(?P<compare>[≥≤] )?(?P<sign>[+±\-−])?(?P<whole>\d{{1,3}}(?:\.\d{{3}})*)(?:,(?P<decimals>\d+))?"
        rf"(?: (?P<unit>{unit}))?(?P<mark>{marks})?"
    )


def _csv_quoted(text: str) -> str:
    return '"' + text.replace('"', "") + '"'


def shown_number(text: str) -> tuple[float, str, str | None] | None:
    """A figure as shown ('1.234', '64,7 %', '≥ 85,5 %', '+2,3 Prozentpunkte', '12,0 % (intern)')
    as a number, its Excel number format and a note; None for any other text."""
    match = _shown_number().fullmatch(text)
    if match is None:
        return None
    decimals = match["decimals"] or ""
    value = float(f"{match['whole'].replace('.', '')}.{decimals or '0'}")
    body = "#,##0" + (f".{'0' * len(decimals)}" if decimals else "")
    suffix = _csv_quoted(f" {match['unit']}") if match["unit"] else ""
    prefix = _csv_quoted(match["compare"]) if match["compare"] else ""
    sign = match["sign"]
    if sign in ("-", "−"):  # the hyphen-minus of older files, or the minus sign as shown
        value = -value
    if sign:  # a change: its sign always shown, as on the screen
        number_format = ";".join(f"{prefix}{_csv_quoted(mark)}{body}{suffix}" for mark in ("+", "−", "±"))
    else:
        number_format = f"{prefix}{body}{suffix}"
    note = NOTES.get(match["mark"]) if match["mark"] else None
    return (0.0 if sign == "±" else value), number_format, note


def excel_cell(value: object) -> tuple[object, str | None, str | None]:
    """A cell of a shown table for Excel: its value, number format and note."""
    if isinstance(value, str):
        text = value.strip()
        if text == SUPPRESSED_MARK:
            return None, None, HIDDEN_NOTE
        if text in ("–", ""):
            return None, None, None
        number = shown_number(text)
        return number if number is not None else (safe_text(value), None, None)
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):  # type: ignore[call-overload]
        return None, None, None
    if isinstance(value, (bool, np.bool_)):
        return bool(value), None, None
    if isinstance(value, (int, np.integer)):
        return int(value), "#,##0", None
    if isinstance(value, (float, np.floating)):
        return float(value), "#,##0.0##", None
    if isinstance(value, dt.datetime):  # also pd.Timestamp; Excel knows no time zones
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("Europe/Berlin").tz_localize(None)
        return stamp.to_pydatetime(), TIME_FORMAT, None
    if isinstance(value, dt.date):
        return value, DAY_FORMAT, None
    return safe_text(str(value)), None, None


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Tabelle") -> bytes:
    table = frame.copy()
    if table.index.name is not None or not isinstance(table.index, pd.RangeIndex):
        table = table.reset_index()
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet[:31]
    worksheet.append([safe_text(str(c)) for c in table.columns])
    hidden = False
    for row_number, row in enumerate(table.itertuples(index=False), start=2):
        for column_number, value in enumerate(row, start=1):
            cell_value, number_format, note = excel_cell(value)
            cell = worksheet.cell(row=row_number, column=column_number, value=cell_value)  # type: ignore[arg-type]
            if number_format:
                cell.number_format = number_format
            if note:
                cell.comment = Comment(note, "KIM-Cockpit")
                hidden = hidden or note == HIDDEN_NOTE
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    notes = workbook.create_sheet("Hinweise")
    for line in EXPLANATION if hidden else EXPLANATION[:3]:
        notes.append([line])
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


def plain_table(frame: pd.DataFrame) -> None:
    """A short table whose cells wrap, so that a long message or title is read whole. Streamlit
    reads a plain table's cells and headers as Markdown, so every text in it is shown as typed
    (`plain`): a name, a file name, a message quoting a cell or a table title a user gave never
    loads, links or formats, whatever the column's type."""
    shown = frame.map(lambda value: plain(value) if isinstance(value, str) else value)
    shown.columns = [plain(column) for column in frame.columns]
    styled = shown.style
    for typed, column in zip(frame.columns, shown.columns, strict=True):  # codes, dates and counts on
        longest = int(frame[typed].astype(str).str.len().max()) if len(frame) else 0  # one line
        if longest <= 16:
            styled = styled.set_properties(subset=[column], **{"min-width": f"{longest + 2}ch"})
    st.table(styled, hide_index=True, border="horizontal")


def table(
    frame: pd.DataFrame | TableFiles,
    key: str,
    file_stem: str,
    *,
    wrapped: bool = False,
    **options: object,
) -> None:
    """Show a table with its two downloads (the files made now, unless they come with the table).
    ``wrapped``: a few rows of long text as a plain table whose cells wrap, instead of the
    scrolling grid that cuts long text off (`plain_table`; on screen only, the files keep the text
    as it is)."""
    if isinstance(frame, TableFiles):
        shown, xlsx, csv = frame.arrow, frame.xlsx, frame.csv
    else:
        shown, xlsx, csv = frame, xlsx_bytes(frame), csv_bytes(frame)
    if wrapped:
        plain_table(shown if isinstance(shown, pd.DataFrame) else shown.to_pandas())
    else:
        st.dataframe(shown, key=key, **options)  # type: ignore[arg-type]
    row = st.container(horizontal=True)  # each button as wide as its label: never "Excel herunter…"
    left = right = row
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
