"""Amtliche Statistik: the stored official tables, and any Merkmal over time and across the Kommunen."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from core.format import plain
from core.palette import MISSING, PALETTE
from core.reference import kreis
from ui import charts, downloads, statistik, widgets
from ui.feedback import user_errors
from ui.page import start_page

start_page()
st.title("Amtliche Statistik", anchor=False)
st.caption(
    "Tabellen von IT.NRW (Landesdatenbank NRW), der Regionaldatenbank Deutschland und GENESIS-Online, "
    "so gespeichert, wie sie geliefert wurden: nur die Werte des Kreises Unna und seiner Kommunen, "
    "je Wert der neueste Stand."
)

with user_errors():
    stored = statistik.tables()
if stored.empty:
    st.info(
        "Es sind noch keine Tabellen der amtlichen Statistik gespeichert. Tabellen, wie sie aus der "
        "Landesdatenbank NRW, der Regionaldatenbank oder GENESIS-Online heruntergeladen wurden (CSV, XLSX, XLS), "
        "werden auf der Seite „Daten hochladen“ hochgeladen.",
        icon=":material/info:",
    )
    st.stop()

st.subheader("Gespeicherte Tabellen", anchor=False)
downloads.table(statistik.overview(stored), "statistik_tabellen", "amtliche_statistik_tabellen", wrapped=True)

by_code = {str(row.tabelle): row for row in stored.itertuples(index=False)}
left, right = st.columns([1, 2])
with left:
    code = widgets.url_select(
        "Tabelle",
        list(by_code),
        "tabelle",
        format_func=lambda c: f"{c} · {by_code[c].titel}",
        help="Eine der gespeicherten Tabellen.",
    )
with user_errors():
    frame = statistik.values(code)
merkmale = sorted(frame["merkmal"].unique())
with right:
    merkmal = widgets.url_select(
        "Merkmal",
        merkmale,
        "merkmal",
        help="Die Spaltenüberschriften der Tabelle von oben nach unten, dann die Merkmale der Zeile.",
    )
row = stored[stored["tabelle"] == code].iloc[0]
source = statistik.source_line(row)
st.caption(plain(source))

rows = statistik.merkmal_rows(frame, merkmal)
present = [r for r in statistik.region_order() if r in set(rows["region"])]
names = dict(zip(rows["region"], rows["name"], strict=False))
periods = sorted(rows["periode"].unique())

st.subheader("Im Zeitverlauf", anchor=False)
chosen = widgets.url_multiselect(
    "Gebiete",
    present,
    "statistik_gebiete",
    default=present[:1],
    format_func=names.__getitem__,
    help="Der Kreis und die Kommunen, die diese Tabelle enthält.",
)
chart, table = st.columns([3, 2])
with chart:
    figure = go.Figure()
    for index, region in enumerate(chosen):
        line = rows[rows["region"] == region]
        figure.add_trace(
            go.Scatter(
                x=line["zeitraum"],
                y=line["zahl"],
                name=names[region],
                mode="lines+markers",
                text=line["text"],
                hovertemplate="%{x}: %{text}<extra>" + names[region] + "</extra>",
                line={"color": PALETTE[index % len(PALETTE)], "dash": charts.DASHES[index % len(charts.DASHES)]},
                marker={"symbol": charts.SYMBOLS[index % len(charts.SYMBOLS)], "size": 7},
                connectgaps=False,
            )
        )
    figure.update_xaxes(
        type="category", categoryorder="array", categoryarray=[r for r in map(str, rows["zeitraum"].unique())]
    )
    charts.show(
        statistik.figure_layout(
            figure, statistik.wrapped(merkmal), f"Tabelle {code} · Stand {statistik.stand_text(row['stand'])}"
        ),
        "statistik_verlauf",
        f"Liniendiagramm {merkmal} für {', '.join(names[r] for r in chosen)}; die Werte stehen in der Tabelle daneben.",
    )
with table:
    downloads.table(
        statistik.course_table(rows, chosen), "statistik_verlauf_tabelle", f"statistik_{code}_verlauf", hide_index=True
    )

st.subheader("Nach Kommunen", anchor=False)
local = [r for r in present if r != kreis().ags]
if not local:
    st.info("Diese Tabelle enthält nur den Kreis Unna, keine Werte seiner Kommunen.", icon=":material/info:")
else:
    labels = dict(zip(rows["periode"], rows["zeitraum"], strict=False))
    periode = widgets.url_select(
        "Zeitpunkt",
        periods[::-1],
        "zeitpunkt",
        format_func=labels.__getitem__,
        help="Stichtag oder Jahr der Werte.",
    )
    at = rows[(rows["periode"] == periode) & (rows["region"] != kreis().ags)].sort_values("zahl", na_position="first")
    chart, table = st.columns([3, 2])
    with chart:
        bars = go.Figure(
            go.Bar(
                x=at["zahl"],
                y=at["name"],
                orientation="h",
                text=at["text"],
                textposition="outside",
                marker={"color": [PALETTE[0] if v == v else MISSING for v in at["zahl"]]},
                hovertemplate="%{y}: %{text}<extra></extra>",
                cliponaxis=False,  # the value beside the longest bar is shown whole
            )
        )
        largest, smallest = at["zahl"].max(), at["zahl"].min()
        if largest == largest and largest > 0 and smallest >= 0:  # room for the values beside the bars
            bars.update_xaxes(range=[0, float(largest) * 1.18])
        charts.show(
            statistik.figure_layout(bars, statistik.wrapped(merkmal), f"{labels[periode]} · Tabelle {code}"),
            "statistik_kommunen",
            f"Balkendiagramm {merkmal} der Kommunen, {labels[periode]}; die Werte stehen in der Tabelle daneben.",
        )
    with table:
        across = statistik.across_table(rows, periode)
        downloads.table(
            across,
            "statistik_kommunen_tabelle",
            f"statistik_{code}_{periode}",
            hide_index=True,
            height=35 * (len(across) + 1) + 3,  # every Kommune and the Kreis without scrolling
        )

st.caption(plain("Zeichen der amtlichen Statistik: " + statistik.legend()))
