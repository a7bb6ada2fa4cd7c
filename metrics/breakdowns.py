"""Active and new cases broken down by Handlungsfeld, Rechtskreis, Altersgruppe, Geschlecht or
Zugang, for a region and a month, with confidentiality applied to the categories and their total."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import duckdb
import numpy as np
import pandas as pd

from loaders.reference import handlungsfelder, region_members
from loaders.sources import sources
from metrics.catalogue import Catalogue, catalogue
from metrics.confidentiality import protect_group

Dimension = Literal["handlungsfelder", "rechtskreis", "altersgruppe", "geschlecht", "zugang"]
Measure = Literal["aktiv", "neu"]
DIMENSIONS: dict[str, str] = {
    "handlungsfelder": "Handlungsfeld",
    "rechtskreis": "Rechtskreis",
    "altersgruppe": "Altersgruppe",
    "geschlecht": "Geschlecht",
    "zugang": "Zugangsweg",
}
MEASURES = {"aktiv": "Aktive Fälle", "neu": "Neuaufnahmen"}
NOT_GIVEN = "ohne Angabe"
TOTAL = "Insgesamt"
SQL_DIR = Path(__file__).with_name("sql")


def category_labels(dimension: str) -> dict[str, str]:
    """Code → German label in the order of the declaration."""
    if dimension == "handlungsfelder":
        return {h.code: h.name for h in handlungsfelder()}
    column = sources()["fallmanagement"].column(dimension)
    return {code: (labels[0] if labels else code) for code, labels in (column.values or {}).items()}


def breakdown(
    connection: duckdb.DuckDBPyConnection,
    dimension: Dimension,
    measure: Measure,
    region: str,
    month: dt.date,
    cat: Catalogue | None = None,
) -> pd.DataFrame:
    """Counts per category (and 'ohne Angabe') and the total; 'unterdrueckt' marks hidden cells.
    A case with several Handlungsfelder counts once in each, so that breakdown adds up to more than
    the total and is protected cell by cell only."""
    cat = cat or catalogue()
    if dimension not in DIMENSIONS or measure not in MEASURES:
        raise ValueError(dimension)
    faelle = (SQL_DIR / "faelle.sql").read_text(encoding="utf-8")
    members = list(region_members()[region])
    category = "unnest(handlungsfelder)" if dimension == "handlungsfelder" else f"coalesce({dimension}, '{NOT_GIVEN}')"
    counts = connection.execute(
        f"""SELECT kategorie, count(*) AS anzahl FROM (
                SELECT {category} AS kategorie
                FROM ({faelle}) WHERE monat = ? AND kommune IN (SELECT unnest(?::VARCHAR[])) AND {measure})
            GROUP BY kategorie""",
        [month, members],
    ).fetchall()
    total_row = connection.execute(
        f"SELECT count(*) FROM ({faelle}) WHERE monat = ? AND kommune IN (SELECT unnest(?::VARCHAR[])) AND {measure}",
        [month, members],
    ).fetchall()
    delivered = connection.execute(
        """SELECT count(*) FROM partition_aktuell
           WHERE quelle = 'fallmanagement' AND monat = ? AND kommune IN (SELECT unnest(?::VARCHAR[]))""",
        [month, members],
    ).fetchall()[0][0]
    labels = category_labels(dimension)
    found = dict(counts)
    order = list(labels) + ([NOT_GIVEN] if dimension != "handlungsfelder" else [])
    frame = pd.DataFrame(
        {
            "kategorie": [TOTAL, *order],
            "label": [TOTAL, *[labels.get(code, code) for code in order]],
            "anzahl": [total_row[0][0], *[found.get(code, 0) for code in order]],
        }
    )
    if delivered == 0:
        frame["anzahl"] = np.nan
    frame["vollstaendig"] = delivered == len(members)
    frame["unterdrueckt"] = _suppress(
        frame["anzahl"].to_numpy(dtype=float), additive=dimension != "handlungsfelder", cat=cat
    )
    return frame


def _suppress(values: np.ndarray, *, additive: bool, cat: Catalogue) -> np.ndarray:
    """Primary: counts from 1 to threshold − 1; secondary (additive breakdowns): the categories with
    their total as one group, position 0 being the total."""
    t = cat.geheimhaltung.schwelle
    hidden: np.ndarray = ~np.isnan(values) & (values >= 1) & (values <= t - 1)
    if additive:
        protect_group(values, hidden, t)
    return hidden
