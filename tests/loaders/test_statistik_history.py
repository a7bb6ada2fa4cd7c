"""Uploads of official statistics tables in the one upload history (issue 12, item 4: "undo,
history, rebuild and backup cover these uploads like every other"): `loaders history` lists them,
`loaders undo` undoes them, both under one numbering with the deliveries; rebuild and backup/restore
bring them back with their originals; every write has its audit entry. The `statistik --uploads`
and `--rueckgaengig` commands keep working."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import duckdb
import pytest

import store
from access import audit
from core.settings import archive_dir
from tests.helpers.cli import loaders_cli
from tests.helpers.official import BEVOELKERUNG, POP, SCHULEN, read_export, write_export
from tests.helpers.paths import FILES

ARBEITSMARKT = FILES / "good" / "arbeitsmarkt_kanonisch.csv"
SCHULE = FILES / "good" / "schule_kanonisch.csv"
SPRACHE = FILES / "good" / "sprache_kanonisch.csv"


def _history(database: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    code, out, err = loaders_cli(capsys, "history", "--db", str(database), "--json")
    assert code == 0, err
    return json.loads(out)


def _values(database: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    code, out, err = loaders_cli(capsys, "statistik", "--db", str(database))
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def _population(database: Path, capsys: pytest.CaptureFixture[str]) -> str | None:
    found = [r["wert"] for r in _values(database, capsys) if (r["merkmal"], r["region"]) == (POP, "05978")]
    return found[0] if found else None


def _newer(tmp_path: Path) -> Path:
    """The population table with a later Stand and one corrected value."""
    text = read_export(BEVOELKERUNG)
    text = text.replace(";05978;    Unna, Kreis;393784;", ";05978;    Unna, Kreis;393790;")
    text = text.replace("Stand: 19.01.2026 / 13:58:12", "Stand: 20.02.2026 / 09:00:00")
    return write_export(tmp_path / "bevoelkerung_neu.csv", text)


@pytest.fixture
def database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A delivery, two official tables and a second Stand of one of them: uploads 1 to 4."""
    path = tmp_path / "kim.duckdb"
    code, _, err = loaders_cli(capsys, "ingest", str(ARBEITSMARKT), str(BEVOELKERUNG), str(SCHULEN), "--db", str(path))
    assert code == 0, err
    assert loaders_cli(capsys, "ingest", str(_newer(tmp_path)), "--db", str(path))[0] == 0
    return path


