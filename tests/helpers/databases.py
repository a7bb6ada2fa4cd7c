"""Databases for tests that need real data rather than the demo: real deliveries are never stored
in the demo database (it opens without login), so such tests use a copy marked as real and sign
in with a password."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb

import store
from loaders.ingest import ingest_file


def mark_real(database: Path) -> None:
    with store.connect(database, write=True) as connection:
        store.set_meta(connection, "demo", "nein")


def mark_demo(database: Path) -> None:
    with store.connect(database, write=True) as connection:
        store.set_meta(connection, "demo", "ja")


def real_copy(database: Path, folder: Path) -> Path:
    """A copy of the database in ``folder`` (as kim.duckdb), marked as real data."""
    copy = folder / "kim.duckdb"
    shutil.copy(database, copy)
    mark_real(copy)
    return copy


def deliver(folder: Path, database: Path, name: str, text: str, **options: Any) -> int:
    """The text written to ``folder/name`` (UTF-8) and ingested into ``database`` as an upload;
    it must be accepted. Its upload_id."""
    file = folder / name
    file.write_text(text, encoding="utf-8")
    result = ingest_file(file, database=database, **options)
    assert result.status == "accepted", result.checked.errors
    assert result.upload_id is not None
    return result.upload_id


def upload_count(db: Path) -> int:
    """The number of uploads stored (0 without a database)."""
    if not db.exists():
        return 0
    with duckdb.connect(str(db), read_only=True) as connection:
        row = connection.execute("SELECT count(*) FROM upload").fetchone()
    assert row is not None
    return int(row[0])
