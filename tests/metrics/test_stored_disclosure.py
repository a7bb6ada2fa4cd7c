"""The published state kept in the database: `python -m metrics values` computes the disclosure
model once per state of the data and stores it; the next run reads it instead of computing it
again (the command ran 3.9 s on the demo data, most of it the model), and any new upload makes the
stored state unusable, so no run ever reads a state of other data."""

from __future__ import annotations

import pathlib

from core.catalogue import catalogue
from metrics.disclosure import STORED_CATEGORIES, STORED_ROWS, _compute, disclosure
from store import connect
from store.history import app_tables
from tests.helpers.cases import CASES, HEADER
from tests.helpers.cli import describe_failure, run_module
from tests.helpers.values import ingest

# A second delivery: Bönen, September 2026, two cases (hidden, and Bönen's share of every
# region's figure with it).
MORE = "B1,05978008,2026-09,2026-09-02,,,2025,SGB II,sprache\nB2,05978008,2026-09,2026-09-03,,,2025,SGB II,arbeit\n"


def _values(database: pathlib.Path) -> str:
    result = run_module(["metrics", "values", "--db", str(database)])
    assert result.returncode == 0, describe_failure(result)
    return result.stdout


def _stored_keys(database: pathlib.Path) -> list[tuple[str, int]]:
    with connect(database) as connection:
        return [
            (table, *row)
            for table in (STORED_ROWS, STORED_CATEGORIES)
            for row in connection.execute(f"SELECT schluessel, count(*) FROM {table} GROUP BY ALL").fetchall()
        ]


def test_the_second_run_reads_what_the_first_stored(tmp_path: pathlib.Path) -> None:
    first = tmp_path / "faelle.csv"
    first.write_text(HEADER + CASES, encoding="utf-8")
    database = tmp_path / "kim.duckdb"
    ingest([first], database)
    output = _values(database)
    keys = _stored_keys(database)
    assert len(keys) == 2 and keys[0][0] == STORED_ROWS and keys[0][2] > 0
    assert _values(database) == output
    with connect(database) as connection:
        stored = disclosure(connection)
        computed = _compute(connection, catalogue())
    assert stored.stored and not computed.stored
    assert stored.hidden == computed.hidden and stored.hidden
    assert stored.rows.drop(columns="unterdrueckt").equals(computed.rows.drop(columns="unterdrueckt"))
    assert (stored.rows["unterdrueckt"].to_numpy() == computed.rows["unterdrueckt"].to_numpy()).all()
    assert stored.categories.astype(str).equals(computed.categories.astype(str))
    assert _stored_keys(database) == keys  # nothing written again
    with connect(database) as connection:
        # derived figures, not data entered in the app: never in the event log's app snapshots
        assert not [table for table in app_tables(connection) if "offenlegung" in table]


def test_a_new_upload_is_never_read_from_an_older_stored_state(tmp_path: pathlib.Path) -> None:
    first = tmp_path / "faelle.csv"
    first.write_text(HEADER + CASES, encoding="utf-8")
    database = tmp_path / "kim.duckdb"
    ingest([first], database)
    before = _values(database)
    old_keys = _stored_keys(database)
    second = tmp_path / "faelle_boenen.csv"
    second.write_text(HEADER + MORE, encoding="utf-8")
    ingest([second], database)
    with connect(database) as connection:
        published = disclosure(connection)
        assert not published.stored  # the stored state belongs to the data before the upload
        assert ("K02", "05978008", "2026-09") in published.hidden
    after = _values(database)
    assert after != before and ",05978008,2026-09," in after
    new_keys = _stored_keys(database)
    assert len(new_keys) == 2 and new_keys[0][1] != old_keys[0][1]  # replaced, not added
