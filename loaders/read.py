"""Read a delivered file into sheets of raw cells, find the table in them, and turn its columns into
text.

Uploads are untrusted: the reading below runs inside the sandbox (``loaders.sandbox``), never in the
app or command-line process itself. Before a parser sees a file, ``read_sheets`` looks at what the
file really is (whatever its name says) and rejects what is no table with a message that says what
it is: an empty file, a PDF, an image, a web page, a Word document, a password-protected workbook,
an archive without a workbook. Zip containers (.xlsx, .xlsm, .ods) are checked before calamine
opens them: the number of entries, declared sizes and ratios, overlapping or duplicate entries; then
every member is unpacked as a stream, its bytes counted (never more than declared, since declared
sizes can be forged) and its XML searched for DTDs and entity declarations, which Excel and
LibreOffice never write (billion laughs, external entities).

Spreadsheets (.xlsx, .xlsm, .xls, .ods) are then read with calamine; CSV and text files with the csv
module (separator ; , or tab, UTF-8 with or without BOM or Windows-1252). A sheet's rows keep their
position: ``rows[i]`` is Excel row ``i + 1``.
"""

from __future__ import annotations

import array
import csv
import datetime as dt
import io
import itertools
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import python_calamine

from core import format as fmt
from core.errors import KimError
from core.normalize import display_header, header_key, words
from core.reference import read_yaml, resolve_kommune
from core.settings import DATA_DIR
from core.sources import Column, Source, sources

Cell = Any  # a value as calamine or the csv module gives it
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt"}
HEADER_SEARCH_ROWS = 30
MIN_HEADER_MATCHES = 2

# Zip containers: what a real workbook never exceeds. The 100,000-row case file unpacks to 87 MB at a
# ratio of 11; the caps leave room for six times that and a ratio of 100 (empty formatted rows).
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_UNPACKED = 512 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FROM = 16 * 1024 * 1024  # the ratio of a member is judged once it unpacks to more than this
_ZIP_READ = 1024 * 1024  # compressed bytes read at a time
_ZIP_OUT = 4 * 1024 * 1024  # unpacked bytes produced at a time
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_XML_DECLARATIONS = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
# A text file as Excel or a script writes it holds no control characters but tab, CR, LF (and
# perhaps a stray form feed or DOS end-of-file mark).
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_MAX_CONTROL_SHARE = 0.01

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

PASSWORD_MESSAGE = (
    "Die Datei ist mit einem Kennwort geschützt. Bitte ohne Kennwortschutz speichern und erneut hochladen."
)
RESAVE = "Bitte die Datei in Excel öffnen, als Excel-Arbeitsmappe (.xlsx) speichern und erneut hochladen."
UNSAFE = (
    "Die Datei wird aus Sicherheitsgründen nicht gelesen: {what}. Bitte die Datei in Excel öffnen, neu "
    "speichern und erneut hochladen; stammt sie nicht sicher von der liefernden Stelle, bitte das KI-Team informieren."
)
CORRUPT_ZIP_MESSAGE = (
    "Die Datei ist beschädigt oder unvollständig (ihr Inhaltsverzeichnis fehlt oder ist fehlerhaft), etwa nach "
    "einem abgebrochenen Download. Bitte die Datei erneut exportieren oder speichern und hochladen."
)
CORRUPT_MESSAGE = (
    "Die Datei lässt sich nicht als Tabelle lesen (beschädigt oder kein Tabellenformat). "
    "Bitte die Datei in Excel öffnen, als .xlsx speichern und erneut hochladen."
)


class UnreadableFileError(KimError):
    """The file is not a table we can read (a whole-file error)."""


@dataclass
class Sheet:
    name: str | None  # None for a CSV file
    rows: list[list[Cell]]
    hidden: bool = False  # a hidden or very hidden sheet of a workbook


@dataclass
class TableTexts:
    """The data rows of a located table as text: empty rows and trailing footnotes dropped."""

    excel_rows: np.ndarray  # int64, the row of each data row as the user sees it in Excel
    columns: dict[int, pa.Array]  # position → one string per data row ("" for an empty cell)


