"""Official statistics tables as the portals export them (the GENESIS family): IT.NRW's
Landesdatenbank NRW, the Regionaldatenbank Deutschland and GENESIS-Online.

What such an export looks like (CSV in Windows-1252 with ``;``, the XLSX download of the same table,
the legacy .xls export):

- a first line ``Tabelle: <code>`` or ``GENESIS-Tabelle: <code>`` (in an XLSX download the code may
  stand only in the sheet name);
- title lines: text in the first cell only (a title may be wrapped over two lines);
- one to four header rows: empty leading cells, then the labels of each value column from top to
  bottom (repeated across columns in a CSV, merged cells in a workbook), the last often a unit row;
- data rows: the period (``31.12.2024`` or ``2024``) unless it stands in a header row, the region as
  AGS (``05978``, ``05978004``, ``5978`` after a spreadsheet re-save, a 12-digit ARS) and its
  indented name, perhaps category columns (a nationality code and name, a Schulart), then values;
- a footer from the ``__________`` line on: footnotes, ``©`` lines and ``Stand: dd.mm.yyyy / hh:mm:ss``.

Recognition is by content, never by file name. Only the rows of the Kreis Unna and its ten Kommunen
are kept; every value cell of a kept row becomes one long row (Merkmal, region, period, value,
official symbol). Symbols: ``-`` nothing (stored as 0 with the symbol), ``.`` unknown or secret,
``x`` not meaningful, ``...`` not yet available, ``/`` not reliable enough (each stored without a
value), ``(n)`` limited reliability (stored with its value).

The file is parsed in the sandbox (``loaders.sandbox``: a forked child with a memory cap and a time
limit), after the same checks of what the file really is (zip bombs, XML entities, foreign formats)
as every other upload; the parent trusts nothing of the child's answer it has not checked.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.ipc
import python_calamine

from core import format as fmt
from core.files import write_json
from core.normalize import value_key
from core.reference import kommunen, kreis
from loaders.personal import column_letter, personal_data_kind
from loaders.read import SPREADSHEET_SUFFIXES, Cell, Sheet, UnreadableFileError, cell_text, read_workbook

KREIS = "05978"
SYMBOLS = {"-": "-", ".": ".", "x": "x", "X": "x", "...": "...", "…": "...", "/": "/"}
_CODE_LINE = re.compile(r"^\s*(?:GENESIS-)?Tabelle:\s*(\S.*?)\s*$", re.IGNORECASE)
_SHEET_CODE = re.compile(r"^\d{5}-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*$")
_FOOTER = re.compile(r"^_{5,}\s*$")
_STAND = re.compile(r"Stand:\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*/\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_LEADING_ZERO = re.compile(r"^0\d")
_NUMBER = re.compile(r"^-?\d+(?:,\d+)?$")
_BRACKETED = re.compile(r"^\((-?\d+(?:,\d+)?)\)$")
_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_SCHOOL_YEAR = re.compile(r"^((?:19|20)\d{2})\s*/\s*(?:\d{2}|\d{4})$")
_REGION_CODE = re.compile(r"^(?:\d{1,12}|DG|[A-Z]{1,3}\d{0,12})$")
_REGION_TITLE = re.compile(
    r"^\s*(?:[^,;]+,\s*(?:krfr\.|kreisfreie|Kreis|Landkreis|Stadt|Regierungsbezirk|Städteregion|Gemeinde).*"
    r"|Nordrhein-Westfalen|Deutschland)\s*$"
)
_VALIDITY = re.compile(r"\s*\((?:ab|bis|seit|gültig)[^)]*\)\s*$", re.IGNORECASE)
_DEFUNCT = re.compile(r"\(\s*bis\b", re.IGNORECASE)
_PERIOD_WORDS = ("stichtag", "jahr", "monat", "schuljahr", "zeit", "berichtsjahr", "jahresdurchschnitt")
_MONTHS = {
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}  # fmt: skip
MAX_HEADER_ROWS = 6
Merge = tuple[tuple[int, int], tuple[int, int]]  # (first row, first column), (last row, last column)
_VALUES_SCHEMA = pa.schema(
    [
        ("merkmal", pa.string()),
        ("region", pa.string()),
        ("periode", pa.string()),
        ("wert", pa.string()),
        ("symbol", pa.string()),
        ("excel_zeile", pa.int64()),
    ]
)


class StatistikError(UnreadableFileError):
    """An official statistics table that cannot be stored (a whole-file error, in German)."""


@dataclass
class StatTable:
    """What a GENESIS export holds of the Kreis Unna, in long form."""

    tabelle: str
    titel: str
    stand: dt.datetime | None
    quelle: str  # the © line(s) of the footer, for the attribution
    sheet: str | None
    values: pa.Table  # _VALUES_SCHEMA
    hinweise: list[str] = field(default_factory=list)


# --- recognition and parsing (in the sandbox's child) -------------------------------------------


def parse_statistik(path: Path) -> StatTable | None:
    """The Kreis Unna's values of an official statistics export; None when the file is no such
    export (then it is left to the other readers). Raises StatistikError for an export that cannot
    be stored. Runs in this process: for an upload use ``read_statistik``."""
    sheets, _facts = read_workbook(path)  # what the file really is, zip and OLE checks
    merges = _read_merges(path, sheets)
    for sheet in sheets:
        if sheet.hidden:
            continue
        layout = _recognise(sheet)
        if layout is not None:
            for other in sheets:  # hidden sheets and footnotes too, like every upload
                _refuse_personal(other)
            return _parse_sheet(sheet, merges.get(sheet.name or "", []), *layout)
    return None


def _text(value: Cell) -> str:
    return cell_text(value) if not isinstance(value, str) else value


def _recognise(sheet: Sheet) -> tuple[str | None, int, int] | None:
    """(table code, first row after the code line, footer row) of an export, or None."""
    rows = sheet.rows
    first = next((i for i, row in enumerate(rows) if any(_text(c).strip() for c in row)), None)
    if first is None:
        return None
    footer = next(
        (
            i
            for i, row in enumerate(rows)
            if row and _FOOTER.match(_text(row[0])) and not any(_text(c) for c in row[1:])
        ),
        len(rows),
    )
    match = _CODE_LINE.match(_text(rows[first][0])) if rows[first] else None
    has_stand = any(_STAND.search(_text(c)) for row in rows[footer:] for c in row[:1])
    if match:
        return match.group(1), first + 1, footer
    name = (sheet.name or "").strip()
    if _SHEET_CODE.match(name) and footer < len(rows):
        return name, first, footer
    if footer < len(rows) and has_stand:  # a legacy export without its code (refused unless it names one)
        return None, first, footer
    return None


def _is_value(value: Cell) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    text = _text(value).strip()
    return bool(text in SYMBOLS or _NUMBER.match(text) or _BRACKETED.match(text))


def _parse_value(value: Cell) -> tuple[str | None, str | None] | None:
    """(value with '.' as decimal point, official symbol); None for a cell that is neither."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return canonical(repr(float(value)) if isinstance(value, float) else str(value)), None
    text = _text(value).strip()
    if text in SYMBOLS:
        symbol = SYMBOLS[text]
        return ("0" if symbol == "-" else None), symbol
    if _NUMBER.match(text):
        return canonical(fmt.parse_decimal(text)), None
    bracketed = _BRACKETED.match(text)
    if bracketed:
        return canonical(fmt.parse_decimal(bracketed.group(1))), "()"
    return None


