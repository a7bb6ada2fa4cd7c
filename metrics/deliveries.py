"""Delivery status: which (source, Kommune, month) was delivered, when and by whom, which is late
or missing, and the latest complete month of each source."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from core.reference import kommune_name, kommunen, read_yaml
from core.settings import DATA_DIR
from core.sources import sources

STATUS_LABELS = {"geliefert": "geliefert", "verspaetet": "verspätet", "fehlt": "fehlt", "offen": "noch nicht fällig"}


@cache
def deadline_day(data_dir: Path = DATA_DIR) -> int:
    return int(read_yaml(data_dir / "lieferung.yaml")["frist_tag"])


def due_date(monat: dt.date, day: int | None = None) -> dt.date:
    """The day a month's delivery is due: the configured day of the following month."""
    following = dt.date(monat.year + monat.month // 12, monat.month % 12 + 1, 1)
    return following.replace(day=day or deadline_day())


def reporting_month(today: dt.date) -> dt.date:
    """The month whose deliveries are being collected now: the previous calendar month."""
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


_STATUS_SQL = """
WITH months AS (
    SELECT CAST(range AS DATE) AS monat FROM range(?::DATE, ?::DATE + INTERVAL 1 MONTH, INTERVAL 1 MONTH)
),
expected AS (
    SELECT q.quelle, k.kommune, m.monat FROM (SELECT unnest(?::VARCHAR[]) AS quelle) q
    CROSS JOIN (SELECT unnest(?::VARCHAR[]) AS kommune) k CROSS JOIN months m
),
first_delivery AS (  -- the earliest upload of each partition that was not undone
    SELECT p.quelle, p.kommune, p.monat, min(u.zeit) AS erste_lieferung
    FROM upload_partition p JOIN upload u USING (upload_id)
    WHERE u.status = 'accepted'
    GROUP BY ALL
),
current AS (
    SELECT a.quelle, a.kommune, a.monat, a.upload_id, u.datei, u.benutzer, u.zeit, up.zeilen
    FROM partition_aktuell a JOIN upload u USING (upload_id)
    JOIN upload_partition up ON up.upload_id = a.upload_id AND up.quelle = a.quelle
     AND up.kommune = a.kommune AND up.monat = a.monat
),
reference AS (  -- a reference figure counts as delivered from its Stichtag on
    SELECT e.quelle, e.kommune, e.monat, max(a.monat) AS stichtag
    FROM expected e JOIN partition_aktuell a
      ON a.quelle = e.quelle AND a.kommune = e.kommune AND a.monat <= e.monat
    WHERE e.quelle IN (SELECT unnest(?::VARCHAR[]))
    GROUP BY ALL
)
SELECT e.quelle, e.kommune, e.monat,
       coalesce(c.upload_id, rc.upload_id) AS upload_id,
       coalesce(c.datei, rc.datei) AS datei,
       coalesce(c.benutzer, rc.benutzer) AS benutzer,
       coalesce(c.zeit, rc.zeit) AS zeit,
       coalesce(c.zeilen, rc.zeilen) AS zeilen,
       f.erste_lieferung,
       r.stichtag
FROM expected e
LEFT JOIN current c USING (quelle, kommune, monat)
LEFT JOIN reference r USING (quelle, kommune, monat)
LEFT JOIN current rc ON rc.quelle = r.quelle AND rc.kommune = r.kommune AND rc.monat = r.stichtag AND c.upload_id IS NULL
LEFT JOIN first_delivery f USING (quelle, kommune, monat)
ORDER BY e.quelle, e.kommune, e.monat
"""


def delivery_status(
    connection: duckdb.DuckDBPyConnection, first: dt.date, last: dt.date, today: dt.date
) -> pd.DataFrame:
    """One row per source × Kommune × month from first to last with its status:
    geliefert, verspaetet (first delivered after the due day), fehlt (due and not delivered),
    offen (not yet due). Reference sources count as delivered from their Stichtag on."""
    names = list(sources())
    reference_sources = [name for name, source in sources().items() if source.kind == "reference"]
    frame = connection.execute(_STATUS_SQL, [first, last, names, [k.ags for k in kommunen()], reference_sources]).df()
    frame["monat"] = pd.to_datetime(frame["monat"]).dt.date
    due = frame["monat"].map(lambda m: due_date(m))
    delivered = frame["upload_id"].notna()
    first_time = pd.to_datetime(frame["erste_lieferung"], utc=True).dt.tz_convert("Europe/Berlin").dt.date
    late = delivered & frame["stichtag"].isna() & first_time.notna() & (first_time > due)
    frame["status"] = "offen"
    frame.loc[~delivered & (due < today), "status"] = "fehlt"
    frame.loc[delivered, "status"] = "geliefert"
    frame.loc[late, "status"] = "verspaetet"
    frame["frist"] = due
    frame["kommune_name"] = frame["kommune"].map(kommune_name)
    frame["quelle_label"] = frame["quelle"].map({n: s.label for n, s in sources().items()})
    return frame


def next_due_month(today: dt.date) -> dt.date:
    """The month whose deliveries fall due next: the previous month until its due day has passed,
    then the current month (today 25.11.2026: November, due 15.12.2026; on 10.11.2026: October)."""
    previous = reporting_month(today)
    return previous if due_date(previous) >= today else today.replace(day=1)


def _reference_sources() -> set[str]:
    return {name for name, source in sources().items() if source.kind == "reference"}


def latest_complete_month(status: pd.DataFrame) -> pd.DataFrame:
    """Per source the latest month in which every Kommune delivered (None when there is none).

    A reference source (Bevölkerung) is judged by its own Stichtag, not by the months it applies
    to: the Stichtag every Kommune has reached (the oldest of their latest Stichtage), so that data
    of 12/2025 is shown as Stichtag 12/2025 and never as a complete November 2026."""
    reference = _reference_sources()
    monthly = status[~status["quelle"].isin(reference)]
    delivered = monthly[monthly["status"].isin(["geliefert", "verspaetet"])]
    counts = delivered.groupby(["quelle", "monat"])["kommune"].nunique().reset_index()
    complete = counts[counts["kommune"] == len(kommunen())].groupby("quelle")["monat"].max().to_dict()
    stichtage = status[status["quelle"].isin(reference) & status["stichtag"].notna()]
    latest = stichtage.groupby(["quelle", "kommune"])["stichtag"].max().reset_index()
    for quelle, rows in latest.groupby("quelle"):
        if rows["kommune"].nunique() == len(kommunen()):
            complete[quelle] = pd.Timestamp(rows["stichtag"].min()).date()
    result = pd.DataFrame({"quelle": list(sources())})
    result["quelle_label"] = result["quelle"].map({n: s.label for n, s in sources().items()})
    result["letzter_vollstaendiger_monat"] = result["quelle"].map(complete)
    result["stichtag"] = result["quelle"].isin(reference)
    return result


def overdue(status: pd.DataFrame) -> pd.DataFrame:
    """The deliveries past their due day and not delivered, one row per source and Kommune (in the
    order of the sources, then the Kommunen): the months still missing and the earliest due day."""
    missing = status[status["status"] == "fehlt"]
    order = {name: number for number, name in enumerate(sources())}
    rows = [
        {
            "quelle": quelle,
            "quelle_label": group["quelle_label"].iloc[0],
            "kommune": kommune,
            "kommune_name": group["kommune_name"].iloc[0],
            "monate": sorted(group["monat"]),
            "faellig_seit": min(group["frist"]),
            "stichtag": quelle in _reference_sources(),
        }
        for (quelle, kommune), group in missing.groupby(["quelle", "kommune"], sort=False)
    ]
    rows.sort(key=lambda row: (order[row["quelle"]], row["kommune_name"]))
    columns = ["quelle", "quelle_label", "kommune", "kommune_name", "monate", "faellig_seit", "stichtag"]
    return pd.DataFrame(rows, columns=columns)


def due_next(status: pd.DataFrame, monat: dt.date) -> pd.DataFrame:
    """For the month falling due next, per monthly source: how many Kommunen have delivered and
    which are still to come (a month not in ``status`` has no delivery yet). Reference sources
    are not delivered monthly and are left out."""
    rows = []
    every = [k.ags for k in kommunen()]
    for name, source in sources().items():
        if source.kind == "reference":
            continue
        month = status[(status["quelle"] == name) & (status["monat"] == monat)]
        delivered = set(month.loc[month["status"].isin(["geliefert", "verspaetet"]), "kommune"])
        rows.append(
            {
                "quelle": name,
                "quelle_label": source.label,
                "geliefert": len(delivered),
                "offen": [kommune_name(k) for k in every if k not in delivered],
            }
        )
    return pd.DataFrame(rows, columns=["quelle", "quelle_label", "geliefert", "offen"])


def missing_for(status: pd.DataFrame, monat: dt.date) -> pd.DataFrame:
    """What is not yet delivered for one month: per source the Kommunen still missing."""
    open_ = status[(status["monat"] == monat) & status["status"].isin(["fehlt", "offen"])]
    grouped = open_.groupby("quelle_label", sort=False)["kommune_name"].apply(list).reset_index()
    return grouped.rename(columns={"kommune_name": "kommunen"})
