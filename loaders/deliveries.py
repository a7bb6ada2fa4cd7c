"""Delivery status: which (source, Kommune, month) was delivered, when and by whom, which is late
or missing, and the latest complete month of each source."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from loaders.reference import kommune_name, kommunen, read_yaml
from loaders.settings import DATA_DIR
from loaders.sources import sources

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


def latest_complete_month(status: pd.DataFrame) -> pd.DataFrame:
    """Per source the latest month in which every Kommune delivered (None when there is none)."""
    delivered = status[status["status"].isin(["geliefert", "verspaetet"])]
    counts = delivered.groupby(["quelle", "monat"])["kommune"].nunique().reset_index()
    complete = counts[counts["kommune"] == len(kommunen())].groupby("quelle")["monat"].max()
    result = pd.DataFrame({"quelle": list(sources())})
    result["quelle_label"] = result["quelle"].map({n: s.label for n, s in sources().items()})
    result["letzter_vollstaendiger_monat"] = result["quelle"].map(complete)
    return result


def missing_for(status: pd.DataFrame, monat: dt.date) -> pd.DataFrame:
    """What is not yet delivered for one month: per source the Kommunen still missing."""
    open_ = status[(status["monat"] == monat) & status["status"].isin(["fehlt", "offen"])]
    grouped = open_.groupby("quelle_label", sort=False)["kommune_name"].apply(list).reset_index()
    return grouped.rename(columns={"kommune_name": "kommunen"})
