"""Targets (Zielwerte) and traffic lights (Ampel).

A target belongs to an indicator, optionally to one Kommune (or Teilregion, or the Kreis), and
optionally applies from a date; a period is judged by the target valid in its last month. The
catalogue's default targets are proposals until an admin confirms them; confirmed or changed
targets are stored in the database with who and when.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from metrics.catalogue import Catalogue

TARGET_COLUMNS = ["kennzahl", "kommune", "gueltig_ab", "zielwert", "bestaetigt", "benutzer", "zeit"]
PROPOSAL = "Vorschlag – vom Lenkungskreis zu beschließen"


def default_targets(cat: Catalogue) -> pd.DataFrame:
    """The catalogue's default targets: for every region, from the beginning, not confirmed."""
    rows = [
        (k.code, None, None, float(k.zielwert), False, None, None) for k in cat.kennzahlen if k.zielwert is not None
    ]
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def stored_targets(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Targets set in the app (newest decision per indicator, region and start date wins)."""
    exists = connection.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'zielwert'"
    ).fetchall()[0][0]
    if not exists:
        return pd.DataFrame(columns=TARGET_COLUMNS)
    return connection.execute(
        """SELECT kennzahl, kommune, gueltig_ab, CAST(zielwert AS DOUBLE) AS zielwert, bestaetigt, benutzer, zeit
           FROM zielwert
           QUALIFY row_number() OVER (PARTITION BY kennzahl, kommune, gueltig_ab ORDER BY zeit DESC) = 1"""
    ).df()


def all_targets(connection: duckdb.DuckDBPyConnection, cat: Catalogue) -> pd.DataFrame:
    stored = stored_targets(connection)
    defaults = default_targets(cat)
    # A stored general target from the beginning replaces the catalogue's default.
    overridden = set(stored.loc[stored["kommune"].isna() & stored["gueltig_ab"].isna(), "kennzahl"])
    defaults = defaults[~defaults["kennzahl"].isin(overridden)]
    frames = [f for f in (defaults, stored) if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TARGET_COLUMNS)


def attach_targets(values: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Add the target valid in each row's last month: a target for the row's own region before a
    general one, then the latest start date."""
    result = values.copy()
    result["zielwert"] = np.nan
    result["zielwert_bestaetigt"] = False
    if targets.empty:
        return result
    candidates = (
        result[["kennzahl", "kommune", "periode_ende"]]
        .reset_index()
        .merge(targets.rename(columns={"kommune": "ziel_kommune"}), on="kennzahl")
    )
    start = pd.to_datetime(candidates["gueltig_ab"])
    end = pd.to_datetime(candidates["periode_ende"])
    valid = (candidates["ziel_kommune"].isna() | (candidates["ziel_kommune"] == candidates["kommune"])) & (
        start.isna() | (start <= end)
    )
    candidates = candidates[valid].assign(
        _specific=candidates["ziel_kommune"].notna(),
        _start=start[valid].astype("datetime64[ns]").fillna(pd.Timestamp("1900-01-01")),
    )
    best = candidates.sort_values(["_specific", "_start"]).groupby("index").tail(1).set_index("index")
    result.loc[best.index, "zielwert"] = best["zielwert"].astype(float)
    result.loc[best.index, "zielwert_bestaetigt"] = best["bestaetigt"].astype(bool)
    return result


def ampel(values: pd.Series, targets: pd.Series, directions: pd.Series, tolerance: float) -> pd.Series:
    """gruen when the target is met, gelb when it is missed by at most the tolerance, else rot;
    grau without a target or a value. For 'down' indicators (lower is better) mirrored."""
    value = pd.to_numeric(values, errors="coerce")
    target = pd.to_numeric(targets, errors="coerce")
    up, down = directions == "up", directions == "down"
    status = pd.Series("grau", index=values.index, dtype=object)
    known = value.notna() & target.notna() & (up | down)
    met = (up & (value >= target)) | (down & (value <= target))
    near = (up & (value >= target * (1 - tolerance))) | (down & (value <= target * (1 + tolerance)))
    status[known] = "rot"
    status[known & near] = "gelb"
    status[known & met] = "gruen"
    return status