def canonical(text: str | Decimal) -> str:
    """A number as plain decimal text without trailing zeros: '6.0', Decimal('6.0') and 6.0 all give '6'."""
    try:
        number = Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - only numbers reach here
        raise ValueError(text) from error
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def _period(value: Cell) -> str | None:
    """'2024-12' for a Stichtag, '2024' for a year or a school year given as a year; else None."""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = _text(value).strip()
    date = _DATE.match(text)
    if date:
        day, month, year = int(date.group(1)), int(date.group(2)), int(date.group(3))
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
        return f"{year:04d}-{month:02d}"
    iso = _ISO_DATE.match(text)
    if iso:
        return f"{iso.group(1)}-{iso.group(2)}"
    if _YEAR.match(text):
        return text
    school = _SCHOOL_YEAR.match(text)
    if school:
        return school.group(1)
    return None


def _month_of(label: str) -> int | None:
    words = label.strip().lower().split()
    return _MONTHS.get(words[0]) if words else None


def _label(value: Cell) -> str:
    return " ".join(_text(value).split())


def _fill_merges(merges: list[Merge], rows: list[list[Cell]], indices: list[int]) -> None:
    """A workbook keeps a merged label in the first cell of its range only: copy it across."""
    for (top, left), (bottom, right) in merges:
        for row in range(top, bottom + 1):
            if row not in indices or row >= len(rows):
                continue
            cells = rows[row]
            label = rows[top][left] if left < len(rows[top]) else ""
            for column in range(left, min(right + 1, len(cells))):
                if not _text(cells[column]).strip():
                    cells[column] = label


