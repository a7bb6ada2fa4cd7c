"""The attacks that recovered hidden counts, each on a small real database: the Kreis minus its
Teilregionen, a quarter minus its months, one part shown by two indicators, and the change since a
meeting. Each worked by hand (threshold t = 3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from actions import steering
from actions.actor import Actor
from loaders.ingest import ingest_file
from metrics import steering as steering_read
from metrics.values import indicator_values
from store import connect

BERGKAMEN, BOENEN, KAMEN, UNNA = "05978004", "05978008", "05978020", "05978036"
KREIS = "05978"
EHRENAMT = "kommune,monat,ehrenamtliche_aktiv,ehrenamtliche_neu,tandems_aktiv,einsatzstunden\n"
BEHOERDE = (
    "kommune,monat,antraege_eingang,antraege_entschieden,bearbeitungstage_summe,"
    "offene_verfahren,aufenthaltsverfestigungen,einbuergerungen\n"
)
SCHULE = "kommune,monat,seiteneinsteiger_neu,seiteneinsteiger_beschult_4w,wartende_schulplatz\n"


def _deliver(folder: Path, database: Path, name: str, header: str, rows: str) -> None:
    file = folder / name
    file.write_text(header + rows, encoding="utf-8")
    assert ingest_file(file, database=database).status == "accepted"


def _published(database: Path, period: str = "month") -> pd.DataFrame:
    with connect(database) as connection:
        return indicator_values(connection, period).set_index(["kennzahl", "kommune", "periode"])


def test_the_kreis_minus_two_teilregionen_does_not_give_the_third_away(tmp_path: Path) -> None:
    # K20 (new volunteers) in September: TR-Mitte = Bergkamen 1 + Bönen 1 + Kamen 0 + Unna 0 = 2,
    # TR-Nord = 5 + 5 + 5 = 15, TR-Süd = 4 + 5 + 5 = 14, Kreis 31. Before, Kreis, Nord and Süd were
    # shown, and 31 − 15 − 14 = 2 was the hidden TR-Mitte.
    rows = {
        BERGKAMEN: 1, BOENEN: 1, KAMEN: 0, UNNA: 0,
        "05978024": 5, "05978028": 5, "05978040": 5,  # Lünen, Selm, Werne
        "05978012": 4, "05978016": 5, "05978032": 5,  # Fröndenberg, Holzwickede, Schwerte
    }  # fmt: skip
    database = tmp_path / "kim.duckdb"
    lines = "".join(f"{ags},2026-09,10,{count},3,20\n" for ags, count in rows.items())
    _deliver(tmp_path, database, "ehrenamt.csv", EHRENAMT, lines)
    k20 = _published(database).xs(("K20", "2026-09"), level=("kennzahl", "periode"))
    assert k20.loc["TR-Mitte", "unterdrueckt"]
    shown_teilregionen = [tr for tr in ("TR-Nord", "TR-Mitte", "TR-Sued") if not k20.loc[tr, "unterdrueckt"]]
    assert k20.loc[KREIS, "unterdrueckt"] or len(shown_teilregionen) <= 1


def test_a_quarter_minus_its_months_does_not_give_a_month_away(tmp_path: Path) -> None:
    # K20 Bönen: July 5, August 1 (hidden), September 4; the quarter is 10. Before, July,
    # September and the quarter were shown: 10 − 5 − 4 = 1.
    database = tmp_path / "kim.duckdb"
    lines = ""
    for month, boenen in (("2026-07", 5), ("2026-08", 1), ("2026-09", 4)):
        lines += f"{BOENEN},{month},10,{boenen},3,20\n{BERGKAMEN},{month},10,20,3,20\n{UNNA},{month},10,30,3,20\n"
    _deliver(tmp_path, database, "ehrenamt.csv", EHRENAMT, lines)
    months = _published(database, "month")
    quarter = _published(database, "quarter")
    assert months.loc[("K20", BOENEN, "2026-08"), "unterdrueckt"]
    shown = [not months.loc[("K20", BOENEN, m), "unterdrueckt"] for m in ("2026-07", "2026-09")]
    assert not (all(shown) and not quarter.loc[("K20", BOENEN, "2026-Q3"), "unterdrueckt"])
    # A hidden quarter would not protect August: the quarter minus July would be known, so the
    # quarter and August would move together and every bound on the quarter would bound August.
    # So the quarter (10) stays shown and months are hidden with August until the hidden months of
    # each quarter and each month's Kommunen add up to at least 3 (worked by hand, smallest first,
    # ties to the earlier cell): Bergkamen's August 20 protects Bönen's 1 in the August Kommunen
    # (Kreis 51); Bergkamen's July 20 then Bergkamen's quarter (20 + 20 of 60); Bönen's July 5 the
    # July Kommunen (Kreis 55); Bönen's September 4 and Bergkamen's September 20 the last ones.
    assert not quarter.loc[("K20", BOENEN, "2026-Q3"), "unterdrueckt"]
    for kommune in (BOENEN, BERGKAMEN):
        for month in ("2026-07", "2026-08", "2026-09"):
            assert months.loc[("K20", kommune, month), "unterdrueckt"], (kommune, month)
    assert not months.loc[("K20", UNNA, "2026-08"), "unterdrueckt"]


def test_one_part_in_two_indicators_is_hidden_in_both(tmp_path: Path) -> None:
    # antraege_entschieden is K09's denominator and K10's numerator. Bönen decided 1 application
    # (hidden in both); Kamen's 5 is hidden in K09 to protect Bönen, so K10 must not show it either.
    database = tmp_path / "kim.duckdb"
    lines = (
        f"{BOENEN},2026-09,4,1,30,2,0,0\n{KAMEN},2026-09,8,5,200,9,0,0\n"
        f"{BERGKAMEN},2026-09,30,25,900,40,0,0\n{UNNA},2026-09,40,30,1000,50,0,0\n"
    )
    _deliver(tmp_path, database, "behoerde.csv", BEHOERDE, lines)
    values = _published(database)
    for kommune in (BOENEN, KAMEN, BERGKAMEN, UNNA, KREIS):
        k09 = values.loc[("K09", kommune, "2026-09"), "unterdrueckt"]
        k10 = values.loc[("K10", kommune, "2026-09"), "unterdrueckt"]
        assert k09 == k10, kommune
    assert values.loc[("K09", BOENEN, "2026-09"), "unterdrueckt"]
    hidden = [k for k in (KAMEN, BERGKAMEN, UNNA) if values.loc[("K10", k, "2026-09"), "unterdrueckt"]]
    assert hidden, "Bönen's 1 must not stand alone among the Kommunen"


def test_the_change_since_the_meeting_gives_no_late_hidden_delivery_away(tmp_path: Path) -> None:
    # K27 (waiting for a school place) in September: at the meeting Bergkamen 20 and Unna 30, Kreis
    # 50 from 2 Kommunen. Afterwards Bönen delivers 2 (hidden) and Kamen 14 (hidden beside it). The
    # Kreis is now 66: "+16 seit der Sitzung" would be Bönen + Kamen, and with Kamen's figure known
    # elsewhere Bönen's 2. The Kreis may not be compared; hidden cells show nothing of the meeting.
    database = tmp_path / "kim.duckdb"
    _deliver(tmp_path, database, "september.csv", SCHULE, f"{BERGKAMEN},2026-09,10,9,20\n{UNNA},2026-09,10,9,30\n")
    assert steering.freeze_meeting(dt.date(2026, 10, 12), Actor.on_page("ki"), database=database) == 1
    _deliver(tmp_path, database, "nachlieferung.csv", SCHULE, f"{BOENEN},2026-09,10,9,2\n{KAMEN},2026-09,10,9,14\n")
    with connect(database) as connection:
        values = steering_read.since_last_meeting(connection, indicator_values(connection, "month"), "month")
    k27 = values[values["kennzahl"] == "K27"].set_index("kommune")
    assert k27.loc[BOENEN, "unterdrueckt"]
    assert pd.isna(k27.loc[KREIS, "wert_vergleich"]) and pd.isna(k27.loc[KREIS, "seit_sitzung"])
    assert k27.loc[KREIS, "seit_sitzung_geheim"] and not k27.loc[KREIS, "korrigiert"]
    for kommune in k27.index[k27["unterdrueckt"]]:
        assert pd.isna(k27.loc[kommune, "wert_sitzung"]) and not k27.loc[kommune, "korrigiert"]
    assert k27.loc[BERGKAMEN, "wert_vergleich"] == 20 or k27.loc[BERGKAMEN, "unterdrueckt"]


def test_two_databases_with_the_same_partitions_keep_their_own_hidden_cells(tmp_path: Path) -> None:
    # The model is cached per state of the data: two files named alike, with the same partitions
    # and upload numbers but other figures, must not share it.
    hidden = []
    for folder, boenen in (("a", 2), ("b", 20)):
        (tmp_path / folder).mkdir()
        database = tmp_path / folder / "kim.duckdb"
        rows = f"{BOENEN},2026-09,10,9,{boenen}\n{BERGKAMEN},2026-09,10,9,20\n{UNNA},2026-09,10,9,30\n"
        _deliver(tmp_path / folder, database, "schule.csv", SCHULE, rows)
        hidden.append(bool(_published(database).loc[("K27", BOENEN, "2026-09"), "unterdrueckt"]))
    assert hidden == [True, False]
