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

from core.catalogue import Catalogue, Kennzahl
from core.errors import UsageError

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


def target_decimals(kennzahl: Kennzahl) -> int:
    """How many decimals a target of the indicator may have: as many as its values are shown with
    (whole numbers for counts and hours, one decimal otherwise), so that a target never differs
    from what the screen says it is."""
    return 0 if kennzahl.unit in ("Anzahl", "Stunden") else 1


def check_target(kennzahl: Kennzahl, value: float) -> None:
    """Refuse a target the indicator cannot have, with a German message: a share lies between 0
    and 100 %, days, rates, counts and hours are never negative, counts and hours are whole
    numbers, and no target has more decimals than the indicator's values are shown with."""
    from core.format import number

    typed = next((d for d in range(4) if abs(value - round(value, d)) < 1e-9), 3)
    shown = number(value, typed)  # as typed: '855', '-3', '85,55'
    name = f"{kennzahl.code} · {kennzahl.name}"
    if not np.isfinite(value):
        raise UsageError(f"Der Zielwert für {name} ist keine Zahl.")
    if kennzahl.unit == "%" and kennzahl.kind == "share" and not 0 <= value <= 100:
        hint = " Vielleicht fehlt ein Komma?" if 100 < value <= 10_000 else ""
        raise UsageError(
            f"{shown} % ist als Zielwert für {name} nicht möglich: ein Anteil liegt zwischen 0 und 100 %.{hint} "
            "Der Zielwert wurde nicht gespeichert."
        )
    if value < 0:
        what = {"Tage": "eine Zahl von Tagen", "Anzahl": "eine Anzahl", "Stunden": "eine Zahl von Stunden"}.get(
            kennzahl.unit, "eine Quote"
        )
        raise UsageError(
            f"{shown} ist als Zielwert für {name} nicht möglich: {what} kann nicht negativ sein. "
            "Der Zielwert wurde nicht gespeichert."
        )
    decimals = target_decimals(kennzahl)
    if abs(value - round(value, decimals)) > 1e-9:
        allowed = "eine ganze Zahl" if decimals == 0 else "höchstens eine Nachkommastelle"
        raise UsageError(
            f"Für {name} bitte {allowed} angeben – so genau werden Wert und Ziel angezeigt. "
            "Der Zielwert wurde nicht gespeichert."
        )


def decided_target(
    history: pd.DataFrame, cat: Catalogue, kennzahl: str, kommune: str | None = None, gueltig_ab: object = None
) -> tuple[float | None, bool]:
    """The target last decided for exactly this indicator, region and start date (history as
    steering.target_history gives it, newest first), and whether it is confirmed; for a general
    target from the beginning without a decision the catalogue's proposal; (None, False) if none."""
    rows = history[history["kennzahl"] == kennzahl]
    rows = rows[rows["kommune"].isna()] if kommune is None else rows[rows["kommune"] == kommune]
    if gueltig_ab is None:
        rows = rows[rows["gueltig_ab"].isna()]
    else:
        rows = rows[pd.to_datetime(rows["gueltig_ab"]) == pd.Timestamp(gueltig_ab)]  # type: ignore[arg-type]
    if not rows.empty:
        return float(rows.iloc[0]["zielwert"]), bool(rows.iloc[0]["bestaetigt"])
    default = cat.get(kennzahl).zielwert
    if kommune is None and gueltig_ab is None and default is not None:
        return float(default), False
    return None, False
