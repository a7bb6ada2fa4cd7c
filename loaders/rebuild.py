"""Rebuild by replay: the database recreated from the archived originals and the event log
(``store.history``), every upload checked again and written with its logged id, user and time."""

from __future__ import annotations

import datetime as dt
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

import store
from core import format as fmt
from core.errors import KimError
from core.files import sha256_of
from core.settings import archive_dir, db_path
from core.sources import sources
from loaders import ingest
from loaders.validate import check_file
from store import history
from store.history import RebuildError


@dataclass(frozen=True)
class RebuildResult:
    database: Path
    uploads: int
    undos: int
    seconds: float
    compared: bool  # the old database was readable and the new one holds the same history and rows
    kept_old: Path | None = None  # the old database when it differed and was replaced by force

    @property
    def message(self) -> str:
        seconds = fmt.number(self.seconds, 1)
        text = (
            f"Datenbank {self.database} neu aufgebaut: {fmt.count(self.uploads, 'Upload', 'Uploads')} und "
            f"{fmt.count(self.undos, 'Rücknahme', 'Rücknahmen')} nachgespielt in {seconds} s."
        )
        if self.compared:
            text += " Historie und Daten stimmen mit der bisherigen Datenbank überein."
        else:
            text += (
                " In der App erfasste Angaben (Zielwerte, Sitzungen, Anmerkungen) haben den Stand des "
                "letzten Protokolleintrags."
            )
        if self.kept_old:
            text += f" Die bisherige Datenbank liegt unter {self.kept_old}."
        return text


def rebuild(database: Path | str | None = None, *, force: bool = False) -> RebuildResult:
    """Recreate the database from the archived originals and the event log.

    Replays every upload and undo in order with the same ids, users and times into a new file, then
    replaces the database with it atomically. While the old database is readable it is held, so no
    upload can slip in, and the new one must agree with it (same history, same rows) unless forced.
    """
    started = time.perf_counter()
    target = db_path(database)
    fresh = target.with_name(f"{target.name}.neu")
    with ExitStack() as stack:
        old = history.hold_old_database(stack, target)
        if old is not None:
            history.complete_log(old, target, thorough=True)
        events = history.read_log(history.log_path(target))
        if not history.changes(events):
            raise RebuildError(
                f"Es gibt kein Protokoll unter {history.log_path(target)}, aus dem die Datenbank neu aufgebaut werden könnte."
            )
        history.remove_database(fresh)
        try:
            with store.connect(fresh, write=True) as connection:
                for event in events:
                    _replay(connection, event, archive_dir(target))
                _advance_past_statistik(connection)
                official = store.first_row(
                    connection, "SELECT count(*), count(*) FILTER (WHERE status = 'undone') FROM statistik_upload"
                )
                connection.execute("CHECKPOINT")
                new_state = _state(connection)
            differences = _differences(_state(old), new_state) if old is not None else []
            if differences and not force:
                raise RebuildError(
                    "Die neu aufgebaute Datenbank weicht von der bisherigen ab, sie wird deshalb nicht ersetzt: "
                    + "; ".join(differences)
                    + ". Wurde die Konfiguration unter data/ geändert? Mit --force wird trotzdem ersetzt "
                    "(die bisherige Datenbank bleibt als .bak erhalten)."
                )
            kept = history.replace_database(fresh, target, keep_old=bool(differences))
        except BaseException:
            history.remove_database(fresh)
            raise
    return RebuildResult(
        database=target,
        # the uploads of official tables and their undos come back with the log's snapshots
        uploads=sum(e["ereignis"] == "upload" for e in events) + (official[0] if official else 0),
        undos=sum(e["ereignis"] == "rueckgaengig" for e in events) + (official[1] if official else 0),
        seconds=time.perf_counter() - started,
        compared=old is not None and not differences,
        kept_old=kept,
    )