@dataclass
class Table:
    """The located table: which sheet, which header row, which column is which.

    A table that comes out of the sandbox carries its ``texts`` but no cells (``sheet.rows`` is
    empty): the cells stay in the child process that read them."""

    sheet: Sheet
    source: Source
    header_index: int  # 0-based index into sheet.rows
    columns: dict[int, Column]  # position in the row → declared column
    headers: dict[int, str]  # position → header as written
    unknown: dict[int, str] = field(default_factory=dict)  # position → header not declared
    duplicates: dict[int, Column] = field(default_factory=dict)  # position → column matched before
    texts: TableTexts | None = None

    @property
    def header_row(self) -> int:
        """The header's row as the user sees it in Excel (1-based)."""
        return self.header_index + 1

    def header_of(self, column_name: str) -> str | None:
        for position, column in self.columns.items():
            if column.name == column_name:
                return self.headers[position]
        return None

    def body_texts(self) -> tuple[np.ndarray, dict[int, pa.Array]]:
        """The Excel row numbers of the data rows and position → texts (computed here when the
        table was located in this process)."""
        if self.texts is None:
            self.texts = table_texts(self)
        return self.texts.excel_rows, self.texts.columns


# --- what the file is -------------------------------------------------------------------------


def read_sheets(path: Path) -> list[Sheet]:
    return read_workbook(path)[0]


