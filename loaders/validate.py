"""Check a delivered file against its source declaration and turn it into canonical rows.

Every problem of a file is collected (never only the first), each with the sheet, the row as the
user sees it in Excel and the column as written in the file. Cell texts are parsed and checked in
DuckDB on a private in-memory connection, so checking never touches the database file.

A workbook may deliver on several sheets (one month or one Kommune per sheet): each sheet is a part
with its own checks, and the file is accepted only when every part is, so that its upload stores
all of them or none. Two sheets delivering the same (Kommune, month) are an error naming both.

One file is one upload of one source. The ingest contract reports one ``source`` per file and its
partitions as (Kommune, month) pairs, and the upload log, undo and the "Datenstand" page keep one
source per upload; a file that mixed sources would make its partitions ambiguous and its undo
reach into two sources at once. So a workbook whose sheets deliver different sources is rejected
(``loaders.read.locate_tables``) with a message that names the sheets; given a source, only that
source's sheets are read, and the same file can be uploaded once per source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from core import format as fmt
from core.errors import UsageError
from core.files import sha256_of
from core.normalize import value_key
from core.periods import parse_monat
from core.reference import KREIS_MARKER, extern_codes, kommune_name, resolve_kommune
from core.settings import max_upload_bytes, today
from core.sources import Column, Source
from loaders import rules
from loaders.personal import SQL_PREFILTER, SQL_PREFILTER_ID, looks_like_name, personal_data_kind
from loaders.read import Table, UnreadableFileError, looks_personal, personal_data_words
from loaders.sandbox import read_tables
from loaders.templates import choices
from loaders.values import (
    allowed_values,
    category_lookup,
    parse_bool,
    parse_handlungsfelder,
)
from store import sql_type

MAX_MESSAGES_PER_PROBLEM = 50
# The largest number a count or decimal may hold. No figure of a Kreis of 400.000 inhabitants comes
# near it; it lies below what the stored types hold (BIGINT about 9,2 · 10^18, DECIMAL(18,3) just under
# 10^15), so nothing is cut off, and sums over millions of stored values stay inside a BIGINT.
MAX_NUMBER = 10**12


@dataclass(frozen=True)
class Issue:
    """An error or warning, placed where the user can find it."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class CheckedSheet:
    """One delivering sheet of a file (the whole file for a CSV): what it holds."""

    sheet: str | None
    headers: dict[str, str] = field(default_factory=dict)  # declared column → header as written
    read_rows: int = 0
    rows: pa.Table | None = None  # canonical rows; None when the sheet has errors
    partitions: dict[tuple[str, dt.date], int] = field(default_factory=dict)  # → rows
    first_rows: dict[tuple[str, dt.date], int] = field(default_factory=dict)  # → first Excel row


@dataclass
class CheckedFile:
    path: Path
    sha256: str
    source: Source | None = None
    parts: list[CheckedSheet] = field(default_factory=list)  # in workbook order
    rows: pa.Table | None = None  # canonical rows of every part, ready for the store; None when rejected
    partitions: dict[tuple[str, dt.date], int] = field(default_factory=dict)  # → rows
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors and self.rows is not None

    @property
    def sheet(self) -> str | None:
        """The first delivering sheet (the only one of most files)."""
        return self.parts[0].sheet if self.parts else None

    @property
    def headers(self) -> dict[str, str]:
        """Declared column → header as written, on the first sheet."""
        return self.parts[0].headers if self.parts else {}

    @property
    def read_rows(self) -> int:
        return sum(part.read_rows for part in self.parts)


