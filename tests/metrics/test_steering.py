"""Targets set in the app, frozen meetings with corrections marked, and comments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from actions import steering as actions
from actions.actor import Actor
from core.errors import KimError, UsageError
from metrics import steering
from metrics.values import indicator_values
from store import connect
from tests.helpers.databases import deliver

ADMIN = Actor.on_page("admin")
KI = Actor.on_page("ki")
HEADER = "kommune,monat,seiteneinsteiger_neu,seiteneinsteiger_beschult_4w,wartende_schulplatz\n"


def _deliver(tmp_path: Path, database: Path, name: str, rows: str) -> None:
    deliver(tmp_path, database, name, HEADER + rows)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "kim.duckdb"
    _deliver(tmp_path, path, "schule.csv", "Bergkamen,2026-09,20,17,4\nUnna,2026-09,30,27,0\n")
    return path


def _k25(database: Path, kommune: str) -> tuple[float, float, bool, str]:
    with connect(database) as connection:
        values = indicator_values(connection, "month")
    row = values[(values["kennzahl"] == "K25") & (values["kommune"] == kommune)].iloc[0]
    return row["wert"], row["zielwert"], row["zielwert_bestaetigt"], row["ampel"]


def test_a_target_set_in_the_app_replaces_the_proposal(database: Path) -> None:
    # K25 Bergkamen: 17 of 20 = 85 %; proposal ≥ 90 → gelb (85 ≥ 81).
    assert _k25(database, "05978004") == (85.0, 90.0, False, "gelb")
    actions.set_target("K25", 85.0, ADMIN, database=database)
    assert _k25(database, "05978004") == (85.0, 85.0, True, "gruen")
    actions.set_target("K25", 95.0, ADMIN, kommune="05978004", gueltig_ab=dt.date(2026, 9, 1), database=database)
    assert _k25(database, "05978004")[1:] == (95.0, True, "rot")  # 85 < 95 × 0.9 = 85.5
    assert _k25(database, "05978036")[1] == 85.0  # Unna keeps the general target
    with pytest.raises(KimError):
        actions.set_target("K02", 10, ADMIN, database=database)  # context indicator: no target


def test_an_implausible_target_is_never_saved(database: Path) -> None:
    # "85,5" read as 855 was once saved for a share; the write itself refuses it, whatever the form
    with pytest.raises(UsageError) as refused:
        actions.set_target("K25", 855.0, ADMIN, database=database)
    assert "ein Anteil liegt zwischen 0 und 100 %" in refused.value.user_message
    assert _k25(database, "05978004")[1:3] == (90.0, False)  # still the proposal
    with connect(database) as connection:
        assert steering.target_history(connection).empty


def test_confirming_the_proposals_marks_them_decided(database: Path) -> None:
    assert actions.confirm_default_targets(ADMIN, database=database) == 10
    assert _k25(database, "05978004")[1:3] == (90.0, True)


def test_a_frozen_meeting_marks_corrections_made_afterwards(database: Path, tmp_path: Path) -> None:
    meeting = actions.freeze_meeting(dt.date(2026, 10, 20), KI, database=database)
    assert meeting == 1
    _deliver(tmp_path, database, "korrektur.csv", "Bergkamen,2026-09,20,15,4\n")  # 17 → 15 placed
    with connect(database) as connection:
        values = steering.since_last_meeting(connection, indicator_values(connection, "month"), "month")
    k25 = values[values["kennzahl"] == "K25"].set_index("kommune")
    assert k25.loc["05978004", "wert_sitzung"] == 85.0 and k25.loc["05978004", "wert"] == 75.0
    assert k25.loc["05978004", "korrigiert"] and not k25.loc["05978036", "korrigiert"]
    assert k25.loc["05978004", "sitzung_datum"] == dt.date(2026, 10, 20)


def test_comments_are_kept_cleaned_and_can_be_removed(database: Path) -> None:
    number = actions.add_comment(
        "K25", "05978004", "2026-09", "  Rückgang wegen\nPersonalwechsel ", KI, database=database
    )
    with connect(database) as connection:
        listed = steering.comments(connection)
    assert list(listed["text"]) == ["Rückgang wegen Personalwechsel"]
    actions.remove_comment(number, KI, database=database)
    with connect(database) as connection:
        assert steering.comments(connection).empty
    with pytest.raises(KimError):
        actions.add_comment("K25", "05978004", "2026-09", "   ", KI, database=database)


def test_the_change_since_the_meeting_uses_published_figures_only(tmp_path: Path) -> None:
    # Worked by hand (K25 = beschult_4w ÷ neu × 100, a share; K27 = wartende, a count; t = 3).
    # At the meeting (September only): K25 Bergkamen 17/20 = 85,0 %, Unna 27/30 = 90,0 %, Kreis
    # 44/50 = 88,0 %; K27 Bergkamen 1 is hidden, Unna 0 cannot cover it, so the Kreis total 1 is hidden.
    database = tmp_path / "sitzung.duckdb"
    _deliver(tmp_path, database, "september.csv", "Bergkamen,2026-09,20,17,1\nUnna,2026-09,30,27,0\n")
    assert actions.freeze_meeting(dt.date(2026, 10, 12), KI, database=database) == 1
    # Afterwards: Bergkamen's September corrected to 15 of 20 (75,0 %; Kreis 42/50 = 84,0 %), and
    # October delivered: K25 Bergkamen 9/10 (10 − 9 = 1: hidden) and so Unna 24/30 too (secondary),
    # Kreis 33/40 = 82,5 %; K27 Bergkamen 2 (hidden), Unna 6 (secondary), Kreis 8.
    _deliver(tmp_path, database, "korrektur.csv", "Bergkamen,2026-09,20,15,1\n")
    _deliver(tmp_path, database, "oktober.csv", "Bergkamen,2026-10,10,9,2\nUnna,2026-10,30,24,6\n")
    kreis, bergkamen, unna = "05978", "05978004", "05978036"
    with connect(database) as connection:
        published = steering.since_last_meeting(connection, indicator_values(connection, "month"), "month")
        internal = steering.since_last_meeting(
            connection, indicator_values(connection, "month", internal=True), "month"
        )
    for values in (published, internal):  # internal figures never enter a change
        cells = values.set_index(["kennzahl", "kommune", "periode"])

        def cell(kennzahl: str, kommune: str, periode: str, frame: pd.DataFrame = cells) -> pd.Series:
            return frame.loc[(kennzahl, kommune, periode)]

        # Bergkamen's October (10 − 9 = 1) is hidden; the year 2026 is September + October, and a
        # hidden year would not protect October (the year minus September is October), so the
        # year stays shown and September is hidden with October (Bergkamen 20 + 10 = 30 ≥ 3).
        # Bergkamen's September then needs Unna's September in the Kommunen of the Kreis, and
        # Unna's year Unna's October: K25 of both Kommunen is hidden in both months, the Kreis
        # and the years stay shown (Kreis September 42/50, October 33/40).
        for kommune in (bergkamen, unna):  # hidden now: the change and the meeting's figure are '•'
            for month in ("2026-09", "2026-10"):
                row = cell("K25", kommune, month)
                assert row["unterdrueckt"] and row["seit_sitzung_geheim"], (kommune, month)
                assert pd.isna(row["seit_sitzung"]) and pd.isna(row["wert_vergleich"])
        # the Kreis's change since the meeting would be Bergkamen's hidden correction alone
        # (Unna unchanged), measured from September in both months: '•' as well
        for month in ("2026-09", "2026-10"):
            row = cell("K25", kreis, month)
            assert not row["unterdrueckt"] and row["sitzung_periode"] == "2026-09"
            assert pd.isna(row["seit_sitzung"]) and row["seit_sitzung_geheim"]
        row = cell("K27", kreis, "2026-10")  # 8 now, but hidden at the meeting: '•'
        assert row["sitzung_periode"] == "2026-09" and pd.isna(row["wert_vergleich"])
        assert pd.isna(row["seit_sitzung"]) and row["seit_sitzung_geheim"]
        assert (cells["sitzung_datum"] == dt.date(2026, 10, 12)).all()
    assert internal.set_index(["kennzahl", "kommune", "periode"]).loc[("K25", bergkamen, "2026-10"), "wert"] == 90.0


def test_without_a_meeting_nothing_is_compared(database: Path) -> None:
    with connect(database) as connection:
        values = steering.since_last_meeting(connection, indicator_values(connection, "month"), "month")
    assert values["sitzung_datum"].isna().all() and values["seit_sitzung"].isna().all()
    assert not values["korrigiert"].any() and not values["seit_sitzung_geheim"].any()
