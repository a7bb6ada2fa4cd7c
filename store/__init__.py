"""The one place that opens the DuckDB file and owns its schema.

Concurrency design. DuckDB lets one process hold the file for writing, or any number of processes
read it, never both; and a connection must not be shared between threads. So every caller opens a
short-lived connection for one unit of work (``connect``) and closes it at once: the app opens
read-only connections only for the moment a query runs (its results are cached per database
version), and the command-line ingest opens a read-write connection only for the transaction that
replaces partitions. When the file is held by another process, we retry with a growing pause up to
KIM_DB_WAIT seconds (default 20); after that the user gets a German message, never a lock error.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from core.errors import DatabaseBusyError, DatabaseMissingError
from core.settings import db_path, db_wait_seconds
from core.sources import Source, sources

SQL_DIR = Path(__file__).with_name("sql")

_SQL_TYPES = {
    "text": "VARCHAR",
    "kommune": "VARCHAR",
    "monat": "DATE",
    "date": "DATE",
    "year": "SMALLINT",
    "count": "BIGINT",
    "decimal": "DECIMAL(18,3)",
    "bool": "BOOLEAN",
    "category": "VARCHAR",
    "list": "VARCHAR[]",
}


def sql_type(column_type: str) -> str:
    return _SQL_TYPES[column_type]


def _is_lock_error(error: duckdb.Error) -> bool:
    text = str(error).lower()
    return "lock" in text or "different configuration" in text


@contextmanager
def connect(database: Path | str | None = None, *, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one unit of work, closed afterwards.

    Read connections are read-only and fail with DatabaseMissingError when there is no database.
    Write connections create the file and bring its schema up to date.
    """
    path = db_path(database)
    if not write and not path.exists():
        raise DatabaseMissingError(
            f"Es gibt noch keine Datenbank unter {path}. Bitte zuerst Daten hochladen oder "
            "mit 'python -m demo' Demodaten erzeugen."
        )
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
    connection = _open(path, write)
    if not write and not _is_current(connection):
        # An older database (a new release, a changed source declaration): migrate it in a short
        # write, then read.
        connection.close()
        with connect(path, write=True):
            pass
        connection = _open(path, write)
    try:
        if write:
            migrate(connection)
        yield connection
    finally:
        connection.close()


def _open(path: Path, write: bool) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting with a growing pause while another process holds it."""
    deadline = time.monotonic() + db_wait_seconds()
    pause = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=not write)
        except (duckdb.IOException, duckdb.ConnectionException) as error:
            if not _is_lock_error(error):
                raise
            if time.monotonic() + pause > deadline:
                raise DatabaseBusyError(
                    "Die Datenbank ist gerade durch einen anderen Vorgang belegt (zum Beispiel "
                    "einen laufenden Import). Bitte in einer Minute erneut versuchen."
                ) from error
            time.sleep(pause * (0.5 + random.random()))
            pause = min(pause * 2, 0.5)


def latest_migration() -> int:
    """The number of the newest schema migration (store/sql/NNN_*.sql)."""
    return max((int(p.name[:3]) for p in SQL_DIR.glob("[0-9][0-9][0-9]_*.sql")), default=0)


def _fingerprint() -> str:
    """Changes whenever a source declaration changes the tables."""
    return hashlib.sha256(repr([(s.name, _source_table_columns(s)) for s in sources().values()]).encode()).hexdigest()


def _is_current(connection: duckdb.DuckDBPyConnection) -> bool:
    try:
        version = first_row(connection, "SELECT coalesce(max(version), 0) FROM schema_version")
        fingerprint = get_meta(connection, "quellen_fingerprint")
    except duckdb.CatalogException:
        return False
    return version is not None and version[0] == latest_migration() and fingerprint == _fingerprint()


def database_version(database: Path | str | None = None) -> tuple[int, ...]:
    """A token that changes whenever the database file changes (for result caches)."""
    path = db_path(database)
    token: list[int] = []
    for candidate in (path, Path(f"{path}.wal")):
        try:
            stat = os.stat(candidate)
            token += [stat.st_mtime_ns, stat.st_size]
        except FileNotFoundError:
            token += [0, 0]
    return tuple(token)


def migrate(connection: duckdb.DuckDBPyConnection) -> None:
    """Create or update the schema: numbered core migrations, then the source tables as declared."""
    connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = first_row(connection, "SELECT coalesce(max(version), 0) FROM schema_version")
    current = row[0] if row else 0
    migrations = sorted(SQL_DIR.glob("[0-9][0-9][0-9]_*.sql"))
    for migration in migrations:
        number = int(migration.name[:3])
        if number <= current:
            continue
        connection.execute("BEGIN TRANSACTION")
        connection.execute(migration.read_text(encoding="utf-8"))
        connection.execute("INSERT INTO schema_version VALUES (?)", [number])
        connection.execute("COMMIT")
    # Source tables follow the declarations; skip the work when nothing changed since last time.
    fingerprint = _fingerprint()
    if get_meta(connection, "quellen_fingerprint") == fingerprint:
        return
    connection.execute("BEGIN TRANSACTION")
    for source in sources().values():
        _sync_source_table(connection, source)
    set_meta(connection, "quellen_fingerprint", fingerprint)
    connection.execute("COMMIT")


def _source_table_columns(source: Source) -> list[tuple[str, str]]:
    columns = [("upload_id", "INTEGER"), ("excel_zeile", "INTEGER")]
    columns += [(c.name, sql_type(c.type)) for c in source.columns]
    if source.kind != "records":
        columns.append(("unterdrueckt", "VARCHAR[]"))  # columns suppressed at the source ('*')
    return columns


def _sync_source_table(connection: duckdb.DuckDBPyConnection, source: Source) -> None:
    """Create the source's table, add columns declared since, and (re)create its current view."""
    wanted = _source_table_columns(source)
    existing = {
        name
        for (name,) in connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
            [source.table],
        ).fetchall()
    }
    if not existing:
        body = ", ".join(f'"{name}" {kind}' for name, kind in wanted)
        connection.execute(f"CREATE TABLE {source.table} ({body})")
    else:
        for name, kind in wanted:
            if name not in existing:
                connection.execute(f'ALTER TABLE {source.table} ADD COLUMN "{name}" {kind}')
    connection.execute(
        f"""CREATE OR REPLACE VIEW v_{source.name} AS
        SELECT t.* EXCLUDE (upload_id, excel_zeile) FROM {source.table} t
        JOIN partition_aktuell p
          ON p.quelle = '{source.name}' AND p.upload_id = t.upload_id
         AND p.kommune = t.kommune AND p.monat = t.monat"""
    )


def first_row(
    connection: duckdb.DuckDBPyConnection, query: str, parameters: list[object] | None = None
) -> tuple[Any, ...] | None:
    """The first row of a query, with the result read to its end (DuckDB refuses further work on a
    connection with an unfinished result)."""
    rows = connection.execute(query, parameters or []).fetchall()
    return rows[0] if rows else None


def get_meta(connection: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = first_row(connection, "SELECT value FROM meta WHERE key = ?", [key])
    return None if row is None else str(row[0])


def set_meta(connection: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    connection.execute("DELETE FROM meta WHERE key = ?", [key])
    connection.execute("INSERT INTO meta VALUES (?, ?)", [key, value])