def check_file(
    path: Path,
    *,
    source_name: str | None = None,
    kommune: str | None = None,
    monat: str | None = None,
) -> CheckedFile:
    """Read and check one file. Never raises for a problem of the file: it is in ``errors``."""
    checked = CheckedFile(path=path, sha256=sha256_of(path))
    given_kommune = _given_kommune(kommune)
    given_monat = _given_monat(monat)
    size = path.stat().st_size
    if size > max_upload_bytes():
        limit = max_upload_bytes() // (1024 * 1024)
        checked.errors.append(
            Issue(f"Die Datei ist größer als die zulässigen {limit} MB. Bitte die Lieferung aufteilen.")
        )
        return checked
    try:
        located = read_tables(path, source_name)  # in a child process with a memory cap and a time limit
    except UnreadableFileError as error:
        checked.errors.append(Issue(error.user_message))
        return checked
    checked.source = located.source
    findings = [Issue(f.message, f.sheet, f.row, f.column) for f in located.findings]
    for table in located.tables:
        part = CheckedSheet(
            table.sheet.name, {column.name: table.headers[position] for position, column in table.columns.items()}
        )
        checked.parts.append(part)
        errors = len(checked.errors)
        _check_header(table, checked, given_kommune, given_monat)
        if len(checked.errors) == errors:
            _check_rows(table, checked, part, given_kommune, given_monat)
    checked.errors += findings  # personal data outside the table, formulas, error cells (loaders.cells)
    for ignored in located.ignored:
        names = [f"'{column.display}'" for column in ignored.missing]
        missing = f"fehlt die Spalte {names[0]}" if len(names) == 1 else f"fehlen die Spalten {fmt.german_list(names)}"
        checked.warnings.append(
            Issue(
                f"Das Blatt '{ignored.sheet}' hat Spalten der Quelle '{ignored.source.label}', aber es {missing}; "
                "es wird nicht übernommen. Gehört es zur Lieferung, bitte ergänzen und erneut hochladen.",
                ignored.sheet,
                ignored.header_index + 1,
                None,
            )
        )
    _combine_parts(checked, given_kommune, given_monat)
    return checked


def _combine_parts(checked: CheckedFile, kommune: str | None, monat: dt.date | None) -> None:
    """The file's rows and partitions from those of its sheets; a partition on two sheets is an
    error, a sheet without data rows beside others a warning, a file without any an error."""
    assert checked.source is not None
    if checked.errors:
        return
    delivering = [part for part in checked.parts if part.partitions]
    if not delivering and kommune is not None and monat is not None and checked.source.kind == "records":
        checked.partitions = {(kommune, monat): 0}  # a delivered month without any case
        checked.rows = checked.parts[0].rows
        return
    if not delivering:
        checked.errors.append(
            Issue(
                "Die Datei enthält keine Datenzeilen für eine Kommune. Bitte die Lieferung prüfen.",
                checked.sheet,
            )
        )
        return
    for part in checked.parts:
        if not part.partitions:
            checked.warnings.append(
                Issue(
                    f"Das Blatt '{part.sheet}' enthält keine Datenzeilen für eine Kommune und wird übersprungen.",
                    part.sheet,
                )
            )
    seen: dict[tuple[str, dt.date], CheckedSheet] = {}
    for part in delivering:
        for key in sorted(part.partitions, key=lambda k: part.first_rows[k]):
            earlier = seen.setdefault(key, part)
            if earlier is part:
                continue
            ags, month = key
            checked.errors.append(
                Issue(
                    f"{kommune_name(ags)} im Monat {fmt.month_short(month)} wird schon im Blatt '{earlier.sheet}' "
                    f"(ab Zeile {earlier.first_rows[key]}) geliefert. Bitte jede Kommune und jeden Monat nur "
                    "auf einem Blatt liefern.",
                    part.sheet,
                    part.first_rows[key],
                    part.headers.get("kommune"),
                )
            )
    if checked.errors:
        return
    for part in delivering:
        checked.partitions.update(part.partitions)
    tables = [part.rows for part in delivering if part.rows is not None]
    checked.rows = tables[0] if len(tables) == 1 else pa.concat_tables(tables)


def _given_kommune(value: str | None) -> str | None:
    if value is None:
        return None
    ags = resolve_kommune(value)
    if ags is None or ags == KREIS_MARKER:
        raise UsageError(f"Die Kommune '{value}' ist unbekannt. Bitte AGS oder Namen einer der zehn Kommunen angeben.")
    return ags


def _given_monat(value: str | None) -> dt.date | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}", value) or parse_monat(value) is None:
        raise UsageError(f"Der Monat '{value}' ist ungültig. Bitte im Format JJJJ-MM angeben, z. B. 2026-10.")
    return parse_monat(value)


