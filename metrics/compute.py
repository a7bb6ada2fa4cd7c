"""Compute the indicator catalogue in DuckDB, for every Kommune, Teilregion and the Kreis.

The computation runs in four steps, all in SQL:
1. parts: per Kommune and month, every numerator and denominator part (NULL = not delivered);
2. time: per Kommune and period, flows summed over the months where all flow parts are present,
   stocks taken from the period's last month (K08's denominator averaged over the months);
3. regions: per region and period, sums of numerators ÷ sums of denominators over the Kommunen that
   have both, completeness only when every Kommune delivered every month;
4. medians recomputed from the case records of the region and period.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from core.catalogue import EXTERN_SOURCE, FALL, Catalogue, Kennzahl, Part, catalogue
from core.periods import Period, PeriodSpan, add_months, periods_between
from core.reference import kommunen, region_members
from store import first_row

SQL_DIR = Path(__file__).with_name("sql")
OUTPUT_COLUMNS = [
    "kennzahl", "kommune", "periode", "wert", "zaehler", "nenner", "ampel", "unterdrueckt", "vollstaendig",
]  # fmt: skip


def delivered_range(connection: duckdb.DuckDBPyConnection) -> tuple[dt.date, dt.date] | None:
    """First and last month with any delivery of any source."""
    row = first_row(connection, "SELECT min(monat), max(monat) FROM partition_aktuell")
    if row is None or row[0] is None:
        return None
    return row[0], row[1]


# --- step 1: parts per Kommune and month ------------------------------------------------------


def _fall_parts_sql(cat: Catalogue, needed: set[str]) -> str:
    columns = []
    for name in sorted(needed):
        teil = cat.fall_teile[name]
        if teil.count_if is not None:
            expression = f"count(*) FILTER (WHERE {teil.count_if})"
        else:
            where = f" FILTER (WHERE {teil.where})" if teil.where else ""
            expression = f"coalesce(sum({teil.sum}){where}, 0)"
        columns.append(f'{expression} AS "{FALL}__{name}"')
    faelle = (SQL_DIR / "faelle.sql").read_text(encoding="utf-8")
    return f"""
        SELECT p.kommune, p.monat, {", ".join(f'coalesce(a."{FALL}__{n}", 0) AS "{FALL}__{n}"' for n in sorted(needed))}
        FROM (SELECT kommune, monat FROM partition_aktuell WHERE quelle = 'fallmanagement') p
        LEFT JOIN (SELECT kommune, monat, {", ".join(columns)} FROM ({faelle}) GROUP BY kommune, monat) a
          USING (kommune, monat)"""


def _wide_sql(cat: Catalogue) -> str:
    """One row per Kommune and month of the grid with every part the catalogue uses."""
    parts = {p for k in cat.kennzahlen for p in k.parts}
    by_source: dict[str, set[str]] = {}
    for part in parts:
        by_source.setdefault(part.source, set()).add(part.name)
    selects, joins = ["g.kommune", "g.monat"], []
    for source, names in sorted(by_source.items()):
        alias = f"s_{source}"
        selects += [
            f'{alias}."{source}__{n}"' if source == FALL else f'{alias}."{n}" AS "{source}__{n}"' for n in sorted(names)
        ]
        if source == FALL:
            body = _fall_parts_sql(cat, names)
        elif source == EXTERN_SOURCE:
            pivots = ", ".join(f"max(wert) FILTER (WHERE kennzahl = '{n}') AS \"{n}\"" for n in sorted(names))
            body = f"SELECT kommune, monat, {pivots} FROM v_kennzahlen GROUP BY kommune, monat"
        else:
            body = f"SELECT * FROM v_{source}"
        if source == "bevoelkerung":
            # A reference figure applies from its Stichtag until a newer one arrives.
            joins.append(f"ASOF LEFT JOIN ({body}) {alias} ON g.kommune = {alias}.kommune AND g.monat >= {alias}.monat")
        else:
            joins.append(f"LEFT JOIN ({body}) {alias} ON g.kommune = {alias}.kommune AND g.monat = {alias}.monat")
    return f"SELECT {', '.join(selects)} FROM grid g {' '.join(joins)}"


def _long_sql(cat: Catalogue) -> str:
    """The wide parts unpivoted to (kennzahl, kommune, monat, num, den) with how each part
    aggregates over time."""
    selects = []
    for kennzahl in cat.kennzahlen:
        if kennzahl.kind == "median":
            continue
        numerator = kennzahl.numerator
        assert numerator is not None
        denominator = kennzahl.denominator
        num_mode = _time_mode(cat, numerator)
        den_mode = _time_mode(cat, denominator) if denominator else "none"
        den = f'CAST("{denominator.column}" AS DECIMAL(38, 3))' if denominator else "NULL::DECIMAL(38, 3)"
        selects.append(
            f"""SELECT '{kennzahl.code}' AS kennzahl, kommune, monat,
                       CAST("{numerator.column}" AS DECIMAL(38, 3)) AS num, {den} AS den,
                       '{num_mode}' AS num_mode, '{den_mode}' AS den_mode
                FROM wide"""
        )
    return "\nUNION ALL\n".join(selects)


def _time_mode(cat: Catalogue, part: Part) -> str:
    if part.over_time == "mean":
        return "mean"
    return "last" if cat.is_stock(part) else "sum"


# --- steps 2 and 3: over time, over Kommunen --------------------------------------------------

_AGGREGATE_SQL = """
WITH marked AS (
    SELECT l.*, p.periode, p.last_month, p.n_months,
           -- a month counts for the flows only when every flow part of the indicator is present
           (l.num_mode <> 'last' AND l.num IS NULL) OR (l.den_mode IN ('sum', 'mean') AND l.den IS NULL)
               AS flow_gap,
           l.num IS NOT NULL AND (l.den_mode = 'none' OR l.den IS NOT NULL) AS present
    FROM long l JOIN periods p USING (monat)
),
per_kommune AS (
    SELECT kennzahl, kommune, periode,
           CASE any_value(num_mode)
               WHEN 'last' THEN max(num) FILTER (WHERE monat = last_month)
               ELSE sum(num) FILTER (WHERE NOT flow_gap) END AS num,
           CASE any_value(den_mode)
               WHEN 'last' THEN max(den) FILTER (WHERE monat = last_month)
               WHEN 'sum' THEN sum(den) FILTER (WHERE NOT flow_gap)
               WHEN 'mean' THEN avg(den) FILTER (WHERE NOT flow_gap) END AS den,
           any_value(den_mode) AS den_mode,
           count(*) FILTER (WHERE present) = any_value(n_months) AS complete
    FROM marked
    GROUP BY kennzahl, kommune, periode
)
SELECT k.kennzahl, r.region AS kommune, k.periode,
       -- summed in a fixed order: K08's denominator (a mean) is a float, whose sum must not depend
       -- on the order threads happen to add it in
       sum(k.num ORDER BY k.kommune) FILTER (WHERE k.num IS NOT NULL AND (k.den_mode = 'none' OR k.den IS NOT NULL))
           AS zaehler,
       sum(k.den ORDER BY k.kommune) FILTER (WHERE k.num IS NOT NULL AND k.den IS NOT NULL) AS nenner,
       bool_and(k.complete) AS vollstaendig,
       count(*) FILTER (WHERE k.num IS NOT NULL AND (k.den_mode = 'none' OR k.den IS NOT NULL)) AS kommunen_mit_wert,
       list(k.kommune ORDER BY k.kommune) FILTER (WHERE NOT k.complete) AS fehlend