def read_workbook(path: Path) -> tuple[list[Sheet], ZipFacts | None]:
    """The sheets of a file, and for a zip container (.xlsx, .xlsm, .ods) what its check found in
    its parts (for ``loaders.cells``)."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | SPREADSHEET_SUFFIXES:
        raise UnreadableFileError(
            f"Das Dateiformat '{path.suffix or 'ohne Endung'}' wird nicht unterstützt. Bitte eine "
            "Excel-Datei (.xlsx, .xlsm, .xls), eine OpenDocument-Tabelle (.ods) oder eine CSV-Datei liefern."
        )
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head:
        raise UnreadableFileError(
            "Die Datei ist leer (0 Byte). Bitte die Daten erneut exportieren und die gespeicherte Datei hochladen."
        )
    _reject_foreign(head, suffix)
    if head.startswith(_ZIP_MAGICS):
        facts = check_zip(path, suffix)
        return _read_spreadsheet(path), facts
    if head.startswith(OLE_MAGIC):
        _check_ole(path, suffix)
        return _read_spreadsheet(path), None
    if suffix in SPREADSHEET_SUFFIXES:
        kind = "OpenDocument-Tabelle" if suffix == ".ods" else "Excel-Arbeitsmappe"
        if _looks_binary(head):
            raise UnreadableFileError(
                f"Die Datei endet auf '{suffix}', ist aber keine {kind}: ihr Inhalt entspricht keinem bekannten "
                f"Tabellenformat (beschädigt oder eine andere Art von Datei). {RESAVE}"
            )
        raise UnreadableFileError(
            f"Die Datei endet auf '{suffix}', ist aber keine {kind}, sondern eine Textdatei. Ist es eine "
            "CSV-Datei, bitte mit der Endung .csv hochladen; sonst die Datei in Excel öffnen, als "
            "Excel-Arbeitsmappe (.xlsx) speichern und erneut hochladen."
        )
    return [Sheet(None, _read_csv(path.read_bytes()))], None


_FOREIGN_FORMATS = (
    (b"%PDF-", "ein PDF-Dokument"),
    (b"\x89PNG\r\n\x1a\n", "ein Bild (PNG)"),
    (b"\xff\xd8\xff", "ein Bild (JPEG)"),
    (b"GIF87a", "ein Bild (GIF)"),
    (b"GIF89a", "ein Bild (GIF)"),
    (b"II*\x00", "ein Bild (TIFF)"),
    (b"MM\x00*", "ein Bild (TIFF)"),
    (b"{\\rtf", "ein Textdokument (RTF)"),
    (b"\x1f\x8b", "ein gepacktes Archiv (gzip)"),
    (b"Rar!", "ein gepacktes Archiv (RAR)"),
    (b"7z\xbc\xaf\x27\x1c", "ein gepacktes Archiv (7-Zip)"),
)


def _reject_foreign(head: bytes, suffix: str) -> None:
    """Reject a file whose first bytes show that it is something else than a table."""
    for magic, what in _FOREIGN_FORMATS:
        if head.startswith(magic):
            raise UnreadableFileError(
                f"Die Datei ist {what}, keine Tabelle. Bitte die Daten als Excel-Datei (.xlsx) oder "
                "CSV-Datei speichern und diese hochladen."
            )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError(
            "Die Datei ist als Unicode-Text (UTF-16) gespeichert. Bitte in Excel als 'CSV UTF-8 (durch "
            "Trennzeichen getrennt)' oder als Excel-Arbeitsmappe (.xlsx) speichern und erneut hochladen."
        )
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise UnreadableFileError(
            f"Die Datei ist eine XML-Tabelle (Excel 2003), auch wenn sie auf '{suffix}' endet; dieses Format "
            f"wird nicht gelesen. {RESAVE}"
        )
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta")) or (
        text.startswith((b"<?xml", b"<!--")) and b"<html" in text
    ):
        raise UnreadableFileError(
            f"Die Datei ist eine Webseite (HTML), auch wenn sie auf '{suffix}' endet – manche Programme "
            f"exportieren Tabellen so. {RESAVE}"
        )


def _looks_binary(data: bytes) -> bool:
    """Control characters that no text file holds: a NUL byte, or more than 1 % of the bytes."""
    if b"\x00" in data:
        return True
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls > max(16, _MAX_CONTROL_SHARE * len(data))


# --- zip containers ---------------------------------------------------------------------------


def _unsafe(what: str) -> UnreadableFileError:
    return UnreadableFileError(UNSAFE.format(what=what))


@dataclass
class ZipFacts:
    """What the check of a zip container saw on the way: its part names, and which parts hold
    formulas, error cells or comments (markers found while the parts were unpacked anyway)."""

    names: set[str]
    marked: dict[str, set[bytes]] = field(default_factory=dict)  # part → markers found in it


# Markers looked for while each part is unpacked (no extra pass): a formula or an error cell in a
# worksheet of an .xlsx; annotations (comments) and formulas in an .ods.
FORMULA_MARKER = b"<f"  # also <firstHeader> of a page header: "may hold formulas", confirmed in loaders.cells
ERROR_MARKER = b't="e"'
ODS_ANNOTATION = b"<office:annotation"
ODS_FORMULA = b"table:formula="


def _markers_of(name: str) -> tuple[bytes, ...]:
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        return (FORMULA_MARKER, ERROR_MARKER)
    if name == "content.xml":
        return (ODS_ANNOTATION, ODS_FORMULA)
    return ()


@dataclass(frozen=True)
class _Member:
    info: Any  # zipfile.ZipInfo
    data_start: int  # offset of the packed bytes in the file
    data_end: int


def check_zip(path: Path, suffix: str) -> ZipFacts:
    """Reject a zip container that is no workbook, is damaged, or would unpack to more than the caps
    allow, before any parser opens it. Unpacks every member once, as a stream: never more bytes than
    the member declares (the declared sizes being capped in total and by ratio), a few megabytes at
    a time."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        entries = _zip_entry_count(handle, size)
        if entries is not None and entries > ZIP_MAX_MEMBERS:
            raise _unsafe(f"sie besteht aus {fmt.number(entries)} Teilen (erlaubt sind {fmt.number(ZIP_MAX_MEMBERS)})")
        try:
            with zipfile.ZipFile(handle) as archive:
                infos = archive.infolist()
                directory_start = archive.start_dir
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error) as error:
            raise UnreadableFileError(CORRUPT_ZIP_MESSAGE) from error
        if len(infos) > ZIP_MAX_MEMBERS:
            raise _unsafe(f"sie besteht aus mehr als {fmt.number(ZIP_MAX_MEMBERS)} Teilen")
        _check_zip_kind({info.filename for info in infos}, suffix)
        if any(info.flag_bits & 0x1 for info in infos):
            raise UnreadableFileError(PASSWORD_MESSAGE)
        if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in infos):
            raise _unsafe("sie ist mit einem Verfahren gepackt, das Excel und LibreOffice nicht verwenden")
        if len({info.filename for info in infos}) != len(infos):
            raise _unsafe("ihr Inhaltsverzeichnis nennt einen Teil mehrfach (manipuliert oder beschädigt)")
        declared = sum(info.file_size for info in infos)
        if declared > ZIP_MAX_UNPACKED:
            raise _unsafe(_too_big(declared))
        for info in infos:
            if info.file_size > ZIP_RATIO_FROM and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
                raise _unsafe(_too_dense(info.file_size, info.compress_size))
        facts = ZipFacts({info.filename for info in infos})
        for member in _zip_members(handle, infos, min(directory_start, size)):
            markers = _markers_of(member.info.filename)
            found = _unpack_counted(handle, member, markers)
            if found:
                facts.marked[member.info.filename] = found
    return facts