def _replay(connection: duckdb.DuckDBPyConnection, event: dict[str, Any], archive: Path) -> None:
    if history.is_snapshot(event):
        connection.execute("BEGIN TRANSACTION")
        history.apply_snapshot(connection, event)
        connection.execute("COMMIT")
        return
    upload_id = int(event["upload_id"])
    zeit = dt.datetime.fromisoformat(event["zeit"])
    if event["ereignis"] == "rueckgaengig":
        connection.execute("BEGIN TRANSACTION")
        try:
            history.apply_undo(connection, upload_id, event["benutzer"], zeit)
        except KimError as error:
            connection.execute("ROLLBACK")
            raise RebuildError(
                f"Das Protokoll ist widersprüchlich: Upload {upload_id} kann nicht rückgängig gemacht werden "
                f"({error.user_message})"
            ) from error
        connection.execute("COMMIT")
        return
    label = f"Upload {upload_id} ({event['datei']})"
    path = history.archived_file(event, archive)
    if path is None:
        raise RebuildError(
            f"Die Originaldatei von {label} fehlt im Archiv {archive} (SHA-256 {event['sha256']}). "
            "Bitte das Archiv aus einer Sicherung zurückholen."
        )
    if sha256_of(path) != event["sha256"]:  # checked first: a changed original is no configuration problem
        raise RebuildError(
            f"Die Originaldatei von {label} im Archiv wurde nachträglich verändert: ihre SHA-256-Prüfsumme "
            f"stimmt nicht mehr mit der im Protokoll überein ({path}). Bitte die Originaldatei aus einer "
            "Sicherung zurückholen (python -m loaders restore)."
        )
    given = history.Given(**event["angaben"])
    checked = check_file(path, source_name=given.quelle, kommune=given.kommune, monat=given.monat)
    if not checked.accepted or checked.source is None or checked.rows is None:
        first = "; ".join(issue.message for issue in checked.errors[:3])
        raise RebuildError(
            f"{label} wird beim erneuten Einlesen abgelehnt: {first} Wurde die Konfiguration unter data/ geändert?"
        )
    partitions = sorted([k, m.strftime("%Y-%m"), n] for (k, m), n in checked.partitions.items())
    if (
        checked.sha256 != event["sha256"]
        or checked.source.name != event["quelle"]
        or checked.rows.num_rows != event["zeilen"]
        or partitions != sorted(event["partitions"])
    ):
        raise RebuildError(
            f"{label} ergibt beim erneuten Einlesen andere Daten als damals (Quelle, Partitionen oder Zeilen). "
            "Wurde die Konfiguration unter data/ geändert?"
        )
    _advance_sequence(connection, upload_id)
    connection.execute("BEGIN TRANSACTION")
    try:
        ingest.write_upload(
            connection,
            checked,
            event["datei"],
            event["benutzer"],
            given=given,
            archived=str(path.relative_to(archive)),
            upload_id=upload_id,
            zeit=zeit,
            warnings=list(event["warnungen"]),
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _advance_sequence(connection: duckdb.DuckDBPyConnection, upload_id: int) -> None:
    """Draw upload ids until the logged one, so that new uploads continue after it."""
    while True:
        row = store.first_row(connection, "SELECT nextval('upload_seq')")
        assert row is not None
        if row[0] == upload_id:
            return
        if row[0] > upload_id:
            raise RebuildError(f"Das Protokoll ist nicht in der Reihenfolge der Uploads (bei Upload {upload_id}).")


def _state(connection: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What must agree between two databases: the history, the current versions, and a fingerprint
    of every row of the source tables, the partition history and the app's own tables."""
    compared = (
        "datei",
        "sha256",
        "quelle",
        "zeilen",
        "benutzer",
        "zeit",
        "status",
        "rueckgaengig_von",
        "rueckgaengig_zeit",
    )
    uploads = [
        (r["upload_id"], *(r[k] for k in compared), tuple(map(tuple, r["partitions"])))
        for r in history.upload_records(connection)
    ]
    current = connection.execute("SELECT * FROM partition_aktuell ORDER BY ALL").fetchall()
    tables = [s.table for s in sources().values()] + ["upload_partition", *history.app_tables(connection)]
    rows = {t: history.table_fingerprint(connection, t) for t in tables}
    return {"history": uploads, "current": current, "rows": rows, "meta": history.settings(connection)}


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found = []
    old_uploads = {h[0]: h for h in old["history"]}
    new_uploads = {h[0]: h for h in new["history"]}
    missing = sorted(set(old_uploads) - set(new_uploads))
    if missing:
        found.append(f"Uploads fehlen im Protokoll: {', '.join(map(str, missing))}")
    changed = sorted(k for k in set(old_uploads) & set(new_uploads) if old_uploads[k] != new_uploads[k])
    added = sorted(set(new_uploads) - set(old_uploads))
    if added:
        found.append(f"Uploads nur im Protokoll: {', '.join(map(str, added))}")
    if changed:
        found.append(f"Uploads mit anderen Angaben: {', '.join(map(str, changed))}")
    if not found and old["current"] != new["current"]:
        found.append("der aktuelle Stand der Partitionen unterscheidet sich")
    if old["meta"] != new["meta"]:
        found.append("andere Einstellungen (meta)")
    tables = sorted(set(old["rows"]) | set(new["rows"]))
    changed_tables = [t for t in tables if old["rows"].get(t) != new["rows"].get(t)]
    if changed_tables:
        found.append(f"andere Zeilen in den Tabellen {', '.join(changed_tables)}")
    return found


def _advance_past_statistik(connection: duckdb.DuckDBPyConnection) -> None:
    """The uploads of official tables come back with the snapshots, numbered from the sequence of
    every upload, which the snapshots do not carry (the uploads of deliveries draw it on replay):
    after the replay, it continues after them too. (Not per snapshot: a log written before the
    numbering was shared holds official uploads numbered like deliveries that follow them.)"""
    row = store.first_row(
        connection,
        """SELECT (SELECT coalesce(max(upload_id), 0) FROM statistik_upload)
                  - (SELECT coalesce(max(last_value), 0) FROM duckdb_sequences() WHERE sequence_name = 'upload_seq')""",
    )
    if row is not None and row[0] > 0:
        connection.execute("SELECT max(nextval('upload_seq')) FROM range(?)", [int(row[0])]).fetchall()
