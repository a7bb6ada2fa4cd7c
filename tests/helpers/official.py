"""The real official exports of tests/files/amtlich/ (see HERKUNFT.md there): their paths, variants
made of them, loading them through the command line, and a copy of the demo database with all of
them loaded, for the tests of the Kontext-Kennzahlen on the pages and in the briefing.

The demo database refuses uploads (nothing real goes into it); the copy is unmarked for the upload
and marked again afterwards, so that the app opens it as the demo, without login."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from loaders.__main__ import main as loaders_main
from loaders.statistik_store import ingest_statistik
from tests.helpers.cli import run_main
from tests.helpers.databases import mark_demo, mark_real
from tests.helpers.paths import AMTLICH

BEVOELKERUNG = AMTLICH / "itnrw_ldb_12411-15i_gemeinden_flaeche_bevoelkerung_2024.csv"
MINDESTSICHERUNG = AMTLICH / "itnrw_ldb_22811-05i_mindestsicherung_gemeinden_2024.csv"
AUSLAENDER = AMTLICH / "itnrw_ldb_12521-03i_auslaender_staatsangehoerigkeit_kreise_2024.csv"
ARBEITSLOSE = AMTLICH / "regionalstatistik_13211-02-05-4_BA_arbeitslose_auslaender_kreise_2025.csv"
SCHULEN = AMTLICH / "regionalstatistik_21111-01-03-4_schulen_schueler_kreise_2023.csv"
GENESIS = AMTLICH / "destatis_genesis_12411-0015_kreise_1995-2018.csv"
KOELN = AMTLICH / "itnrw_ldb_13211-03ir_arbeitslose_gemeinde_koeln_monat.xls"
ALL_CSV = [BEVOELKERUNG, MINDESTSICHERUNG, AUSLAENDER, ARBEITSLOSE, SCHULEN, GENESIS]
# the population Merkmal of 12411-15i
POP = "Fortschreibung des Bevölkerungsstandes | Bevölkerungsstand (Basis Zensus 2022 und früher) | Anzahl"
ENCODING = "cp1252"  # of every CSV export of the portals


def read_export(path: Path) -> str:
    return path.read_bytes().decode(ENCODING)


def write_export(path: Path, text: str, newline: str = "\n") -> Path:
    """The text written as the portals write it (cp1252), with the given line ends."""
    path.write_bytes(text.replace("\n", newline).encode(ENCODING))
    return path


def variant(source: Path, target: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of an export with each ``old`` (found exactly once) replaced by ``new``."""
    text = read_export(source)
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return write_export(target, text)


def ingest_tables(database: Path, *files: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]]]:
    """``python -m loaders ingest FILES --db DB --json`` in this process: exit code and reports."""
    code, out, _ = run_main(capsys, loaders_main, "ingest", *map(str, files), "--db", str(database), "--json")
    return code, json.loads(out)["files"]


def ingest_accepted(database: Path, *files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As ingest_tables; every file must be accepted."""
    code, reports = ingest_tables(database, *files, capsys=capsys)
    assert code == 0, reports
    assert {r["status"] for r in reports} == {"accepted"}


def demo_with_official_tables(demo_db: Path, folder: Path) -> Path:
    database = folder / "kim.duckdb"
    shutil.copyfile(demo_db, database)
    mark_real(database)
    for path in sorted(AMTLICH.glob("*.csv")):
        result = ingest_statistik(path, database=database)
        assert result is not None and result.status == "accepted", path
    mark_demo(database)
    return database
