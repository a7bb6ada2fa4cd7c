"""Upload history, undo, the event log, rebuild, backup and restore.

Small hand-made deliveries show what undo must do row by row (expected rows are those the earlier
upload stored, read back from ``v_<source>``). The demo database with a few uploads and undos on top
shows that rebuild and restore give every indicator value exactly as before, compared on the full
output of ``python -m metrics values``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

import store
from core.settings import archive_dir
from core.sources import sources
from demo.generate import build_demo
from loaders.__main__ import main as loaders_main
from loaders.ingest import DemoDatabaseError, ingest_file
from metrics.__main__ import main as metrics_main
from store import history
from store.history import UndoRefusedError, UnknownUploadError, log_path
from tests.helpers.cli import loaders_cli
from tests.helpers.environment import TODAY

SCHULE = "kommune,monat,seiteneinsteiger_neu,seiteneinsteiger_beschult_4w,wartende_schulplatz\n"
FIRST = SCHULE + "Bergkamen,2026-09,12,10,4\nBönen,2026-09,3,3,0\n"  # upload 1: two partitions
CORRECTION = SCHULE + "Bergkamen,2026-09,14,11,4\n"  # upload 2: replaces one of them
CASES_WITHOUT_PLACE = "fall_id,fallbeginn,zuzugsjahr,handlungsfelder,uebergaben\nSE-0001,2026-10-02,2024,wohnen,0\n"


def _file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _ingest(database: Path, file: Path, **options: Any) -> int:
    result = ingest_file(file, database=database, display_name=file.name, **options)
    assert result.status == "accepted", (result.status, result.checked.errors)
    assert result.upload_id is not None
    return result.upload_id


def _rows(database: Path, view: str = "v_schule") -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(f"SELECT * FROM {view} ORDER BY ALL").fetchall()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "kim.duckdb"


# ---------------------------------------------------------------------------------------------
# History


def test_history_lists_every_upload_newest_first_with_its_partitions(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _file(tmp_path, "schule_09.csv", FIRST)
    _ingest(database, first, user="anna")
    _ingest(database, _file(tmp_path, "schule_korrektur.csv", CORRECTION), user="bernd")
    cases = _file(tmp_path, "selm.csv", CASES_WITHOUT_PLACE)
    _ingest(database, cases, user="anna", kommune="Selm", monat="2026-10")

    with duckdb.connect(str(database), read_only=True) as connection:
        frame = history.uploads(connection)
    assert list(frame.columns) == history.UPLOAD_COLUMNS
    assert frame["upload_id"].tolist() == [3, 2, 1]
    assert frame["datei"].tolist() == ["selm.csv", "schule_korrektur.csv", "schule_09.csv"]
    assert frame["quelle"].tolist() == ["fallmanagement", "schule", "schule"]
    assert frame["zeilen"].tolist() == [1, 1, 2]
    assert frame["benutzer"].tolist() == ["anna", "bernd", "anna"]
    assert frame["status"].tolist() == ["accepted"] * 3
    assert frame["partitions"].tolist() == [
        [["05978032", "2026-10"]],  # Selm, as given with the upload
        [["05978004", "2026-09"]],
        [["05978004", "2026-09"], ["05978008", "2026-09"]],
    ]
    first_row = frame.iloc[2]
    assert first_row["sha256"] == hashlib.sha256(first.read_bytes()).hexdigest()
    assert (archive_dir(database) / first_row["archiv"]).read_bytes() == first.read_bytes()
    assert first_row["ersetzt_durch"] == [2] and not first_row["rueckgaengig_moeglich"]
    assert frame.iloc[1]["ersetzt"] == [1] and frame.iloc[1]["rueckgaengig_moeglich"]
    given = frame.iloc[0][["angabe_quelle", "angabe_kommune", "angabe_monat"]].tolist()
    assert given == [None, "Selm", "2026-10"]
    assert str(frame["zeit"].dt.tz) == "Europe/Berlin"

    code, out, _ = loaders_cli(capsys, "history", "--db", str(database), "--json")
    assert code == 0
    listed = json.loads(out)
    assert [u["upload_id"] for u in listed] == [3, 2, 1]
    assert {"upload_id", "datei", "sha256", "quelle", "partitions", "zeilen", "benutzer", "zeit", "status"} <= set(
        listed[0]
    )
    assert dt.datetime.fromisoformat(listed[0]["zeit"]).utcoffset() is not None
    assert listed[0]["rueckgaengig_von"] is None and listed[0]["rueckgaengig_zeit"] is None

    code, out, _ = loaders_cli(capsys, "history", "--db", str(database))
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["Nr.", "Zeit", "Benutzer", "Quelle", "Datei", "Zeilen", "Status"]
    assert "selm.csv" in lines[1] and "übernommen" in lines[1]
    assert "Partitionen: Selm, 10/2026" in lines[2]
    assert "Partitionen: Bergkamen, Bönen, 09/2026" in out
    assert "teilweise ersetzt durch Upload 2" in out


def test_history_of_an_empty_or_missing_database(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = loaders_cli(capsys, "history", "--db", str(database))
    assert code == 1 and "Es gibt noch keine Datenbank" in err
    with store.connect(database, write=True):
        pass
    code, out, _ = loaders_cli(capsys, "history", "--db", str(database))
    assert code == 0 and out.strip() == "Noch keine Uploads."
    code, out, _ = loaders_cli(capsys, "history", "--db", str(database), "--json")
    assert json.loads(out) == []


# ---------------------------------------------------------------------------------------------
# Undo


def test_undo_of_the_latest_upload_restores_the_previous_rows_exactly(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _ingest(database, _file(tmp_path, "a.csv", FIRST))
    before = _rows(database)
    _ingest(database, _file(tmp_path, "b.csv", CORRECTION))
    assert _rows(database) != before

    code, out, err = loaders_cli(capsys, "undo", "2", "--db", str(database), "--user", "bernd")

    assert code == 0, err
    assert out.strip() == (
        "Upload 2 (b.csv) rückgängig gemacht: 1 Partition zeigt wieder den vorherigen Stand (Upload 1)."
    )
    assert _rows(database) == before
    with duckdb.connect(str(database), read_only=True) as connection:
        frame = history.uploads(connection)
        kept = connection.execute("SELECT count(*) FROM q_schule WHERE upload_id = 2").fetchone()
    undone = frame.set_index("upload_id").loc[2]
    assert undone["status"] == "undone" and undone["rueckgaengig_von"] == "bernd"
    assert undone["rueckgaengig_zeit"] >= undone["zeit"]
    assert kept == (1,)  # every version's rows are kept; only the pointer moved back
    assert frame.set_index("upload_id").loc[1, "rueckgaengig_moeglich"]


def test_a_workbook_of_several_sheets_is_one_upload_undone_and_rebuilt_as_one(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Holzwickede's September first on its own; then a workbook with a sheet per month (and a pivot
    sheet) replaces it and adds three partitions, all in one upload."""
    _ingest(database, _file(tmp_path, "holzwickede.csv", SCHULE + "Holzwickede,2026-09,2,2,1\n"))
    before = _rows(database)
    workbook = Path(__file__).parents[1] / "files" / "messy" / "schule_zwei_monate_mit_pivot.xlsx"
    upload = _ingest(database, workbook, user="anna")
    with duckdb.connect(str(database), read_only=True) as connection:
        (record,) = [r for r in history.upload_records(connection) if r["upload_id"] == upload]
    assert record["partitions"] == [
        ["05978016", "2026-09"],
        ["05978016", "2026-10"],
        ["05978036", "2026-09"],
        ["05978036", "2026-10"],
    ]
    assert record["zeilen"] == 4 and record["ersetzt"] == [1]
    after = _rows(database)

    result = history.undo(upload, database, "bernd")

    assert result.partitions == [
        ("05978016", "2026-09", 1),
        ("05978016", "2026-10", None),
        ("05978036", "2026-09", None),
        ("05978036", "2026-10", None),
    ]
    assert _rows(database) == before
    assert _ingest(database, workbook, user="anna") == upload + 1  # new again after its undo
    assert _rows(database) == after

    code, out, err = loaders_cli(capsys, "rebuild", "--db", str(database))
    assert code == 0, err
    assert "3 Uploads und 1 Rücknahme nachgespielt" in out
    assert "stimmen mit der bisherigen Datenbank überein" in out
    assert _rows(database) == after


