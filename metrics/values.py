"""The one exit through which indicator figures leave metrics/ (pages, downloads, command line).

Confidentiality, targets, traffic lights and changes are applied here, so that every consumer
shows the same cell the same way: a cell the published figures hide has no wert, zaehler or nenner
(and a grey Ampel) everywhere unless internal figures are asked for, which then say which cells
the published output hides.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import duckdb
import pandas as pd

from metrics.catalogue import Catalogue, catalogue
from metrics.compute import OUTPUT_COLUMNS, Period, add_months, compute_values
from metrics.disclosure import disclosure
from metrics.kontext import for_output as kontext_rows
from metrics.kontext import kontext_values
from metrics.targets import all_targets, ampel, attach_targets

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
FIGURES = ["wert", "zaehler", "nenner"]


def indicator_values(
    connection: duckdb.DuckDBPyConnection,
    period: Period = "month",
    first: dt.date | None = None,
    last: dt.date | None = None,
    *,
    internal: bool = False,
    cat: Catalogue | None = None,
) -> pd.DataFrame:
    """Every indicator for every region and period, ready to be shown: published (suppressed)
    figures by default, unsuppressed ones when ``internal``."""
    cat = cat or catalogue()
    published = disclosure(connection, cat)
    if first is None and last is None and period in published.values:  # already computed for the model
        frame = published.values[period].copy()
    else:
        frame = compute_values(connection, period, first, last, cat)
    if frame.empty:
        return frame.assign(zielwert=[], zielwert_bestaetigt=[], wert_vorperiode=[], wert_vorjahr=[], intern=[])
    hidden = published.hidden
    keys = zip(frame["kennzahl"], frame["kommune"], frame["periode"], strict=True)
    frame["unterdrueckt"] = [key in hidden for key in keys]
    if not internal:
        frame.loc[frame["unterdrueckt"], FIGURES] = None
    frame = attach_targets(frame, all_targets(connection, cat))
    directions = frame["kennzahl"].map({k.code: k.direction for k in cat.kennzahlen})
    frame["ampel"] = ampel(frame["wert"], frame["zielwert"], directions, cat.ampel.toleranz)
    frame["intern"] = internal
    return with_changes(frame, period)


def with_changes(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Add the value of the previous period and of the same period a year earlier (as shown:
    a hidden cell gives no change)."""
    keys = frame[["kennzahl", "kommune", "periode_start", "wert"]]
    for column, months in (("wert_vorperiode", PERIOD_MONTHS[period]), ("wert_vorjahr", 12)):
        earlier = keys.assign(periode_start=keys["periode_start"].map(lambda d, m=months: add_months(d, m)))
        frame = frame.merge(
            earlier.rename(columns={"wert": column}), on=["kennzahl", "kommune", "periode_start"], how="left"
        )
    return frame


def _plain(value: Any) -> Any:
    """A number as int when it is whole, float otherwise, None when missing."""
    if value is None or value is pd.NA:
        return None
    number = float(value)
    if math.isnan(number):
        return None
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def values_for_output(
    connection: duckdb.DuckDBPyConnection,
    period: Period = "month",
    first: dt.date | None = None,
    last: dt.date | None = None,
    *,
    internal: bool = False,
    hinweise: list[str] | None = None,
) -> list[dict[str, Any]]:
    """The rows of ``metrics values``: the catalogue's indicators, then the Kontext-Kennzahlen
    (published official figures, metrics/kontext.py) in the same columns; the notes about the
    official tables are added to ``hinweise`` when given."""
    frame = indicator_values(connection, period, first, last, internal=internal)
    rows: list[dict[str, Any]] = []
    for raw in frame[OUTPUT_COLUMNS].to_dict("records"):
        record = {str(key): value for key, value in raw.items()}
        for key in FIGURES:
            record[key] = _plain(record[key])
        record["unterdrueckt"] = bool(record["unterdrueckt"])
        record["vollstaendig"] = bool(record["vollstaendig"])
        rows.append(record)
    kontext = kontext_values(connection)
    if hinweise is not None:
        hinweise.extend(kontext.hinweise)
    for record in kontext_rows(kontext, period, first, last):
        record["wert"], record["zaehler"] = _plain(record["wert"]), _plain(record["zaehler"])
        rows.append(record)
    return rows
