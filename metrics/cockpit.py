"""The figures of the Übersicht: per indicator its value, previous value, course and completeness."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from loaders.reference import kommune_name
from loaders.sources import sources
from metrics.catalogue import catalogue
from metrics.compute import add_months

SPARKLINE_MONTHS = 12


def datenstand(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per source: latest delivered month, number of Kommunen in it, and the last upload time."""
    frame = connection.execute(
        """SELECT p.quelle, max(p.monat) AS letzter_monat,
                  count(DISTINCT p.kommune) FILTER (WHERE p.monat = (SELECT max(monat) FROM partition_aktuell q WHERE q.quelle = p.quelle)) AS kommunen,
                  max(u.zeit) AS letzter_upload
           FROM partition_aktuell p JOIN upload u USING (upload_id)
           GROUP BY p.quelle"""
    ).df()
    labels = {name: source.label for name, source in sources().items()}
    frame["quelle_label"] = frame["quelle"].map(labels)
    order = list(sources())
    return frame.sort_values("quelle", key=lambda s: s.map(order.index)).reset_index(drop=True)


def default_month(values: pd.DataFrame, region: str) -> dt.date | None:
    """The latest month in which the most indicators of the region are complete."""
    rows = values[values["kommune"] == region]
    if rows.empty:
        return None
    complete = rows.groupby("periode_start")["vollstaendig"].sum()
    if complete.max() == 0:
        with_value = rows[rows["wert"].notna()]
        return None if with_value.empty else max(with_value["periode_start"])
    latest: dt.date = max(complete[complete == complete.max()].index)
    return latest


def cockpit(values: pd.DataFrame, region: str, month: dt.date) -> pd.DataFrame:
    """One row per indicator for the region and month (monthly values as input)."""
    cat = catalogue()
    rows = values[values["kommune"] == region].set_index(["kennzahl", "periode_start"])
    course_months = [add_months(month, -i) for i in range(SPARKLINE_MONTHS - 1, -1, -1)]
    records = []
    for kennzahl in cat.kennzahlen:

        def at(when: dt.date, column: str, code: str = kennzahl.code) -> object:
            key = (code, when)
            return rows.at[key, column] if key in rows.index else None

        missing = at(month, "fehlend")
        records.append(
            {
                "kennzahl": kennzahl.code,
                "name": kennzahl.name,
                "leitsatz": kennzahl.leitsatz,
                "handlungsfeld": kennzahl.handlungsfeld,
                "unit": kennzahl.unit,
                "direction": kennzahl.direction,
                "definition": kennzahl.definition,
                "wert": at(month, "wert"),
                "vormonat": at(month, "wert_vorperiode"),
                "vorjahr": at(month, "wert_vorjahr"),
                "unterdrueckt": bool(at(month, "unterdrueckt") or False),
                "ampel": at(month, "ampel") or "grau",
                "zielwert": at(month, "zielwert"),
                "zielwert_bestaetigt": bool(at(month, "zielwert_bestaetigt") or False),
                "verlauf": [at(m, "wert") for m in course_months],
                "verlauf_monate": course_months,
                "vollstaendig": bool(at(month, "vollstaendig") or False),
                "kommunen_mit_wert": at(month, "kommunen_mit_wert"),
                "fehlend": [kommune_name(a) for a in (missing if isinstance(missing, list) else [])],
            }
        )
    return pd.DataFrame.from_records(records)


def profile(values: pd.DataFrame, kommune: str, kreis_ags: str, month: dt.date) -> pd.DataFrame:
    """All indicators of one Kommune beside the Kreis for a month."""
    rows = values[values["periode_start"] == month]
    own = rows[rows["kommune"] == kommune].set_index("kennzahl")
    district = rows[rows["kommune"] == kreis_ags].set_index("kennzahl")
    records = []
    for kennzahl in catalogue().kennzahlen:
        code = kennzahl.code
        records.append(
            {
                "kennzahl": code,
                "name": kennzahl.name,
                "unit": kennzahl.unit,
                "wert": own["wert"].get(code),
                "unterdrueckt": bool(own["unterdrueckt"].get(code, False)),
                "ampel": own["ampel"].get(code, "grau"),
                "kreis": district["wert"].get(code),
                "kreis_unterdrueckt": bool(district["unterdrueckt"].get(code, False)),
                "zielwert": own["zielwert"].get(code),
            }
        )
    return pd.DataFrame.from_records(records)