def _read_merges(path: Path, sheets: list[Sheet]) -> dict[str, list[Merge]]:
    """The merged ranges of each sheet of a workbook (calamine reports them apart from the cells)."""
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return {}
    merges: dict[str, list[Merge]] = {}
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        for sheet in sheets:
            if sheet.name is not None:
                ranges = workbook.get_sheet_by_name(sheet.name).merged_cell_ranges or []
                merges[sheet.name] = [((a, b), (c, d)) for (a, b), (c, d) in ranges]
    except (python_calamine.CalamineError, ValueError, OSError, TypeError):
        return merges  # a workbook without merge information is read as it is
    return merges


@dataclass
class _Region:
    ags: str | None  # Kreis Unna or one of its Kommunen; None for any other region
    name: str  # as written, for the message naming the regions a table contains


@cache
def _allowed() -> frozenset[str]:
    return frozenset({KREIS} | {k.ags for k in kommunen()})


@cache
def _kommune_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for kommune in kommunen():
        for name in (kommune.name, *kommune.varianten):
            keys[value_key(name)] = kommune.ags
    return keys


def _region_from_code(code: str) -> str | None:
    if not code.isdigit():
        return None
    if len(code) == 12:  # ARS: Land, Regierungsbezirk, Kreis (5), Gemeindeverband (4), Gemeinde (3)
        code = code[:5] if code[5:] == "0000000" else code[:5] + code[9:]
    elif len(code) in (1, 4, 7):  # the leading zero lost by a spreadsheet
        code = "0" + code
    return code if code in _allowed() else None


@cache
def _region_from_name(name: str) -> str | None:
    if _DEFUNCT.search(name):
        return None  # a unit of the past
    text = _VALIDITY.sub("", name.strip())
    base, _, kind = text.partition(",")
    folded_kind = value_key(kind)
    if value_key(base) == "unna" and folded_kind in ("kreis", "landkreis"):
        return KREIS
    if value_key(text) in {value_key(n) for n in (kreis().name, "Unna, Kreis", "Landkreis Unna")}:
        return KREIS
    return _kommune_keys().get(value_key(base))


