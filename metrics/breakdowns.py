"""Active and new cases broken down by Handlungsfeld, Rechtskreis, Altersgruppe, Geschlecht or
Zugang, for a region and a month: counts and confidentiality from the one disclosure model
(metrics/disclosure.py), which protects each category across the regions and the categories with
their total, and hides a region's whole breakdowns of a month when its total or the total of a
region in it is hidden."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import duckdb
import numpy as np
import pandas as pd

from core.catalogue import Catalogue, catalogue
from core.reference import region_members
from metrics.disclosure import NOT_GIVEN, TOTAL, category_labels, disclosure, measure_kennzahlen

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
    the total."""
    if dimension not in DIMENSIONS or measure not in MEASURES:
        raise ValueError(dimension)
    cat = cat or catalogue()
    published = disclosure(connection, cat)
    members = list(region_members()[region])
    labels = category_labels(dimension)
    order = list(labels) + ([NOT_GIVEN] if dimension != "handlungsfelder" else [])
    cats = published.categories
    found = cats[
        (cats["dimension"] == dimension)
        & (cats["measure"] == measure)
        & (cats["kommune"] == region)
        & (cats["monat"] == month)
    ].set_index("kategorie")
    rows = published.rows
    total = rows[
        (rows["kennzahl"] == measure_kennzahlen(cat)[measure])
        & (rows["art"] == "month")
        & (rows["kommune"] == region)
        & (rows["periode"] == month.strftime("%Y-%m"))
    ]
    delivered = connection.execute(
        """SELECT count(*) FROM partition_aktuell
           WHERE quelle = 'fallmanagement' AND monat = ? AND kommune IN (SELECT unnest(?::VARCHAR[]))""",
        [month, members],
    ).fetchall()[0][0]
    has_total = not total.empty and not np.isnan(total["zaehler"].iloc[0])
    frame = pd.DataFrame(
        {
            "kategorie": [TOTAL, *order],
            "label": [TOTAL, *[labels.get(code, code) for code in order]],
            "anzahl": [
                total["zaehler"].iloc[0] if has_total else np.nan,
                *[found["anzahl"].get(code, np.nan) for code in order],
            ],
            "unterdrueckt": [
                bool(total["unterdrueckt"].iloc[0]) if has_total else False,
                *[bool(found["unterdrueckt"].get(code, False)) for code in order],
            ],
        }
    )
    if delivered == 0:
        frame["anzahl"] = np.nan
        frame["unterdrueckt"] = False
    frame["anzahl"] = frame["anzahl"].astype(float)
    frame["vollstaendig"] = delivered == len(members)
    return frame[["kategorie", "label", "anzahl", "vollstaendig", "unterdrueckt"]]
