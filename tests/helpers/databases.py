"""Databases for tests that need real data rather than the demo: real deliveries are never stored
in the demo database (it opens without login), so such tests use a copy marked as real and sign
in with a password."""

from __future__ import annotations

import shutil
from pathlib import Path

import store


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