def _zip_entry_count(handle: io.BufferedReader, size: int) -> int | None:
    """The number of entries the end record of a zip file declares (before the directory is read)."""
    tail_size = min(size, 65_557)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(tail):
        return None
    (count,) = struct.unpack_from("<H", tail, end + 10)
    return None if count == 0xFFFF else int(count)


def _check_zip_kind(names: set[str], suffix: str) -> None:
    """The archive must hold the workbook part that calamine reads for this suffix."""
    is_xlsx, is_ods = "xl/workbook.xml" in names, "content.xml" in names
    if (suffix == ".ods" and is_ods) or (suffix in (".xlsx", ".xlsm") and is_xlsx):
        return
    if is_xlsx or is_ods:
        real = ".xlsx" if is_xlsx else ".ods"
        raise UnreadableFileError(
            f"Die Datei ist eine {'Excel-Arbeitsmappe' if is_xlsx else 'OpenDocument-Tabelle'} ({real}), endet "
            f"aber auf '{suffix}'. Bitte mit der Endung {real} hochladen."
        )
    if "word/document.xml" in names:
        what = "ein Word-Dokument, keine Tabelle"
    elif "ppt/presentation.xml" in names:
        what = "eine PowerPoint-Präsentation, keine Tabelle"
    else:
        what = "ein gepacktes Archiv (ZIP), aber keine Excel-Arbeitsmappe und keine OpenDocument-Tabelle"
    raise UnreadableFileError(
        f"Die Datei ist {what}. Bitte die Tabelle selbst (nicht gepackt) als Excel- oder CSV-Datei hochladen."
    )


def _zip_members(handle: io.BufferedReader, infos: list[Any], directory_start: int) -> list[_Member]:
    """Where each member's packed bytes lie, from its local header; members must not overlap each
    other or the directory (the trick of the non-recursive zip bombs)."""
    members = []
    for info in sorted(infos, key=lambda i: i.header_offset):
        handle.seek(info.header_offset)
        header = handle.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise UnreadableFileError(CORRUPT_ZIP_MESSAGE)
        name_length, extra_length = struct.unpack_from("<HH", header, 26)
        start = info.header_offset + 30 + name_length + extra_length
        members.append(_Member(info, start, start + info.compress_size))
    for member, following in zip(members, [*members[1:], None], strict=True):
        limit = following.info.header_offset if following else directory_start
        if member.data_end > limit:
            raise _unsafe("ihre Teile überlappen einander (typisch für eine ZIP-Bombe)")
    return members


def _unpack_counted(handle: io.BufferedReader, member: _Member, markers: tuple[bytes, ...] = ()) -> set[bytes]:
    """Unpack one member as a stream (a few megabytes at a time), counting the bytes: never more
    than the member declares, and exactly that many in the end; XML parts are searched for DTDs and
    entity declarations, and for ``markers`` (returned: those found)."""
    info = member.info
    is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
    inflater = zlib.decompressobj(-15) if info.compress_type == 8 else None
    produced, carry = 0, b""
    found: set[bytes] = set()
    remaining = member.data_end - member.data_start
    handle.seek(member.data_start)
    while True:
        if inflater is not None and inflater.unconsumed_tail:
            packed = inflater.unconsumed_tail
        elif remaining > 0:
            packed = handle.read(min(remaining, _ZIP_READ))
            if not packed:
                raise UnreadableFileError(CORRUPT_ZIP_MESSAGE)
            remaining -= len(packed)
        elif inflater is not None and not inflater.eof:
            packed = b""  # what zlib still holds back
        else:
            break
        try:
            chunk = inflater.decompress(packed, _ZIP_OUT) if inflater is not None else packed
        except zlib.error as error:
            raise UnreadableFileError(CORRUPT_ZIP_MESSAGE) from error
        if not packed and not chunk:
            break  # the stream ends before its end mark
        produced += len(chunk)
        # The declared sizes passed the caps (total and ratio); holding each member to its declared
        # size holds the unpacked bytes to the same caps, whatever the headers claimed.
        if produced > info.file_size:
            raise _unsafe("ein Teil ist entpackt größer, als ihr Inhaltsverzeichnis angibt (gefälscht oder beschädigt)")
        if is_xml:
            seam = carry + chunk[:32]
            if any(marker in chunk or marker in seam for marker in _XML_DECLARATIONS):
                raise _unsafe(
                    "sie enthält XML-Deklarationen (DTD oder Entitäten), die Excel und LibreOffice nie "
                    "schreiben und die für Angriffe genutzt werden"
                )
            for marker in markers:
                if marker not in found and (marker in chunk or marker in seam):
                    found.add(marker)
            carry = chunk[-32:]
        if inflater is not None and inflater.eof:
            break
    complete = inflater is None or (inflater.eof and not inflater.unused_data and remaining == 0)
    if produced != info.file_size or not complete:
        raise UnreadableFileError(CORRUPT_ZIP_MESSAGE)
    return found


