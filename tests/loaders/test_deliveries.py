"""Delivery status: delivered, late, missing, not yet due; reference figures from their Stichtag."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from loaders.deliveries import delivery_status, due_date, latest_complete_month, missing_for, reporting_month
from loaders.ingest import ingest_file
from loaders.store import connect

HEADER = "kommune,monat,seiteneinsteiger_neu,seiteneinsteiger_beschult_4w,wartende_schulplatz\n"
SEP, OCT = dt.date(2026, 9, 1), dt.date(2026, 10, 1)
TODAY = dt.date(2026, 11, 25)


def _deliver(tmp_path: Path, database: Path, name: str, text: str, uploaded: str) -> None:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    result = ingest_file(file, database=database, user="analyse")
    assert result.status == "accepted", result.checked.errors
    with duckdb.connect(str(database)) as connection:  # the upload time as the test needs it
        connection.execute("UPDATE upload SET zeit = ?::TIMESTAMPTZ WHERE upload_id = ?", [uploaded, result.upload_id])


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "kim.duckdb"
    _deliver(tmp_path, path, "a.csv", HEADER + "Bergkamen,2026-09,3,3,0\n", "2026-10-10 09:00:00+02")
    _deliver(tmp_path, path, "b.csv", HEADER + "Bönen,2026-09,1,1,0\n", "2026-10-20 09:00:00+02")
    bevoelkerung = "kommune,monat,einwohner,auslaendisch,auslaendisch_15_64,zugewandert_5j\n"
    _deliver(tmp_path, path, "c.csv", bevoelkerung + "Bergkamen,2025,49000,7000,5000,2000\n", "2026-02-01 09:00:00+01")
    return path


def _status(database: Path) -> dict[tuple[str, str, dt.date], str]:
    with connect(database) as connection:
        frame = delivery_status(connection, SEP, dt.date(2026, 11, 1), TODAY)
    return {(r.quelle, r.kommune, r.monat): r.status for r in frame.itertuples()}


def test_due_date_and_reporting_month() -> None:
    assert due_date(SEP) == dt.date(2026, 10, 15)
    assert due_date(dt.date(2026, 12, 1)) == dt.date(2027, 1, 15)
    assert reporting_month(TODAY) == OCT
    assert reporting_month(dt.date(2027, 1, 3)) == dt.date(2026, 12, 1)


def test_statuses_by_hand(database: Path) -> None:
    status = _status(database)
    assert status[("schule", "05978004", SEP)] == "geliefert"  # on 10.10., due 15.10.
    assert status[("schule", "05978008", SEP)] == "verspaetet"  # on 20.10.
    assert status[("schule", "05978012", SEP)] == "fehlt"  # due 15.10., today 25.11.
    assert status[("schule", "05978004", OCT)] == "fehlt"  # due 15.11.
    assert status[("schule", "05978004", dt.date(2026, 11, 1))] == "offen"  # due 15.12.
    # A reference figure counts as delivered from its Stichtag (12/2025) on, and is never late.
    assert status[("bevoelkerung", "05978004", OCT)] == "geliefert"
    assert status[("bevoelkerung", "05978008", OCT)] == "fehlt"
    assert len(status) == 8 * 10 * 3  # every source, Kommune and month


def test_latest_complete_month_and_what_is_missing(database: Path) -> None:
    with connect(database) as connection:
        frame = delivery_status(connection, SEP, OCT, TODAY)
    complete = latest_complete_month(frame).set_index("quelle")["letzter_vollstaendiger_monat"]
    assert complete.isna().all()  # no source has all ten Kommunen
    missing = missing_for(frame, SEP).set_index("quelle_label")["kommunen"]
    assert "Bergkamen" not in missing["Schule"] and "Bönen" not in missing["Schule"]
    assert len(missing["Schule"]) == 8
    assert len(missing["Fallmanagement"]) == 10
