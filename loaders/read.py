"""Read a delivered file into sheets of raw cells, and find the table in them.

Spreadsheets (.xlsx, .xlsm, .xls, .ods) are read with calamine; CSV and text files with the csv
module (separator ; , or tab, UTF-8 with or without BOM or Windows-1252). A sheet's rows keep their
position: ``rows[i]`` is Excel row ``i + 1``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from loaders.errors import KimError
from loaders.normalize import display_header, header_key, words
from loaders.reference import read_yaml
from loaders.settings import DATA_DIR
from loaders.sources import Column, Source, sources

Cell = Any  # a value as calamine or the csv module gives it
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt"}
HEADER_SEARCH_ROWS = 30
MIN_HEADER_MATCHES = 2


class UnreadableFileError(KimError):
    """The file is not a table we can read (a whole-file error)."""


@dataclass
class Sheet:
    name: str | None  # None for a CSV file
    rows: list[list[Cell]]


@dataclass
class Table:
    """The located table: which sheet, which header row, which column is which."""

    sheet: Sheet
    source: Source
    header_index: int  # 0-based index into sheet.rows
    columns: dict[int, Column]  # position in the row → declared column
    headers: dict[int, str]  # position → header as written
    unknown: dict[int, str] = field(default_factory=dict)  # position → header not declared
    duplicates: dict[int, Column] = field(default_factory=dict)  # position → column matched before

    @property
    def header_row(self) -> int:
        """The header's row as the user sees it in Excel (1-based)."""
        return self.header_index + 1

    def header_of(self, column_name: str) -> str | None:
        for position, column in self.columns.items():
            if column.name == column_name:
                return self.headers[position]
        return None


def read_sheets(path: Path) -> list[Sheet]:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return [Sheet(None, _read_csv(path.read_bytes()))]
    if suffix in SPREADSHEET_SUFFIXES:
        return _read_spreadsheet(path)
    raise UnreadableFileError(
        f"Das Dateiformat '{path.suffix or 'ohne Endung'}' wird nicht unterstützt. Bitte eine "
        "Excel-Datei (.xlsx, .xlsm, .xls), eine OpenDocument-Tabelle (.ods) oder eine CSV-Datei liefern."
    )


def _read_spreadsheet(path: Path) -> list[Sheet]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            data = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheets.append(Sheet(meta.name, data))
        return sheets
    except python_calamine.PasswordError as error:
        raise UnreadableFileError(
            "Die Datei ist mit einem Kennwort geschützt. Bitte ohne Kennwortschutz speichern und erneut hochladen."
        ) from error
    except (python_calamine.CalamineError, ValueError, OSError) as error:
        raise UnreadableFileError(
            "Die Datei lässt sich nicht als Tabelle lesen (beschädigt oder kein Tabellenformat). "
            "Bitte die Datei in Excel öffnen, als .xlsx speichern und erneut hochladen."
        ) from error


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> list[list[Cell]]:
    if b"\x00" in data[:4096]:
        raise UnreadableFileError(
            "Die Datei ist keine Textdatei im CSV-Format. Bitte als CSV (UTF-8) oder Excel speichern."
        )
    text = _decode(data)
    delimiter = _sniff_delimiter(text)
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _sniff_delimiter(text: str) -> str:
    """The separator that splits the first lines into the most consistent, widest rows."""
    sample = text[:20000].splitlines()[:50]
    best, best_score = ";", -1
    for candidate in (";", "\t", ","):
        counts = [len(r) for r in csv.reader(sample, delimiter=candidate) if any(c.strip() for c in r)]
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        score = modal * counts.count(modal) if modal > 1 else 0
        if score > best_score:
            best, best_score = candidate, score
    return best


def _header_matches(row: list[Cell], source: Source) -> dict[int, Column]:
    keys = {key: column for column in source.columns for key in column.header_keys()}
    found: dict[int, Column] = {}
    for position, cell in enumerate(row):
        if cell is None or str(cell).strip() == "":
            continue
        column = keys.get(header_key(str(cell)))
        if column is not None and column not in found.values():
            found[position] = column
    return found