def _megabytes(size: int) -> str:
    return fmt.number(round(size / (1024 * 1024)))


def _too_big(size: int) -> str:
    return (
        f"entpackt wäre sie über {_megabytes(size)} MB groß (erlaubt sind {_megabytes(ZIP_MAX_UNPACKED)} MB; "
        "mögliche ZIP-Bombe)"
    )


def _too_dense(size: int, packed: int) -> str:
    return (
        f"ein Teil ist ungewöhnlich stark gepackt ({fmt.number(size // max(packed, 1))}-fach; Excel-Dateien "
        "erreichen etwa das 5- bis 20-Fache; mögliche ZIP-Bombe)"
    )


# --- OLE compound files (.xls, and encrypted workbooks of any kind) ----------------------------

_MAX_SECTOR = 0xFFFFFFFA


def _check_ole(path: Path, suffix: str) -> None:
    """An OLE compound file is an old Excel workbook (.xls), or a workbook encrypted with a
    password (Excel stores those in this container whatever their ending), or another document."""
    try:
        names = ole_entry_names(path)
    except (struct.error, ValueError, IndexError, OSError) as error:
        raise UnreadableFileError(CORRUPT_MESSAGE) from error
    if {"EncryptedPackage", "EncryptionInfo"} & names:
        raise UnreadableFileError(PASSWORD_MESSAGE)
    if {"Workbook", "Book"} & names:
        if suffix != ".xls":
            raise UnreadableFileError(
                f"Die Datei ist eine Excel-Arbeitsmappe im alten Format (.xls), endet aber auf '{suffix}'. "
                "Bitte mit der Endung .xls hochladen oder in Excel als .xlsx speichern."
            )
        return
    if "WordDocument" in names:
        what = "ein Word-Dokument"
    elif "PowerPoint Document" in names:
        what = "eine PowerPoint-Präsentation"
    else:
        what = "ein Office-Dokument ohne Excel-Arbeitsmappe"
    raise UnreadableFileError(
        f"Die Datei ist {what}, keine Tabelle. Bitte die Tabelle als Excel- oder CSV-Datei hochladen."
    )


