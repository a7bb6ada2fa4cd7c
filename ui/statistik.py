"""The stored official statistics tables for the page "Amtliche Statistik": what each table holds,
one Merkmal over time and across the Kommunen, as the page shows and downloads them.

Values come from the view ``v_statistik`` (the newest Stand of every value among the uploads not
undone). A value the portals give only as a symbol is shown as that symbol, never as 0 or as an
empty cell without a word: "–" nothing (stored as 0 with its symbol), ".", "x", "…", "/" no value;
"(12)" a value of limited reliability (see ``ui.uploads.SYMBOL_LEGEND``)."""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

import store
from core import format as fmt
from core.palette import TEXT
from core.reference import kommune_name, kommunen, kreis
from core.settings import db_path
from loaders.statistik import canonical
from ui import data
from ui.uploads import SYMBOL_LEGEND, SYMBOLS, official_value

LICENCE = "Datenlizenz Deutschland – Namensnennung – 2.0"
TABLE_COLUMNS = ["Tabelle", "Titel", "Stand", "Regionen", "Zeiträume", "Merkmale", "Werte"]


@data.per_version(max_entries=4)
def _tables(database: str, version: tuple[int, ...]) -> pd.DataFrame:
    with store.connect(database) as connection:
        return connection.execute(
            """SELECT tabelle, any_value(titel) AS titel, max(stand) AS stand, any_value(quelle) AS quelle,
                      list(DISTINCT region ORDER BY region) AS regionen,
                      list(DISTINCT periode ORDER BY periode) AS perioden,
                      count(DISTINCT merkmal) AS merkmale, count(*) AS werte
               FROM v_statistik GROUP BY tabelle ORDER BY tabelle"""
        ).df()


@data.per_version(max_entries=8)
def _values(database: str, version: tuple[int, ...], tabelle: str) -> pd.DataFrame:
    with store.connect(database) as connection:
        frame = connection.execute(
            """SELECT merkmal, region, periode, CAST(wert AS VARCHAR) AS wert, symbol
               FROM v_statistik WHERE tabelle = ? ORDER BY merkmal, region, periode""",
            [tabelle],
        ).df()
    # as delivered: "393784", "7.5" (the column's ten decimal places are storage, not precision)
    frame["wert"] = [None if w is None or pd.isna(w) else canonical(str(w)) for w in frame["wert"]]
    return frame


def tables() -> pd.DataFrame:
    """One row per stored table: tabelle, titel, stand, quelle, regionen, perioden, merkmale, werte."""
    if not db_path().exists():
        return pd.DataFrame(
            columns=["tabelle", "titel", "stand", "quelle", "regionen", "perioden", "merkmale", "werte"]
        )
    return _tables(*data.version()).copy(deep=False)  # shared by all sessions: never changed


def values(tabelle: str) -> pd.DataFrame:
    """Every current value of one table: merkmal, region, periode, wert (decimal text or None), symbol."""
    return _values(*data.version(), tabelle).copy(deep=False)


def stand_text(stand: object) -> str:
    known = stand is not None and not pd.isna(stand)  # type: ignore[call-overload]
    return fmt.day(pd.Timestamp(stand)) if known else "ohne Stand"


def region_order() -> list[str]:
    """The Kreis first, then its Kommunen in the order of data/kommunen.csv."""
    return [kreis().ags, *(k.ags for k in kommunen())]


def regions_text(regions: list[str]) -> str:
    """Regions in short German: "Kreis Unna und 10 Kommunen", "Kreis Unna", "Selm und Werne"."""
    from ui.uploads import regions_text as short

    return short(regions)


def periods_text(periods: list[str]) -> str:
    if not periods:
        return "–"
    if len(periods) == 1:
        return fmt.period_short(periods[0])
    return f"{fmt.period_short(periods[0])} bis {fmt.period_short(periods[-1])} ({len(periods)})"


def overview(frame: pd.DataFrame) -> pd.DataFrame:
    """The stored tables as the page lists them, in German."""
    return pd.DataFrame(
        {
            "Tabelle": frame["tabelle"],
            "Titel": frame["titel"],
            "Stand": frame["stand"].map(stand_text),
            "Regionen": frame["regionen"].map(lambda r: regions_text(list(r))),
            "Zeiträume": frame["perioden"].map(lambda p: periods_text(list(p))),
            "Merkmale": frame["merkmale"].map(int).map(fmt.number),
            "Werte": frame["werte"].map(int).map(fmt.number),
        },
        columns=TABLE_COLUMNS,
    )


