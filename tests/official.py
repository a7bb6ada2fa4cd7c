"""A copy of the demo database with the real official exports of tests/files/amtlich/ loaded, for
the tests of the Kontext-Kennzahlen on the pages and in the briefing.

The demo database refuses uploads (nothing real goes into it); the copy is unmarked for the upload
and marked again afterwards, so that the app opens it as the demo, without login."""

from __future__ import annotations

import shutil
from pathlib import Path

from loaders import store
from loaders.statistik_store import ingest_statistik

AMTLICH = Path(__file__).parent / "files" / "amtlich"


def demo_with_official_tables(demo_db: Path, folder: Path) -> Path:
    database = folder / "kim.duckdb"
    shutil.copyfile(demo_db, database)
    with store.connect(database, write=True) as connection:
        store.set_meta(connection, "demo", "nein")
    for path in sorted(AMTLICH.glob("*.csv")):
        result = ingest_statistik(path, database=database)
        assert result is not None and result.status == "accepted", path
    with store.connect(database, write=True) as connection:
        store.set_meta(connection, "demo", "ja")
    return database