def ole_entry_names(path: Path) -> set[str]:
    """The names in the directory of an OLE compound file (streams and storages)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(512)
        (shift,) = struct.unpack_from("<H", header, 0x1E)
        if shift not in (9, 12):
            raise ValueError("sector size")
        sector_size = 1 << shift
        sectors = size // sector_size  # an upper bound on the number of sectors after the header
        fat_count, first_directory = struct.unpack_from("<II", header, 0x2C)
        first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
        if fat_count > sectors or difat_count > sectors:
            raise ValueError("sector counts")

        def read_sector(index: int) -> bytes:
            if (index + 1) * sector_size >= size:
                raise ValueError("sector out of range")
            handle.seek((index + 1) * sector_size)
            return handle.read(sector_size)

        fat_sectors = list(struct.unpack_from("<109I", header, 0x4C))
        difat = first_difat
        for _ in range(difat_count):
            if difat > _MAX_SECTOR:
                break
            ids = struct.unpack(f"<{sector_size // 4}I", read_sector(difat))
            fat_sectors.extend(ids[:-1])
            difat = ids[-1]
        fat = array.array("I")
        for index in fat_sectors[:fat_count]:
            if index <= _MAX_SECTOR:
                fat.frombytes(read_sector(index))
        names: set[str] = set()
        current, steps = first_directory, 0
        while current <= _MAX_SECTOR and steps <= sectors:
            block = read_sector(current)
            for offset in range(0, len(block) - 127, 128):
                (length,) = struct.unpack_from("<H", block, offset + 64)
                if 2 <= length <= 64 and length % 2 == 0:
                    names.add(block[offset : offset + length - 2].decode("utf-16-le", errors="replace"))
            current = fat[current] if current < len(fat) else 0xFFFFFFFE
            steps += 1
        return names


# --- reading ----------------------------------------------------------------------------------


def _read_spreadsheet(path: Path) -> list[Sheet]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        _refuse_twin_sheet_names([meta.name for meta in workbook.sheets_metadata])
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            data = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            sheets.append(Sheet(meta.name, data, hidden))
        return sheets
    except python_calamine.PasswordError as error:
        raise UnreadableFileError(PASSWORD_MESSAGE) from error
    except (python_calamine.CalamineError, ValueError, OSError) as error:
        raise UnreadableFileError(CORRUPT_MESSAGE) from error


def _refuse_twin_sheet_names(names: list[str]) -> None:
    """Two sheets of one name, or of names that differ only in case or spaces, cannot be told apart:
    Excel itself refuses them, a sheet is read by its name (the second would be read as the first),
    and every message that names a sheet would be ambiguous. Such a file was made by a program."""
    seen: dict[str, str] = {}
    for name in names:
        key = " ".join(name.split()).casefold()
        if key in seen:
            first = seen[key]
            which = (
                f"zwei Blätter mit demselben Namen '{name}'"
                if first == name
                else "zwei Blätter, deren Namen sich nur in Groß- und Kleinschreibung oder Leerzeichen "
                f"unterscheiden ('{first}' und '{name}')"
            )
            raise UnreadableFileError(
                f"Die Arbeitsmappe enthält {which}; sie lassen sich nicht sicher auseinanderhalten. Bitte jedem "
                "Blatt einen eigenen Namen geben, die Datei speichern und erneut hochladen."
            )
        seen[key] = name


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> list[list[Cell]]:
    if _looks_binary(data):
        raise UnreadableFileError(
            "Die Datei enthält Binärdaten und ist keine lesbare CSV-Textdatei. Bitte die Tabelle erneut als "
            "CSV (UTF-8) oder als Excel-Arbeitsmappe (.xlsx) speichern und hochladen."
        )
    text = _decode(data)
    delimiter = _sniff_delimiter(text)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise UnreadableFileError(
            f"Die CSV-Datei ist fehlerhaft: ein Feld ist länger als {fmt.number(csv.field_size_limit())} Zeichen, "
            "meist wegen eines nicht geschlossenen Anführungszeichens. Bitte die Datei prüfen, erneut als CSV "
            "(UTF-8) speichern und hochladen."
        ) from error


def _sniff_delimiter(text: str) -> str:
    """The separator that splits the first lines into the most consistent, widest rows."""
    sample = text[:20000].splitlines()[:50]
    best, best_score = ";", -1
    for candidate in (";", "\t", ","):
        try:
            counts = [len(r) for r in csv.reader(sample, delimiter=candidate) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        score = modal * counts.count(modal) if modal > 1 else 0
        if score > best_score:
            best, best_score = candidate, score
    return best


# --- the table -----------------------------------------------------------------------------


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


@dataclass
class _Match:
    """The best header row of one sheet: its index, the source it matches and how well."""

    sheet: Sheet
    index: int
    source: Source
    score: tuple[int, int]  # (matched columns, -declared columns): higher is better
    ties: set[str] = field(default_factory=set)  # sources matching this row equally well

    def matched_names(self) -> set[str]:
        return {c.name for c in _header_matches(self.sheet.rows[self.index], self.source).values()}


@dataclass(frozen=True)
class Finding:
    """An error found in a cell, comment or part of the file outside what the validator sees (see
    ``loaders.cells``); its message never quotes the cell."""

    message: str
    sheet: str | None
    row: int | None
    column: str | None


@dataclass
class IgnoredSheet:
    """A sheet whose header looks like a source's (mostly the file's) but lacks required columns (a
    pivot table, a summary): not a part of the delivery, ignored with a warning."""

    sheet: str | None
    header_index: int
    source: Source
    missing: list[Column]


@dataclass
class Located:
    """The tables of a file: one per sheet that delivers data (in workbook order), all of one
    source, and the sheets that were left out with a warning."""

    tables: list[Table]
    ignored: list[IgnoredSheet] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # see loaders.cells: errors of the whole file

    @property
    def source(self) -> Source:
        return self.tables[0].source


def _sheet_match(sheet: Sheet, candidates: list[Source], source_given: bool) -> _Match | None:
    """The row (of the first 30) of one sheet that matches the most declared columns of a source."""
    best: _Match | None = None
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        for source in candidates:
            matched = _header_matches(row, source)
            specific = sum(c.name not in ("kommune", "monat") for c in matched.values())
            # Prefer more matched columns, then a larger share of the source's columns.
            score = (len(matched), -len(source.columns))
            if len(matched) < MIN_HEADER_MATCHES or (specific == 0 and not source_given):
                continue
            if best is None or score > best.score:
                best = _Match(sheet, index, source, score, {source.name})
            elif score == best.score and index == best.index:
                best.ties.add(source.name)
    return best


def _missing_columns(match: _Match, optional: set[str]) -> list[Column]:
    """Required columns of the match's source that its header lacks (``optional``: not needed)."""
    matched = match.matched_names()
    return [c for c in match.source.columns if c.required and c.name not in matched and c.name not in optional]