FROM per_kommune k JOIN regions r USING (kommune)
GROUP BY k.kennzahl, r.region, k.periode
"""

_MEDIAN_SQL = """
WITH records AS ({records}),
delivered AS (
    SELECT g.kommune, p.periode, count(f.kommune) AS months_delivered, any_value(p.n_months) AS n_months
    FROM grid g JOIN periods p USING (monat)
    LEFT JOIN (SELECT kommune, monat FROM partition_aktuell WHERE quelle = 'fallmanagement') f
      ON f.kommune = g.kommune AND f.monat = g.monat
    GROUP BY g.kommune, p.periode
),
by_region AS (
    SELECT r.region, d.periode, bool_and(d.months_delivered = d.n_months) AS vollstaendig,
           bool_or(d.months_delivered > 0) AS any_delivered,
           list(d.kommune ORDER BY d.kommune) FILTER (WHERE d.months_delivered < d.n_months) AS fehlend,
           count(*) FILTER (WHERE d.months_delivered > 0) AS kommunen_mit_wert
    FROM delivered d JOIN regions r USING (kommune)
    GROUP BY r.region, d.periode
),
values AS (
    SELECT r.region, p.periode, median(x.v) AS wert, count(*) AS n
    FROM records x JOIN periods p USING (monat) JOIN regions r USING (kommune)
    GROUP BY r.region, p.periode
)
SELECT '{code}' AS kennzahl, b.region AS kommune, b.periode,
       CASE WHEN b.any_delivered THEN v.wert END AS wert,
       NULL::DECIMAL(38, 3) AS zaehler,
       CASE WHEN b.any_delivered THEN coalesce(v.n, 0) END AS nenner,
       b.vollstaendig, b.kommunen_mit_wert, b.fehlend