def _parse_sheet(sheet: Sheet, merges: list[Merge], code: str | None, start: int, footer: int) -> StatTable:
    rows = [list(row) for row in sheet.rows[:footer]]
    width = max((len(r) for r in rows[start:]), default=0)
    for row in rows:
        row.extend([""] * (width - len(row)))
    body = [i for i in range(start, footer) if any(_text(c).strip() for c in rows[i])]

    def filled(i: int) -> list[int]:
        return [c for c, v in enumerate(rows[i]) if _text(v).strip()]

    titles: list[int] = []
    for i in body:
        if filled(i) == [0]:
            titles.append(i)
        else:
            break
    rest = body[len(titles) :]
    first_data = next(
        (
            i
            for i in rest
            if _text(rows[i][0]).strip() and len(filled(i)) >= 2 and any(_is_value(c) for c in rows[i][1:])
        ),
        None,
    )
    title_texts = [_label(rows[i][0]) for i in titles]
    titel = " ".join(t for t in title_texts if not _REGION_TITLE.match(t)) or (code or "")
    footer_texts = [_text(c) for row in sheet.rows[footer:] for c in row[:1] if _text(c).strip()]
    stand = _stand(footer_texts)
    quelle = " ".join(t.strip() for t in footer_texts if t.strip().startswith(("©", "(C)", "(c)")))
    name = code or titel
    if first_data is None:
        raise StatistikError(f"Die Tabelle „{name}“ enthält keine Datenzeilen mit Werten.")
    headers = [i for i in rest if i < first_data]
    if not headers or len(headers) > MAX_HEADER_ROWS:
        raise StatistikError(
            f"In der Tabelle „{name}“ wurden die Kopfzeilen nicht erkannt ({len(headers)} Zeilen zwischen Titel und "
            "Daten). Bitte die Tabelle unverändert aus dem Statistikportal exportieren."
        )
    _fill_merges(merges, rows, headers)
    data = [i for i in rest if i >= first_data]

    # Value columns: from the first labelled column of the last header row on; a column there whose
    # cells are mostly text is a labelled leading column ("Jahr", "Kreis") instead. A single odd cell
    # stays in its value column and is reported below, never taken for a label.
    last = headers[-1]
    value_start = min(filled(last))

    def mostly_text(column: int) -> bool:
        texts = [rows[i][column] for i in data if _text(rows[i][column]).strip()]
        if texts and all(_period(v) for v in texts):
            return True  # the period column, under a label such as "Jahr"
        labels = sum(not _is_value(v) or bool(_LEADING_ZERO.match(_text(v).strip())) for v in texts)
        return labels * 2 > len(texts)  # text, or codes with their leading zero ("05978")

    while value_start < width and mostly_text(value_start):
        value_start += 1
    # An export may leave a leading cell empty where it repeats the one above (the period or the
    # region of a block of category rows): it is filled from above, never left without a region.
    for previous, i in itertools.pairwise(data):
        for column in range(value_start):
            if not _text(rows[i][column]).strip():
                rows[i][column] = rows[previous][column]
    value_columns = [c for c in range(value_start, width) if any(_text(rows[h][c]).strip() for h in headers)]
    if not value_columns:
        raise StatistikError(f"In der Tabelle „{name}“ wurden keine Wertespalten erkannt.")

    # The period: a leading column, a header row (one column per Stichtag or year), or both (a
    # year per row and a month per column).
    leading = list(range(value_start))
    period_column = next(
        (c for c in leading if all(_period(rows[i][c]) for i in data if _text(rows[i][c]).strip())
         and any(_text(rows[i][c]).strip() for i in data)),
        None,
    )  # fmt: skip
    column_period: dict[int, str] = {}
    column_month: dict[int, int] = {}
    period_rows: set[int] = set()
    for h in headers:
        labels = {c: _label(rows[h][c]) for c in value_columns}
        if all(labels.values()) and all(_period(v) for v in labels.values()):
            column_period = {c: str(_period(v)) for c, v in labels.items()}
            period_rows.add(h)
        elif all(labels.values()) and all(_month_of(v) for v in labels.values()):
            column_month = {c: int(_month_of(v) or 0) for c, v in labels.items()}
            period_rows.add(h)
    if period_rows:  # a row naming the period rows ("Stichtag", "Jahr", "Monate (…)") says nothing else
        for h in headers:
            if h >= min(period_rows):
                break
            words = {_label(rows[h][c]).lower() for c in value_columns if _label(rows[h][c])}
            if len(words) == 1 and next(iter(words)).startswith(_PERIOD_WORDS):
                period_rows.add(h)

    # The region: a code column followed by its name, else a column of names, else the title.
    others = [c for c in leading if c != period_column]
    region_code: int | None = None
    region_name: int | None = None
    for position, c in enumerate(others):
        values = [_text(rows[i][c]).strip() for i in data]
        nxt = others[position + 1] if position + 1 < len(others) else None
        if (
            all(_REGION_CODE.match(v) for v in values if v)
            and any(values)
            and nxt is not None
            and any(_text(rows[i][nxt]).strip() and not _is_value(rows[i][nxt]) for i in data)
        ):
            region_code, region_name = c, nxt
            break
    if region_code is None:
        for c in others:
            if any(_region_from_name(_text(rows[i][c])) for i in data) or any(
                _REGION_TITLE.match(_text(rows[i][c])) for i in data
            ):
                region_name = c
                break
    categories = [c for c in others if c not in (region_code, region_name)]
    title_regions = [t for t in title_texts if _REGION_TITLE.match(t)]

    def region_of(i: int) -> _Region:
        if region_code is not None:
            name_cell = _label(rows[i][region_name or region_code])
            written = f"{_text(rows[i][region_code]).strip()} {name_cell}".strip()
            if _DEFUNCT.search(name_cell):  # a unit of the past under the same code ("… (bis 31.12.1974)")
                return _Region(None, written)
            return _Region(_region_from_code(_text(rows[i][region_code]).strip()), written)
        if region_name is not None:
            written = _label(rows[i][region_name])
            return _Region(_region_from_name(_text(rows[i][region_name])), written)
        written = title_regions[0] if title_regions else ""
        return _Region(_region_from_name(written) if written else None, written)

    regions = [(i, region_of(i)) for i in data]
    kept = [(i, r) for i, r in regions if r.ags is not None]
    if not kept:
        seen = list(dict.fromkeys(r.name for _, r in regions if r.name))
        shown = ", ".join(seen[:8]) + (f" und {len(seen) - 8} weitere" if len(seen) > 8 else "")
        raise StatistikError(
            f"Die Tabelle „{name}“ enthält keine Zeile für den Kreis Unna oder eine seiner Kommunen, sondern "
            + (f"nur: {shown}." if seen else "keine erkennbare Region.")
            + " Bitte die Tabelle für den Kreis Unna (oder mit seinen Gemeinden) erneut abrufen."
        )
    if code is None:
        raise StatistikError(
            f"Die Tabelle „{titel}“ nennt keinen Tabellencode (erste Zeile „Tabelle: …“). Bitte die Tabelle "
            "unverändert als CSV aus dem Statistikportal exportieren."
        )
    if period_column is None and not column_period:
        raise StatistikError(
            f"In der Tabelle „{name}“ wurde kein Zeitraum (Stichtag oder Jahr) erkannt, weder als Spalte noch als "
            "Kopfzeile."
        )

    merkmal_rows = [h for h in headers if h not in period_rows]
    paths: dict[int, list[str]] = {}
    for c in value_columns:
        path = [_label(rows[h][c]) for h in merkmal_rows if _label(rows[h][c])]
        paths[c] = path or ([title_texts[-1]] if title_texts else [name])
    hinweise: list[str] = []
    # A column that repeats another column's labels: one value if its cells are the same, else
    # told apart by its column letter.
    by_path: dict[tuple[str, ...], list[int]] = {}
    for c in value_columns:
        by_path.setdefault((*paths[c], column_period.get(c, ""), str(column_month.get(c, ""))), []).append(c)
    for twins in by_path.values():
        for c in twins[1:]:
            if all(_parse_value(rows[i][c]) == _parse_value(rows[i][twins[0]]) for i in data):
                value_columns.remove(c)
                hinweise.append(
                    f"Spalte {column_letter(c)} wiederholt Spalte {column_letter(twins[0])} mit denselben Werten "
                    "und wird nur einmal gespeichert."
                )
            else:
                paths[c] = [*paths[c], f"Spalte {column_letter(c)}"]

    out: dict[str, list[Any]] = {n: [] for n in _VALUES_SCHEMA.names}
    seen_keys: dict[tuple[str, str, str], int] = {}
    for i, region in kept:
        row_period = _period(rows[i][period_column]) if period_column is not None else None
        cats = [_label(rows[i][c]) for c in categories if _label(rows[i][c])]
        for c in value_columns:
            cell = rows[i][c]
            if not _text(cell).strip():
                continue  # an empty cell holds no value and no symbol
            parsed = _parse_value(cell)
            if parsed is None:
                raise StatistikError(
                    f"In der Tabelle „{name}“ steht in Zeile {i + 1}, Spalte {column_letter(c)} weder eine Zahl noch "
                    "ein Zeichen der amtlichen Statistik (-, ., x, ..., /). Bitte die Tabelle unverändert exportieren."
                )
            periode = column_period.get(c) or row_period
            if column_month and row_period and len(row_period) == 4:
                periode = f"{row_period}-{column_month[c]:02d}"
            if periode is None:
                raise StatistikError(f"In der Tabelle „{name}“ hat Zeile {i + 1} keinen Zeitraum.")
            merkmal = " | ".join([*paths[c], *cats])
            key = (merkmal, str(region.ags), periode)
            if key in seen_keys:
                raise StatistikError(
                    f"In der Tabelle „{name}“ steht derselbe Wert ({merkmal}, {region.name}, {periode}) in Zeile "
                    f"{seen_keys[key]} und Zeile {i + 1}. Bitte die Tabelle unverändert exportieren."
                )
            seen_keys[key] = i + 1
            for column_name, item in zip(
                _VALUES_SCHEMA.names, (merkmal, region.ags, periode, parsed[0], parsed[1], i + 1), strict=True
            ):
                out[column_name].append(item)
    skipped = len(regions) - len(kept)
    if skipped:
        hinweise.insert(
            0,
            f"{skipped} Zeilen anderer Regionen (etwa Land, Regierungsbezirke, andere Kreise und Gemeinden, "
            "frühere Gebietseinheiten) wurden übersprungen; gespeichert werden nur der Kreis Unna und seine Kommunen.",
        )
    return StatTable(
        tabelle=code,
        titel=titel,
        stand=stand,
        quelle=quelle,
        sheet=sheet.name,
        values=pa.table(out, schema=_VALUES_SCHEMA),
        hinweise=hinweise,
    )


