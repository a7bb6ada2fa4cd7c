"""The figures of the Übersicht: per indicator its value, previous value, course, completeness and
status (the Ampel, withheld from a value of incomplete data), and the status line per Leitsatz."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from core.catalogue import catalogue
from core.periods import add_months
from core.reference import kommune_name
from core.sources import sources
from metrics.texts import STATUS_ORDER

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


def _by_kennzahl(rows: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The rows of one region and period as plain dictionaries by indicator code."""
    return {str(code): {str(k): v for k, v in row.items()} for code, row in rows.set_index("kennzahl").iterrows()}


def _courses(rows: pd.DataFrame, column: str, months: list[dt.date]) -> dict[str, list[Any]]:
    """Per indicator the column's values in the given months (None where there is no row)."""
    table = rows.pivot(index="kennzahl", columns="periode_start", values=column).reindex(columns=months)
    return {str(code): [None if pd.isna(v) else v for v in series] for code, series in table.iterrows()}


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def status(ampel: str, value: Any, target: Any, complete: bool) -> str:
    """How an indicator is judged on screen (see metrics.texts.STATUSES): without a target
    'ohne_ziel'; without a value (none delivered, or hidden for confidentiality) 'ohne_wert'; a value
    of incomplete data (a Kommune's delivery missing) 'unvollstaendig' — it is not judged, as the
    missing part could change the verdict; otherwise the Ampel of the value against its target."""
    if _missing(target):
        return "ohne_ziel"
    if _missing(value):
        return "ohne_wert"
    if not complete:
        return "unvollstaendig"
    return ampel if ampel in ("gruen", "gelb", "rot") else "ohne_wert"


def status_counts(table: pd.DataFrame, leitsatz: str) -> dict[str, int]:
    """How many indicators of a Leitsatz have each status (cockpit rows), in STATUS_ORDER; a
    status no indicator has is left out."""
    counts = table.loc[table["leitsatz"] == leitsatz, "status"].value_counts()
    return {key: int(counts[key]) for key in STATUS_ORDER if counts.get(key, 0)}


def cockpit(values: pd.DataFrame, region: str, month: dt.date) -> pd.DataFrame:
    """One row per indicator for the region and month (monthly values as input)."""
    cat = catalogue()
    course_months = [add_months(month, -i) for i in range(SPARKLINE_MONTHS - 1, -1, -1)]
    rows = values[(values["kommune"] == region) & values["periode_start"].isin(course_months)]
    current = _by_kennzahl(rows[rows["periode_start"] == month])
    courses = _courses(rows, "wert", course_months)
    hidden_courses = _courses(rows, "unterdrueckt", course_months)
    records = []
    for kennzahl in cat.kennzahlen:
        now = current.get(kennzahl.code, {})
        missing = now.get("fehlend")
        complete = bool(now.get("vollstaendig") or False)
        target = now.get("zielwert") if kennzahl.direction != "neutral" else None
        records.append(
            {
                "kennzahl": kennzahl.code,
                "name": kennzahl.name,
                "leitsatz": kennzahl.leitsatz,
                "handlungsfeld": kennzahl.handlungsfeld,
                "unit": kennzahl.unit,
                "direction": kennzahl.direction,
                "definition": kennzahl.definition,
                "wert": now.get("wert"),
                "vormonat": now.get("wert_vorperiode"),
                "vorjahr": now.get("wert_vorjahr"),
                "unterdrueckt": bool(now.get("unterdrueckt") or False),
                "ampel": now.get("ampel") or "grau",
                "zielwert": now.get("zielwert"),
                "zielwert_bestaetigt": bool(now.get("zielwert_bestaetigt") or False),
                "verlauf": courses.get(kennzahl.code, [None] * SPARKLINE_MONTHS),
                "verlauf_unterdrueckt": [
                    bool(v) for v in hidden_courses.get(kennzahl.code, [False] * SPARKLINE_MONTHS)
                ],
                "verlauf_monate": course_months,
                "vollstaendig": complete,
                "status": status(now.get("ampel") or "grau", now.get("wert"), target, complete),
                "kommunen_mit_wert": now.get("kommunen_mit_wert"),
                "fehlend": [kommune_name(a) for a in (missing if isinstance(missing, list) else [])],
            }
        )
    return pd.DataFrame.from_records(records)


def profile(values: pd.DataFrame, kommune: str, kreis_ags: str, month: dt.date) -> pd.DataFrame:
    """All indicators of one Kommune beside the Kreis for a month."""
    rows = values[(values["periode_start"] == month) & values["kommune"].isin([kommune, kreis_ags])]
    own = _by_kennzahl(rows[rows["kommune"] == kommune])
    district = _by_kennzahl(rows[rows["kommune"] == kreis_ags])
    records = []
    for kennzahl in catalogue().kennzahlen:
        code = kennzahl.code
        mine, whole = own.get(code, {}), district.get(code, {})
        records.append(
            {
                "kennzahl": code,
                "name": kennzahl.name,
                "unit": kennzahl.unit,
                "wert": mine.get("wert"),
                "unterdrueckt": bool(mine.get("unterdrueckt", False)),
                "ampel": mine.get("ampel", "grau"),
                "kreis": whole.get("wert"),
                "kreis_unterdrueckt": bool(whole.get("unterdrueckt", False)),
                "zielwert": mine.get("zielwert"),
            }
        )
    return pd.DataFrame.from_records(records)