def test_history_lists_statistics_uploads_among_the_others(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before: `loaders history` listed the delivery only, and the official tables were numbered
    1, 2, 3 by a sequence of their own, so "Upload 1" named two uploads."""
    records = _history(database, capsys)

    assert [(r["upload_id"], r["quelle"], r["datei"]) for r in records] == [
        (4, "statistik", "bevoelkerung_neu.csv"),
        (3, "statistik", SCHULEN.name),
        (2, "statistik", BEVOELKERUNG.name),
        (1, "arbeitsmarkt", ARBEITSMARKT.name),
    ]
    newest = records[0]
    assert newest["tabelle"] == "12411-15i" and newest["stand"] == "2026-02-20T09:00:00"
    assert newest["zeilen"] == 33 and newest["partitions"] == [] and newest["rueckgaengig_moeglich"] is True
    assert newest["warnungen"] == 1  # the line on the skipped rows, counted as for every upload

    code, out, _ = loaders_cli(capsys, "history", "--db", str(database))
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[:1] == ["4"] and "Amtliche Statistik" in lines[1] and "übernommen" in lines[1]
    assert lines[2].strip().startswith("Tabelle 12411-15i, Stand 20.02.2026: Katasterfläche (qkm), Bevölkerung")


def test_undo_takes_a_statistics_upload_like_every_other(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before: `loaders undo 4` answered that there is no upload 4 (only `statistik --rueckgaengig`
    knew these uploads)."""
    assert _population(database, capsys) == "393790"

    code, out, err = loaders_cli(capsys, "undo", "4", "--db", str(database), "--user", "bernd")

    assert code == 0, err
    assert out.strip() == (
        "Upload 4 (bevoelkerung_neu.csv) rückgängig gemacht: die Werte der Tabelle 12411-15i zeigen wieder den "
        "vorherigen Stand (Upload 2)."
    )
    assert _population(database, capsys) == "393784"  # the earlier Stand counts again
    (record,) = [r for r in _history(database, capsys) if r["upload_id"] == 4]
    assert record["status"] == "undone" and record["rueckgaengig_von"] == "bernd"
    assert record["rueckgaengig_zeit"] is not None and record["rueckgaengig_moeglich"] is False
    undo_entries = [e for e in audit.entries(database) if e["aktion"] == "rueckgaengig"]
    assert [e["angaben"]["upload_id"] for e in undo_entries] == [4]

    code, _, err = loaders_cli(capsys, "undo", "4", "--db", str(database))
    assert code == 1 and "Upload 4 (bevoelkerung_neu.csv) wurde bereits am " in err and "von bernd" in err

    # the delivery is undone as before, by its number
    code, out, _ = loaders_cli(capsys, "undo", "1", "--db", str(database))
    assert code == 0 and out.startswith("Upload 1 (arbeitsmarkt_kanonisch.csv) rückgängig gemacht")


def test_the_statistik_commands_keep_their_contracts(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = loaders_cli(capsys, "statistik", "--db", str(database), "--rueckgaengig", "3", "--user", "clara")
    assert code == 0, err
    assert out.startswith("Upload 3 (") and "Tabelle 21111-01-03-4" in out
    code, out, _ = loaders_cli(capsys, "statistik", "--db", str(database), "--uploads")
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["4", "3", "2"]
    assert lines[1].endswith("rückgängig gemacht") and "Tabelle 21111-01-03-4, Stand 13.03.2025, 72 Werte" in lines[1]
    code, _, err = loaders_cli(capsys, "undo", "3", "--db", str(database))
    assert code == 1 and "wurde bereits am " in err and "von clara" in err


def test_uploads_are_audited_with_their_number(database: Path) -> None:
    uploads = [e for e in audit.entries(database) if e["aktion"] == "upload"]
    assert sorted(e["angaben"]["upload_id"] for e in uploads) == [1, 2, 3, 4]


def test_rebuild_brings_them_back_and_numbering_continues_after_them(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert loaders_cli(capsys, "undo", "4", "--db", str(database))[0] == 0
    values, records = _values(database, capsys), _history(database, capsys)

    code, out, err = loaders_cli(capsys, "rebuild", "--db", str(database))

    assert code == 0, err
    assert "4 Uploads und 1 Rücknahme nachgespielt" in out and "stimmen mit der bisherigen Datenbank überein" in out
    assert _values(database, capsys) == values
    assert _history(database, capsys) == records
    # a new upload after the rebuild gets the next number, not one of an official table
    code, out, _ = loaders_cli(capsys, "ingest", str(SCHULE), "--db", str(database))
    assert code == 0 and out.rstrip().endswith("Upload 5")


def test_backup_and_restore_bring_them_back_with_their_originals(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: a backup held the original of the delivery only; the official tables' originals
    were lost with the archive."""
    values, records = _values(database, capsys), _history(database, capsys)
    out_file = tmp_path / "sicherung.zip"

    code, out, err = loaders_cli(capsys, "backup", "--out", str(out_file), "--db", str(database))

    assert code == 0, err
    assert "Datenbank mit 4 Uploads, 4 Originaldateien" in out
    database.unlink()
    shutil.rmtree(archive_dir(database))

    code, out, err = loaders_cli(capsys, "restore", str(out_file), "--db", str(database))

    assert code == 0, err
    assert "4 Uploads und 4 Originaldateien" in out
    assert _values(database, capsys) == values
    assert _history(database, capsys) == records
    for record in records:
        assert (archive_dir(database) / record["archiv"]).is_file()
    # and the restored archive rebuilds the same database
    code, out, err = loaders_cli(capsys, "rebuild", "--db", str(database))
    assert code == 0 and "stimmen mit der bisherigen Datenbank überein" in out, err


def test_an_older_database_gets_numbers_after_the_deliveries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database written before the shared numbering had official uploads 1 and 2 beside
    deliveries 1 and 2: they become 3 and 4, their values with them, and the next upload is 5."""
    path = tmp_path / "kim.duckdb"
    assert (
        loaders_cli(
            capsys, "ingest", str(ARBEITSMARKT), str(SCHULE), str(BEVOELKERUNG), str(SCHULEN), "--db", str(path)
        )[0]
        == 0
    )
    with duckdb.connect(str(path)) as connection:  # back to the state of migration 004
        for old, new in ((3, 1), (4, 2)):
            connection.execute("UPDATE statistik_wert SET upload_id = ? WHERE upload_id = ?", [new, old])
            connection.execute("UPDATE statistik_upload SET upload_id = ? WHERE upload_id = ?", [new, old])
        connection.execute("ALTER TABLE statistik_upload DROP COLUMN rueckgaengig_von")
        connection.execute("ALTER TABLE statistik_upload DROP COLUMN rueckgaengig_zeit")
        connection.execute("DELETE FROM schema_version WHERE version >= 5")
        connection.execute("DROP TABLE offenlegung")  # migration 006, after 005
        connection.execute("DROP SEQUENCE upload_seq")  # as far as the deliveries had drawn it
        connection.execute("CREATE SEQUENCE upload_seq START 3")
    assert store.database_version(path)  # readable

    records = _history(path, capsys)

    assert [(r["upload_id"], r["quelle"]) for r in records] == [
        (4, "statistik"),
        (3, "statistik"),
        (2, "schule"),
        (1, "arbeitsmarkt"),
    ]
    with duckdb.connect(str(path), read_only=True) as connection:
        assert connection.execute("SELECT DISTINCT upload_id FROM statistik_wert ORDER BY 1").fetchall() == [(3,), (4,)]
    code, out, _ = loaders_cli(capsys, "ingest", str(SPRACHE), "--db", str(path))
    assert code == 0 and out.rstrip().endswith("Upload 5")