def test_undo_of_a_first_delivery_leaves_its_partitions_empty(database: Path, tmp_path: Path) -> None:
    _ingest(database, _file(tmp_path, "a.csv", FIRST))

    result = history.undo(1, database, "anna")

    assert result.partitions == [("05978004", "2026-09", None), ("05978008", "2026-09", None)]
    assert "2 Partitionen sind wieder leer" in result.message
    assert _rows(database) == []
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM partition_aktuell").fetchone() == (0,)


def test_undo_is_refused_while_a_later_upload_replaced_a_partition(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _ingest(database, _file(tmp_path, "a.csv", FIRST))
    _ingest(database, _file(tmp_path, "b.csv", CORRECTION))  # replaces Bergkamen only, not Bönen
    after_both = _rows(database)

    code, out, err = loaders_cli(capsys, "undo", "1", "--db", str(database))

    assert code == 1 and out == ""
    assert err.startswith("Fehler: Upload 1 (a.csv vom ")
    assert "kann nicht rückgängig gemacht werden: Upload 2 (b.csv vom " in err
    assert "Bitte zuerst Upload 2 rückgängig machen." in err
    assert _rows(database) == after_both
    with pytest.raises(UndoRefusedError) as refused:
        history.undo(1, database, "anna")
    assert "Upload 2 (b.csv" in refused.value.user_message

    assert loaders_cli(capsys, "undo", "2", "--db", str(database))[0] == 0
    assert loaders_cli(capsys, "undo", "1", "--db", str(database))[0] == 0
    assert _rows(database) == []


def test_several_later_uploads_are_named_newest_first(database: Path, tmp_path: Path) -> None:
    _ingest(database, _file(tmp_path, "a.csv", FIRST))
    _ingest(database, _file(tmp_path, "b.csv", CORRECTION))
    _ingest(database, _file(tmp_path, "c.csv", SCHULE + "Bönen,2026-09,4,4,0\n"))

    with pytest.raises(UndoRefusedError) as refused:
        history.undo(1, database, "anna")

    message = refused.value.user_message
    assert message.index("Upload 3 (c.csv") < message.index("Upload 2 (b.csv")
    assert "Bitte zuerst die Uploads 3 und 2 rückgängig machen, den neuesten zuerst." in message


def test_undo_twice_or_of_an_unknown_upload(database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _ingest(database, _file(tmp_path, "a.csv", FIRST))
    assert loaders_cli(capsys, "undo", "1", "--db", str(database), "--user", "anna")[0] == 0

    code, _, err = loaders_cli(capsys, "undo", "1", "--db", str(database))
    assert code == 1
    assert "Upload 1 (a.csv vom " in err and "wurde bereits am " in err and "von anna rückgängig gemacht." in err

    code, _, err = loaders_cli(capsys, "undo", "7", "--db", str(database))
    assert code == 2 and "Es gibt keinen Upload mit der Nummer 7." in err
    with pytest.raises(UnknownUploadError):
        history.undo(7, database, "anna")
    with pytest.raises(SystemExit) as usage:
        loaders_main(["undo", "eins", "--db", str(database)])
    assert usage.value.code == 2


def test_the_same_file_after_an_undo_is_new_again(database: Path, tmp_path: Path) -> None:
    file = _file(tmp_path, "a.csv", FIRST)
    _ingest(database, file)
    rows = _rows(database)
    assert ingest_file(file, database=database).status == "unchanged"
    history.undo(1, database, "anna")

    again = ingest_file(file, database=database)

    assert (again.status, again.upload_id) == ("accepted", 2)
    assert _rows(database) == rows


def test_a_failing_undo_changes_nothing(database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _ingest(database, _file(tmp_path, "a.csv", FIRST))
    before = _rows(database)
    real = history.apply_undo

    def fail_after_moving_the_pointers(*arguments: Any) -> history.UndoResult:
        real(*arguments)
        raise OSError("disk full")

    monkeypatch.setattr(history, "apply_undo", fail_after_moving_the_pointers)
    with pytest.raises(OSError):
        history.undo(1, database, "anna")

    assert _rows(database) == before
    with duckdb.connect(str(database), read_only=True) as connection:
        assert history.uploads(connection)["status"].tolist() == ["accepted"]
    assert len(history.read_log(log_path(database))) == 1  # no undo was logged


# ---------------------------------------------------------------------------------------------
# The event log


def test_the_log_holds_every_upload_and_undo_with_what_it_was_given(database: Path, tmp_path: Path) -> None:
    _ingest(database, _file(tmp_path, "a.csv", FIRST), user="anna")
    _ingest(database, _file(tmp_path, "selm.csv", CASES_WITHOUT_PLACE), kommune="Selm", monat="2026-10")
    history.undo(2, database, "bernd")

    events = history.read_log(log_path(database))

    assert [(e["ereignis"], e["upload_id"]) for e in events] == [("upload", 1), ("upload", 2), ("rueckgaengig", 2)]
    first, second, undone = events
    assert first["benutzer"] == "anna" and first["datei"] == "a.csv" and first["quelle"] == "schule"
    assert first["partitions"] == [["05978004", "2026-09", 1], ["05978008", "2026-09", 1]]
    assert (archive_dir(database) / first["archiv"]).exists()
    assert second["angaben"] == {"quelle": None, "kommune": "Selm", "monat": "2026-10"}
    assert undone["benutzer"] == "bernd"
    with duckdb.connect(str(database), read_only=True) as connection:
        times = connection.execute("SELECT zeit, rueckgaengig_zeit FROM upload WHERE upload_id = 2").fetchone()
    assert times is not None
    assert dt.datetime.fromisoformat(second["zeit"]) == times[0]
    assert dt.datetime.fromisoformat(undone["zeit"]) == times[1]


def test_a_line_lost_in_a_crash_is_written_by_the_next_upload(database: Path, tmp_path: Path) -> None:
    _ingest(database, _file(tmp_path, "a.csv", FIRST))
    _ingest(database, _file(tmp_path, "b.csv", CORRECTION))
    log = log_path(database)
    complete = log.read_text(encoding="utf-8")
    log.write_text(complete[: complete.index("\n") + 1] + complete.split("\n")[1][:40], encoding="utf-8")

    _ingest(database, _file(tmp_path, "c.csv", SCHULE + "Kamen,2026-09,1,1,0\n"))

    assert [e["upload_id"] for e in history.read_log(log)] == [1, 2, 3]


def test_a_log_of_another_state_is_set_aside_not_deleted(database: Path, tmp_path: Path) -> None:
    stale = log_path(database)
    stale.parent.mkdir(parents=True)
    stale.write_text(json.dumps({"ereignis": "upload", "upload_id": 1, "datei": "alt.csv"}) + "\n", encoding="utf-8")

    _ingest(database, _file(tmp_path, "a.csv", FIRST))

    assert [e["datei"] for e in history.read_log(stale)] == ["a.csv"]
    (aside,) = stale.parent.glob("protokoll-kim.abgelegt-*.jsonl")
    assert "alt.csv" in aside.read_text(encoding="utf-8")


def test_a_damaged_log_is_set_aside_and_written_anew(database: Path, tmp_path: Path) -> None:
    _ingest(database, _file(tmp_path, "a.csv", FIRST))
    log = log_path(database)
    log.write_text("kein JSON\n", encoding="utf-8")
    with pytest.raises(history.LogError) as damaged:
        history.read_log(log)
    assert "ist in Zeile 1 beschädigt" in damaged.value.user_message

    _ingest(database, _file(tmp_path, "b.csv", CORRECTION))

    assert [e["upload_id"] for e in history.read_log(log)] == [1, 2]
    (aside,) = log.parent.glob("protokoll-kim.abgelegt-*.jsonl")
    assert aside.read_text(encoding="utf-8") == "kein JSON\n"


# ---------------------------------------------------------------------------------------------
# Rebuild, backup and restore on the demo with uploads and undos on top


APP_TABLES = ("zielwert", "sitzung", "sitzung_wert", "anmerkung")


def _enter_in_the_app(database: Path) -> None:
    """What the steering pages write (migration 003): a confirmed target, a meeting with a frozen
    value, two comments. Written in SQL here, so that only the tables are assumed."""
    with store.connect(database, write=True) as connection:
        connection.execute("INSERT INTO zielwert VALUES ('K04', NULL, NULL, 3.5, true, 'lk', '2026-11-20 10:00+01')")
        connection.execute("INSERT INTO sitzung VALUES (nextval('sitzung_seq'), '2026-11-20', 'v1', 'lk', now())")
        connection.execute(
            "INSERT INTO sitzung_wert VALUES (1, 'month', 'K01', '05978', '2026-10', 0.1 + 0.2, false, 'grau')"
        )
        for text in ("Zahlen geprüft", "Rückfrage an Bönen"):
            connection.execute(
                "INSERT INTO anmerkung VALUES (nextval('anmerkung_seq'), 'K01', '05978', '2026-10', ?, 'anna', now(), false)",
                [text],
            )


def test_a_real_delivery_is_refused_by_the_demo_database(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo opens without login on localhost: a delivery stored in it would be served to anyone
    as "Demodaten". Checking (--dry-run) is fine, storing is refused in German, nothing is kept."""
    with store.connect(database, write=True) as connection:
        store.set_meta(connection, "demo", "ja")
    file = _file(tmp_path, "a.csv", FIRST)

    code, out, err = loaders_cli(capsys, "ingest", str(file), "--db", str(database))

    assert code == 1 and out == ""
    assert err.startswith(f"Fehler: Die Datenbank {database} enthält Demodaten")
    assert "nicht in sie gespeichert" in err and "Traceback" not in err
    assert _rows(database) == [] and not archive_dir(database).exists()
    assert loaders_cli(capsys, "ingest", str(file), "--db", str(database), "--dry-run")[0] == 0
    with pytest.raises(DemoDatabaseError):
        ingest_file(file, database=database)
    assert _rows(database) == []


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The 6-month demo plus a correction, a delivery given its Kommune and month, two undos and a
    re-delivery after an undo (synthetic files, stored as demo data). Tests copy the folder before
    changing anything."""
    folder = tmp_path_factory.mktemp("demo-history")
    database = folder / "kim.duckdb"
    previous = os.environ.get("KIM_TODAY")
    os.environ["KIM_TODAY"] = TODAY  # the function-scoped fixture is not active for a module fixture
    try:
        build_demo(database=database, months=6, scale=0.3, case_format="csv")
        files = folder / "lieferungen"
        files.mkdir()
        correction = _file(files, "schule_korrektur.csv", SCHULE + "Bergkamen,2026-10,30,25,2\nUnna,2026-09,9,9,1\n")
        _ingest(database, correction, user="anna", demo=True)
        _ingest(
            database,
            _file(files, "selm.csv", CASES_WITHOUT_PLACE),
            user="anna",
            kommune="Selm",
            monat="2026-10",
            demo=True,
        )
        _enter_in_the_app(database)  # logged with the next upload
        undone = _ingest(
            database, _file(files, "werne.csv", SCHULE + "Werne,2026-08,50,1,20\n"), user="bernd", demo=True
        )
        history.undo(undone, database, "carla")
        history.undo(undone - 1, database, "carla")  # the Selm cases: back to the demo's
        assert ingest_file(correction, database=database, demo=True).status == "unchanged"  # still current
        history.undo(undone - 2, database, "carla")
        _ingest(database, correction, user="bernd", demo=True)  # new again after its undo
    finally:
        if previous is None:
            del os.environ["KIM_TODAY"]
        else:
            os.environ["KIM_TODAY"] = previous
    yield folder


@pytest.fixture
def demo(demo_folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo"
    shutil.copytree(demo_folder, copy)
    return copy / "kim.duckdb"


def _values(database: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """The full output of ``python -m metrics values`` per period."""
    outputs = {}
    for period in ("month", "quarter"):
        code = metrics_main(["values", "--db", str(database), "--period", period])
        out, err = capsys.readouterr()
        assert code == 0, err
        outputs[period] = out
    return outputs


def _assert_same_values(before: dict[str, str], after: dict[str, str]) -> None:
    """The outputs agree line by line and field by field. A number may differ in its last binary
    digit only: the metrics command sums floating-point values in parallel threads, so two runs on
    the very same database file differ there as well (K08 per quarter, in the 16th digit)."""
    assert before.keys() == after.keys()
    for period in before:
        old, new = before[period].splitlines(), after[period].splitlines()
        assert len(old) == len(new) and old[0] == new[0], period
        for old_line, new_line in zip(old, new, strict=True):
            if old_line == new_line:
                continue
            old_fields, new_fields = old_line.split(","), new_line.split(",")
            assert old_fields[:3] == new_fields[:3] and len(old_fields) == len(new_fields), (old_line, new_line)
            for a, b in zip(old_fields, new_fields, strict=True):
                assert a == b or math.isclose(float(a), float(b), rel_tol=1e-13), (period, old_line, new_line)


def _stored(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row of every version, the partition history and the current versions."""
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = [f"q_{name}" for name in sources()] + ["upload_partition", "partition_aktuell", *APP_TABLES]
        return {t: connection.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def _history(database: Path) -> list[dict[str, Any]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return history.upload_records(connection)


def _last_upload(database: Path) -> int:
    """The newest upload: the correction delivered again after its undo, on top of the demo."""
    return int(_history(database)[0]["upload_id"])


def test_the_demo_has_what_the_rebuild_must_replay(demo: Path) -> None:
    statuses = {r["upload_id"]: (r["status"], r["benutzer"], r["rueckgaengig_von"]) for r in _history(demo)}
    ours = len(statuses) - 4  # the demo's own uploads, then four on top
    assert ours > 30
    assert all(statuses[number][0] == "accepted" for number in range(1, ours + 1))
    assert statuses[ours + 1] == ("undone", "anna", "carla")
    assert statuses[ours + 2] == ("undone", "anna", "carla")
    assert statuses[ours + 3] == ("undone", "bernd", "carla")
    assert statuses[ours + 4] == ("accepted", "bernd", None)
    events = history.read_log(log_path(demo))
    assert len([e for e in events if e["ereignis"] != history.SNAPSHOT]) == len(statuses) + 3
    snapshot = [e for e in events if e["ereignis"] == history.SNAPSHOT][-1]
    assert snapshot["meta"] == {"demo": "ja"}
    assert [r[4] for r in snapshot["tabellen"]["anmerkung"]["zeilen"]] == ["Zahlen geprüft", "Rückfrage an Bönen"]
    assert snapshot["sequenzen"] == {"anmerkung_seq": 2, "sitzung_seq": 1}


def test_rebuild_gives_every_indicator_value_and_the_history_as_before(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with store.connect(demo, write=True) as connection:  # not logged yet: the rebuild takes it along
        connection.execute("UPDATE anmerkung SET geloescht = true WHERE anmerkung_id = 2")
    values, uploads, stored = _values(demo, capsys), _history(demo), _stored(demo)
    assert values["month"].count("\n") > 1000

    started = time.perf_counter()
    code, out, err = loaders_cli(capsys, "rebuild", "--db", str(demo))
    seconds = time.perf_counter() - started

    assert code == 0, err
    assert f"{len(uploads)} Uploads und 3 Rücknahmen nachgespielt" in out
    assert "stimmen mit der bisherigen Datenbank überein" in out
    assert _stored(demo) == stored
    assert _history(demo) == uploads
    _assert_same_values(values, _values(demo, capsys))
    assert not Path(f"{demo}.bak").exists() and not Path(f"{demo}.neu").exists()
    with store.connect(demo, write=True) as connection:
        assert store.get_meta(connection, "demo") == "ja"  # settings kept from the old database
        assert connection.execute("SELECT nextval('anmerkung_seq')").fetchone() == (3,)  # counting on
    with capsys.disabled():
        print(f"\nrebuild of the 6-month demo with the database present: {seconds:.1f} s")


def test_rebuild_after_the_database_is_lost(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values, uploads, stored = _values(demo, capsys), _history(demo), _stored(demo)
    demo.unlink()

    started = time.perf_counter()
    code, _, err = loaders_cli(capsys, "rebuild", "--db", str(demo))
    seconds = time.perf_counter() - started

    assert code == 0, err
    assert _stored(demo) == stored  # the app's data too, as of its snapshot in the log
    assert _history(demo) == uploads
    _assert_same_values(values, _values(demo, capsys))
    with store.connect(demo) as connection:
        assert store.get_meta(connection, "demo") == "ja"
    # New uploads continue after the replayed ids.
    new = ingest_file(_file(demo.parent, "neu.csv", SCHULE + "Kamen,2026-10,1,1,0\n"), database=demo, demo=True)
    assert new.upload_id == uploads[0]["upload_id"] + 1
    with capsys.disabled():
        print(f"\nrebuild of the 6-month demo from the archive alone: {seconds:.1f} s")


def test_rebuild_refuses_when_an_original_is_missing(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = demo.read_bytes()
    last = _last_upload(demo)  # the correction again, after its undo: its first upload is 3 before
    (event,) = [e for e in history.read_log(log_path(demo)) if e.get("upload_id") == last]
    (archive_dir(demo) / event["archiv"]).unlink()

    code, _, err = loaders_cli(capsys, "rebuild", "--db", str(demo))

    assert code == 1
    assert f"Die Originaldatei von Upload {last - 3} (schule_korrektur.csv) fehlt im Archiv" in err
    assert demo.read_bytes() == before
    assert not Path(f"{demo}.neu").exists()


@pytest.mark.parametrize("change", ["a changed number", "a broken file"])
def test_rebuild_names_an_altered_original(demo: Path, capsys: pytest.CaptureFixture[str], change: str) -> None:
    """An archived original changed after its upload is named as such, not blamed on the configuration."""
    before = demo.read_bytes()
    last = _last_upload(demo)
    (event,) = [e for e in history.read_log(log_path(demo)) if e.get("upload_id") == last]
    original = archive_dir(demo) / event["archiv"]
    text = original.read_text(encoding="utf-8")
    original.write_text(text.replace("30,25,2", "31,25,2") if change == "a changed number" else text[:40], "utf-8")

    code, _, err = loaders_cli(capsys, "rebuild", "--db", str(demo))

    assert code == 1
    assert (
        f"Die Originaldatei von Upload {last - 3} (schule_korrektur.csv) im Archiv wurde nachträglich verändert" in err
    )
    assert "SHA-256" in err and "Sicherung" in err and "Konfiguration" not in err
    assert demo.read_bytes() == before


def test_rebuild_refuses_when_the_result_would_differ_unless_forced(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = log_path(demo)
    events = history.read_log(log)
    number = _last_upload(demo)
    (last,) = [e for e in events if (e["ereignis"], e.get("upload_id")) == ("upload", number)]
    last["benutzer"] = "mallory"
    log.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")

    code, _, err = loaders_cli(capsys, "rebuild", "--db", str(demo))
    assert code == 1
    assert "weicht von der bisherigen ab" in err and f"Uploads mit anderen Angaben: {number}" in err
    assert _history(demo)[0]["benutzer"] == "bernd"

    code, out, _ = loaders_cli(capsys, "rebuild", "--db", str(demo), "--force")
    assert code == 0
    assert _history(demo)[0]["benutzer"] == "mallory"
    assert f"Die bisherige Datenbank liegt unter {demo}.bak" in out
    assert _history(Path(f"{demo}.bak"))[0]["benutzer"] == "bernd"


def test_rebuild_without_a_log_says_so(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = loaders_cli(capsys, "rebuild", "--db", str(database))
    assert code == 1 and "Es gibt kein Protokoll unter" in err


def test_backup_delete_restore(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values, uploads, stored = _values(demo, capsys), _history(demo), _stored(demo)
    out_file = tmp_path / "sicherung" / "kim-2026-11-25.zip"
    last = _last_upload(demo)  # as many originals but one: the correction was uploaded twice

    code, out, err = loaders_cli(capsys, "backup", "--out", str(out_file), "--db", str(demo))

    assert code == 0, err
    assert out.startswith(
        f"Sicherung geschrieben: {out_file} (Datenbank mit {last} Uploads, {last - 1} Originaldateien"
    )
    with zipfile.ZipFile(out_file) as packed:
        names = set(packed.namelist())
    assert {"manifest.json", "datenbank.duckdb", "archive/protokoll.jsonl"} <= names
    assert len([n for n in names if n.startswith("archive/") and not n.endswith(".jsonl")]) == last - 1

    demo.unlink()
    shutil.rmtree(archive_dir(demo))
    code, out, err = loaders_cli(capsys, "restore", str(out_file), "--db", str(demo))

    assert code == 0, err
    assert "wiederhergestellt" in out and f"{last} Uploads" in out
    assert _stored(demo) == stored
    assert _history(demo) == uploads
    _assert_same_values(values, _values(demo, capsys))
    assert history.read_log(log_path(demo))[-1]["upload_id"] == last
    # The restored archive and log rebuild the same database again.
    assert loaders_cli(capsys, "rebuild", "--db", str(demo))[0] == 0
    assert _stored(demo) == stored


def test_restore_refuses_to_overwrite_unless_forced(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "sicherung.zip"
    assert loaders_cli(capsys, "backup", "--out", str(out_file), "--db", str(demo))[0] == 0
    history.undo(_last_upload(demo), demo, "anna")
    changed = demo.read_bytes()

    code, _, err = loaders_cli(capsys, "restore", str(out_file), "--db", str(demo))
    assert code == 1 and "gibt es schon eine Datenbank" in err and "--force" in err
    assert demo.read_bytes() == changed

    code, out, err = loaders_cli(capsys, "restore", str(out_file), "--db", str(demo), "--force")
    assert code == 0, err
    assert f"Die bisherige Datenbank liegt unter {demo}.bak." in out
    assert _history(demo)[0]["status"] == "accepted"
    assert _history(Path(f"{demo}.bak"))[0]["status"] == "undone"
    assert [e["ereignis"] for e in history.read_log(log_path(demo))][-1] == "upload"
    assert list(log_path(demo).parent.glob("protokoll-kim.abgelegt-*.jsonl"))  # the newer log is kept


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"kein zip", "ist keine Sicherung des KIM-Cockpits"),
        ("zip-without-manifest", "ist keine Sicherung des KIM-Cockpits"),
        ("zip-with-foreign-path", "ist keine Sicherung des KIM-Cockpits"),
    ],
)
def test_restore_rejects_what_is_no_backup(
    tmp_path: Path, database: Path, capsys: pytest.CaptureFixture[str], content: bytes | str, message: str
) -> None:
    file = tmp_path / "fremd.zip"
    if isinstance(content, bytes):
        file.write_bytes(content)
    else:
        with zipfile.ZipFile(file, "w") as packed:
            packed.writestr("datenbank.duckdb", b"")
            if content == "zip-with-foreign-path":
                manifest = {"format": 1, "erstellt": "2026-11-25T10:00:00+01:00", "dateien": {}}
                manifest["dateien"] = {"datenbank.duckdb": "0" * 64, "../../etc/passwd": "0" * 64}
                packed.writestr("../../etc/passwd", b"x")
                packed.writestr("manifest.json", json.dumps(manifest))

    code, _, err = loaders_cli(capsys, "restore", str(file), "--db", str(database))

    assert code == 1 and message in err
    assert not database.exists()
