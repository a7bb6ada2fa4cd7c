"""Delivery status: delivered, late, missing, not yet due; reference figures from their Stichtag; the
demo's deliveries as they arrive over the months."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from core.sources import sources
from demo.files import DEMO_KOMMUNEN, write_demo_deliveries
from demo.generate import OUTSTANDING_KOMMUNEN, Arrival, arrivals, build_demo
from metrics.deliveries import (
    delivery_status,
    due_date,
    due_next,
    latest_complete_month,
    missing_for,
    next_due_month,
    overdue,
    reporting_month,
)
from store import connect
from tests.helpers.databases import deliver
from tests.helpers.environment import DEMO_MONTHS, DEMO_SCALE, TODAY_DATE

Key = tuple[str, str, dt.date]

HEADER = "kommune,monat,seiteneinsteiger_neu,seiteneinsteiger_beschult_4w,wartende_schulplatz\n"
SEP, OCT = dt.date(2026, 9, 1), dt.date(2026, 10, 1)


def _deliver(tmp_path: Path, database: Path, name: str, text: str, uploaded: str) -> None:
    upload_id = deliver(tmp_path, database, name, text, user="analyse")
    with duckdb.connect(str(database)) as connection:  # the upload time as the test needs it
        connection.execute("UPDATE upload SET zeit = ?::TIMESTAMPTZ WHERE upload_id = ?", [uploaded, upload_id])


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
        frame = delivery_status(connection, SEP, dt.date(2026, 11, 1), TODAY_DATE)
    return {(r.quelle, r.kommune, r.monat): r.status for r in frame.itertuples()}


def test_due_date_and_reporting_month() -> None:
    assert due_date(SEP) == dt.date(2026, 10, 15)
    assert due_date(dt.date(2026, 12, 1)) == dt.date(2027, 1, 15)
    assert reporting_month(TODAY_DATE) == OCT
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
        frame = delivery_status(connection, SEP, OCT, TODAY_DATE)
    complete = latest_complete_month(frame).set_index("quelle")["letzter_vollstaendiger_monat"]
    assert complete.isna().all()  # no source has all ten Kommunen
    missing = missing_for(frame, SEP).set_index("quelle_label")["kommunen"]
    assert "Bergkamen" not in missing["Schule"] and "Bönen" not in missing["Schule"]
    assert len(missing["Schule"]) == 8
    assert len(missing["Fallmanagement"]) == 10


def test_the_month_falling_due_next_by_hand() -> None:
    """Today 25.11.2026: October was due on 15.11. (overdue when missing); November is due on
    15.12.2026. Until and on 15.11. it is October that falls due next."""
    assert next_due_month(TODAY_DATE) == dt.date(2026, 11, 1)
    assert due_date(next_due_month(TODAY_DATE)) == dt.date(2026, 12, 15)
    assert next_due_month(dt.date(2026, 11, 10)) == OCT
    assert next_due_month(dt.date(2026, 11, 15)) == OCT  # due on that day: not yet overdue
    assert next_due_month(dt.date(2026, 11, 16)) == dt.date(2026, 11, 1)
    assert next_due_month(dt.date(2026, 12, 3)) == dt.date(2026, 11, 1)
    assert next_due_month(dt.date(2027, 1, 20)) == dt.date(2027, 1, 1)


def test_overdue_deliveries_by_source_and_kommune(database: Path) -> None:
    """Issue 10: the Datenstand listed November (not due until 15.12.) as missing and did not name
    October's overdue deliveries. Overdue are only months past their due day, grouped per source
    and Kommune; November, due on 15.12.2026, is never among them."""
    with connect(database) as connection:
        frame = delivery_status(connection, SEP, dt.date(2026, 11, 1), TODAY_DATE)
    late = overdue(frame)
    by_key = {(r.quelle, r.kommune): (r.monate, r.faellig_seit) for r in late.itertuples()}
    assert by_key[("schule", "05978004")] == ([OCT], dt.date(2026, 11, 15))  # September delivered on time
    assert ("schule", "05978008") in by_key and by_key[("schule", "05978008")][0] == [OCT]  # September late
    assert by_key[("schule", "05978012")] == ([SEP, OCT], dt.date(2026, 10, 15))  # nothing at all
    assert all(dt.date(2026, 11, 1) not in months for months, _ in by_key.values())
    assert ("bevoelkerung", "05978004") not in by_key  # its Stichtag 12/2025 covers every month since
    assert late.loc[late["quelle"] == "bevoelkerung", "stichtag"].all()
    assert list(late["quelle"]) == sorted(late["quelle"], key=list(sources()).index)  # sources in order
    upcoming = due_next(frame, dt.date(2026, 11, 1)).set_index("quelle")
    assert "bevoelkerung" not in upcoming.index  # no monthly delivery
    assert upcoming.loc["schule", "geliefert"] == 0 and len(upcoming.loc["schule", "offen"]) == 10


def test_a_reference_source_is_judged_by_its_stichtag(tmp_path: Path) -> None:
    """Issue 10: Bevölkerung showed "letzter vollständiger Monat November 2026" for data of
    12/2025. Its complete state is its Stichtag, the oldest of the Kommunen' latest Stichtage."""
    path = tmp_path / "kim.duckdb"
    header = "kommune,monat,einwohner,auslaendisch,auslaendisch_15_64,zugewandert_5j\n"
    rows = "".join(f"{k.ags},2025,40000,6000,4000,1500\n" for k in DEMO_KOMMUNEN)
    _deliver(tmp_path, path, "bev.csv", header + rows, "2026-03-01 09:00:00+01")
    newer = "05978004,30.06.2026,40100,6100,4100,1600\n"
    _deliver(tmp_path, path, "bev2.csv", header + newer, "2026-08-01 09:00:00+02")
    _deliver(tmp_path, path, "s.csv", HEADER + "Bergkamen,2026-10,3,3,0\n", "2026-11-10 09:00:00+01")
    with connect(path) as connection:
        frame = delivery_status(connection, dt.date(2025, 12, 1), dt.date(2026, 11, 1), TODAY_DATE)
    complete = latest_complete_month(frame).set_index("quelle")
    assert complete.loc["bevoelkerung", "letzter_vollstaendiger_monat"] == dt.date(2025, 12, 1)
    assert complete.loc["bevoelkerung", "stichtag"]
    assert not complete.loc["schule", "stichtag"]


