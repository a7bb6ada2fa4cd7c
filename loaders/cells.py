"""What a file holds beside the values of its table, looked at before anything of it is kept.

Runs in the sandbox, after the table was located (``loaders.read.parse_tables``), and returns
findings that reject the file:

- **Personal data anywhere.** Every cell of every sheet — hidden and very hidden sheets, notes
  sheets, title and footnote rows, columns without a header — is checked with the patterns of
  ``loaders.personal``; so are cell comments (notes and threaded comments of .xlsx/.xlsm,
  annotations of .ods) and text boxes of .xlsx drawings. The cells of the table itself are left to
  the validator, which checks the declared text columns and the undeclared ones. A message names
  the place and the kind of data, never the value. A rejected file is not kept anywhere.
- **Excel error cells** (#DIV/0!, #NV, #WERT!, …) in a declared column of the table: calamine reads
  them as empty cells, so a value would be lost without a word.
- **Formulas** in a declared column of the table (not in a Kreis total row, which is only compared,
  never stored): a workbook keeps the value of a formula as last calculated, which may be stale or
  (when a program wrote the file) missing. The file is refused with the place of each formula and
  the advice to save the values; a file of values is unambiguous, and pasting as values takes one
  step in Excel.

Only what is needed is read a second time: the zip check (``loaders.read.check_zip``) notes on its
way which worksheets hold a formula or an error cell and whether an .ods holds annotations or
formulas; only those parts, the small comment and drawing parts, and the workbook's part list are
opened again. Formulas and error cells of .xls files and the cells of .ods formulas are not located
(see the README).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from core import format as fmt
from core.reference import KREIS_MARKER, resolve_kommune
from loaders.personal import column_letter, personal_data_kind
from loaders.read import (
    ERROR_MARKER,
    FORMULA_MARKER,
    ODS_ANNOTATION,
    ODS_FORMULA,
    Finding,
    Located,
    Sheet,
    Table,
    ZipFacts,
    cell_text,
    locate_tables,
    read_workbook,
    table_texts,
)

MAX_FINDINGS_PER_PLACE = 20  # formulas or error cells reported per sheet and column; then a count
_CHUNK = 4 * 1024 * 1024
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_ERROR_VALUE = re.compile(rb"<v>([^<]{1,16})</v>")
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Error values as written in the file (always English) and as German Excel shows them.
GERMAN_ERRORS = {
    "#DIV/0!": "#DIV/0!",
    "#N/A": "#NV",
    "#NAME?": "#NAME?",
    "#NULL!": "#NULL!",
    "#NUM!": "#ZAHL!",
    "#REF!": "#BEZUG!",
    "#VALUE!": "#WERT!",
    "#GETTING_DATA": "#DATEN_ABRUFEN",
    "#SPILL!": "#ÜBERLAUF!",
    "#CALC!": "#KALK!",
}
PERSONAL_ADVICE = (
    "(personenbezogene Daten; der Wert wird nicht angezeigt). Dateien mit personenbezogenen Daten werden "
    "nicht gespeichert. Bitte die Angabe entfernen – auch auf ausgeblendeten Blättern, in Notizen und "
    "Kommentaren – und die Datei erneut hochladen."
)
UNCHECKABLE = (
    "Ein Teil der Arbeitsmappe (Kommentare, Textfelder oder Formeln) lässt sich nicht lesen und daher nicht auf "
    "personenbezogene Daten prüfen. Bitte die Datei in Excel öffnen, als Excel-Arbeitsmappe (.xlsx) speichern "
    "und erneut hochladen."
)
FORMULA_MESSAGE = (
    "Die Zelle {ref} enthält eine Formel. Gespeichert würde nur ihr zuletzt berechneter Wert, der veraltet "
    "sein oder fehlen kann. Bitte die Tabelle mit Werten statt Formeln speichern (Zellen kopieren und mit "
    "„Inhalte einfügen → Werte“ einfügen) und erneut hochladen."
)
ERROR_MESSAGE = (
    "Die Zelle {ref} enthält den Excel-Fehlerwert {value} statt einer Angabe; der Wert ginge verloren. Bitte "
    "die Ursache in der Datei beheben (etwa eine Division durch null oder einen fehlenden Bezug) und erneut "
    "hochladen."
)


def inspect_cells(path: Path, sheets: list[Sheet], facts: ZipFacts | None, located: Located) -> list[Finding]:
    """Every finding of the file, in workbook order: personal data in cells, then in comments and
    text boxes, then error cells and formulas of the table."""
    findings: list[Finding] = []
    tables = {id(table.sheet): table for table in located.tables}
    for sheet in sheets:
        findings += _personal_cells(sheet, tables.get(id(sheet)))
    if facts is None:
        return findings
    try:
        with zipfile.ZipFile(path) as archive:
            if "xl/workbook.xml" in facts.names:
                findings += _xlsx_findings(archive, facts, sheets, located)
            elif "content.xml" in facts.names:
                findings += _ods_findings(archive, facts)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError, ValueError, UnicodeError):
        # What cannot be read cannot be checked: refused, as Excel never writes such parts.
        findings.append(Finding(UNCHECKABLE, None, None, None))
    return findings


# --- personal data in cells -------------------------------------------------------------------


def _personal_cells(sheet: Sheet, table: Table | None) -> list[Finding]:
    """One finding per column of a sheet that holds personal data outside the table's own cells
    (those are the validator's: the headed columns of the data rows)."""
    checked_rows: set[int] = set()
    headed: dict[int, str] = {}
    if table is not None and table.texts is not None:
        checked_rows = set(table.texts.excel_rows.tolist())
        headed = table.headers
    findings: list[Finding] = []
    reported: set[int] = set()
    width = max((len(row) for row in sheet.rows), default=0)
    outside = [p for p in range(width) if p not in headed]
    for index, row in enumerate(sheet.rows):
        excel_row = index + 1
        positions = outside if excel_row in checked_rows else range(len(row))
        for position in positions:
            if position >= len(row) or position in reported:
                continue
            cell = row[position]
            if type(cell) is not str or len(cell) < 5:
                continue
            kind = personal_data_kind(cell)
            if kind is None:
                continue
            reported.add(position)
            where = " auf dem ausgeblendeten Blatt" if sheet.hidden else ""
            findings.append(
                Finding(
                    f"Die Zelle{where} enthält offenbar {kind} {PERSONAL_ADVICE}",
                    sheet.name,
                    excel_row,
                    headed.get(position, column_letter(position)),
                )
            )
    return findings


# --- .xlsx: comments, text boxes, formulas, error cells ---------------------------------------


def _xlsx_findings(archive: zipfile.ZipFile, facts: ZipFacts, sheets: list[Sheet], located: Located) -> list[Finding]:
    findings: list[Finding] = []
    names = facts.names
    has_extras = any(
        n.startswith(("xl/comments", "xl/threadedComments/", "xl/drawings/drawing")) or "/comments" in n for n in names
    )
    marked = {part for part in facts.marked if part.startswith("xl/worksheets/")}
    if not has_extras and not marked:
        return findings
    by_name = {sheet.name: sheet for sheet in sheets}
    tables = {table.sheet.name: table for table in located.tables}
    for name, part in _worksheet_parts(archive):
        sheet = by_name.get(name)
        table = tables.get(name)
        for kind, target in _relations(archive, part, names):
            if kind in ("comments", "threadedComment"):
                findings += _comment_findings(archive.read(target), name, sheet, table)
            elif kind == "drawing":
                findings += _drawing_findings(archive.read(target), name)
        if part in marked and table is not None and table.texts is not None:
            findings += _table_cell_findings(archive, part, facts.marked[part], table)
    return findings


def _worksheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, worksheet part) in workbook order."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    targets = {rid: target for rid, kind, target in _relationship_list(archive, "xl/workbook.xml")}
    parts = []
    for element in workbook.iter():
        if not element.tag.endswith("}sheet"):
            continue
        rid = element.get(f"{{{_RELS}}}id")
        if rid in targets:
            parts.append((str(element.get("name")), targets[rid]))
    return parts