def locate_tables(sheets: list[Sheet], source_name: str | None = None) -> Located:
    """Find the source and every sheet that delivers it.

    The file's source is that of the best header: the first row (of the first 30 of a sheet) that
    matches the most declared columns of a source. Every other sheet whose header matches the same
    source is a further part of the delivery (several matching sheets are several deliveries, e.g.
    one month or one Kommune per sheet), provided it has every required column the best sheet has;
    one that lacks some is ignored with a warning (a pivot or summary sheet). Sheets that match no
    source (notes, "Hinweise") are ignored silently.

    One upload holds one source (see ``loaders.validate``): a workbook whose sheets deliver
    different sources is rejected with a message naming them, unless a source is given, which then
    picks its own sheets.
    """
    candidates = [sources()[source_name]] if source_name else list(sources().values())
    matches = [m for m in (_sheet_match(s, candidates, source_name is not None) for s in sheets) if m is not None]
    best: _Match | None = None
    for match in matches:
        if best is None or match.score > best.score:
            best = match
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
    if len(best.ties) > 1:
        raise UnreadableFileError(
            "Die Datenquelle ist an den Spalten nicht eindeutig zu erkennen (passt zu "
            f"{', '.join(sorted(best.ties))}). Bitte die Quelle beim Hochladen angeben."
        )
    # Kommune and month may be given with the upload: a further sheet may lack them when the best does.
    optional = {"kommune", "monat"} - best.matched_names()
    parts: list[_Match] = []
    foreign: list[_Match] = []
    ignored: list[IgnoredSheet] = []
    for match in matches:
        if match is best:
            parts.append(match)
            continue
        if not match.matched_names() - {"kommune", "monat"}:
            continue  # Kommune and month alone (possible when the source is given) make no delivery
        if best.source.name not in match.ties and not _missing_columns(match, optional):
            foreign.append(match)
            continue
        same = match if match.source is best.source else _sheet_match(match.sheet, [best.source], False)
        if same is None:  # a sheet of another source that lacks some of its columns: say it is left out
            same = match
        missing = _missing_columns(same, optional)
        if missing:
            ignored.append(IgnoredSheet(same.sheet.name, same.index, same.source, missing))
        else:
            parts.append(same)
    if foreign:
        listed = ", ".join(
            f"Blatt '{m.sheet.name}' ({m.source.label})" for m in sorted([*parts, *foreign], key=_order(sheets))
        )
        raise UnreadableFileError(
            f"Die Arbeitsmappe enthält Lieferungen verschiedener Datenquellen: {listed}. Ein Upload umfasst "
            "eine Datenquelle: bitte die Blätter auf getrennte Dateien verteilen, je Datenquelle eine, und "
            "diese einzeln hochladen."
        )
    return Located([_table(m) for m in parts], ignored)


def _order(sheets: list[Sheet]) -> Callable[[_Match], int]:
    position = {id(sheet): number for number, sheet in enumerate(sheets)}
    return lambda match: position[id(match.sheet)]


