"""What the Lenkungskreis and the analysts decided and noted, read back: targets, frozen meetings
(and what changed since the last one), Anmerkungen. They are written by ``actions/steering.py``."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from core.periods import add_months, period_of
from core.reference import region_members
from metrics.values import indicator_values


def target_history(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return connection.execute(
        "SELECT kennzahl, kommune, gueltig_ab, CAST(zielwert AS DOUBLE) AS zielwert, bestaetigt, benutzer, zeit "
        "FROM zielwert ORDER BY zeit DESC"
    ).df()


def meetings(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return connection.execute(
        "SELECT sitzung_id, datum, katalog_version, benutzer, zeit FROM sitzung ORDER BY datum DESC, sitzung_id DESC"
    ).df()


_MEETING_SQL = """
WITH frozen AS (
    SELECT kennzahl, kommune, periode, wert, unterdrueckt
    FROM sitzung_wert WHERE sitzung_id = $sitzung AND periode_art = $periode_art
),
with_figure AS (  -- what the meeting showed as a figure: a value or '•'
    SELECT * FROM frozen WHERE wert IS NOT NULL OR unterdrueckt
)
SELECT k.row_number,
       same.wert AS wert_sitzung,
       same.kennzahl IS NOT NULL AS figure_then,
       earlier.periode AS sitzung_periode,
       earlier.wert AS wert_vergleich,
       earlier.unterdrueckt AS vergleich_unterdrueckt
FROM meeting_keys k
LEFT JOIN with_figure same
       ON same.kennzahl = k.kennzahl AND same.kommune = k.kommune AND same.periode = k.periode
ASOF LEFT JOIN with_figure earlier
       ON earlier.kennzahl = k.kennzahl AND earlier.kommune = k.kommune AND k.periode >= earlier.periode
