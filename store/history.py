"""Upload history, undo, and the event log from which the database is rebuilt, backed up, restored.

Design. The source tables keep the rows of every upload; ``partition_aktuell`` points each (quelle,
kommune, monat) at the upload it shows, and ``upload_partition`` records which upload each upload
replaced (``vorher_upload_id``). So undoing an upload only moves pointers back, in one transaction:
readers see the old state or the new one, never a mix. An upload can be undone while it still holds
all its partitions; once a later upload replaced any of them, that later upload must be undone first.

Beside the archived originals, an append-only event log ``archive/protokoll-<database>.jsonl``
(one per database file, since several databases may share a folder) holds one JSON line per
accepted upload and per undo, with everything needed to replay it: the archived original, what the
upload was given besides the file, its id, user, time and warnings. Data entered in the app rather
than uploaded (targets, meetings, comments, settings) is kept there as a snapshot whenever it
changed since the last one. ``rebuild`` replays the log into a new database; ``backup`` writes the
database, the log and the originals into one zip file, and ``restore`` brings them back.

The log is written after the database commits, while the writer still holds the database, so a
backup never sees an upload without its line. Should a line be missing (a crash between commit and
append, or a database from before this log existed), the next upload or undo first appends it from
the database, which holds the same information (``complete_log``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

import store
from core import format as fmt
from core.errors import DatabaseMissingError, KimError, UsageError, os_reason
from core.files import PARTIAL_SUFFIX, copy_atomically, copy_checked, partial_path, sha256_of, write_atomically
from core.reference import kommune_name, kommunen
from core.settings import archive_dir, db_path, now
from core.sources import sources
from store import jsonlog

if TYPE_CHECKING:
    import pandas as pd


LOG_FORMAT = 1
BACKUP_FORMAT = 1
STATUS_LABELS = {"accepted": "übernommen", "undone": "rückgängig gemacht"}
UPLOAD_COLUMNS = [
    "upload_id",
    "datei",
    "sha256",
    "quelle",
    "partitions",
    "zeilen",
    "benutzer",
    "zeit",
    "status",
    "rueckgaengig_von",
    "rueckgaengig_zeit",
    "warnungen",
    "angabe_quelle",
    "angabe_kommune",
    "angabe_monat",
    "archiv",
    "ersetzt",
    "ersetzt_durch",
    "rueckgaengig_moeglich",
    "tabelle",  # of an upload of an official table (loaders.statistik_store), else empty
    "stand",
]
# Columns added by migration 002; a read-only connection to an older database shows them empty.
_HISTORY_COLUMNS = (
    "archiv",
    "angabe_quelle",
    "angabe_kommune",
    "angabe_monat",
    "rueckgaengig_von",
    "rueckgaengig_zeit",
)


class UnknownUploadError(UsageError):
    """There is no upload with that id."""


class UndoRefusedError(KimError):
    """The upload was undone already, or a later upload replaced some of its partitions."""


class LogError(KimError):
    """The event log cannot be read or written."""


class RebuildError(KimError):
    """The database cannot be rebuilt from the archive and the log as it is."""


class BackupError(KimError):
    """A backup cannot be written, or a file is no usable backup."""


class RestoreRefusedError(KimError):
    """A restore would overwrite data and was not forced."""


@dataclass(frozen=True)
class Given:
    """What an upload was given besides the file (``--source``, ``--kommune``, ``--month``), as typed."""

    quelle: str | None = None
    kommune: str | None = None
    monat: str | None = None


# ---------------------------------------------------------------------------------------------
# Paths and formatting


def log_path(database: Path) -> Path:
    """The event log of a database file: beside the archive, named after the database."""
    return archive_dir(database) / f"protokoll-{database.stem}.jsonl"


def describe_partitions(partitions: list[list[str]]) -> str:
    """Partitions ``[[ags, 'YYYY-MM'], ...]`` in short German: ``alle 10 Kommunen, 05/2026–10/2026``."""
    if not partitions:
        return "keine"
    by_month: dict[str, set[str]] = {}
    for ags, monat in partitions:
        by_month.setdefault(monat, set()).add(ags)
    groups = {frozenset(k) for k in by_month.values()}
    if len(groups) == 1:
        (members,) = groups
        all_ags = {k.ags for k in kommunen()}
        if members == all_ags:
            who = f"alle {len(all_ags)} Kommunen"
        else:
            who = ", ".join(sorted(kommune_name(k) for k in members))
        return f"{who}, {_month_ranges(sorted(by_month))}"
    shown = [f"{kommune_name(k)} {fmt.period_short(m)}" for k, m in partitions[:6]]
    rest = len(partitions) - len(shown)
    return ", ".join(shown) + (f" und {rest} weitere" if rest else "")


def _month_ranges(months: list[str]) -> str:
    """Sorted 'YYYY-MM' months as ranges of consecutive months: ``05/2026–10/2026, 12/2026``."""

    def index(monat: str) -> int:
        year, month = monat.split("-")
        return int(year) * 12 + int(month)

    runs: list[list[str]] = []
    for monat in months:
        if runs and index(monat) == index(runs[-1][-1]) + 1:
            runs[-1].append(monat)
        else:
            runs.append([monat])
    return ", ".join(
        fmt.period_short(run[0]) if len(run) == 1 else f"{fmt.period_short(run[0])}–{fmt.period_short(run[-1])}"
        for run in runs
    )


def _upload_label(upload_id: int, datei: str, zeit: dt.datetime) -> str:
    return f"Upload {upload_id} ({datei} vom {fmt.moment(zeit)})"


# ---------------------------------------------------------------------------------------------
# The upload log


def _history_select(connection: duckdb.DuckDBPyConnection) -> str:
    """The upload columns, with those of migration 002 as NULL on an older (read-only) database."""
    present = {
        name
        for (name,) in connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'upload'"
        ).fetchall()
    }
    return ", ".join(f"u.{name}" if name in present else f"NULL AS {name}" for name in _HISTORY_COLUMNS)


def upload_records(connection: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every upload, newest first, with its partitions, what it replaced and what replaced it."""
    rows = connection.execute(
        f"""WITH parts AS (
                SELECT upload_id,
                       list([kommune, strftime(monat, '%Y-%m')] ORDER BY kommune, monat) AS partitions,
                       list_sort(list(DISTINCT vorher_upload_id) FILTER (WHERE vorher_upload_id IS NOT NULL)) AS ersetzt
                FROM upload_partition GROUP BY upload_id),
            later AS (  -- accepted uploads that replaced a partition of an upload after it
                SELECT mine.upload_id, list_sort(list(DISTINCT other.upload_id), 'DESC') AS ersetzt_durch
                FROM upload_partition mine
                JOIN upload_partition other
                  ON other.quelle = mine.quelle AND other.kommune = mine.kommune AND other.monat = mine.monat
                 AND other.upload_id > mine.upload_id
                JOIN upload o ON o.upload_id = other.upload_id AND o.status = 'accepted'
                GROUP BY mine.upload_id)
            SELECT u.upload_id, u.datei, u.sha256, u.quelle, coalesce(p.partitions, []), u.zeilen, u.benutzer,
                   u.zeit, u.status, u.warnungen, {_history_select(connection)},
                   coalesce(p.ersetzt, []), coalesce(l.ersetzt_durch, [])
            FROM upload u LEFT JOIN parts p USING (upload_id) LEFT JOIN later l USING (upload_id)
            ORDER BY u.upload_id DESC"""
    ).fetchall()
    records = []
    for row in rows:
        (upload_id, datei, sha256, quelle, partitions, zeilen, benutzer, zeit, status, warnungen) = row[:10]
        archiv, angabe_quelle, angabe_kommune, angabe_monat, rueckgaengig_von, rueckgaengig_zeit = row[10:16]
        ersetzt, ersetzt_durch = row[16:]
        records.append(
            {
                "upload_id": upload_id,
                "datei": datei,
                "sha256": sha256,
                "quelle": quelle,
                "partitions": [list(p) for p in partitions],
                "zeilen": zeilen,
                "benutzer": benutzer,
                "zeit": fmt.local_time(zeit),
                "status": status,
                "rueckgaengig_von": rueckgaengig_von,
                "rueckgaengig_zeit": fmt.local_time(rueckgaengig_zeit) if rueckgaengig_zeit else None,
                "warnungen": warnungen,
                "angabe_quelle": angabe_quelle,
                "angabe_kommune": angabe_kommune,
                "angabe_monat": angabe_monat,
                "archiv": archiv,
                "ersetzt": list(ersetzt),
                "ersetzt_durch": list(ersetzt_durch),
                "rueckgaengig_moeglich": status == "accepted" and not ersetzt_durch,
            }
        )
    return records


