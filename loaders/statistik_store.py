"""Storing official statistics tables (see ``loaders.statistik`` for the reader): one upload record
per table, its values in long form, replaced as a whole in one transaction; the upload list, undo,
and the choice between a source delivery and an official table for an uploaded file.

Kept apart from the reader, which the sandbox's helper process imports: that process needs neither
DuckDB nor the event log."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import store
from core import format as fmt
from core.files import sha256_of
from core.settings import archive_dir, db_path, max_upload_bytes, now
from loaders.read import UnreadableFileError
from loaders.sandbox import read_statistik
from loaders.statistik import StatistikError, StatTable, canonical, sniff_csv
from loaders.validate import CheckedFile, Issue, check_file
from store import history
from store.history import Given

if TYPE_CHECKING:
    from loaders.ingest import IngestResult

Status = Literal["accepted", "unchanged", "rejected"]
STATISTIK_LABEL = "Amtliche Statistik"


@dataclass
class StatistikResult:
    """The outcome of one official table, reported like every upload (``IngestResult.as_dict``)."""

    file: str
    status: Status
    table: StatTable | None = None
    errors: list[Issue] = field(default_factory=list)
    upload_id: int | None = None
    recognised: bool = True  # False: the file could not be read at all, so it may be no such export

    @property
    def warnings(self) -> list[Issue]:
        return [Issue(h, self.table.sheet) for h in self.table.hinweise] if self.table else []

    @property
    def rows(self) -> int:
        return self.table.values.num_rows if self.table else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "source": history.STATISTIK,
            "partitions": [],
            "rows": self.rows,
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
            "upload_id": self.upload_id,
            "tabelle": self.table.tabelle if self.table else None,
            "stand": self.table.stand.isoformat(sep=" ") if self.table and self.table.stand else None,
        }


def ingest_any(
    path: Path,
    *,
    database: Path | str | None = None,
    source_name: str | None = None,
    kommune: str | None = None,
    monat: str | None = None,
    user: str = "unbekannt",
    dry_run: bool = False,
    display_name: str | None = None,
) -> IngestResult | StatistikResult:
    """Ingest one uploaded file, whatever it is: an official statistics export or a delivery of a
    source (see ``check_upload`` for how that is decided); unless it is rejected or a dry run, it is
    stored (``store_table`` or ``loaders.ingest.ingest_checked``)."""
    from loaders.ingest import ingest_checked

    name = display_name or str(path)
    found = check_upload(path, name, source_name=source_name, kommune=kommune, monat=monat)
    if isinstance(found, StatistikResult):
        if dry_run or found.status != "accepted" or found.table is None:
            return found
        return store_table(path, name, found.table, database, user)
    given = Given(quelle=source_name, kommune=kommune, monat=monat)
    return ingest_checked(found, name, database=database, user=user, given=given, dry_run=dry_run)


# How the source readers say that they read a file safely but found no table of a source in it
# (``loaders.read.locate_tables``); only then is a second reading as an official table worth its time.
_NO_TABLE_FOUND = ("In der Datei wurde keine Kopfzeile", "Die Tabelle hat eine Spalte je Monat")


def no_table_found(checked: CheckedFile) -> bool:
    errors = checked.errors
    return checked.source is None and len(errors) == 1 and errors[0].message.startswith(_NO_TABLE_FOUND)


def check_upload(
    path: Path,
    name: str,
    *,
    source_name: str | None = None,
    kommune: str | None = None,
    monat: str | None = None,
) -> CheckedFile | StatistikResult:
    """The check of an uploaded file, without storing it: an official table read, or else the
    file's check as a delivery (``check_file``). Used by ``ingest_any`` and by the page "Daten
    hochladen" (which stores an accepted table with ``store_table``).

    Only a file given without source, Kommune and month can be an official table. A CSV that starts
    with a GENESIS code line goes to the statistics reader at once. Any other file that the source
    readers reject for finding no table is tried as a statistics export (a workbook download may
    name its table only in its sheet name, a legacy .xls not at all); it keeps its own rejection
    unless it is one."""
    plain = not (source_name or kommune or monat)
    sniffed = plain and sniff_csv(path)
    if sniffed:
        found = ingest_statistik(path, dry_run=True, display_name=name)
        if found is not None:
            return found
    checked = check_file(path, source_name=source_name, kommune=kommune, monat=monat)
    if plain and not sniffed and no_table_found(checked):
        found = ingest_statistik(path, dry_run=True, display_name=name)
        if found is not None and found.recognised:
            return found
    return checked


def ingest_statistik(
    path: Path,
    *,
    database: Path | str | None = None,
    user: str = "unbekannt",
    dry_run: bool = False,
    display_name: str | None = None,
) -> StatistikResult | None:
    """Read an official statistics export and, unless it is rejected or a dry run, store it whole
    in one transaction; None when the file is no such export."""
    name = display_name or str(path)
    if path.stat().st_size > max_upload_bytes():
        limit = fmt.compact(max_upload_bytes() / (1024 * 1024))
        return StatistikResult(
            name,
            "rejected",
            errors=[
                Issue(
                    f"Die Datei ist größer als die zulässigen {limit} MB. Bitte die Tabelle mit weniger Regionen "
                    "oder Zeiträumen abrufen, etwa nur für Nordrhein-Westfalen oder den Kreis Unna."
                )
            ],
            recognised=False,  # not read: a workbook this large may be anything
        )
    try:
        table = read_statistik(path)  # in a child process with a memory cap and a time limit
    except StatistikError as error:
        return StatistikResult(name, "rejected", errors=[Issue(error.user_message)])
    except UnreadableFileError as error:
        return StatistikResult(name, "rejected", errors=[Issue(error.user_message)], recognised=False)
    if table is None:
        return None
    if dry_run:
        return StatistikResult(name, "accepted", table)
    return store_table(path, name, table, database, user)


def store_table(path: Path, name: str, table: StatTable, database: Path | str | None, user: str) -> StatistikResult:
    """Store a table read from ``path`` (or find the same file stored already), archive the original."""
    from loaders.ingest import demo_refusal

    digest = sha256_of(path)
    target = db_path(database)
    with store.connect(target, write=True) as connection:
        if store.get_meta(connection, "demo") == "ja":
            raise demo_refusal(target)
        holder = store.first_row(
            connection,
            "SELECT min(upload_id) FROM statistik_upload WHERE sha256 = ? AND status = 'accepted'",
            [digest],
        )
        if holder is not None and holder[0] is not None:
            return StatistikResult(name, "unchanged", table, upload_id=int(holder[0]))
        archived, created = history.archive_original(path, digest, archive_dir(target))
        connection.execute("BEGIN TRANSACTION")
        try:
            # one numbering for every upload, so that history and undo name it like any other
            row = store.first_row(connection, "SELECT nextval('upload_seq')")
            assert row is not None
            upload_id = int(row[0])
            connection.execute(
                """INSERT INTO statistik_upload (upload_id, tabelle, titel, stand, quelle, datei, sha256, zeilen,
                                                 benutzer, zeit, status, meldungen, archiv)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'accepted', ?, ?)""",
                [
                    upload_id,
                    table.tabelle,
                    table.titel,
                    table.stand,
                    table.quelle,
                    Path(name).name,
                    digest,
                    table.values.num_rows,
                    user,
                    now(),
                    json.dumps(table.hinweise, ensure_ascii=False),
                    archived,
                ],
            )
            connection.register("incoming_values", table.values)
            connection.execute(
                """INSERT INTO statistik_wert
                   SELECT ?, ?, merkmal, region, periode, wert::DECIMAL(38, 10), symbol, excel_zeile
                   FROM incoming_values""",
                [upload_id, table.tabelle],
            )
            connection.unregister("incoming_values")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            if created:  # nothing of a table that was not stored stays in the archive
                (archive_dir(target) / archived).unlink(missing_ok=True)
            raise
        # The statistics tables are app tables of the event log: the log takes their new state at
        # once, so that rebuild and backup cover these uploads like every other.
        history.complete_log(connection, target)
    return StatistikResult(name, "accepted", table, upload_id=upload_id)


def stored_values(database: Path | str | None = None, tabelle: str | None = None) -> list[dict[str, Any]]:
    """Every current official value, ordered: table, Merkmal, region, period."""
    with store.connect(database) as connection:
        result = connection.execute(
            """SELECT tabelle, merkmal, region, periode, wert, symbol, stand, titel
               FROM v_statistik WHERE ? IS NULL OR tabelle = ?
               ORDER BY tabelle, merkmal, region, periode""",
            [tabelle, tabelle],
        )
        names = [d[0] for d in result.description]
        rows = [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    for row in rows:
        row["wert"] = None if row["wert"] is None else canonical(str(row["wert"]))
    return rows
