"""The real official exports of tests/files/amtlich/, and a copy of the demo database with the real official exports of tests/files/amtlich/ loaded, for
the tests of the Kontext-Kennzahlen on the pages and in the briefing.

The demo database refuses uploads (nothing real goes into it); the copy is unmarked for the upload
and marked again afterwards, so that the app opens it as the demo, without login."""

from __future__ import annotations

import shutil
from pathlib import Path

import store
from loaders.statistik_store import ingest_statistik

AMTLICH = Path(__file__).parent / "files" / "amtlich"
BEVOELKERUNG = AMTLICH / "itnrw_ldb_12411-15i_gemeinden_flaeche_bevoelkerung_2024.csv"
MINDESTSICHERUNG = AMTLICH / "itnrw_ldb_22811-05i_mindestsicherung_gemeinden_2024.csv"
AUSLAENDER = AMTLICH / "itnrw_ldb_12521-03i_auslaender_staatsangehoerigkeit_kreise_2024.csv"
ARBEITSLOSE = AMTLICH / "regionalstatistik_13211-02-05-4_BA_arbeitslose_auslaender_kreise_2025.csv"
SCHULEN = AMTLICH / "regionalstatistik_21111-01-03-4_schulen_schueler_kreise_2023.csv"
GENESIS = AMTLICH / "destatis_genesis_12411-0015_kreise_1995-2018.csv"
KOELN = AMTLICH / "itnrw_ldb_13211-03ir_arbeitslose_gemeinde_koeln_monat.xls"
# the population Merkmal of 12411-15i
POP = "Fortschreibung des Bevölkerungsstandes | Bevölkerungsstand (Basis Zensus 2022 und früher) | Anzahl"


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