def _table(match: _Match) -> Table:
    sheet, index, source = match.sheet, match.index, match.source
    header = sheet.rows[index]
    columns = _header_matches(header, source)
    headers = {p: display_header(c) for p, c in enumerate(header) if c is not None and str(c).strip()}
    keys = {key: column for column in source.columns for key in column.header_keys()}
    duplicates = {p: keys[header_key(h)] for p, h in headers.items() if p not in columns and header_key(h) in keys}
    unknown = {p: h for p, h in headers.items() if p not in columns and p not in duplicates}
    return Table(sheet, source, index, columns, headers, unknown, duplicates)


def _wide_layout(sheets: list[Sheet], best: _Match | None) -> str | None:
    """Month headers (e.g. 'Jan 2026', '2026-02') in the header row, or in any of the first rows when
    no header was found, and no month column: a wide layout with one column per month."""
    from core.periods import parse_monat

    if best is not None:
        if "monat" in best.matched_names():
            return None
        rows = [best.sheet.rows[best.index]]
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


# --- the table's texts ------------------------------------------------------------------------


def cell_text(value: Cell) -> str:
    """A cell as text in one canonical form: numbers without a spurious '.0' and with a decimal
    comma, dates as ISO, booleans as ja/nein, empty as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, (float, int)):
        return _number_text(value)
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
        return fmt.decimal_comma(value)
    return str(value)


def column_texts(cells: Sequence[Cell]) -> list[str]:
    """``cell_text`` for a whole column, with fast paths for the usual single-type columns: each
    distinct number or date is formatted once."""
    types = set(map(type, cells))
    if types <= {str}:
        return [c.strip() for c in cells]
    if types <= {str, float, int, type(None)}:
        numbers = {c: _number_text(c) for c in set(cells) if type(c) is not str and c is not None}
        return [c.strip() if type(c) is str else "" if c is None else numbers[c] for c in cells]
    if types <= {str, dt.date, type(None)}:
        dates = {c: c.isoformat() for c in set(cells) if type(c) is not str and c is not None}
        return [c.strip() if type(c) is str else "" if c is None else dates[c] for c in cells]
    return [cell_text(c) for c in cells]


def table_texts(table: Table) -> TableTexts:
    """The texts of every headed column below the header, for the rows that hold data: empty rows
    skipped, footnotes at the end ("Quelle: …", "* geheim": at most one filled cell) dropped."""
    body = table.sheet.rows[table.header_index + 1 :]
    positions = sorted(table.headers)
    width = positions[-1] + 1 if positions else 0
    if any(len(row) < width for row in body):
        body = [row + [None] * (width - len(row)) for row in body]
    texts = {p: column_texts([row[p] for row in body]) for p in positions}
    arrays = {p: pa.array(t, pa.string()) for p, t in texts.items()}
    excel_rows = np.arange(table.header_index + 2, table.header_index + 2 + len(body), dtype=np.int64)
    if not positions or not body:
        return TableTexts(excel_rows[:0], {p: a[:0] for p, a in arrays.items()})
    filled = {
        p: np.diff(np.frombuffer(a.buffers()[1], np.int32, len(a) + 1, a.offset * 4)) > 0 for p, a in arrays.items()
    }
    keep = np.logical_or.reduce([filled[p] for p in table.columns])
    cells_per_row = np.sum([filled[p] for p in positions], axis=0)
    last = len(keep) - 1
    kommune_position = next((p for p, c in table.columns.items() if c.name == "kommune"), None)

    def footnote(row: int) -> bool:
        """A trailing row that is a note, not data: one filled cell, or two ("Stand:" | a date) in
        a wider table when the Kommune cell names no Kommune."""
        if cells_per_row[row] <= 1:
            return len(table.columns) > 1
        if cells_per_row[row] > 2 or len(table.columns) < 4 or kommune_position is None:
            return False
        return resolve_kommune(texts[kommune_position][row]) is None

    while last >= 0 and (not keep[last] or footnote(last)):
        keep[last] = False
        last -= 1
    if keep[: last + 1].all():  # the usual case: nothing dropped but rows at the end
        return TableTexts(excel_rows[: last + 1], {p: a.slice(0, last + 1) for p, a in arrays.items()})
    rows = np.flatnonzero(keep)
    return TableTexts(
        excel_rows[rows], {p: pa.array(list(itertools.compress(t, keep)), pa.string()) for p, t in texts.items()}
    )