def _check_header(table: Table, checked: CheckedFile, kommune: str | None, monat: dt.date | None) -> None:
    sheet, row = table.sheet.name, table.header_row
    forbidden = personal_data_words()
    for header in table.headers.values():
        if looks_personal(header, forbidden):
            checked.errors.append(
                Issue(
                    f"Die Spalte '{header}' deutet auf personenbezogene Daten hin. Solche Dateien "
                    "werden nicht gespeichert. Bitte die Spalte entfernen und nur anonymisierte "
                    "Daten liefern.",
                    sheet,
                    row,
                    header,
                )
            )
    mapped = {column.name for column in table.columns.values()}
    given = {"kommune": kommune is not None, "monat": monat is not None}
    for column in table.source.columns:
        if column.required and column.name not in mapped and not given.get(column.name, False):
            hint = " oder beim Hochladen angeben" if column.name in given else ""
            checked.errors.append(
                Issue(
                    f"Pflichtspalte '{column.display}' fehlt. Bitte die Spalte ergänzen{hint} "
                    f"(Vorlage '{table.source.label}').",
                    sheet,
                    row,
                    None,
                )
            )
    for position, column in table.duplicates.items():
        header = table.headers[position]
        first = table.header_of(column.name)
        checked.warnings.append(
            Issue(
                f"Die Spalte '{header}' bezeichnet wie '{first}' die Angabe '{column.display}'; es wird "
                f"'{first}' verwendet.",
                sheet,
                row,
                header,
            )
        )
    for header in table.unknown.values():
        if not looks_personal(header, forbidden):
            checked.warnings.append(
                Issue(
                    f"Die Spalte '{header}' ist nicht vereinbart und wird ignoriert.",
                    sheet,
                    row,
                    header,
                )
            )


def _check_rows(
    table: Table, checked: CheckedFile, part: CheckedSheet, kommune: str | None, monat: dt.date | None
) -> None:
    """Check one sheet's rows (errors and warnings go to the file) and keep its canonical rows."""
    source = table.source
    excel_rows, texts = table.body_texts()
    part.read_rows = len(excel_rows)
    by_name = {column.name: position for position, column in table.columns.items()}
    raw: dict[str, object] = {"excel_row": excel_rows.astype("int64")}
    for column in source.columns:
        position = by_name.get(column.name)
        if position is not None:
            raw[f"r_{column.name}"] = texts[position]
        elif column.name == "kommune" and kommune is not None:
            raw["r_kommune"] = np.full(len(excel_rows), kommune, dtype=object)
        elif column.name == "monat" and monat is not None:
            raw["r_monat"] = np.full(len(excel_rows), monat.isoformat(), dtype=object)
        else:
            raw[f"r_{column.name}"] = np.full(len(excel_rows), "", dtype=object)
    for position in table.unknown:
        raw[f"u_{position}"] = texts[position]
    frame = pa.table(
        {name: pa.array(values, pa.int64() if name == "excel_row" else pa.string()) for name, values in raw.items()}
    )

    connection = duckdb.connect()
    try:
        connection.execute((Path(__file__).with_name("sql") / "parse_macros.sql").read_text(encoding="utf-8"))
        connection.register("raw_frame", frame)
        connection.execute("CREATE TABLE raw AS SELECT * FROM raw_frame")
        connection.unregister("raw_frame")
        _register_lookups(connection, source)
        connection.execute(f"CREATE TABLE typed AS {_typed_select(source)}")
        errors = len(checked.errors)
        validator = _Validator(connection, table, checked, kommune, monat)
        validator.run()
        if len(checked.errors) > errors:
            return
        part.rows = connection.sql(_stored_select(source)).to_arrow_table()
        counts = connection.execute(
            "SELECT kommune, monat, count(*), min(excel_row) FROM typed WHERE kommune <> ? GROUP BY ALL",
            [KREIS_MARKER],
        ).fetchall()
    finally:
        connection.close()
    part.partitions = {(k, m): n for k, m, n, _ in counts}
    part.first_rows = {(k, m): int(first) for k, m, _, first in counts}


# --- lookups of distinct values -------------------------------------------------------------


_LOOKUP_TYPES = {"kommune": pa.string(), "monat": pa.date32(), "category": pa.string(),
                 "list": pa.list_(pa.string()), "bool": pa.bool_()}  # fmt: skip


