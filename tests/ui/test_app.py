"""AppTest checks of the Übersicht: smoke test, behaviour by widget key, German numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.apptest import assert_no_exception, on_database
from tests.helpers.cards import card_values, cards
from tests.helpers.paths import ROOT

KREIS = "05978"
BOENEN = "05978008"
LEITSATZ_PREFIXES = ("LS1 ·", "LS2 ·", "LS3 ·", "LS4 ·")
INDICATOR_COUNT = 28
PERCENT = re.compile(r"^\d{1,3}(\.\d{3})*,\d %$")


def german_integer(text: str) -> str:
    """'1234' → '1.234', written without the code under test."""
    return f"{int(text):,}".replace(",", ".")


def cli_value(database: Path, kennzahl: str, kommune: str, month: dt.date) -> str:
    """The value of one indicator as `python -m metrics values` writes it."""
    monat = month.strftime("%Y-%m")
    command = [sys.executable, "-m", "metrics", "values", "--db", str(database), "--format", "csv"]
    command += ["--from", monat, "--to", monat]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=120)
    rows = [
        row
        for row in csv.DictReader(io.StringIO(result.stdout))
        if (row["kennzahl"], row["kommune"], row["periode"]) == (kennzahl, kommune, monat)
    ]
    assert len(rows) == 1, f"expected one CLI row for {kennzahl} {kommune} {monat}, got {rows}"
    return rows[0]["wert"]


def test_uebersicht_smoke(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = on_database(demo_db, monkeypatch)

    assert_no_exception(app)
    assert app.selectbox(key="gebiet").value == KREIS
    headers = [h.value for h in app.subheader]
    assert len(headers) == 4
    assert [h[: len(p)] for h, p in zip(headers, LEITSATZ_PREFIXES, strict=True)] == list(LEITSATZ_PREFIXES)
    assert len(cards(app)) == INDICATOR_COUNT
    assert any("Demodaten" in w.value for w in app.warning)


def test_choosing_boenen_shows_its_values(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = on_database(demo_db, monkeypatch)

    app.selectbox(key="gebiet").set_value(BOENEN).run()

    assert_no_exception(app)
    assert app.caption[0].value.startswith("Bönen")
    month = app.selectbox(key="monat").value
    expected = german_integer(cli_value(demo_db, "K02", BOENEN, month))
    assert card_values(app)["K02"] == expected


@pytest.mark.parametrize(
    "index",
    [
        pytest.param(None, id="previous-month"),  # the month before the one the page opens on
        pytest.param(
            -1,
            id="oldest-month",
        ),
    ],
)
def test_choosing_an_earlier_month_changes_the_values(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, index: int | None
) -> None:
    app = on_database(demo_db, monkeypatch)
    latest_month = app.selectbox(key="monat").value
    latest = card_values(app)
    month = app.selectbox(key="monat")

    assert month.index is not None
    month.select_index(month.index + 1 if index is None else index % len(month.options)).run()

    earlier = app.selectbox(key="monat").value
    assert_no_exception(app)
    assert earlier < latest_month
    assert app.caption[0].value.startswith("Kreis Unna · ")
    changed = card_values(app)
    assert len(changed) == INDICATOR_COUNT
    assert changed != latest


def test_missing_database_shows_info(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = on_database(tmp_path / "nicht-da.duckdb", monkeypatch)

    assert_no_exception(app)
    assert len(app.info) == 1
    assert not app.error
    assert not cards(app)


def test_numbers_are_german(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = on_database(demo_db, monkeypatch)

    percentages = [v for v in card_values(app).values() if v.endswith("%")]
    assert percentages, "no percentage among the indicators"
    assert all(PERCENT.fullmatch(v) for v in percentages), percentages
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", card_values(app)["K02"])