def _stand(texts: list[str]) -> dt.datetime | None:
    for text in reversed(texts):
        match = _STAND.search(text)
        if match:
            day, month, year, hour, minute, second = (int(g) if g else 0 for g in match.groups())
            try:
                return dt.datetime(year, month, day, hour, minute, second)
            except ValueError:
                return None
    return None


def _refuse_personal(sheet: Sheet) -> None:
    """An official table holds no personal data; a file that does is not one and is not kept. Looked
    for in every text cell of the sheet (titles, headers, rows of every region, footnotes), each
    distinct text once; the message names the first cell, never its value."""
    seen: set[str] = set()
    for i, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if not isinstance(value, str) or value in seen or not value.strip():
                continue
            seen.add(value)
            kind = personal_data_kind(value)
            if kind is not None:
                where = f"Blatt '{sheet.name}', " if sheet.name else ""
                raise StatistikError(
                    f"{where}Zeile {i + 1}, Spalte {column_letter(c)} enthält {kind}. Dateien mit personenbezogenen "
                    "Daten werden nicht angenommen und nicht gespeichert."
                )


# --- the child's answer, and the parent's check of it --------------------------------------------


def write_child_result(path: Path, folder: Path) -> None:
    """In the sandbox's child: parse and write the answer (JSON and Arrow) into ``folder``."""
    try:
        table = parse_statistik(path)
    except UnreadableFileError as error:
        kind = "statistik" if isinstance(error, StatistikError) else "unreadable"
        write_json(folder / "result.json", {"error": kind, "message": error.user_message})
        return
    if table is None:
        write_json(folder / "result.json", {"recognised": False})
        return
    with pa.OSFile(str(folder / "values.arrow"), "wb") as sink, pa.ipc.new_file(sink, _VALUES_SCHEMA) as writer:
        writer.write_table(table.values)
    write_json(
        folder / "result.json",
        {
            "recognised": True,
            "tabelle": table.tabelle,
            "titel": table.titel,
            "stand": table.stand.isoformat() if table.stand else None,
            "quelle": table.quelle,
            "sheet": table.sheet,
            "hinweise": table.hinweise,
        },
    )