def locate_table(sheets: list[Sheet], source_name: str | None = None) -> Table:
    """Find the sheet, the header row and the source: the first row (of the first 30) that matches
    the most declared columns of a source."""
    candidates = [sources()[source_name]] if source_name else list(sources().values())
    best: tuple[int, int, Sheet, int, Source] | None = None
    ties: set[str] = set()
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            for source in candidates:
                matched = _header_matches(row, source)
                specific = sum(c.name not in ("kommune", "monat") for c in matched.values())
                # Prefer more matched columns, then a larger share of the source's columns.
                score = (len(matched), -len(source.columns))
                if len(matched) < MIN_HEADER_MATCHES or (specific == 0 and not source_name):
                    continue
                if best is None or score > (best[0], best[1]):
                    best = (score[0], score[1], sheet, index, source)
                    ties = {source.name}
                elif score == (best[0], best[1]) and sheet is best[2] and index == best[3]:
                    ties.add(source.name)
    wide = _wide_layout(sheets, best)
    if wide:
        raise UnreadableFileError(
            f"Die Tabelle hat eine Spalte je Monat ({wide}). Dieses Breitformat wird nicht übernommen: "
            "bitte je Kommune und Monat eine Zeile mit einer Spalte 'Monat' liefern, wie in der Vorlage."
        )
    if best is None:
        hint = f"der Quelle '{sources()[source_name].label}'" if source_name else "einer bekannten Datenquelle"
        raise UnreadableFileError(
            f"In der Datei wurde keine Kopfzeile {hint} gefunden. Bitte die Vorlage verwenden: die "
            "erste Zeile der Tabelle muss die Spaltenüberschriften enthalten (z. B. 'Kommune', 'Monat')."
        )
    if len(ties) > 1:
        raise UnreadableFileError(
            "Die Datenquelle ist an den Spalten nicht eindeutig zu erkennen (passt zu "
            f"{', '.join(sorted(ties))}). Bitte die Quelle beim Hochladen angeben."
        )
    _, _, sheet, index, source = best
    header = sheet.rows[index]
    columns = _header_matches(header, source)
    headers = {p: display_header(c) for p, c in enumerate(header) if c is not None and str(c).strip()}
    keys = {key: column for column in source.columns for key in column.header_keys()}
    duplicates = {p: keys[header_key(h)] for p, h in headers.items() if p not in columns and header_key(h) in keys}
    unknown = {p: h for p, h in headers.items() if p not in columns and p not in duplicates}
    return Table(sheet, source, index, columns, headers, unknown, duplicates)


def _wide_layout(sheets: list[Sheet], best: tuple[int, int, Sheet, int, Source] | None) -> str | None:
    """Month headers (e.g. 'Jan 2026', '2026-02') in the header row, or in any of the first rows when
    no header was found, and no month column: a wide layout with one column per month."""
    from loaders.values import parse_monat

    if best is not None:
        _, _, sheet, index, source = best
        if any(c.name == "monat" for c in _header_matches(sheet.rows[index], source).values()):
            return None
        rows = [sheet.rows[index]]
    else:
        rows = [row for sheet in sheets for row in sheet.rows[:HEADER_SEARCH_ROWS]]
    for row in rows:
        months = [cell_text(c) for c in row if c is not None and parse_monat(cell_text(c)) is not None]
        if len(months) >= 3:
            return f"{months[0]} … {months[-1]}"
    return None


def personal_data_words() -> tuple[tuple[str, ...], ...]:
    spec = read_yaml(DATA_DIR / "personenbezug.yaml")
    return tuple(tuple(words(entry)) for entry in spec["spaltenwoerter"])


def looks_personal(header: str, forbidden: tuple[tuple[str, ...], ...]) -> bool:
    """True when the header contains a forbidden word (or word sequence) as whole words."""
    tokens = words(header)
    for phrase in forbidden:
        n = len(phrase)
        if any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1)):
            return True
    return False


def cell_text(value: Cell) -> str:
    """A cell as text in one canonical form: numbers without a spurious '.0' and with a decimal
    comma, dates as ISO, booleans as ja/nein, empty as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _number_text(value: float | int) -> str:
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",")
    return str(value)


def column_texts(cells: list[Cell]) -> list[str]:
    """``cell_text`` for a whole column, with fast paths for the usual single-type columns."""
    types = set(map(type, cells))
    if types <= {str}:
        return [c.strip() for c in cells]
    if types <= {str, float, int, type(None)}:
        return [c.strip() if type(c) is str else "" if c is None else _number_text(c) for c in cells]
    if types <= {str, dt.date, type(None)}:
        return [c.strip() if type(c) is str else "" if c is None else c.isoformat() for c in cells]
    return [cell_text(c) for c in cells]