def all_upload_records(connection: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every upload of a delivery and of an official table (``loaders.statistik_store``), newest
    first: one history, one numbering. A record of an official table has no partitions and carries
    its ``tabelle``, ``titel`` and ``stand`` besides."""
    records = upload_records(connection) + history_records(connection)
    return sorted(records, key=lambda r: int(r["upload_id"]), reverse=True)


def uploads(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every upload, newest first (columns: ``UPLOAD_COLUMNS``), uploads of official tables among them.

    ``partitions`` lists ``[ags, 'YYYY-MM']``; ``ersetzt`` the uploads it replaced; ``ersetzt_durch``
    the later accepted uploads that replaced some of its partitions (newest first), which must be
    undone before it; ``rueckgaengig_moeglich`` whether ``undo`` would accept it now.
    """
    import pandas as pd  # only the page needs a DataFrame; the command line starts faster without

    return pd.DataFrame(all_upload_records(connection), columns=UPLOAD_COLUMNS)


def json_record(record: dict[str, Any]) -> dict[str, Any]:
    """An upload record for JSON output: times as ISO 8601 with offset."""
    result = dict(record)
    for key in ("zeit", "rueckgaengig_zeit", *(("stand",) if "stand" in record else ())):
        if result[key] is not None:
            result[key] = result[key].isoformat()
    return result


# ---------------------------------------------------------------------------------------------
# Undo


@dataclass(frozen=True)
class UndoResult:
    upload_id: int
    datei: str
    quelle: str
    benutzer: str
    zeit: dt.datetime
    # (kommune, 'YYYY-MM', upload shown again or None when the partition is empty again)
    partitions: list[tuple[str, str, int | None]] = field(default_factory=list)

    @property
    def message(self) -> str:
        restored = [p for p in self.partitions if p[2] is not None]
        emptied = len(self.partitions) - len(restored)
        parts = []
        if restored:
            earlier = sorted({p[2] for p in restored if p[2] is not None})
            shown = ", ".join(str(u) for u in earlier)
            word = "Upload" if len(earlier) == 1 else "Uploads"
            verb = "zeigt" if len(restored) == 1 else "zeigen"
            parts.append(
                f"{fmt.count(len(restored), 'Partition', 'Partitionen')} {verb} wieder den vorherigen Stand ({word} {shown})"
            )
        if emptied:
            verb = "ist" if emptied == 1 else "sind"
            parts.append(f"{fmt.count(emptied, 'Partition', 'Partitionen')} {verb} wieder leer")
        text = "; ".join(parts) if parts else "keine Partitionen betroffen"
        return f"Upload {self.upload_id} ({self.datei}) rückgängig gemacht: {text}."


def undo(upload_id: int, database: Path | str | None = None, user: str = "unbekannt") -> UndoResult | StatistikUndo:
    """Restore each partition of an upload to the version before it (or to empty), atomically; an
    upload of an official table is undone by ``undo_statistik``.

    Raises ``UnknownUploadError`` for an unknown id and ``UndoRefusedError`` when the upload was
    undone already or a later upload replaced some of its partitions (each with a German message).
    """
    path = db_path(database)
    if not path.exists():
        raise DatabaseMissingError(f"Es gibt keine Datenbank unter {path}.")
    with store.connect(path) as reading:
        official = is_statistik_upload(reading, upload_id)
    if official:
        return undo_statistik(upload_id, path, user)
    with store.connect(path, write=True) as connection:
        complete_log(connection, path)
        connection.execute("BEGIN TRANSACTION")
        try:
            result = apply_undo(connection, upload_id, user, now())
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        append_events(path, [_undo_event(result.upload_id, result.benutzer, result.zeit)])
    return result


def apply_undo(connection: duckdb.DuckDBPyConnection, upload_id: int, user: str, zeit: dt.datetime) -> UndoResult:
    """Check and undo within the caller's transaction."""
    row = store.first_row(
        connection,
        f"SELECT u.datei, u.zeit, u.status, u.quelle, {_history_select(connection)} FROM upload u WHERE upload_id = ?",
        [upload_id],
    )
    if row is None:
        raise UnknownUploadError(
            f"Es gibt keinen Upload mit der Nummer {upload_id}. Bitte die Nummer in der Upload-Historie nachsehen."
        )
    datei, uploaded, status, quelle = row[:4]
    undone_by, undone_at = row[8:10]
    label = _upload_label(upload_id, datei, uploaded)
    if status != "accepted":
        when = f" am {fmt.moment(undone_at)} von {undone_by}" if undone_at else ""
        raise UndoRefusedError(f"{label} wurde bereits{when} rückgängig gemacht.")
    later = connection.execute(
        """SELECT DISTINCT u.upload_id, u.datei, u.zeit
           FROM upload_partition mine
           JOIN upload_partition other
             ON other.quelle = mine.quelle AND other.kommune = mine.kommune AND other.monat = mine.monat
            AND other.upload_id > mine.upload_id
           JOIN upload u ON u.upload_id = other.upload_id AND u.status = 'accepted'
           WHERE mine.upload_id = ?
           ORDER BY u.upload_id DESC""",
        [upload_id],
    ).fetchall()
    if later:
        names = fmt.german_list([_upload_label(*r) for r in later])
        if len(later) == 1:
            reason = f"{names} hat seitdem Daten dieses Uploads ersetzt. Bitte zuerst Upload {later[0][0]} rückgängig machen."
        else:
            numbers = fmt.german_list([str(r[0]) for r in later])
            reason = (
                f"{names} haben seitdem Daten dieses Uploads ersetzt. Bitte zuerst die Uploads {numbers} "
                "rückgängig machen, den neuesten zuerst."
            )
        raise UndoRefusedError(f"{label} kann nicht rückgängig gemacht werden: {reason}")
    partitions = connection.execute(
        """SELECT up.kommune, strftime(up.monat, '%Y-%m'), up.vorher_upload_id, a.upload_id
           FROM upload_partition up
           LEFT JOIN partition_aktuell a ON a.quelle = up.quelle AND a.kommune = up.kommune AND a.monat = up.monat
           WHERE up.upload_id = ? ORDER BY up.kommune, up.monat""",
        [upload_id],
    ).fetchall()
    if any(current != upload_id for *_, current in partitions):  # cannot happen while the tables agree
        raise UndoRefusedError(
            f"{label} kann nicht rückgängig gemacht werden: Die Datenbank zeigt nicht mehr alle seine Daten, "
            "ohne dass ein späterer Upload sie ersetzt hat. Bitte das KI-Team informieren."
        )
    connection.execute("DELETE FROM partition_aktuell WHERE upload_id = ?", [upload_id])
    connection.execute(
        """INSERT INTO partition_aktuell
           SELECT quelle, kommune, monat, vorher_upload_id FROM upload_partition
           WHERE upload_id = ? AND vorher_upload_id IS NOT NULL""",
        [upload_id],
    )
    connection.execute(
        "UPDATE upload SET status = 'undone', rueckgaengig_von = ?, rueckgaengig_zeit = ? WHERE upload_id = ?",
        [user, zeit, upload_id],
    )
    return UndoResult(
        upload_id=upload_id,
        datei=datei,
        quelle=quelle,
        benutzer=user,
        zeit=fmt.local_time(zeit),
        partitions=[(k, m, previous) for k, m, previous, _ in partitions],
    )


# ---------------------------------------------------------------------------------------------
# The event log


def _key(event: dict[str, Any]) -> tuple[str, int]:
    """Upload and undo events are known by their kind and upload id."""
    return str(event["ereignis"]), int(event["upload_id"])


def is_snapshot(event: dict[str, Any]) -> bool:
    return bool(event["ereignis"] == SNAPSHOT)


def changes(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if not is_snapshot(e)]


def _undo_event(upload_id: int, user: str, zeit: dt.datetime) -> dict[str, Any]:
    return {
        "format": LOG_FORMAT,
        "ereignis": "rueckgaengig",
        "upload_id": upload_id,
        "benutzer": user,
        "zeit": fmt.local_time(zeit).isoformat(),
    }


def _upload_events(connection: duckdb.DuckDBPyConnection, upload_id: int | None = None) -> list[dict[str, Any]]:
    """Log events of one upload or of all, from the database."""
    rows = connection.execute(
        f"""SELECT u.upload_id, u.zeit, u.benutzer, u.datei, u.sha256, u.quelle, u.zeilen, u.meldungen,
                   {_history_select(connection)},
                   (SELECT list([p.kommune, strftime(p.monat, '%Y-%m'), p.zeilen::VARCHAR] ORDER BY p.kommune, p.monat)
                    FROM upload_partition p WHERE p.upload_id = u.upload_id)
            FROM upload u WHERE ? IS NULL OR u.upload_id = ? ORDER BY u.upload_id""",
        [upload_id, upload_id],
    ).fetchall()
    events = []
    for row in rows:
        (number, zeit, benutzer, datei, sha256, quelle, zeilen, meldungen) = row[:8]
        archiv, angabe_quelle, angabe_kommune, angabe_monat = row[8:12]
        partitions = row[14] or []
        events.append(
            {
                "format": LOG_FORMAT,
                "ereignis": "upload",
                "upload_id": number,
                "zeit": fmt.local_time(zeit).isoformat(),
                "benutzer": benutzer,
                "datei": datei,
                "sha256": sha256,
                "archiv": archiv,
                "quelle": quelle,
                "angaben": {"quelle": angabe_quelle, "kommune": angabe_kommune, "monat": angabe_monat},
                "zeilen": zeilen,
                "partitions": [[k, m, int(n)] for k, m, n in partitions],
                "warnungen": json.loads(meldungen) if meldungen else [],
            }
        )
    return events


def upload_event(connection: duckdb.DuckDBPyConnection, upload_id: int) -> dict[str, Any]:
    """The log event of one upload, as the database holds it."""
    (event,) = _upload_events(connection, upload_id)
    return event


def _database_events(connection: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every event the database holds, in the order it happened."""
    events = _upload_events(connection)
    undone = connection.execute(
        f"SELECT u.upload_id, {_history_select(connection)} FROM upload u WHERE u.status = 'undone' ORDER BY 1"
    ).fetchall()
    for upload_id, *columns in undone:
        by, at = columns[4:6]
        events.append(_undo_event(upload_id, by or "unbekannt", at or now()))
    return sorted(events, key=lambda e: (dt.datetime.fromisoformat(e["zeit"]), e["ereignis"] == "rueckgaengig"))


def _database_event_count(connection: duckdb.DuckDBPyConnection) -> int:
    row = store.first_row(connection, "SELECT count(*) + count(*) FILTER (WHERE status = 'undone') FROM upload")
    return int(row[0]) if row else 0


def read_log(path: Path) -> list[dict[str, Any]]:
    """The events of a log file; a last line cut off by a crash is left out."""
    if not path.exists():
        return []
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = os_reason(error) if isinstance(error, OSError) else "keine gültige UTF-8-Textdatei"
        raise LogError(f"Das Protokoll {path} kann nicht gelesen werden ({reason}).") from error
    complete = text.split("\n")[:-1]  # what follows the last line break was cut off: not logged
    events = []
    for number, line in enumerate(complete, start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
            if is_snapshot(event):
                dict(event["tabellen"])
            else:
                _key(event)
        except (ValueError, KeyError, TypeError) as error:
            raise LogError(
                f"Das Protokoll {path} ist in Zeile {number} beschädigt. Bitte eine Sicherung mit "
                "'python -m loaders restore' zurückholen."
            ) from error
        events.append(event)
    return events


def _log_looks_complete(connection: duckdb.DuckDBPyConnection, data: bytes) -> bool:
    """A quick check before each write: as many whole lines of uploads and undos as the database has
    events, and the last of them an event the database knows."""
    lines = data.split(b"\n")
    if lines[-1] or len(lines) - 1 - data.count(_SNAPSHOT_MARK) != _database_event_count(connection):
        return False
    last = next((line for line in reversed(lines[:-1]) if _SNAPSHOT_MARK not in line), None)
    if last is None:
        return True
    try:
        ereignis, upload_id = _key(json.loads(last))
    except (ValueError, KeyError, TypeError):
        return False
    queries = {
        "upload": "SELECT count(*) FROM upload WHERE upload_id = ?",
        "rueckgaengig": "SELECT count(*) FROM upload WHERE upload_id = ? AND status = 'undone'",
    }
    return ereignis in queries and store.first_row(connection, queries[ereignis], [upload_id]) == (1,)


def append_events(database: Path, events: Iterable[dict[str, Any]]) -> None:
    """Append events to the database's log and force them to disk."""
    lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)
    if not lines:
        return
    path = log_path(database)
    try:
        with jsonlog.locked(path) as log:  # a line left incomplete by a crash is set aside first
            log.append(lines.encode("utf-8"))
    except OSError as error:
        raise LogError(
            f"Die Änderung ist gespeichert, aber das Protokoll {path} konnte nicht geschrieben werden "
            f"({os_reason(error)}). "
            "Bitte Speicherplatz und Rechte prüfen; das Protokoll wird beim nächsten Upload ergänzt."
        ) from error


def complete_log(connection: duckdb.DuckDBPyConnection, database: Path, *, thorough: bool = False) -> None:
    """Make the log hold every upload and undo of the database, and the current state of the data
    entered in the app (see ``app_tables``), appending what is missing. Called before each upload
    and undo with a quick look at the log; ``thorough`` reads every line (rebuild, backup).

    Other writers of the database may call it after their own transaction (same connection), so that
    what they wrote is in the log at once, not only with the next upload.

    A log that holds events the database does not know belongs to another state of the database
    (for example one that was lost and started anew), and a damaged log cannot be trusted: either
    is kept under another name, never deleted, and a new log is written from the database.
    """
    path = log_path(database)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    if thorough or not _log_looks_complete(connection, data):
        _complete_changes(connection, database)
        data = path.read_bytes() if path.exists() else b""
    fingerprint = _app_fingerprint(connection)
    last = _last_snapshot_fingerprint(data)
    if fingerprint != last:
        snapshot = _app_snapshot(connection, fingerprint)
        if last is not None or not _is_empty(snapshot):
            append_events(database, [snapshot])


def _complete_changes(connection: duckdb.DuckDBPyConnection, database: Path) -> None:
    path = log_path(database)
    in_database = _database_events(connection)
    known = {_key(e) for e in in_database}
    logged: set[tuple[str, int]] | None
    try:
        logged = {_key(e) for e in changes(read_log(path))}
    except LogError:
        logged = None  # damaged
    if logged is None or not logged <= known:
        set_aside(path)
        logged = set()
    append_events(database, [e for e in in_database if _key(e) not in logged])


# Data entered in the app, not uploaded (targets, meetings, comments, settings): the log keeps a
# snapshot of it whenever it changed since the last one, so that a rebuild from the archive alone
# brings it back as of the last entry in the log.

SNAPSHOT = "app_daten"
_SNAPSHOT_MARK = f'"ereignis": "{SNAPSHOT}"'.encode()  # as json.dumps writes it, never inside a string
_UPLOAD_TABLES = ("upload", "upload_partition", "partition_aktuell")
_SCHEMA_TABLES = ("schema_version", "meta")
_DERIVED_TABLES = ("offenlegung",)  # the stored disclosure model: recomputed from the data, never replayed
_SCHEMA_META = ("quellen_fingerprint",)
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def app_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables whose rows do not come from uploads but were entered in the app (targets, meetings,
    comments, …): every table of the schema but the upload log and the source tables."""
    derived = {*_UPLOAD_TABLES, *_SCHEMA_TABLES, *_DERIVED_TABLES, *(s.table for s in sources().values())}
    return [
        name
        for (name,) in connection.execute(
            """SELECT table_name FROM information_schema.tables
               WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"""
        ).fetchall()
        if name not in derived and _IDENTIFIER.fullmatch(name)
    ]


def _columns(connection: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """Columns of a table with their types, in table order."""
    return [
        (name, kind)
        for name, kind in connection.execute(
            """SELECT column_name, data_type FROM information_schema.columns
               WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position""",
            [table],
        ).fetchall()
    ]


def table_fingerprint(connection: duckdb.DuckDBPyConnection, table: str) -> tuple[Any, ...] | None:
    """Row count and an order-independent hash of every row, computed in DuckDB."""
    columns = sorted(name for name, _ in _columns(connection, table))
    if not columns:
        return None
    listed = ", ".join(f'"{c}"' for c in columns)
    return store.first_row(connection, f'SELECT count(*), coalesce(sum(hash({listed})), 0)::VARCHAR FROM "{table}"')


def _sequences(connection: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How far the app's sequences have counted (the upload ids are replayed from the log)."""
    return {
        name: int(last)
        for name, last in connection.execute(
            "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE last_value IS NOT NULL ORDER BY 1"
        ).fetchall()
        if name != "upload_seq"
    }


def settings(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {
        key: value
        for key, value in connection.execute("SELECT key, value FROM meta ORDER BY key").fetchall()
        if key not in _SCHEMA_META
    }


def _app_fingerprint(connection: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever the app's data changes; cheap, so that it can be checked before each upload."""
    state = [
        [[t, table_fingerprint(connection, t)] for t in app_tables(connection)],
        _sequences(connection),
        settings(connection),
    ]
    return hashlib.sha256(json.dumps(state, ensure_ascii=False, default=str).encode()).hexdigest()


def _app_snapshot(connection: duckdb.DuckDBPyConnection, fingerprint: str) -> dict[str, Any]:
    """The app's data as a log event: every row as text (cast back on replay), how far the
    sequences have counted, and the settings."""
    tables = {}
    for table in app_tables(connection):
        columns = [name for name, _ in _columns(connection, table)]
        listed = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in columns)
        rows = connection.execute(f'SELECT {listed} FROM "{table}" ORDER BY ALL').fetchall()
        tables[table] = {"spalten": columns, "zeilen": [list(r) for r in rows]}
    return {
        "format": LOG_FORMAT,
        "ereignis": SNAPSHOT,
        "zeit": now().isoformat(),
        "fingerabdruck": fingerprint,
        "tabellen": tables,
        "sequenzen": _sequences(connection),
        "meta": settings(connection),
    }


def _is_empty(snapshot: dict[str, Any]) -> bool:
    return (
        not snapshot["sequenzen"]
        and not snapshot["meta"]
        and not any(t["zeilen"] for t in snapshot["tabellen"].values())
    )


def _last_snapshot_fingerprint(data: bytes) -> str | None:
    at = data.rfind(_SNAPSHOT_MARK)
    if at < 0:
        return None
    line = data[data.rfind(b"\n", 0, at) + 1 : data.find(b"\n", at)]
    try:
        return str(json.loads(line)["fingerabdruck"])
    except (ValueError, KeyError, TypeError):
        return None


def apply_snapshot(connection: duckdb.DuckDBPyConnection, event: dict[str, Any]) -> None:
    """Replace the app's data by a snapshot (within the caller's transaction)."""
    present = set(app_tables(connection))
    for table, content in event["tabellen"].items():
        if table not in present:
            continue  # no longer in the schema: the comparison with the old database reports it
        types = dict(_columns(connection, table))
        position = {name: i for i, name in enumerate(content["spalten"])}
        columns = [c for c in content["spalten"] if c in types]
        connection.execute(f'DELETE FROM "{table}"')
        if not content["zeilen"] or not columns:
            continue
        rows = pa.table({c: pa.array([r[position[c]] for r in content["zeilen"]], pa.string()) for c in columns})
        listed = ", ".join(f'"{c}"' for c in columns)
        casts = ", ".join(f'CAST("{c}" AS {types[c]})' for c in columns)
        connection.register("snapshot_rows", rows)
        connection.execute(f'INSERT INTO "{table}" ({listed}) SELECT {casts} FROM snapshot_rows')
        connection.unregister("snapshot_rows")
    counted = dict(
        connection.execute("SELECT sequence_name, coalesce(last_value, 0) FROM duckdb_sequences()").fetchall()
    )
    for name, last in event["sequenzen"].items():
        if name in counted and _IDENTIFIER.fullmatch(name) and last > counted[name]:
            connection.execute(f"SELECT max(nextval('{name}')) FROM range(?)", [last - counted[name]]).fetchall()
    for key, value in event["meta"].items():
        store.set_meta(connection, key, value)


def set_aside(path: Path) -> Path:
    target = path.with_name(f"{path.stem}.abgelegt-{now():%Y%m%dT%H%M%S%f}{path.suffix}")
    path.replace(target)
    return target


def hold_old_database(stack: ExitStack, target: Path) -> duckdb.DuckDBPyConnection | None:
    """A read-only connection to the old database, which keeps writers out; None when there is no
    readable database (which is what rebuild is for)."""
    if not target.exists():
        return None
    try:
        return stack.enter_context(store.connect(target))
    except duckdb.Error:
        return None


def archive_original(path: Path, sha256: str, archive: Path) -> tuple[str, bool]:
    """Keep an accepted original (an upload or an official table) by its content hash, so that the
    database can be rebuilt from it; return its path relative to the archive folder and whether it
    was written now (False: archived before). Written under a temporary name first, so that an
    archived file is always complete."""
    relative = f"{sha256[:2]}/{sha256}{path.suffix.lower()}"
    target = archive / relative
    if target.exists():
        return relative, False
    copy_atomically(path, target)
    return relative, True


def archived_file(event: dict[str, Any], archive: Path) -> Path | None:
    if event.get("archiv"):
        path = archive / str(event["archiv"])
        return path if path.exists() else None
    sha256 = str(event["sha256"])
    found = sorted(p for p in (archive / sha256[:2]).glob(f"{sha256}*") if not p.name.endswith(PARTIAL_SUFFIX))
    return found[0] if found else None


def _database_files(path: Path) -> list[Path]:
    return [path, Path(f"{path}.wal")]


def remove_database(path: Path) -> None:
    for file in _database_files(path):
        file.unlink(missing_ok=True)


def replace_database(fresh: Path, target: Path, *, keep_old: bool) -> Path | None:
    """Put a closed, checkpointed database in place of the target in one step. The old one is kept
    as ``.bak`` until the new one is in place (and beyond when asked); the target path always holds a
    complete database."""
    backup = target.with_name(f"{target.name}.bak")
    remove_database(backup)
    if target.exists():
        try:
            os.link(target, backup)
        except OSError:
            shutil.copy2(target, backup)
        wal = Path(f"{target}.wal")  # a log of unfinished work belongs to the old file, never the new
        if wal.exists():
            wal.replace(Path(f"{backup}.wal"))
    os.replace(fresh, target)
    if keep_old or not backup.exists():
        return backup if backup.exists() else None
    remove_database(backup)
    return None


# ---------------------------------------------------------------------------------------------
# Uploads of official statistics tables (read by ``loaders.statistik``, stored by ``loaders.statistik_store``)

STATISTIK = "statistik"  # the "source" of these uploads in the upload history and the JSON report


def statistik_uploads(database: Path | str | None = None) -> list[dict[str, Any]]:
    """Every upload of an official table, the newest first."""
    with store.connect(database) as connection:
        result = connection.execute(
            """SELECT upload_id, tabelle, titel, stand, datei, zeilen, benutzer, zeit, status
               FROM statistik_upload ORDER BY upload_id DESC"""
        )
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


@dataclass(frozen=True)
class StatistikUndo:
    """An undone upload of an official table, reported like every undo (``UndoResult``)."""

    upload_id: int
    datei: str
    tabelle: str
    benutzer: str
    zeit: dt.datetime
    earlier: list[int] = field(default_factory=list)  # the table's uploads whose values count again

    @property
    def message(self) -> str:
        if self.earlier:
            word = "Upload" if len(self.earlier) == 1 else "Uploads"
            shown = ", ".join(str(u) for u in self.earlier)
            rest = f"die Werte der Tabelle {self.tabelle} zeigen wieder den vorherigen Stand ({word} {shown})"
        else:
            rest = f"von der Tabelle {self.tabelle} sind keine Werte mehr gespeichert"
        return f"Upload {self.upload_id} ({self.datei}) rückgängig gemacht: {rest}."


def is_statistik_upload(connection: duckdb.DuckDBPyConnection, upload_id: int) -> bool:
    row = store.first_row(connection, "SELECT count(*) FROM statistik_upload WHERE upload_id = ?", [upload_id])
    return row is not None and row[0] > 0


def undo_statistik(upload_id: int, database: Path | str | None = None, user: str = "unbekannt") -> StatistikUndo:
    """Undo an upload of an official table: its values no longer count; the values of the table's
    earlier uploads, which it had replaced, count again. Always possible while it counts: the view
    ``v_statistik`` picks the newest Stand among the uploads that are not undone."""
    target = db_path(database)
    with store.connect(target, write=True) as connection:
        row = store.first_row(
            connection,
            """SELECT tabelle, status, datei, rueckgaengig_von, rueckgaengig_zeit
               FROM statistik_upload WHERE upload_id = ?""",
            [upload_id],
        )
        if row is None:
            raise UnknownUploadError(
                f"Es gibt keinen Upload mit der Nummer {upload_id}. Bitte die Nummer in der Upload-Historie nachsehen."
            )
        tabelle, status, datei, by, at = row
        if status != "accepted":
            when = f" am {fmt.moment(at)} von {by}" if at else ""
            raise UndoRefusedError(f"Upload {upload_id} ({datei}) wurde bereits{when} rückgängig gemacht.")
        zeit = now()
        connection.execute(
            "UPDATE statistik_upload SET status = 'undone', rueckgaengig_von = ?, rueckgaengig_zeit = ? "
            "WHERE upload_id = ?",
            [user, zeit, upload_id],
        )
        earlier = connection.execute(
            """SELECT DISTINCT upload_id FROM v_statistik WHERE tabelle = ? ORDER BY upload_id""", [tabelle]
        ).fetchall()
        complete_log(connection, target)
    return StatistikUndo(upload_id, datei, tabelle, user, fmt.local_time(zeit), [int(u) for (u,) in earlier])


def history_records(connection: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every upload of an official table as a record of the upload history (``UPLOAD_COLUMNS``
    plus ``tabelle``, ``titel`` and ``stand``), the newest first. Such an upload holds no partitions
    of a source; it can be undone while it counts."""
    result = connection.execute(
        """SELECT upload_id, datei, sha256, zeilen, benutzer, zeit, status, rueckgaengig_von, rueckgaengig_zeit,
                  meldungen, archiv, tabelle, titel, stand
           FROM statistik_upload ORDER BY upload_id DESC"""
    )
    records = []
    for row in result.fetchall():
        upload_id, datei, sha256, zeilen, benutzer, zeit, status, by, at, meldungen, archiv = row[:11]
        tabelle, titel, stand = row[11:]
        records.append(
            {
                "upload_id": upload_id,
                "datei": datei,
                "sha256": sha256,
                "quelle": STATISTIK,
                "partitions": [],
                "zeilen": zeilen,
                "benutzer": benutzer,
                "zeit": fmt.local_time(zeit),
                "status": status,
                "rueckgaengig_von": by,
                "rueckgaengig_zeit": fmt.local_time(at) if at else None,
                "warnungen": len(json.loads(meldungen)) if meldungen else 0,  # a count, as for every upload
                "angabe_quelle": None,
                "angabe_kommune": None,
                "angabe_monat": None,
                "archiv": archiv,
                "ersetzt": [],
                "ersetzt_durch": [],
                "rueckgaengig_moeglich": status == "accepted",
                "tabelle": tabelle,
                "titel": titel,
                "stand": stand,
            }
        )
    return records


def describe_table(tabelle: str, stand: dt.datetime | None) -> str:
    """What an upload of an official table holds, in short German: ``Tabelle 12411-15i, Stand 19.01.2026``."""
    known = stand is not None and stand == stand  # a table without Stand may come as NaT from a DataFrame
    return f"Tabelle {tabelle}, " + (f"Stand {fmt.day(stand)}" if known else "ohne Stand")


# ---------------------------------------------------------------------------------------------
# Backup and restore

_DB_MEMBER = "datenbank.duckdb"
_WAL_MEMBER = "datenbank.duckdb.wal"
_LOG_MEMBER = "archive/protokoll.jsonl"
_MANIFEST = "manifest.json"
_ARCHIVE_MEMBER = re.compile(r"archive/([0-9a-f]{2})/([0-9a-f]{64})(\.[a-z0-9]{1,8})?")


@dataclass(frozen=True)
class BackupResult:
    file: Path
    uploads: int
    originals: int
    size: int

    @property
    def message(self) -> str:
        size = fmt.number(self.size / 1_000_000, 1)
        return (
            f"Sicherung geschrieben: {self.file} (Datenbank mit {fmt.count(self.uploads, 'Upload', 'Uploads')}, "
            f"{fmt.count(self.originals, 'Originaldatei', 'Originaldateien')} und Protokoll; {size} MB)."
        )


def backup(out: Path | str, database: Path | str | None = None) -> BackupResult:
    """Write the database, its event log and the archived originals into one zip file.

    The database and the log are copied while a read-only connection keeps writers out, so they
    agree; the originals never change once archived.
    """
    source = db_path(database)
    target = Path(out)
    if not source.exists():
        raise DatabaseMissingError(f"Es gibt keine Datenbank unter {source}.")
    if target.resolve().is_relative_to(archive_dir(source).resolve()):
        raise UsageError("Die Sicherung darf nicht im Archivordner liegen. Bitte einen anderen Ort angeben.")
    partial = partial_path(target)
    members: dict[str, Path] = {}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _scratch(target.parent) as scratch:
            with store.connect(source) as connection:
                complete_log(connection, source, thorough=True)
                shutil.copyfile(source, scratch / _DB_MEMBER)
                members[_DB_MEMBER] = scratch / _DB_MEMBER
                wal = Path(f"{source}.wal")
                if wal.exists():
                    shutil.copyfile(wal, scratch / _WAL_MEMBER)
                    members[_WAL_MEMBER] = scratch / _WAL_MEMBER
                log = log_path(source)
                if log.exists():
                    shutil.copyfile(log, scratch / "protokoll.jsonl")
                    members[_LOG_MEMBER] = scratch / "protokoll.jsonl"
                row = store.first_row(
                    connection, "SELECT (SELECT count(*) FROM upload) + (SELECT count(*) FROM statistik_upload)"
                )
                upload_count = int(row[0]) if row else 0
                # the originals of official tables: their uploads come back with the log's snapshots
                official = [
                    {"upload_id": number, "datei": datei, "archiv": archiv, "sha256": sha256}
                    for number, datei, archiv, sha256 in connection.execute(
                        "SELECT upload_id, datei, archiv, sha256 FROM statistik_upload ORDER BY upload_id"
                    ).fetchall()
                ]
            events = read_log(members[_LOG_MEMBER]) if _LOG_MEMBER in members else []
            originals = 0
            for event in [e for e in events if e["ereignis"] == "upload"] + official:
                original = archived_file(event, archive_dir(source))
                if original is None:
                    raise BackupError(
                        f"Die Originaldatei von Upload {event['upload_id']} ({event['datei']}) fehlt im Archiv "
                        f"{archive_dir(source)}; die Sicherung wäre unvollständig."
                    )
                name = f"archive/{original.relative_to(archive_dir(source)).as_posix()}"
                if name not in members:
                    members[name] = original
                    originals += 1
            manifest = {
                "format": BACKUP_FORMAT,
                "erstellt": now().isoformat(),
                "datenbank": source.name,
                "uploads": upload_count,
                "dateien": {name: sha256_of(path) for name, path in members.items()},
            }
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
                archive.writestr(_MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
                for name, path in members.items():
                    archive.write(path, name)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(
            f"Die Sicherung {target} konnte nicht geschrieben werden ({os_reason(error)}). Bitte einen Ort mit "
            "genug freiem Speicherplatz und Schreibrecht wählen."
        ) from error
    return BackupResult(file=target, uploads=upload_count, originals=originals, size=target.stat().st_size)


@contextmanager
def _scratch(folder: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=".kim-", dir=folder) as name:
        yield Path(name)


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    uploads: int
    originals: int
    created: str
    replaced: Path | None = None  # the database that was there before, kept

    @property
    def message(self) -> str:
        text = (
            f"Sicherung vom {fmt.moment(dt.datetime.fromisoformat(self.created))} wiederhergestellt: "
            f"{self.database} mit {fmt.count(self.uploads, 'Upload', 'Uploads')} und "
            f"{fmt.count(self.originals, 'Originaldatei', 'Originaldateien')} im Archiv."
        )
        if self.replaced:
            text += f" Die bisherige Datenbank liegt unter {self.replaced}."
        return text


def restore(file: Path | str, database: Path | str | None = None, *, force: bool = False) -> RestoreResult:
    """Bring back a backup written by ``backup``: the database, its log and the originals.

    Refuses to overwrite an existing database, or a log of another state, unless forced; what was
    there is then kept (``.bak``, and the log under another name).
    """
    source = Path(file)
    target = db_path(database)
    if not source.is_file():
        raise UsageError(f"Die Sicherung {source} wurde nicht gefunden.")
    not_a_backup = f"Die Datei {source} ist keine Sicherung des KIM-Cockpits (mit 'python -m loaders backup' erstellt)."
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(not_a_backup) from error
    with archive, ExitStack() as stack:
        try:
            manifest = json.loads(archive.read(_MANIFEST))
            expected: dict[str, str] = manifest["dateien"]
            created = str(manifest["erstellt"])
        except (KeyError, ValueError, TypeError) as error:
            raise BackupError(not_a_backup) from error
        if manifest.get("format") != BACKUP_FORMAT:
            raise BackupError(f"Die Sicherung {source} hat ein unbekanntes Format ({manifest.get('format')}).")
        names = set(archive.namelist()) - {_MANIFEST}
        allowed = {_DB_MEMBER, _WAL_MEMBER, _LOG_MEMBER}
        if (
            _DB_MEMBER not in names
            or names != set(expected)
            or any(n not in allowed and not _ARCHIVE_MEMBER.fullmatch(n) for n in names)
        ):
            raise BackupError(not_a_backup)
        log = log_path(target)
        backup_log = archive.read(_LOG_MEMBER) if _LOG_MEMBER in names else b""
        if not force:
            if target.exists():
                raise RestoreRefusedError(
                    f"Unter {target} gibt es schon eine Datenbank. Sie wird nur mit --force überschrieben "
                    "(sie bleibt dann als .bak erhalten)."
                )
            if log.exists() and log.read_bytes() != backup_log:
                raise RestoreRefusedError(
                    f"Es gibt schon ein Protokoll {log} mit anderem Inhalt; vielleicht lässt sich die Datenbank "
                    "mit 'python -m loaders rebuild' neu aufbauen. Mit --force wird die Sicherung trotzdem "
                    "zurückgeholt (das Protokoll bleibt unter anderem Namen erhalten)."
                )
        target.parent.mkdir(parents=True, exist_ok=True)
        fresh = target.with_name(f"{target.name}.wiederherstellung")
        remove_database(fresh)
        try:
            _extract(archive, _DB_MEMBER, fresh, expected)
            if _WAL_MEMBER in names:
                _extract(archive, _WAL_MEMBER, Path(f"{fresh}.wal"), expected)
            originals = 0
            for name in sorted(n for n in names if _ARCHIVE_MEMBER.fullmatch(n)):
                destination = archive_dir(target) / name.removeprefix("archive/")
                if not destination.exists() or sha256_of(destination) != expected[name]:
                    _extract(archive, name, destination, expected)
                originals += 1
            # Open once for writing: replays a copied log of unfinished work, brings the schema up to date.
            with store.connect(fresh, write=True) as connection:
                connection.execute("CHECKPOINT")
                row = store.first_row(
                    connection, "SELECT (SELECT count(*) FROM upload) + (SELECT count(*) FROM statistik_upload)"
                )
                uploads = int(row[0]) if row else 0
            hold_old_database(stack, target)  # keeps writers out while the file is replaced
            replaced = replace_database(fresh, target, keep_old=True)
        except duckdb.Error as error:
            raise BackupError(f"Die Datenbank in der Sicherung {source} ist beschädigt ({error}).") from error
        finally:
            remove_database(fresh)
        if log.exists() and log.read_bytes() != backup_log:
            set_aside(log)
        if backup_log:
            write_atomically(log, backup_log)
    return RestoreResult(database=target, uploads=uploads, originals=originals, created=created, replaced=replaced)


def _extract(archive: zipfile.ZipFile, name: str, destination: Path, expected: dict[str, str]) -> None:
    """Copy one member out under a temporary name, check its hash, then move it in place."""
    with archive.open(name) as reader:
        if not copy_checked(reader, destination, expected[name]):
            raise BackupError(f"Die Sicherung ist beschädigt: '{name}' stimmt nicht mit ihrer Prüfsumme überein.")