def _register_lookups(connection: duckdb.DuckDBPyConnection, source: Source) -> None:
    """One small table per resolvable column: each distinct text → canonical value (or NULL)."""
    for column in source.columns:
        if column.type not in _LOOKUP_TYPES:
            continue
        distinct = [text for (text,) in connection.execute(f"SELECT DISTINCT r_{column.name} FROM raw").fetchall()]
        resolve = _resolver(column)
        lookup = pa.table(
            {
                "raw": pa.array(distinct, pa.string()),
                "code": pa.array([resolve(text) for text in distinct], _LOOKUP_TYPES[column.type]),
            }
        )
        connection.register(f"lookup_{column.name}_arrow", lookup)
        connection.execute(f"CREATE TABLE lookup_{column.name} AS SELECT * FROM lookup_{column.name}_arrow")


def _resolver(column: Column) -> Callable[[str], object]:
    """Text → canonical value for one column; empty text is None (bool: nein)."""
    if column.type == "kommune":
        return lambda text: resolve_kommune(text) if text else None
    if column.type == "monat":
        return lambda text: parse_monat(text, year_means_december=column.year_means_december) if text else None
    if column.type == "bool":
        return parse_bool
    if column.type == "list":
        return lambda text: parse_handlungsfelder(text) if text else None
    lookup = category_lookup(column, extern_codes())
    return lambda text: lookup.get(value_key(text)) if text else None


# --- typed rows -----------------------------------------------------------------------------


def _typed_expression(column: Column) -> str:
    raw = f"r.r_{column.name}"
    if column.type in ("kommune", "monat", "category", "list", "bool"):
        return f"lookup_{column.name}.code"
    if column.type == "text":
        return f"nullif({raw}, '')"
    if column.type == "date":
        return f"kim_date({raw})"
    if column.type == "year":
        return f"TRY_CAST({raw} AS SMALLINT)"
    if column.type == "count":
        number = f"r.n_{column.name}"
        return f"CASE WHEN {number} = trunc({number}) THEN TRY_CAST({number} AS BIGINT) END"
    return f"TRY_CAST(r.n_{column.name} AS DECIMAL(18, 3))"


def _typed_select(source: Source) -> str:
    selects = ["r.excel_row"] + [f'{_typed_expression(c)} AS "{c.name}"' for c in source.columns]
    joins = [
        f"LEFT JOIN lookup_{c.name} ON lookup_{c.name}.raw = r.r_{c.name}"
        for c in source.columns
        if c.type in ("kommune", "monat", "category", "list", "bool")
    ]
    numbers = [c for c in source.columns if c.is_number]
    if numbers:
        flags = ", ".join(f"CASE WHEN kim_secret(r.r_{c.name}) THEN '{c.name}' END" for c in numbers)
        selects.append(f"list_filter([{flags}], lambda x: x IS NOT NULL) AS unterdrueckt")
    else:
        selects.append("[]::VARCHAR[] AS unterdrueckt")
    keys = ", ".join(f'"{k}"' for k in ("kommune", "monat", *source.unique))
    parsed = ", ".join(f"kim_num(r_{c.name}) AS n_{c.name}" for c in numbers) or "NULL AS n_"
    selects[0] = "r.*"  # raw texts and parsed numbers stay beside the typed values, for the checks
    rows = f"SELECT {', '.join(selects)} FROM (SELECT *, {parsed} FROM raw) r {' '.join(joins)}"
    # first_row: the first row with the same partition key (and unique columns), for duplicates.
    return f"SELECT *, min(excel_row) OVER (PARTITION BY {keys}) AS first_row FROM ({rows})"


def _stored_select(source: Source) -> str:
    columns = [f'CAST("{c.name}" AS {sql_type(c.type)}) AS "{c.name}"' for c in source.columns]
    if source.kind != "records":
        columns.append("unterdrueckt")
    return (
        f"SELECT excel_row::INTEGER AS excel_zeile, {', '.join(columns)} FROM typed "
        f"WHERE kommune <> '{KREIS_MARKER}' ORDER BY excel_row"
    )