# --- the demo's deliveries arrive as in a real year -------------------------------------------

ROLES = {
    "KI-Team",
    "Jobcenter Kreis Unna",
    "Ausländerbehörde Kreis Unna",
    "Schulamt für den Kreis Unna",
    *(f"Fallmanagement {k.name}" for k in DEMO_KOMMUNEN),
}


def _month(text: str) -> dt.date:
    return dt.date.fromisoformat(f"{text}-01")


def _expected_status(arrived: list[Arrival], first: dt.date, last: dt.date, today: dt.date) -> dict[Key, str]:
    """The status of every source, Kommune and month, worked out here from the arrival times: due on
    the 15th of the following month; late when it arrived after that day; missing when it has not
    arrived and is due; a Bevölkerung figure counts from its Stichtag on and is never late."""
    every = [k.ags for k in DEMO_KOMMUNEN]
    when: dict[Key, dt.date] = {}
    for arrival in arrived:
        for kommune in [arrival.delivery.kommune] if arrival.delivery.kommune else every:
            when[(arrival.delivery.quelle, kommune, _month(arrival.delivery.monat))] = arrival.zeit.date()
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    expected = {}
    for quelle in sources():
        for kommune in every:
            for month in months:
                due = dt.date(month.year + month.month // 12, month.month % 12 + 1, 15)
                if quelle == "bevoelkerung":
                    delivered = any(q == quelle and k == kommune and m <= month for q, k, m in when)
                    late = False
                else:
                    delivered = (quelle, kommune, month) in when
                    late = delivered and when[(quelle, kommune, month)] > due
                if delivered:
                    expected[(quelle, kommune, month)] = "verspaetet" if late else "geliefert"
                else:
                    expected[(quelle, kommune, month)] = "fehlt" if due < today else "offen"
    return expected


def _demo_check(database: Path, folder: Path, months: int, scale: float, today: dt.date) -> Counter[str]:
    """The demo database holds exactly the deliveries that arrived before today, each with its
    arrival time and role, and the Datenstand shows the statuses worked out from those times."""
    end = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    deliveries = write_demo_deliveries(folder, months=months, scale=scale, end=end, case_format="csv")
    arrived = [a for a in arrivals(deliveries) if a.zeit.date() < today]
    with connect(database) as connection:
        uploads = connection.execute("SELECT datei, benutzer, zeit FROM upload ORDER BY upload_id").fetchall()
        first = _month(min(d.monat for d in deliveries if d.quelle != "bevoelkerung"))
        frame = delivery_status(connection, first, _month(end), today)
    assert uploads == [(a.delivery.path.name, a.benutzer, a.zeit) for a in arrived]
    assert {benutzer for _, benutzer, _ in uploads} <= ROLES
    for arrival in arrived:  # month M arrives in M+1, or in M+2 when very late
        lag = (arrival.zeit.year - int(arrival.delivery.monat[:4])) * 12 + arrival.zeit.month
        lag -= int(arrival.delivery.monat[5:])
        assert lag in (1, 2) and arrival.zeit.weekday() < 5 and 8 <= arrival.zeit.hour < 17
    status = {(r.quelle, r.kommune, r.monat): r.status for r in frame.itertuples()}
    assert status == _expected_status(arrived, first, _month(end), today)
    return Counter(status.values())


def test_the_demo_shows_delivered_late_and_missing(demo_db: Path, tmp_path: Path) -> None:
    """The session's demo (today 25.11.2026): October was due on 15.11.; the case lists of two
    Kommunen are still outstanding, so they are missing."""
    today = TODAY_DATE
    counts = _demo_check(demo_db, tmp_path, DEMO_MONTHS, DEMO_SCALE, today)
    assert counts["geliefert"] > counts["verspaetet"] > counts["fehlt"] >= OUTSTANDING_KOMMUNEN
    assert counts["offen"] == 0  # nothing shown is still before its due day
    print(f"\nDatenstand of the demo on {today:%d.%m.%Y}: {dict(counts)}")


def test_the_demo_early_in_the_month_shows_what_is_not_yet_due(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On 10.11.2026 October's deliveries are not due yet: what has not come in is open, not missing."""
    monkeypatch.setenv("KIM_TODAY", "2026-11-10")
    database = tmp_path / "kim.duckdb"
    build_demo(database=database, months=2, scale=0.05, case_format="csv")
    counts = _demo_check(database, tmp_path / "dateien", 2, 0.05, dt.date(2026, 11, 10))
    assert counts["geliefert"] > 0 and counts["offen"] >= OUTSTANDING_KOMMUNEN
    print(f"\nDatenstand of a two-month demo on 10.11.2026: {dict(counts)}")