def _relationship_list(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(id, type's last word, target part) of a part's relationships."""
    folder, file = posixpath.split(part)
    rels = f"{folder}/_rels/{file}.rels"
    try:
        root = ElementTree.fromstring(archive.read(rels))
    except KeyError:
        return []
    found = []
    for element in root:
        target = element.get("Target", "")
        if element.get("TargetMode") == "External" or not target:
            continue
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.append((element.get("Id", ""), element.get("Type", "").rsplit("/", 1)[-1], resolved))
    return found


def _relations(archive: zipfile.ZipFile, part: str, names: set[str]) -> list[tuple[str, str]]:
    return [(kind, target) for _, kind, target in _relationship_list(archive, part) if target in names]


def _comment_findings(data: bytes, sheet_name: str, sheet: Sheet | None, table: Table | None) -> list[Finding]:
    """A finding per comment that holds personal data (notes and threaded comments alike; the
    author, which Excel records for every comment, is not looked at)."""
    findings = []
    root = ElementTree.fromstring(data)
    for element in root.iter():
        if not element.tag.endswith(("}comment", "}threadedComment")):
            continue
        text = "".join("".join(child.itertext()) for child in element if child.tag.endswith("}text"))
        kind = personal_data_kind(text)
        if kind is None:
            continue
        ref = str(element.get("ref", ""))
        row, column = _split_ref(ref)
        header = table.headers.get(column) if table is not None and column is not None else None
        where = " auf dem ausgeblendeten Blatt" if sheet is not None and sheet.hidden else ""
        findings.append(
            Finding(
                f"Der Kommentar an Zelle {ref}{where} enthält offenbar {kind} {PERSONAL_ADVICE}",
                sheet_name,
                row,
                header or (column_letter(column) if column is not None else None),
            )
        )
    return findings


def _drawing_findings(data: bytes, sheet_name: str) -> list[Finding]:
    root = ElementTree.fromstring(data)
    texts = [element.text or "" for element in root.iter() if element.tag.endswith("}t")]
    kind = personal_data_kind("\n".join(texts)) if texts else None
    if kind is None:
        return []
    return [Finding(f"Ein Textfeld auf dem Blatt enthält offenbar {kind} {PERSONAL_ADVICE}", sheet_name, None, None)]


def _split_ref(ref: str) -> tuple[int | None, int | None]:
    """'B7' → (7, 1): the Excel row and the 0-based column position."""
    match = re.fullmatch(r"([A-Z]{1,3})(\d{1,7})", ref)
    if match is None:
        return None, None
    position = 0
    for letter in match.group(1):
        position = position * 26 + ord(letter) - 64
    return int(match.group(2)), position - 1


def _table_cell_findings(archive: zipfile.ZipFile, part: str, markers: set[bytes], table: Table) -> list[Finding]:
    """Error cells and formulas in the declared columns of the table's data rows."""
    assert table.texts is not None
    data_rows = set(table.texts.excel_rows.tolist())
    kommune = next((p for p, c in table.columns.items() if c.name == "kommune"), None)
    findings: list[Finding] = []
    counts: Counter[tuple[str, int]] = Counter()
    for excel_row, position, error in _marked_cells(archive, part, markers):
        if position not in table.columns or excel_row not in data_rows:
            continue
        if error is None and kommune is not None and _is_kreis_row(table, excel_row, kommune):
            continue  # a Kreis total is only compared with the sum of the Kommunen, never stored
        key = ("error" if error else "formula", position)
        counts[key] += 1
        if counts[key] > MAX_FINDINGS_PER_PLACE:
            continue
        ref = f"{column_letter(position)}{excel_row}"
        message = ERROR_MESSAGE.format(ref=ref, value=_error_name(error)) if error else FORMULA_MESSAGE.format(ref=ref)
        findings.append(Finding(message, table.sheet.name, excel_row, table.headers[position]))
    for (kind, position), count in counts.items():
        if count > MAX_FINDINGS_PER_PLACE:
            what = "Excel-Fehlerwerten" if kind == "error" else "Formeln"
            more = fmt.number(count - MAX_FINDINGS_PER_PLACE)
            findings.append(
                Finding(
                    f"… und {more} weitere Zellen mit {what} in Spalte '{table.headers[position]}'.",
                    table.sheet.name,
                    None,
                    table.headers[position],
                )
            )
    return findings


def _is_kreis_row(table: Table, excel_row: int, kommune: int) -> bool:
    row = table.sheet.rows[excel_row - 1] if excel_row - 1 < len(table.sheet.rows) else []
    return kommune < len(row) and resolve_kommune(cell_text(row[kommune])) == KREIS_MARKER


def _error_name(code: str) -> str:
    german = GERMAN_ERRORS.get(code)
    if german is None:
        return code
    return german if german == code else f"{german} ({code})"


def _marked_cells(archive: zipfile.ZipFile, part: str, markers: set[bytes]) -> Iterator[tuple[int, int, str | None]]:
    """(Excel row, 0-based column, error value or None for a formula) of every cell of a worksheet
    part that holds a formula or an error value; a cell with both counts as its error. Streams the
    part, looking only at the cells around the markers."""
    wanted = [
        *((b"<f>", b"<f ") if FORMULA_MARKER in markers else ()),
        *((ERROR_MARKER,) if ERROR_MARKER in markers else ()),
    ]
    carry = b""
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            buffer = carry + chunk
            if chunk:
                cut = buffer.rfind(b"<c ")  # the last cell may be incomplete: keep it for the next round
                if cut <= 0:
                    carry = buffer
                    continue
                region, carry = buffer[:cut], buffer[cut:]
            else:
                region, carry = buffer, b""
            yield from _cells_in(region, wanted)
            if not chunk:
                return


def _cells_in(region: bytes, markers: list[bytes]) -> Iterator[tuple[int, int, str | None]]:
    cells: dict[int, str | None] = {}  # start of the cell → error value (None: formula)
    for marker in markers:
        hit = region.find(marker)
        while hit >= 0:
            start = region.rfind(b"<c ", 0, hit)
            if start >= 0 and region.find(b"</c>", start, hit) < 0:
                if marker == ERROR_MARKER:
                    value = _ERROR_VALUE.search(region, hit, hit + 400)
                    cells[start] = value.group(1).decode("utf-8", "replace") if value else "#?"
                else:
                    cells.setdefault(start, None)
            hit = region.find(marker, hit + 1)
    for start in sorted(cells):
        tag_end = region.find(b">", start)
        match = _CELL_REF.search(region, start, tag_end if tag_end > 0 else start + 64)
        if match is None:
            continue
        row, position = _split_ref((match.group(1) + match.group(2)).decode("ascii"))
        if row is not None and position is not None:
            yield row, position, cells[start]


# --- .ods: annotations and formulas ------------------------------------------------------------

_ODS_TABLE = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"')
_ODS_ANNOTATION_TEXT = re.compile(rb"<office:annotation\b.*?</office:annotation>", re.DOTALL)
_TAG = re.compile(rb"<[^>]*>")


def _ods_findings(archive: zipfile.ZipFile, facts: ZipFacts) -> list[Finding]:
    """Annotations (comments) with personal data, by sheet; formulas at all, for the whole file
    (the cell of an .ods formula is not located)."""
    markers = facts.marked.get("content.xml", set())
    findings: list[Finding] = []
    if ODS_ANNOTATION in markers:
        content = archive.read("content.xml")
        tables = [(m.start(), m.group(1).decode("utf-8", "replace")) for m in _ODS_TABLE.finditer(content)]
        reported: set[str | None] = set()
        for match in _ODS_ANNOTATION_TEXT.finditer(content):
            # Drop the author and date (dc:creator, dc:date), then the tags.
            body = re.sub(rb"<dc:(creator|date)>.*?</dc:\1>", b" ", match.group(), flags=re.DOTALL)
            text = _TAG.sub(b" ", body).decode("utf-8", "replace").replace("&amp;", "&")
            kind = personal_data_kind(" ".join(text.split()))
            if kind is None:
                continue
            sheet = next((name for start, name in reversed(tables) if start < match.start()), None)
            if sheet in reported:
                continue
            reported.add(sheet)
            findings.append(
                Finding(f"Ein Kommentar auf dem Blatt enthält offenbar {kind} {PERSONAL_ADVICE}", sheet, None, None)
            )
    if ODS_FORMULA in markers:
        findings.append(
            Finding(
                "Die Tabelle enthält Formeln. Gespeichert würden nur ihre zuletzt berechneten Werte, die veraltet "
                "sein können. Bitte die Tabelle mit Werten statt Formeln speichern (Zellen kopieren und mit "
                "„Inhalte einfügen → Nur Werte“ einfügen) und erneut hochladen.",
                None,
                None,
                None,
            )
        )
    return findings


def parse_tables(path: Path, source_name: str | None = None) -> Located:
    """Read a file, locate its tables (one per delivering sheet) and turn their columns into text,
    in this process. The workbook is read once; every sheet's cells come from that one read.

    For an upload call ``loaders.sandbox.read_tables`` instead, which runs this in a child process
    with a memory cap and a time limit."""
    sheets, facts = read_workbook(path)
    located = locate_tables(sheets, source_name)
    for table in located.tables:
        table.texts = table_texts(table)
    located.findings = inspect_cells(path, sheets, facts, located)
    return located