FROM by_region b LEFT JOIN values v USING (region, periode)
"""


def _median_records_sql(cat: Catalogue, kennzahl: Kennzahl) -> str:
    """The records a median is taken over: (kommune, monat, v)."""
    assert kennzahl.median is not None
    definition = cat.fall_mediane[kennzahl.median]
    faelle = (SQL_DIR / "faelle.sql").read_text(encoding="utf-8")
    return f"SELECT kommune, monat, {definition.value} AS v FROM ({faelle}) WHERE {definition.where}"


def _median_sql(cat: Catalogue, kennzahl: Kennzahl) -> str:
    return _MEDIAN_SQL.format(records=_median_records_sql(cat, kennzahl), code=kennzahl.code)


def compute_values(
    connection: duckdb.DuckDBPyConnection,
    period: Period = "month",
    first: dt.date | None = None,
    last: dt.date | None = None,
    cat: Catalogue | None = None,
) -> pd.DataFrame:
    """Every indicator for every Kommune, Teilregion and the Kreis and every period of the range
    (default: first to last delivered month). One row per kennzahl × kommune × periode."""
    cat = cat or catalogue()
    delivered = delivered_range(connection)
    if delivered is None and (first is None or last is None):
        return pd.DataFrame(columns=[*OUTPUT_COLUMNS, "kommunen_mit_wert", "fehlend", "periode_start", "periode_ende"])
    first = first or delivered[0]  # type: ignore[index]
    last = last or delivered[1]  # type: ignore[index]
    spans = periods_between(first, last, period)
    cursor = connection.cursor()
    try:
        _prepare(cursor, cat, spans)
        return _aggregate(cursor, cat, spans)
    finally:
        cursor.close()


def compute_all_periods(
    connection: duckdb.DuckDBPyConnection, first: dt.date, last: dt.date, cat: Catalogue
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """``compute_values`` of months, quarters and years over first..last and ``month_parts`` over
    their whole years, from one preparation of the parts (the expensive step, done once)."""
    years = periods_between(first, last, "year")
    cursor = connection.cursor()
    try:
        _prepare(cursor, cat, periods_between(years[0].start, years[-1].end, "month"))
        values: dict[str, pd.DataFrame] = {}
        for period in ("month", "quarter", "year"):
            spans = periods_between(first, last, period)
            _set_periods(cursor, spans)
            values[period] = _aggregate(cursor, cat, spans)
        parts = _parts(cursor, cat)
    finally:
        cursor.close()
    return values, parts


def _aggregate(cursor: duckdb.DuckDBPyConnection, cat: Catalogue, spans: list[PeriodSpan]) -> pd.DataFrame:
    """The indicators over the prepared parts for the periods of the ``periods`` table."""
    ratios = cursor.execute(_AGGREGATE_SQL).df()
    medians = [cursor.execute(_median_sql(cat, k)).df() for k in cat.kennzahlen if k.kind == "median"]
    return _finish(pd.concat([ratios, *medians], ignore_index=True), cat, spans)


def _set_periods(cursor: duckdb.DuckDBPyConnection, spans: list[PeriodSpan]) -> None:
    """The temp table of the periods with their months."""
    months = [
        (add_months(s.start, i), s.label, s.end, (s.end.year - s.start.year) * 12 + s.end.month - s.start.month + 1)
        for s in spans
        for i in range((s.end.year - s.start.year) * 12 + s.end.month - s.start.month + 1)
    ]
    periods = pd.DataFrame(months, columns=["monat", "periode", "last_month", "n_months"])
    cursor.register("periods_frame", periods)
    cursor.execute(
        "CREATE OR REPLACE TEMP TABLE periods AS SELECT periode, monat::DATE AS monat, "
        "last_month::DATE AS last_month, n_months FROM periods_frame"
    )
    cursor.unregister("periods_frame")


def _prepare(cursor: duckdb.DuckDBPyConnection, cat: Catalogue, spans: list[PeriodSpan]) -> None:
    """Temp tables of one cursor: the periods with their months, the regions with their Kommunen,
    the grid of Kommunen × months, and every part per Kommune and month (wide and long)."""
    _set_periods(cursor, spans)
    months = sorted(
        {
            add_months(s.start, i)
            for s in spans
            for i in range((s.end.year - s.start.year) * 12 + s.end.month - s.start.month + 1)
        }
    )
    regions = pd.DataFrame(
        [(region, kommune) for region, members in region_members().items() for kommune in members],
        columns=["region", "kommune"],
    )
    grid = pd.DataFrame([(k.ags, m) for k in kommunen() for m in months], columns=["kommune", "monat"])
    for name, frame in (("regions", regions), ("grid", grid)):
        cursor.register(f"{name}_frame", frame)
        cursor.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_frame")
        cursor.unregister(f"{name}_frame")
    cursor.execute("CREATE OR REPLACE TEMP TABLE grid AS SELECT kommune, monat::DATE AS monat FROM grid")
    cursor.execute(f"CREATE OR REPLACE TEMP TABLE wide AS {_wide_sql(cat)}")
    cursor.execute(f"CREATE OR REPLACE TEMP TABLE long AS {_long_sql(cat)}")


def month_parts(
    connection: duckdb.DuckDBPyConnection, first: dt.date, last: dt.date, cat: Catalogue | None = None
) -> pd.DataFrame:
    """Every indicator's numerator and denominator per Kommune and month (NULL: not delivered), with
    how each aggregates over time (``num_mode``/``den_mode``: sum, last, mean or none), and the
    record count of each median: the atoms every published figure is a sum of."""
    cat = cat or catalogue()
    cursor = connection.cursor()
    try:
        _prepare(cursor, cat, periods_between(first, last, "month"))
        return _parts(cursor, cat)
    finally:
        cursor.close()


def _parts(cursor: duckdb.DuckDBPyConnection, cat: Catalogue) -> pd.DataFrame:
    """``month_parts`` over the prepared grid."""
    frames = [cursor.execute("SELECT kennzahl, kommune, monat, num, den, num_mode, den_mode FROM long").df()]
    for kennzahl in cat.kennzahlen:
        if kennzahl.kind != "median":
            continue
        records = _median_records_sql(cat, kennzahl)
        frames.append(
            cursor.execute(
                f"""SELECT '{kennzahl.code}' AS kennzahl, g.kommune, g.monat, NULL::DECIMAL(38, 3) AS num,
                           CASE WHEN f.kommune IS NOT NULL THEN coalesce(r.n, 0) END::DECIMAL(38, 3) AS den,
                           'none' AS num_mode, 'sum' AS den_mode
                    FROM grid g
                    LEFT JOIN (SELECT kommune, monat FROM partition_aktuell WHERE quelle = 'fallmanagement') f
                      USING (kommune, monat)
                    LEFT JOIN (SELECT kommune, monat, count(*) AS n FROM ({records}) GROUP BY ALL) r
                      USING (kommune, monat)"""
            ).df()
        )
    return pd.concat(frames, ignore_index=True)


def _finish(frame: pd.DataFrame, cat: Catalogue, spans: list[PeriodSpan]) -> pd.DataFrame:
    factors = {k.code: k.factor for k in cat.kennzahlen}
    kinds = {k.code: k.kind for k in cat.kennzahlen}
    kind = frame["kennzahl"].map(kinds)
    zaehler = pd.to_numeric(frame["zaehler"], errors="coerce").astype("float64")
    nenner = pd.to_numeric(frame["nenner"], errors="coerce").astype("float64")
    ratio = zaehler * frame["kennzahl"].map(factors) / nenner.where(nenner != 0)
    frame["wert"] = frame["wert"].where(kind == "median", ratio.where(kind != "count", zaehler))
    frame["ampel"] = "grau"
    frame["unterdrueckt"] = False
    frame["vollstaendig"] = frame["vollstaendig"].fillna(False).astype(bool)
    frame["fehlend"] = [list(x) if isinstance(x, (list, tuple, np.ndarray)) else [] for x in frame["fehlend"].tolist()]
    starts = {s.label: s.start for s in spans}
    ends = {s.label: s.end for s in spans}
    frame["periode_start"] = frame["periode"].map(starts)
    frame["periode_ende"] = frame["periode"].map(ends)
    order = {k.code: i for i, k in enumerate(cat.kennzahlen)}
    region_order = {r: i for i, r in enumerate(region_members())}
    frame = frame.assign(_k=frame["kennzahl"].map(order), _r=frame["kommune"].map(region_order))
    frame = frame.sort_values(["_k", "periode_start", "_r"]).drop(columns=["_k", "_r"])
    return frame.reset_index(drop=True)
