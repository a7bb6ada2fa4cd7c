"""Load: a warm view of the Übersicht costs the server little, and the results shared between
sessions to make it so never mix published and internal figures or outlive a change."""

from __future__ import annotations

import shutil
import statistics
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import on_database
from tests.helpers.cards import card_values, cards
from tests.helpers.paths import ROOT
from ui import downloads

HOLZWICKEDE = "05978016"  # small counts: some cells hidden
# CPU seconds of a warm view of the Übersicht on the test's demo data, in this process (the script
# runs in a thread of it). It was 0.14–0.2 s (a full garbage collection after every run, the
# tables' Excel files and the cockpit rebuilt, the figures unpickled from st.cache_data); now
# about 0.05 s, and 0.083–0.085 s on a quiet machine after the parts were split up and the first
# screen reworked (a regression whose cause is not found yet). The limit for the server is
# 0.3 s (tests/benchmark.py --load measures it); this guard catches a return to the old costs.
WARM_VIEW_CPU_SECONDS = 0.12


def overview(database: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    app = on_database(database, monkeypatch, timeout=120)
    assert len(cards(app)) == 28
    return app


def test_a_warm_view_of_the_uebersicht_costs_little_cpu(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = overview(demo_db, monkeypatch)
    app.run()
    seconds = []
    for _ in range(7):
        started = time.process_time()
        app.run()
        seconds.append(time.process_time() - started)
    assert not app.exception
    assert statistics.median(seconds) <= WARM_VIEW_CPU_SECONDS, seconds


def test_a_warm_view_makes_no_download_file(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = overview(demo_db, monkeypatch)
    app.session_state["uebersicht_alle_werte"] = True  # "Alle Werte als Tabelle" opened
    app.run()
    made: list[Any] = []
    original = downloads.xlsx_bytes

    def counting(frame: Any, sheet: str = "Tabelle") -> bytes:
        made.append(frame)
        return original(frame, sheet)

    monkeypatch.setattr(downloads, "xlsx_bytes", counting)
    app.run()
    assert made == []
    buttons = [b for b in app.get("download_button") if b.key and b.key.startswith("uebersicht_")]
    assert len(buttons) == 4  # the files are still offered: both tables as Excel and CSV


def test_the_server_neither_collects_garbage_nor_watches_files_after_every_run() -> None:
    config = tomllib.loads((ROOT / ".streamlit/config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
    assert config["server"]["fileWatcherType"] == "none"


def test_a_shared_internal_view_never_reaches_another_session(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    analyst = overview(demo_db, monkeypatch)
    analyst.selectbox(key="gebiet").set_value(HOLZWICKEDE).run()
    analyst.toggle(key="intern").set_value(True).run()
    assert any(v.endswith("(intern)") for v in card_values(analyst).values())

    other = overview(demo_db, monkeypatch)  # a second session of the same server process
    other.session_state["uebersicht_alle_werte"] = True  # "Alle Werte als Tabelle" opened
    other.selectbox(key="gebiet").set_value(HOLZWICKEDE).run()
    shown = list(card_values(other).values())
    assert "•" in shown and not any(v.endswith("(intern)") for v in shown)
    tables = [e.value for e in other.dataframe]
    assert tables and not any(v.endswith("(intern)") for t in tables for v in t.stack().astype(str))


def test_a_cached_view_follows_a_new_version_of_the_database(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    database = tmp_path / "kim.duckdb"
    shutil.copy(demo_db, database)
    app = overview(database, monkeypatch)
    month = app.selectbox(key="monat").value
    before = card_values(app)["K02"]

    with duckdb.connect(str(database)) as connection:  # another process changes the figures
        connection.execute("DELETE FROM partition_aktuell WHERE quelle = 'fallmanagement' AND monat = ?", [month])
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    after = card_values(app)["K02"]
    assert before not in ("–", "•") and after != before


def test_a_shared_frame_changed_by_one_page_stays_intact_for_the_next(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import data

    monkeypatch.setenv("KIM_DB", str(demo_db))
    first = data.values("month")
    expected = first["wert"].copy()
    first["wert"] = 0.0
    first.loc[first.index[0], "kennzahl"] = "geändert"
    again = data.values("month")
    assert again["wert"].equals(expected) and "geändert" not in set(again["kennzahl"])