# --- the checks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    """One row-level check: rows of ``typed t JOIN raw r`` where ``condition`` holds."""

    column: str | None  # declared column the problem is reported at (None: the row)
    condition: str
    message: str  # format string with {a}, {b} (details), {monat}, {kommune}
    a: str = "NULL"
    b: str = "NULL"
    warning: bool = False


class _Validator:
    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        table: Table,
        checked: CheckedFile,
        given_kommune: str | None,
        given_monat: dt.date | None,
    ) -> None:
        self.connection = connection
        self.table = table
        self.source = table.source
        self.checked = checked
        self.given_kommune = given_kommune
        self.given_monat = given_monat
        self.given = {"kommune": given_kommune is not None, "monat": given_monat is not None}

    def header(self, column: str | None) -> str | None:
        if column is None:
            return None
        return self.table.header_of(column)

    def label(self, column: str) -> str:
        return self.header(column) or self.source.column(column).display

    def run(self) -> None:
        self.apply(self.cell_checks() + self.given_checks() + self.rule_checks() + self.uniqueness_checks())
        self.personal_values()
        self.kreis_rows()

    def apply(self, checks: list[_Check]) -> None:
        """Run every row check in one query; keep the first rows of each and count the rest."""
        if not checks:
            return
        hits = "\nUNION ALL\n".join(
            f"""SELECT {number} AS check_id, t.excel_row, CAST({check.a} AS VARCHAR) AS a,
                       CAST({check.b} AS VARCHAR) AS b, t.monat, t.kommune
                FROM typed t WHERE {check.condition}"""
            for number, check in enumerate(checks)
        )
        query = f"""
            SELECT check_id, excel_row, a, b, strftime(monat, '%m/%Y'), kommune,
                   count(*) OVER (PARTITION BY check_id) AS total
            FROM ({hits})
            QUALIFY row_number() OVER (PARTITION BY check_id ORDER BY excel_row) <= {MAX_MESSAGES_PER_PROBLEM}
            ORDER BY check_id, excel_row"""
        totals: dict[int, int] = {}
        for number, excel_row, a, b, monat, kommune, total in self.connection.execute(query).fetchall():
            check = checks[number]
            totals[number] = total
            target = self.checked.warnings if check.warning else self.checked.errors
            message = check.message.format(
                a=_quote(a), b=_quote(b), b_plain=b, monat=monat, kommune=kommune_name(kommune) if kommune else ""
            )
            target.append(Issue(message, self.table.sheet.name, int(excel_row), self.header(check.column)))
        for number, total in totals.items():
            if total > MAX_MESSAGES_PER_PROBLEM:
                check = checks[number]
                target = self.checked.warnings if check.warning else self.checked.errors
                more = fmt.number(total - MAX_MESSAGES_PER_PROBLEM)
                target.append(
                    Issue(
                        f"… und {more} weitere Zeilen mit demselben Problem in Spalte "
                        f"'{self.header(check.column) or '-'}'.",
                        self.table.sheet.name,
                        None,
                        self.header(check.column),
                    )
                )

    def cell_checks(self) -> list[_Check]:
        checks: list[_Check] = []
        for column in self.source.columns:
            name, raw, label = (
                column.name,
                f"t.r_{column.name}",
                self.label(column.name),
            )
            mapped = self.header(name) is not None
            if not mapped and not self.given.get(name, False):
                continue
            if column.is_number:
                # An empty cell, 'k.A.' or 'x' in a number column is a missing value, not an error.
                filled = f"NOT kim_blank({raw}) AND NOT kim_secret({raw})"
                # A number too long for the parser (more than 32 digits) or above MAX_NUMBER: an error,
                # never an empty cell.
                long_number = (
                    f"regexp_full_match({raw}, '[-+]?[0-9][0-9.]*(,[0-9]*)?') "
                    f"AND length(regexp_replace({raw}, '[^0-9]', '', 'g')) > 12"
                )
                checks.append(
                    _Check(
                        name,
                        f"{filled} AND t.n_{name} IS NULL AND NOT ({long_number})",
                        "{a} ist keine gültige Zahl. Bitte eine Zahl eintragen (z. B. 1.234 oder 12,5).",
                        a=raw,
                    )
                )
                checks.append(
                    _Check(
                        name,
                        f"{filled} AND (abs(t.n_{name}) >= {MAX_NUMBER} OR (t.n_{name} IS NULL AND {long_number}))",
                        f"{{a}} ist als '{label}' zu groß: Werte ab {fmt.exact(MAX_NUMBER)} (eine Billion) sind nicht "
                        "plausibel und werden nicht gespeichert. Bitte den Wert prüfen (etwa eine Kennnummer oder "
                        "Summe in der falschen Spalte).",
                        a=raw,
                    )
                )
                if column.type == "count":
                    checks.append(
                        _Check(
                            name,
                            f"{filled} AND t.n_{name} <> trunc(t.n_{name})",
                            "{a} ist keine ganze Zahl. Bitte eine ganze Zahl eintragen.",
                            a=raw,
                        )
                    )
                checks.append(
                    _Check(
                        name,
                        f"{filled} AND t.n_{name} < 0",
                        f"Negative Angabe {{a}} in '{label}' ist nicht zulässig. Bitte den Wert prüfen.",
                        a=raw,
                    )
                )
                continue
            if column.required and column.type != "bool":
                checks.append(
                    _Check(
                        name,
                        f"{raw} = ''",
                        f"Pflichtangabe '{label}' fehlt. Bitte ergänzen.",
                    )
                )
            filled = f"{raw} <> ''"
            typed = f't."{name}"'
            if column.type == "date":
                checks.append(
                    _Check(
                        name,
                        f"{filled} AND {typed} IS NULL",
                        "{a} ist kein gültiges Datum. Bitte als TT.MM.JJJJ angeben.",
                        a=raw,
                    )
                )
            elif column.type == "year":
                this_year = today().year
                checks.append(
                    _Check(
                        name,
                        f"{filled} AND ({typed} IS NULL OR {typed} NOT BETWEEN 1900 AND {this_year})",
                        "{a} ist keine gültige Jahreszahl. Bitte ein vierstelliges Jahr angeben.",
                        a=raw,
                    )
                )
            elif column.type == "kommune":
                checks.append(
                    _Check(
                        name,
                        f"{filled} AND {typed} IS NULL",
                        "Die Kommune {a} ist unbekannt. Bitte den Namen oder Gemeindeschlüssel (z. B. 05978004) einer der zehn Kommunen des Kreises Unna angeben.",
                        a=raw,
                    )
                )
            elif column.type == "monat":
                checks.extend(self.monat_checks(raw, typed))
            elif column.type in ("category", "list", "bool"):
                checks.append(
                    _Check(
                        name,
                        f"{filled} AND {typed} IS NULL",
                        self.unknown_value_message(column, label),
                        a=raw,
                    )
                )
        return checks

    def unknown_value_message(self, column: Column, label: str) -> str:
        if column.type == "bool":
            return f"{{a}} ist keine gültige Ja/Nein-Angabe in '{label}'. Bitte ja oder nein eintragen."
        # In the words of the template's dropdown ("Ziel erreicht", "weiblich"), not the stored codes.
        allowed = ", ".join(choice.offered for choice in choices(column)) or ", ".join(
            allowed_values(column, extern_codes())
        )
        if column.type == "list":
            return f"{{a}} enthält ein unbekanntes Handlungsfeld. Zulässig sind: {allowed} (getrennt durch ;)."
        return f"{{a}} ist kein zulässiger Wert für '{label}'. Zulässig sind: {allowed}."

    def monat_checks(self, raw: str, typed: str) -> list[_Check]:
        current = today().replace(day=1)
        oldest = current.replace(year=current.year - 5)
        year_hint = (
            " (eine Jahreszahl allein steht für den Dezember dieses Jahres)"
            if self.source.column("monat").year_means_december
            else ""
        )
        return [
            _Check(
                "monat",
                f"{raw} <> '' AND {typed} IS NULL",
                f"{{a}} ist kein gültiger Monat. Bitte z. B. 2026-10, 10/2026 oder Oktober 2026 angeben{year_hint}.",
                a=raw,
            ),
            _Check(
                "monat",
                f"{typed} > DATE '{current.isoformat()}' AND NOT regexp_full_match({raw}, '\\d{{4}}')",
                "Der Monat {monat} liegt in der Zukunft. Bitte den Berichtsmonat prüfen.",
            ),
            _Check(
                "monat",
                f"{typed} > DATE '{current.isoformat()}' AND regexp_full_match({raw}, '\\d{{4}}')",
                "Das Jahr {a} ist noch nicht abgeschlossen; eine Jahreszahl allein steht für den Dezember. "
                "Bitte den Stichtag angeben (z. B. 30.09.2026).",
                a=raw,
            ),
            _Check(
                "monat",
                f"{typed} < DATE '{oldest.isoformat()}'",
                "Der Monat {monat} liegt mehr als fünf Jahre zurück. Bitte prüfen, ob das gewollt ist.",
                warning=True,
            ),
        ]

    def given_checks(self) -> list[_Check]:
        """A Kommune or month given with the upload must agree with the file's own column."""
        checks = []
        if self.given_kommune is not None and self.header("kommune") is not None:
            checks.append(
                _Check(
                    "kommune",
                    f"t.kommune NOT IN ('{self.given_kommune}', '{KREIS_MARKER}')",
                    "Die Kommune {a} weicht von der beim Hochladen angegebenen Kommune ab. Bitte prüfen.",
                    a="t.r_kommune",
                )
            )
        if self.given_monat is not None and self.header("monat") is not None:
            checks.append(
                _Check(
                    "monat",
                    f"t.monat <> DATE '{self.given_monat.isoformat()}'",
                    "Der Monat {monat} weicht vom beim Hochladen angegebenen Monat ab. Bitte prüfen.",
                )
            )
        return checks

    def rule_checks(self) -> list[_Check]:
        checks = []
        for rule in self.source.rules:
            col, other = f't."{rule.column}"', f't."{rule.other}"'
            kind = rules.rule_kind(rule)
            checks.append(
                _Check(
                    rule.column,
                    kind.condition(col, other, rule.column),
                    rules.message(rule, self.label(rule.column), self.label(rule.other) if rule.other else ""),
                    a=kind.a(col, other) if kind.a else "NULL",
                    b=kind.b(col, other) if kind.b else "NULL",
                )
            )
        if self.source.kind == "records" and "fallende" in {c.name for c in self.source.columns}:
            checks.append(
                _Check(
                    "fallende",
                    "t.fallende < t.monat",
                    "Der Fall endete vor dem Berichtsmonat {monat} und wird in diesem Monat nicht gezählt.",
                    warning=True,
                )
            )
        return checks

    def uniqueness_checks(self) -> list[_Check]:
        keys = ["kommune", "monat", *self.source.unique]
        first = "t.first_row"
        not_total = f"t.kommune <> '{KREIS_MARKER}' AND " + " AND ".join(f't."{k}" IS NOT NULL' for k in keys)
        condition = f"{not_total} AND t.excel_row <> {first}"
        if self.source.unique:
            key = self.source.unique[0]
            what = f"'{self.label(key)}' {{a}}"
            return [
                _Check(
                    key,
                    condition,
                    f"{what} kommt für {{kommune}} im Monat {{monat}} mehrfach vor (zuerst in Zeile {{b_plain}}). Jeder Wert darf je Kommune und Monat nur einmal vorkommen.",
                    a=f't."{key}"',
                    b=first,
                )
            ]
        return [
            _Check(
                "kommune",
                condition,
                "Für {kommune} und den Monat {monat} gibt es mehrere Zeilen (zuerst Zeile {b_plain}). Bitte je Kommune und Monat nur eine Zeile liefern.",
                b=first,
            )
        ]

    def personal_values(self) -> None:
        """E-mail addresses, phone numbers, IBANs (valid checksum) and labelled names anywhere in the
        cells of an undeclared column (free text included) or a declared text column (the Fall-ID),
        where a bare name counts too. The value is never quoted back. A first look in DuckDB keeps
        the values that could match; only those are looked at closely."""
        places = [(f"u_{p}", header, False) for p, header in self.table.unknown.items()]
        places += [
            (f"r_{column.name}", self.label(column.name), True)
            for column in self.source.columns
            if column.type == "text" and self.header(column.name) is not None
        ]
        for name, header, identifier in places:
            prefilter = SQL_PREFILTER_ID if identifier else SQL_PREFILTER
            pattern = prefilter.replace("'", "''")
            rows = self.connection.execute(
                f"SELECT excel_row, {name} FROM raw WHERE {name} <> '' AND regexp_matches({name}, '{pattern}') "
                "ORDER BY excel_row"
            ).fetchall()
            reported = 0
            for excel_row, text in rows:
                kind = personal_data_kind(text) or ("einen Namen" if identifier and looks_like_name(text) else None)
                if kind:
                    advice = (
                        "Bitte die Spalte entfernen"
                        if not identifier
                        else f"In '{header}' gehört ein Kennzeichen ohne Personenbezug (z. B. KA-2026-0042); bitte ersetzen"
                    )
                    self.checked.errors.append(
                        Issue(
                            f"Die Zelle enthält offenbar {kind} (personenbezogene Daten; der Wert wird "
                            f"nicht angezeigt). {advice} und erneut hochladen.",
                            self.table.sheet.name,
                            int(excel_row),
                            header,
                        )
                    )
                    reported += 1
                    # An undeclared column must go: one message is enough. A Fall-ID is corrected
                    # value by value: each row (as many as for any other problem).
                    if not identifier or reported >= MAX_MESSAGES_PER_PROBLEM:
                        break

    def kreis_rows(self) -> None:
        """Kreis total rows are not stored; in aggregate sources they are checked against the sum of
        the Kommunen of the same month (not where a cell is missing or suppressed)."""
        sheet, kommune_header = self.table.sheet.name, self.header("kommune")
        numbers = [c for c in self.source.columns if c.is_number]
        if self.source.kind == "records" or not numbers:
            for (excel_row,) in self.connection.execute(
                f"SELECT excel_row FROM typed WHERE kommune = '{KREIS_MARKER}' ORDER BY excel_row"
            ).fetchall():
                message = "Die Summenzeile für den Kreis wird nicht gespeichert."
                self.checked.warnings.append(Issue(message, sheet, int(excel_row), kommune_header))
            return
        # In the long format each Kennzahl has its own total.
        unique_keys = "".join(f'"{k}", ' for k in self.source.unique)
        join_keys = "".join(f', "{k}"' for k in self.source.unique)
        for column in numbers:
            mismatches = self.connection.execute(
                f"""WITH sums AS (
                        SELECT monat, {unique_keys} sum("{column.name}") AS total,
                               count(*) FILTER (WHERE "{column.name}" IS NULL) AS gaps
                        FROM typed WHERE kommune <> '{KREIS_MARKER}' GROUP BY ALL)
                    SELECT t.excel_row, t."{column.name}", s.total
                    FROM typed t JOIN sums s USING (monat {join_keys})
                    WHERE t.kommune = '{KREIS_MARKER}' AND s.gaps = 0 AND t."{column.name}" <> s.total
                    ORDER BY t.excel_row"""
            ).fetchall()
            for excel_row, stated, total in mismatches:
                self.checked.warnings.append(
                    Issue(
                        f"Die Summenzeile weicht von der Summe der Kommunen ab ({fmt.exact(stated)} statt "
                        f"{fmt.exact(total)}). Sie wird nicht gespeichert; bitte die Lieferung prüfen.",
                        sheet,
                        int(excel_row),
                        self.header(column.name),
                    )
                )
        for (excel_row,) in self.connection.execute(
            f"""SELECT excel_row FROM typed WHERE kommune = '{KREIS_MARKER}'
                AND monat NOT IN (SELECT monat FROM typed WHERE kommune <> '{KREIS_MARKER}')"""
        ).fetchall():
            message = "Die Summenzeile für den Kreis wird nicht gespeichert (keine Kommunen für diesen Monat)."
            self.checked.warnings.append(Issue(message, sheet, int(excel_row), kommune_header))


def _quote(value: str | None) -> str:
    """A cell value for a message: quoted, shortened, and never if it looks like personal data."""
    if value is None:
        return ""
    if personal_data_kind(value):
        return "(Wert nicht angezeigt)"
    if len(value) > 40:
        value = value[:37] + "…"
    return f"'{value}'"
