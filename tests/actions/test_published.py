"""The disclosure model stored by the write that changed the data (actions/published.py).

Before: every new process computed the model again (``python -m metrics values`` 3.9 s on the demo
data, of which the model about 2.5 s), because it was cached in memory only. Now each upload, undo,
restore, rebuild and the demo build store it, keyed by the state of the data, catalogue and code; a
reader uses it only for exactly that state and never writes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from actions import published, uploads
from actions.actor import Actor
from core.catalogue import catalogue
from loaders import ingest
from metrics import disclosure as model
from metrics import stored
from store import connect, history
from tests.helpers.cli import cli_env, describe_failure, loaders_cli, metrics_cli
from tests.helpers.paths import ROOT

BERGKAMEN, BOENEN, KAMEN, UNNA = "05978004", "05978008", "05978020", "05978036"
EHRENAMT = "kommune,monat,ehrenamtliche_aktiv,ehrenamtliche_neu,tandems_aktiv,einsatzstunden\n"
ACTOR = Actor.on_command_line("Analystin A")


def _file(folder: Path, name: str, counts: dict[str, int]) -> Path:
    """An Ehrenamt delivery of September with the given new volunteers (K20) per Kommune."""
    file = folder / name
    file.write_text(EHRENAMT + "".join(f"{ags},2026-09,10,{n},3,20\n" for ags, n in counts.items()), encoding="utf-8")
    return file


def _fresh_hidden(database: Path) -> frozenset[tuple[str, str, str]]:
    """The hidden cells of months (what ``metrics values`` prints by default) of a computation in
    memory, past every cache and stored result."""
    with connect(database) as connection:
        rows = model._compute(connection, catalogue()).rows
    hidden = rows[rows["unterdrueckt"] & (rows["art"] == "month")]
    return frozenset(hidden[["kennzahl", "kommune", "periode"]].itertuples(index=False, name=None))


def _shown_hidden(rows: list[dict[str, object]]) -> frozenset[tuple[str, str, str]]:
    return frozenset((str(r["kennzahl"]), str(r["kommune"]), str(r["periode"])) for r in rows if r["unterdrueckt"])


def _stored_is_current(database: Path) -> bool:
    with connect(database) as connection:
        return stored.current_key(connection) == model.stored_key(connection)


def test_metrics_values_in_a_new_process_takes_the_model_the_upload_stored(tmp_path: Path) -> None:
    database = tmp_path / "kim.duckdb"
    counts = {BERGKAMEN: 1, BOENEN: 2, KAMEN: 20, UNNA: 30}
    assert uploads.ingest_file(_file(tmp_path, "ehrenamt.csv", counts), ACTOR, database=database).status == "accepted"
    assert _stored_is_current(database)
    # The whole process, as a user runs it, with the model's computation made impossible.
    program = (
        "import sys; import metrics.disclosure as m; "
        "m._compute = lambda *a: sys.exit('computed'); "
        "from metrics.__main__ import main; "
        f"sys.exit(main(['values', '--db', {str(database)!r}, '--internal', '--format', 'json']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, env=cli_env(), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, describe_failure(result)
    assert _shown_hidden(json.loads(result.stdout)) == _fresh_hidden(database) != frozenset()


def test_after_an_upload_and_an_undo_metrics_values_hides_what_a_fresh_computation_hides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "kim.duckdb"
    first = {BERGKAMEN: 20, BOENEN: 2, KAMEN: 25, UNNA: 30}
    second = {BERGKAMEN: 1, BOENEN: 20, KAMEN: 25, UNNA: 2}  # other small counts: other hidden cells
    uploads.ingest_file(_file(tmp_path, "juli.csv", first), ACTOR, database=database)
    hidden_first = _fresh_hidden(database)
    upload = uploads.ingest_file(_file(tmp_path, "korrektur.csv", second), ACTOR, database=database)
    hidden_second = _fresh_hidden(database)
    assert hidden_first != hidden_second

    def shown() -> frozenset[tuple[str, str, str]]:
        with monkeypatch.context() as patch:  # a new process: nothing in memory, nothing computed
            patch.setattr(model, "_CACHE", {})
            patch.setattr(model, "_compute", lambda *a: pytest.fail("computed although stored"))
            code, out, err = metrics_cli(capsys, "values", "--db", str(database), "--internal", "--format", "json")
        assert code == 0, err
        return _shown_hidden(json.loads(out))

    assert shown() == hidden_second
    assert upload.upload_id is not None
    uploads.undo(upload.upload_id, ACTOR, database=database)
    assert _fresh_hidden(database) == hidden_first
    assert shown() == hidden_first


def test_a_stored_model_of_another_state_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "kim.duckdb"
    uploads.ingest_file(_file(tmp_path, "a.csv", {BERGKAMEN: 20, BOENEN: 2, UNNA: 30}), ACTOR, database=database)
    # A write that does not store the model (below actions/): the stored one is of the old state.
    assert ingest.ingest_file(_file(tmp_path, "b.csv", {BERGKAMEN: 2, BOENEN: 20, UNNA: 30}), database=database)
    assert not _stored_is_current(database)
    monkeypatch.setattr(model, "_CACHE", {})
    with connect(database) as connection:
        assert model.disclosure(connection).hidden == model._compute(connection, catalogue()).hidden
    # Nor one the same data but other code computed (the model's code changed since).
    assert published.publish(database) and _stored_is_current(database)
    monkeypatch.setattr(stored, "code_token", lambda: "other code")
    with connect(database) as connection:
        assert model._restored(connection, model._fingerprint(connection, catalogue())) is None


def test_reading_never_writes_even_when_the_stored_model_is_outdated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "kim.duckdb"
    uploads.ingest_file(_file(tmp_path, "a.csv", {BERGKAMEN: 20, BOENEN: 2, UNNA: 30}), ACTOR, database=database)
    ingest.ingest_file(_file(tmp_path, "b.csv", {BERGKAMEN: 2, BOENEN: 20, UNNA: 30}), database=database)
    files = sorted(tmp_path.glob("kim.duckdb*"))
    before = {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    monkeypatch.setattr(model, "_CACHE", {})
    code, _, err = metrics_cli(capsys, "values", "--db", str(database))
    assert code == 0, err
    assert sorted(tmp_path.glob("kim.duckdb*")) == files
    assert {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files} == before
    assert not _stored_is_current(database)  # the reader computed it in memory, stored nothing


def test_the_command_line_stores_the_model_once_after_several_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "kim.duckdb"
    calls: list[object] = []
    original = uploads.publish_model
    monkeypatch.setattr(uploads, "publish_model", lambda db: calls.append(db) or original(db))
    files = [_file(tmp_path, f"{n}.csv", {ags: 20 + n}) for n, ags in enumerate((BERGKAMEN, BOENEN, UNNA))]
    code, _, err = loaders_cli(capsys, "ingest", *map(str, files), "--db", str(database))
    assert code == 0, err
    assert calls == [str(database)]
    assert _stored_is_current(database)


def test_the_stored_model_is_no_data_of_the_app(tmp_path: Path) -> None:
    # Derived data: neither in the log's snapshots of targets, meetings and comments nor in a rebuild.
    database = tmp_path / "kim.duckdb"
    uploads.ingest_file(_file(tmp_path, "a.csv", {BERGKAMEN: 20, BOENEN: 2, UNNA: 30}), ACTOR, database=database)
    with connect(database) as connection:
        assert stored.TABLE not in history.app_tables(connection)
        assert stored.current_key(connection) is not None


def test_the_demo_build_stores_the_model_and_it_comes_back_exactly(demo_db: Path) -> None:
    with connect(demo_db) as connection:
        key = model._fingerprint(connection, catalogue())
        restored = model._restored(connection, key)
        computed = model._compute(connection, catalogue())
    assert restored is not None
    assert restored.hidden == computed.hidden
    assert set(restored.values) == set(computed.values)
    for name, frame in model.as_frames(computed).items():
        back = model.as_frames(restored)[name]
        assert list(back.dtypes) == list(frame.dtypes), name
        assert back.equals(frame), name


def test_a_rebuild_and_a_restore_store_the_model_of_what_they_bring_back(tmp_path: Path) -> None:
    from actions import database as database_actions

    database = tmp_path / "daten" / "kim.duckdb"
    database.parent.mkdir()
    uploads.ingest_file(_file(tmp_path, "a.csv", {BERGKAMEN: 20, BOENEN: 2, UNNA: 30}), ACTOR, database=database)
    # The backup holds a stored model of an older state (a write below actions/ came after it).
    ingest.ingest_file(_file(tmp_path, "b.csv", {KAMEN: 1, UNNA: 25}), database=database)
    database_actions.backup(tmp_path / "sicherung.zip", ACTOR, database=database)
    uploads.ingest_file(_file(tmp_path, "c.csv", {KAMEN: 30}), ACTOR, database=database)
    database_actions.restore(tmp_path / "sicherung.zip", ACTOR, database=database, force=True)
    assert _stored_is_current(database)
    database_actions.rebuild(ACTOR, database=database, force=True)
    assert _stored_is_current(database)