ORDER BY k.row_number
"""
MEETING_COLUMNS = {
    "wert_sitzung": float("nan"),
    "korrigiert": False,
    "sitzung_datum": None,
    "sitzung_periode": None,
    "wert_vergleich": float("nan"),
    "seit_sitzung": float("nan"),
    "seit_sitzung_geheim": False,
}


def since_last_meeting(connection: duckdb.DuckDBPyConnection, values: pd.DataFrame, period: str) -> pd.DataFrame:
    """Add what the last meeting showed and what has changed since, from published figures only.

    - ``wert_sitzung``: the value the meeting showed for the same period (NaN: none, '•', or not
      comparable, see below);
    - ``korrigiert``: the meeting showed a figure for this period and the published one differs now;
    - ``sitzung_periode`` / ``wert_vergleich``: the period the change is measured from and its value
      at the meeting: the same period when the meeting showed a figure for it, else the latest
      earlier one it showed (the newest the meeting knew);
    - ``seit_sitzung``: published value now minus ``wert_vergleich``; NaN when either is missing or
      hidden, ``seit_sitzung_geheim`` saying it is hidden ('•');
    - ``sitzung_datum``: the meeting's date (None without a meeting; then nothing else is set).

    The values "then" and "now" belong to one disclosure model (docs in metrics/disclosure.py):
    a figure of the meeting is set beside today's only when the cell is published both then and now
    (never a value of the meeting beside a '•', which would tell it), and a total (a Teilregion, the
    Kreis, a quarter) only when every part it adds up had a figure then exactly when it has one now
    and is hidden then exactly when it is hidden now – otherwise the change of the total would be
    the value of a part that was delivered, hidden or corrected since."""
    last = connection.execute("SELECT max(sitzung_id) FROM sitzung").fetchall()[0][0]
    result = values.copy().reset_index(drop=True)
    if last is None:
        return result.assign(**MEETING_COLUMNS)
    datum = connection.execute("SELECT datum FROM sitzung WHERE sitzung_id = ?", [last]).fetchall()[0][0]
    if result.empty:
        return result.assign(**{**MEETING_COLUMNS, "sitzung_datum": datum})
    keys = result[["kennzahl", "kommune", "periode"]].astype(str).assign(row_number=range(len(result)))
    cursor = connection.cursor()
    try:
        cursor.register("meeting_keys", keys)
        frozen = cursor.execute(_MEETING_SQL, {"sitzung": last, "periode_art": period}).df()
        cursor.unregister("meeting_keys")
    finally:
        cursor.close()
    comparable = _comparable(connection, last)
    same_key = list(zip(keys["kennzahl"], keys["kommune"], keys["periode"], strict=True))
    compared_key = list(zip(keys["kennzahl"], keys["kommune"], frozen["sitzung_periode"].astype(str), strict=True))
    same_ok = pd.Series([key in comparable for key in same_key])
    compared_ok = pd.Series([key in comparable for key in compared_key])
    hidden_now = result["unterdrueckt"].fillna(False).astype(bool)
    now_value = pd.to_numeric(result["wert"], errors="coerce").astype(float).where(~hidden_now)
    then_value = pd.to_numeric(frozen["wert_sitzung"], errors="coerce").astype(float).where(same_ok)
    same = ((now_value - then_value).abs() < 1e-9) | (now_value.isna() & then_value.isna())
    compared = pd.to_numeric(frozen["wert_vergleich"], errors="coerce").astype(float).where(compared_ok)
    has_comparison = frozen["sitzung_periode"].notna()
    result["wert_sitzung"] = then_value
    result["korrigiert"] = frozen["figure_then"].astype(bool) & same_ok & ~same
    result["sitzung_datum"] = datum
    result["sitzung_periode"] = frozen["sitzung_periode"].astype(object).where(has_comparison, None)
    result["wert_vergleich"] = compared
    result["seit_sitzung"] = now_value - compared  # NaN when either is missing, hidden or not comparable
    result["seit_sitzung_geheim"] = has_comparison & (hidden_now | ~compared_ok)
    return result


def _comparable(connection: duckdb.DuckDBPyConnection, meeting: int) -> set[tuple[str, str, str]]:
    """(kennzahl, kommune, periode) of the meeting's cells whose value may stand beside today's."""
    frozen = connection.execute(
        """SELECT periode_art, kennzahl, kommune, periode, wert IS NOT NULL OR unterdrueckt AS figure, unterdrueckt
           FROM sitzung_wert WHERE sitzung_id = ?""",
        [meeting],
    ).df()
    if frozen.empty:
        return set()
    frames = []
    for art in frozen["periode_art"].unique():
        now = indicator_values(connection, art)
        frames.append(
            now.assign(
                periode_art=art,
                figure_now=now["wert"].notna() | now["unterdrueckt"],
                hidden_now=now["unterdrueckt"].astype(bool),
            )[["periode_art", "kennzahl", "kommune", "periode", "figure_now", "hidden_now"]]
        )
    both = frozen.merge(pd.concat(frames), on=["periode_art", "kennzahl", "kommune", "periode"], how="left")
    both["figure_now"] = both["figure_now"].astype("boolean").fillna(False).astype(bool)
    both["hidden_now"] = both["hidden_now"].astype("boolean").fillna(False).astype(bool)
    both["stable"] = (both["figure"] == both["figure_now"]) & (both["unterdrueckt"] == both["hidden_now"])
    both["shown"] = both["figure"] & ~both["unterdrueckt"] & both["figure_now"] & ~both["hidden_now"]
    stable = set(
        both.loc[both["stable"], ["periode_art", "kennzahl", "kommune", "periode"]].itertuples(index=False, name=None)
    )
    members = region_members()
    months_of = {
        label: [period_of(add_months(start, i), "month").label for i in range(3)]
        for label, start in (
            (p, dt.date(int(p[:4]), (int(p[-1]) - 1) * 3 + 1, 1))
            for p in both.loc[both["periode_art"] == "quarter", "periode"].unique()
        )
    }
    result = set()
    for art, kennzahl, kommune, periode in both.loc[
        both["shown"], ["periode_art", "kennzahl", "kommune", "periode"]
    ].itertuples(index=False, name=None):
        parts = [(art, kennzahl, k, periode) for k in members.get(kommune, (kommune,)) if k != kommune]
        if art == "quarter":
            parts += [("month", kennzahl, kommune, month) for month in months_of[periode]]
        if all(part in stable for part in parts):
            result.add((kennzahl, kommune, periode))
    return result


def comments(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All current comments (indicator × region × period)."""
    return connection.execute(
        """SELECT anmerkung_id, kennzahl, kommune, periode, text, benutzer, zeit
           FROM anmerkung WHERE NOT geloescht ORDER BY zeit"""
    ).df()
