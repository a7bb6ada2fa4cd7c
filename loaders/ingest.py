"""Store checked files: replace their partitions atomically, log the upload, archive the original."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

import store
from core import format as fmt
from core.errors import KimError
from core.reference import kommune_name
from core.settings import archive_dir, db_path, now
from loaders.validate import CheckedFile, Issue, check_file
from store import history
from store.history import Given

Status = Literal["accepted", "unchanged", "rejected"]


class DemoDatabaseError(KimError):
    """A real delivery was to be stored in the demo database, which is shown without login."""


def demo_refusal(database: Path) -> DemoDatabaseError:
    return DemoDatabaseError(
        f"Die Datenbank {database} enthält Demodaten, die auf diesem Rechner ohne Anmeldung gezeigt werden. "
        "Echte Lieferungen werden deshalb nicht in sie gespeichert. Bitte eine eigene Datenbank verwenden "
        "(Einstellung KIM_DB oder --db, Standard data/kim.duckdb) und Benutzer mit "
        "'python -m access add-user' anlegen; dann ist eine Anmeldung nötig."
    )


@dataclass
class IngestResult:
    file: str
    status: Status
    checked: CheckedFile
    upload_id: int | None = None
    stored_rows: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.stored_rows if self.stored_rows is not None else self.checked.read_rows

    def as_dict(self) -> dict[str, Any]:
        source = self.checked.source
        return {
            "file": self.file,
            "status": self.status,
            "source": source.name if source else None,
            "partitions": [[k, m.strftime("%Y-%m")] for k, m in sorted(self.checked.partitions)],
            "rows": self.rows,
            "errors": [issue.as_dict() for issue in self.checked.errors],
            "warnings": [issue.as_dict() for issue in self.checked.warnings],
            "upload_id": self.upload_id,
        }


def ingest_file(
    path: Path,
    *,
    database: Path | str | None = None,
    source_name: str | None = None,
    kommune: str | None = None,
    monat: str | None = None,
    user: str = "unbekannt",
    dry_run: bool = False,
    display_name: str | None = None,
    zeit: dt.datetime | None = None,
    demo: bool = False,
) -> IngestResult:
    """Check a file and, unless it is rejected or a dry run, store it.

    ``zeit`` backdates the upload (the demo's deliveries, which arrived over the months); real
    uploads, from the page or the command line, never give it and are logged with the time now.
    ``demo``: the file is one of the demo's own (see ``store_checked``)."""
    checked = check_file(path, source_name=source_name, kommune=kommune, monat=monat)
    given = Given(quelle=source_name, kommune=kommune, monat=monat)
    return ingest_checked(
        checked,
        display_name or str(path),
        database=database,
        user=user,
        given=given,
        dry_run=dry_run,
        zeit=zeit,
        demo=demo,
    )


def ingest_checked(
    checked: CheckedFile,
    name: str,
    *,
    database: Path | str | None = None,
    user: str = "unbekannt",
    given: Given,
    dry_run: bool = False,
    zeit: dt.datetime | None = None,
    demo: bool = False,
) -> IngestResult:
    """A checked file's outcome: rejected, accepted in a dry run (with the plausibility warnings
    against the database, if there is one), or else stored (``store_checked``)."""
    if not checked.accepted:
        return IngestResult(name, "rejected", checked)
    if dry_run:
        if db_path(database).exists():
            with store.connect(database) as connection:
                checked.warnings += plausibility_warnings(connection, checked)
        return IngestResult(name, "accepted", checked)
    return store_checked(checked, name, database=database, user=user, given=given, zeit=zeit, demo=demo)


def store_checked(
    checked: CheckedFile,
    name: str,
    *,
    database: Path | str | None = None,
    user: str = "unbekannt",
    given: Given | None = None,
    zeit: dt.datetime | None = None,
    demo: bool = False,
) -> IngestResult:
    """Store a checked file: replace its partitions in one transaction, archive the original and
    append the upload to the event log (see ``store.history``).

    ``given`` is what the upload was given besides the file (source, Kommune, month), kept so that
    the upload can be replayed; without it, it is derived from the checked file. ``zeit``: see
    ``ingest_file`` (the demo only).

    The demo database opens without login on localhost, so no real delivery may enter it: unless
    ``demo`` says the file is synthetic demo data, storing into it is refused (DemoDatabaseError).
    """
    assert checked.source is not None and checked.rows is not None
    path = db_path(database)
    with store.connect(path, write=True) as connection:
        if not demo and store.get_meta(connection, "demo") == "ja":
            raise demo_refusal(path)
        holder = _unchanged_holder(connection, checked)
        if holder is not None:
            return IngestResult(name, "unchanged", checked, upload_id=holder)
        history.complete_log(connection, path)
        checked.warnings += plausibility_warnings(connection, checked)
        archived, created = history.archive_original(checked.path, checked.sha256, archive_dir(path))
        connection.execute("BEGIN TRANSACTION")
        try:
            upload_id = write_upload(
                connection,
                checked,
                Path(name).name,
                user,
                given=given or derived_given(checked),
                archived=archived,
                zeit=zeit,
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            if created:  # nothing of a file that was not stored stays in the archive
                (archive_dir(path) / archived).unlink(missing_ok=True)
            raise
        # Still holding the database, so that a backup never sees the upload without its log line.
        history.append_events(path, [history.upload_event(connection, upload_id)])
    return IngestResult(
        name,
        "accepted",
        checked,
        upload_id=upload_id,
        stored_rows=checked.rows.num_rows,
    )


def _unchanged_holder(connection: duckdb.DuckDBPyConnection, checked: CheckedFile) -> int | None:
    """The upload holding every partition of this file with the same content, if there is one."""
    assert checked.source is not None
    keys = [{"k": k, "m": m} for k, m in checked.partitions]
    row = store.first_row(
        connection,
        """SELECT count(*), min(p.upload_id)
           FROM partition_aktuell p JOIN upload u USING (upload_id)
           WHERE p.quelle = ? AND u.sha256 = ?
             AND list_contains(?::STRUCT(k VARCHAR, m DATE)[], {'k': p.kommune, 'm': p.monat})""",
        [checked.source.name, checked.sha256, keys],
    )
    if row is not None and row[0] == len(keys):
        return int(row[1])
    return None


PLAUSIBILITY_FACTOR = 3


def plausibility_warnings(connection: duckdb.DuckDBPyConnection, checked: CheckedFile) -> list[Issue]:
    """Values that differ from the same Kommune's previous month (in the file, on any of its
    sheets, or stored) by more than a factor of three: a hint to look again, not a verdict.

    Compared as DOUBLE: three times a stored BIGINT may exceed BIGINT (a value stored before the
    upper bound of the validator existed), and a check must never fail an upload."""
    source = checked.source
    assert source is not None and checked.rows is not None
    if source.kind not in ("aggregate", "long"):
        return []
    keys = ["kommune", *source.unique]
    by = ", ".join(keys)
    replaced = [{"k": k, "m": m} for k, m in checked.partitions]
    parts = [part for part in checked.parts if part.partitions]
    numbered = []
    for number, part in enumerate(parts):  # each row knows its sheet, for the warning's place
        assert part.rows is not None
        numbered.append(part.rows.append_column("teil", pa.array([number] * part.rows.num_rows, pa.int32())))
    incoming = pa.concat_tables(numbered)
    connection.register("incoming_rows", incoming)
    issues: list[Issue] = []
    try:
        for column in (c for c in source.columns if c.is_number):
            found = connection.execute(
                f"""WITH series AS (
                        SELECT teil, excel_zeile, {by}, monat, "{column.name}" AS v FROM incoming_rows
                        UNION ALL
                        SELECT NULL, NULL, {by}, monat, "{column.name}" FROM v_{source.name}
                        WHERE NOT list_contains(?::STRUCT(k VARCHAR, m DATE)[], {{'k': kommune, 'm': monat}})),
                    compared AS (
                        SELECT *, lag(v) OVER w AS previous, lag(monat) OVER w AS previous_monat
                        FROM series WINDOW w AS (PARTITION BY {by} ORDER BY monat))
                    SELECT teil, excel_zeile, kommune, monat, v, previous FROM compared
                    WHERE excel_zeile IS NOT NULL AND previous_monat = monat - INTERVAL 1 MONTH
                      AND v > 0 AND previous > 0
                      AND (v::DOUBLE > ? * previous::DOUBLE OR previous::DOUBLE > ? * v::DOUBLE)
                    ORDER BY teil, excel_zeile""",
                [replaced, PLAUSIBILITY_FACTOR, PLAUSIBILITY_FACTOR],
            ).fetchall()
            for number, excel_row, kommune, monat, value, previous in found:
                part = parts[number]
                issues.append(
                    Issue(
                        f"Auffällige Veränderung: {fmt.exact(value)} in {kommune_name(kommune)} im Monat "
                        f"{fmt.month_short(monat)} gegenüber {fmt.exact(previous)} im Vormonat (mehr als das "
                        f"{PLAUSIBILITY_FACTOR}-Fache). Bitte prüfen; der Wert wird übernommen.",
                        part.sheet,
                        int(excel_row),
                        part.headers.get(column.name, column.name),
                    )
                )
    finally:
        connection.unregister("incoming_rows")
    return issues


def derived_given(checked: CheckedFile) -> Given:
    """What an upload must have been given, judged from the checked file: the Kommune and the month
    when the file has no column for them, and the source (so that a replay finds the same one)."""
    assert checked.source is not None
    kommunen = sorted({k for k, _ in checked.partitions})
    months = sorted({m for _, m in checked.partitions})
    return Given(
        quelle=checked.source.name,
        kommune=kommunen[0] if "kommune" not in checked.headers and len(kommunen) == 1 else None,
        monat=months[0].strftime("%Y-%m") if "monat" not in checked.headers and len(months) == 1 else None,
    )


def write_upload(
    connection: duckdb.DuckDBPyConnection,
    checked: CheckedFile,
    file_name: str,
    user: str,
    *,
    given: Given,
    archived: str,
    upload_id: int | None = None,
    zeit: dt.datetime | None = None,
    warnings: list[dict[str, Any]] | None = None,
) -> int:
    """Insert the rows and the upload, and point its partitions at it. A replay (``rebuild``) gives
    the upload id, time and warnings recorded in the event log; a new upload takes them fresh."""
    assert checked.source is not None and checked.rows is not None
    source = checked.source
    if upload_id is None:
        row = store.first_row(connection, "SELECT nextval('upload_seq')")
        assert row is not None
        upload_id = int(row[0])
    if warnings is None:
        warnings = [issue.as_dict() for issue in checked.warnings]
    connection.execute(
        """INSERT INTO upload (upload_id, datei, sha256, quelle, zeilen, benutzer, zeit, status, warnungen,
                               meldungen, archiv, angabe_quelle, angabe_kommune, angabe_monat)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'accepted', ?, ?, ?, ?, ?, ?)""",
        [
            upload_id,
            file_name,
            checked.sha256,
            source.name,
            checked.rows.num_rows,
            user,
            zeit or now(),
            len(warnings),
            json.dumps(warnings, ensure_ascii=False),
            archived,
            given.quelle,
            given.kommune,
            given.monat,
        ],
    )
    connection.register("incoming", checked.rows)
    names = ", ".join(f'"{c}"' for c in checked.rows.column_names)
    connection.execute(
        f"INSERT INTO {source.table} (upload_id, {names}) SELECT ?, {names} FROM incoming",
        [upload_id],
    )
    connection.unregister("incoming")
    partitions = pa.table(
        {
            "kommune": pa.array([k for k, _ in checked.partitions], pa.string()),
            "monat": pa.array([m for _, m in checked.partitions], pa.date32()),
            "zeilen": pa.array(list(checked.partitions.values()), pa.int32()),
        }
    )
    connection.register("incoming_partitions", partitions)
    # History first (which version each partition showed before), then move the pointers.
    connection.execute(
        """INSERT INTO upload_partition
           SELECT ?, ?, i.kommune, i.monat, i.zeilen, p.upload_id
           FROM incoming_partitions i
           LEFT JOIN partition_aktuell p ON p.quelle = ? AND p.kommune = i.kommune AND p.monat = i.monat""",
        [upload_id, source.name, source.name],
    )
    connection.execute(
        """DELETE FROM partition_aktuell p WHERE p.quelle = ?
           AND EXISTS (SELECT 1 FROM incoming_partitions i WHERE i.kommune = p.kommune AND i.monat = p.monat)""",
        [source.name],
    )
    connection.execute(
        "INSERT INTO partition_aktuell SELECT ?, kommune, monat, ? FROM incoming_partitions", [source.name, upload_id]
    )
    connection.unregister("incoming_partitions")
    return upload_id


def issue_lines(issues: list[Issue], file: str) -> list[str]:
    """Issues as lines for a terminal: file, sheet, row, column, message."""
    lines = []
    for issue in issues:
        place = [file]
        if issue.sheet:
            place.append(f"Blatt '{issue.sheet}'")
        if issue.row:
            place.append(f"Zeile {issue.row}")
        if issue.column:
            place.append(f"Spalte '{issue.column}'")
        lines.append(f"{', '.join(place)}: {issue.message}")
    return lines