def source_line(row: pd.Series) -> str:
    """The attribution: "Quelle: © IT.NRW, Düsseldorf, 2026, Tabelle 12411-15i, Stand 19.01.2026; Datenlizenz …"."""
    quelle = " ".join(str(row["quelle"] or "").split()).rstrip(" .") or "amtliche Statistik"
    licence = "" if "Datenlizenz" in quelle else f"; {LICENCE}"  # the newer footers name it themselves
    return f"Quelle: {quelle}; Tabelle {row['tabelle']}, Stand {stand_text(row['stand'])}{licence}"


def number(wert: object) -> float | None:
    """The value for a chart; None where there is none (a symbol without value)."""
    if wert is None or (isinstance(wert, float) and pd.isna(wert)):
        return None
    return float(str(wert))


def shown(wert: object, symbol: object) -> str:
    text = None if wert is None or (isinstance(wert, float) and pd.isna(wert)) else str(wert)
    sign = None if symbol is None or (isinstance(symbol, float) and pd.isna(symbol)) else str(symbol)
    return official_value(text, sign)


def merkmal_rows(frame: pd.DataFrame, merkmal: str) -> pd.DataFrame:
    """The values of one Merkmal, with region name, period label, number and shown text."""
    rows = frame[frame["merkmal"] == merkmal].copy()
    order = {ags: i for i, ags in enumerate(region_order())}
    rows["ordnung"] = rows["region"].map(lambda r: order.get(r, len(order)))
    rows = rows.sort_values(["ordnung", "periode"]).reset_index(drop=True)
    rows["name"] = rows["region"].map(kommune_name)
    rows["zeitraum"] = rows["periode"].map(fmt.period_short)
    rows["zahl"] = rows["wert"].map(number)
    rows["text"] = [shown(w, s) for w, s in zip(rows["wert"], rows["symbol"], strict=True)]
    return rows


def course_table(rows: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """One row per period, one column per region: the values as shown ("–" where a region has none)."""
    chosen = rows[rows["region"].isin(regions)]
    periods = sorted(chosen["periode"].unique())
    names = [kommune_name(r) for r in regions if r in set(chosen["region"])]
    table = pd.DataFrame({"Zeitraum": [fmt.period_short(p) for p in periods]})
    for name in names:
        by_period = dict(
            zip(chosen.loc[chosen["name"] == name, "periode"], chosen.loc[chosen["name"] == name, "text"], strict=True)
        )
        table[name] = [by_period.get(p, "–") for p in periods]
    return table


def across_table(rows: pd.DataFrame, periode: str) -> pd.DataFrame:
    """The Kommunen (and the Kreis, last) at one period, as shown."""
    at = rows[rows["periode"] == periode]
    local = at[at["region"] != kreis().ags]
    whole = at[at["region"] == kreis().ags]
    ordered = pd.concat([local, whole])
    return pd.DataFrame({"Gebiet": ordered["name"].tolist(), "Wert": ordered["text"].tolist()})


def symbols_in(rows: pd.DataFrame) -> list[str]:
    """The legend lines of the symbols the shown values use."""
    used = set()
    for symbol in rows["symbol"].dropna():
        used.add("( )" if symbol == "()" else SYMBOLS.get(str(symbol), str(symbol)))
    return [f"„{mark}“ {meaning}" for mark, meaning in SYMBOL_LEGEND.items() if mark in used]


def legend() -> str:
    """Every official symbol with its meaning, for the page's legend."""
    return " · ".join(f"„{mark}“ {meaning}" for mark, meaning in SYMBOL_LEGEND.items())


def wrapped(text: str, width: int = 70) -> str:
    """A long Merkmal as a chart title: its parts joined by " · ", broken into lines (plotly's <br>)."""
    words = text.replace(" | ", " · ").split()
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(escape(line) for line in lines)


def figure_layout(figure: go.Figure, title: str, note: str) -> go.Figure:
    """German number format, the app's text colour, the title (wrapped) and a note below it."""
    lines = title.count("<br>") + 1
    figure.update_layout(
        title={"text": f"{title}<br><sup>{escape(note)}</sup>", "x": 0, "font": {"color": TEXT, "size": 15}},
        separators=",.",  # German: decimal comma, thousands dot
        legend={"orientation": "h", "y": -0.2, "font": {"color": TEXT}},
        margin={"l": 10, "r": 10, "t": 50 + 22 * lines, "b": 10},
        height=420,
        font={"size": 14, "color": TEXT},
    )
    figure.update_xaxes(tickfont_color=TEXT, title_font_color=TEXT)
    figure.update_yaxes(tickfont_color=TEXT, title_font_color=TEXT)
    return figure
