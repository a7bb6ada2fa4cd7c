"""The store: schema versioning, migration of source tables, and access while another process
holds the database."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import store
from core.errors import DatabaseBusyError, DatabaseMissingError
from core.sources import Column, source
from tests.helpers.cli import cli_env, run_module

SCHULE = (
    "kommune,monat,seiteneinsteiger_neu,seiteneinsteiger_beschult_4w,wartende_schulplatz\n05978004,2026-09,12,10,4\n"
)

HOLD_WRITE = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
connection.close()
"""


def _hold(database: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the database for writing, as a running ingest would."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE, str(database), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def _ingest(database: Path, file: Path, wait: str) -> subprocess.CompletedProcess[str]:
    return run_module(["loaders", "ingest", str(file), "--db", str(database), "--json"], env=cli_env(KIM_DB_WAIT=wait))


def test_schema_is_created_and_versioned(tmp_path: Path) -> None:
    database = tmp_path / "kim.duckdb"
    with store.connect(database, write=True) as connection:
        version = connection.execute("SELECT max(version) FROM schema_version").fetchone()
        tables = {name for (name,) in connection.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert version == (store.latest_migration(),)
    assert {"upload", "upload_partition", "partition_aktuell", "q_fallmanagement", "v_fallmanagement"} <= tables
    with store.connect(database, write=True) as connection:  # a second start migrates nothing twice
        assert connection.execute("SELECT count(*) FROM schema_version").fetchone() == (store.latest_migration(),)


def test_counts_are_integers_and_decimals_are_decimal(tmp_path: Path) -> None:
    with store.connect(tmp_path / "kim.duckdb", write=True) as connection:
        types = dict(
            connection.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'q_ehrenamt'"
            ).fetchall()
        )
    assert types["ehrenamtliche_aktiv"] == "BIGINT"
    assert types["einsatzstunden"] == "DECIMAL(18,3)"
    assert types["monat"] == "DATE"


def test_a_newly_declared_column_is_added_to_an_existing_table(tmp_path: Path) -> None:
    database = tmp_path / "kim.duckdb"
    with store.connect(database, write=True):
        pass
    schule = source("schule")
    extended = schule.model_copy(update={"columns": (*schule.columns, Column(name="sprachfoerderung", type="count"))})
    with duckdb.connect(str(database)) as connection:
        store._sync_source_table(connection, extended)
        columns = [
            name
            for (name,) in connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'v_schule'"
            ).fetchall()
        ]
    assert "sprachfoerderung" in columns


def test_reading_a_missing_database_says_so_in_german(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissingError) as raised, store.connect(tmp_path / "fehlt.duckdb"):
        pass
    assert "Es gibt noch keine Datenbank" in raised.value.user_message


def test_ingest_waits_for_a_process_holding_the_database(tmp_path: Path) -> None:
    database, file = tmp_path / "kim.duckdb", tmp_path / "schule.csv"
    file.write_text(SCHULE, encoding="utf-8")
    with store.connect(database, write=True):
        pass
    holder = _hold(database, 1.5)
    started = time.monotonic()
    result = _ingest(database, file, wait="20")
    holder.wait()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["files"][0]["status"] == "accepted"
    assert time.monotonic() - started >= 1.0  # it waited for the holder instead of failing


def test_after_the_bound_the_user_gets_a_german_message_not_a_lock_error(tmp_path: Path) -> None:
    database, file = tmp_path / "kim.duckdb", tmp_path / "schule.csv"
    file.write_text(SCHULE, encoding="utf-8")
    with store.connect(database, write=True):
        pass
    holder = _hold(database, 60)  # held for longer than any start-up of the ingest takes
    try:
        result = _ingest(database, file, wait="0.5")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert "Die Datenbank ist gerade durch einen anderen Vorgang belegt" in result.stderr
    assert "lock" not in result.stderr.lower() and "Traceback" not in result.stderr


def test_read_connection_gives_up_with_database_busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "kim.duckdb"
    with store.connect(database, write=True):
        pass
    monkeypatch.setenv("KIM_DB_WAIT", "0.3")
    holder = _hold(database, 60)
    try:
        with pytest.raises(DatabaseBusyError), store.connect(database):
            pass
    finally:
        holder.kill()
        holder.wait()
