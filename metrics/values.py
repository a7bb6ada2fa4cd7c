"""The one exit through which indicator figures leave metrics/ (pages, downloads, command line).

Targets, traffic lights and confidentiality are applied here, so that every consumer shows the same
cell the same way. Until targets and suppression are configured, every Ampel is 'grau' and nothing
is suppressed.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import duckdb
import pandas as pd

from metrics.compute import OUTPUT_COLUMNS, Period, compute_values


def indicator_values(
    connection: duckdb.DuckDBPyConnection,
    period: Period = "month",
    first: dt.date | None = None,
    last: dt.date | None = None,
    *,
    internal: bool = False,
) -> pd.DataFrame:
    """Every indicator for every region and period, ready to be shown."""
    del internal  # suppression comes with the confidentiality rules; until then all is visible
    return compute_values(connection, period, first, last)


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
) -> list[dict[str, Any]]:
    frame = indicator_values(connection, period, first, last, internal=internal)
    rows: list[dict[str, Any]] = []
    for raw in frame[OUTPUT_COLUMNS].to_dict("records"):
        record = {str(key): value for key, value in raw.items()}
        for key in ("wert", "zaehler", "nenner"):
            record[key] = _plain(record[key])
        record["unterdrueckt"] = bool(record["unterdrueckt"])
        record["vollstaendig"] = bool(record["vollstaendig"])
        rows.append(record)
    return rows
