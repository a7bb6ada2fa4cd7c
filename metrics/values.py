"""The one exit through which indicator figures leave metrics/ (pages, downloads, command line).

Confidentiality, targets, traffic lights and changes are applied here, so that every consumer
shows the same cell the same way: a cell the published figures hide has no wert, zaehler or nenner
(and a grey Ampel) everywhere unless internal figures are asked for, which then say which cells
the published output hides.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from core.catalogue import Catalogue, catalogue
from core.periods import Period, add_months
from metrics.compute import OUTPUT_COLUMNS, compute_values
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
    columns: dict[str, list[Any]] = {}
    for key in OUTPUT_COLUMNS:
        if key in FIGURES:
            columns[key] = _plain_column(frame[key])
        elif key in ("unterdrueckt", "vollstaendig"):
            columns[key] = frame[key].fillna(False).astype(bool).tolist()
        else:
            columns[key] = frame[key].tolist()
    rows = [dict(zip(OUTPUT_COLUMNS, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    kontext = kontext_values(connection)
    if hinweise is not None:
        hinweise.extend(kontext.hinweise)
    extra = kontext_rows(kontext, period, first, last)
    for key in ("wert", "zaehler"):
        for record, value in zip(extra, _plain_column(pd.Series([r[key] for r in extra], dtype=object)), strict=True):
            record[key] = value
    rows.extend(extra)
    return rows


def _plain_column(values: pd.Series) -> list[Any]:
    """Each number as int when it is whole, float otherwise, None when missing."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
    whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (np.abs(numbers) < 2**53)
    result = np.asarray(numbers, dtype=object)
    result[np.isnan(numbers)] = None
    result[whole] = numbers[whole].astype(np.int64).tolist()
    plain: list[Any] = result.tolist()
    return plain