_PERIODE = re.compile(r"^(?:19|20)\d{2}(?:-(?:0[1-9]|1[0-2]))?$")
_WERT = re.compile(r"^-?\d+(?:\.\d+)?$")
_MAX_TEXT = 2000


def load_child_result(folder: Path) -> StatTable | None:
    """The child's answer, checked before it is trusted (a subverted child may only be wrong)."""
    description = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    if "error" in description:
        kind = StatistikError if description["error"] == "statistik" else UnreadableFileError
        raise kind(str(description["message"]))
    if description.get("recognised") is not True:
        return None
    values = pa.ipc.open_file(pa.py_buffer((folder / "values.arrow").read_bytes())).read_all()
    values.validate(full=True)
    if not values.schema.equals(_VALUES_SCHEMA):
        raise ValueError("unexpected schema")
    allowed = {KREIS} | {k.ags for k in kommunen()}
    symbols = set(SYMBOLS.values()) | {"()", None}
    for merkmal, region, periode, wert, symbol in zip(
        *(values.column(n).to_pylist() for n in ("merkmal", "region", "periode", "wert", "symbol")), strict=True
    ):
        if (
            not isinstance(merkmal, str)
            or not 0 < len(merkmal) <= _MAX_TEXT
            or region not in allowed
            or not isinstance(periode, str)
            or not _PERIODE.match(periode)
            or (wert is not None and not _WERT.match(wert))
            or symbol not in symbols
            or (wert is None and symbol is None)
        ):
            raise ValueError("unexpected value row")
    stand = description["stand"]
    texts = [description[k] for k in ("tabelle", "titel", "quelle")]
    if not all(isinstance(t, str) and len(t) <= _MAX_TEXT for t in texts) or not texts[0]:
        raise ValueError("unexpected description")
    return StatTable(
        tabelle=texts[0],
        titel=texts[1],
        stand=dt.datetime.fromisoformat(stand) if stand else None,
        quelle=texts[2],
        sheet=None if description["sheet"] is None else str(description["sheet"]),
        values=values,
        hinweise=[str(h) for h in description["hinweise"]][:100],
    )


def sniff_csv(path: Path) -> bool:
    """Whether a text file starts with a GENESIS code line: a prefix of raw bytes, nothing parsed."""
    if path.suffix.lower() not in (".csv", ".txt"):
        return False
    with path.open("rb") as handle:
        head = handle.read(200)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    first = head.split(b"\n", 1)[0].lstrip()
    return first.startswith((b"Tabelle:", b"GENESIS-Tabelle:"))
