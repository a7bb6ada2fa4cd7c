"""Handlungsfelder: per field its indicators; active and new cases by field and by Rechtskreis,
Altersgruppe, Geschlecht and Zugang, with confidentiality applied to every breakdown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import format as fmt
from core.reference import handlungsfelder, region_members
from metrics.breakdowns import DIMENSIONS, MEASURES
from metrics.cockpit import cockpit
from metrics.texts import SUPPRESSED_MARK
from ui import charts, data, downloads, widgets
from ui.feedback import user_errors
from ui.page import start_page

start_page()
st.title("Handlungsfelder", anchor=False)
values, stand, months = widgets.monthly_values()
left, right = st.columns(2)
with left:
    region = widgets.choose_region()
with right:
    month = widgets.choose_month(months)
region_name = widgets.region_options()[region]
note = f"{region_name} · {fmt.month(month)} · {widgets.datenstand_short(stand)} · Quelle: Fallmanagement"

st.subheader("Kennzahlen je Handlungsfeld", anchor=False)
table = cockpit(values, region, month)
shown = widgets.cockpit_table(table, len(region_members()[region]))
shown.insert(0, "Handlungsfeld", table["handlungsfeld"].map({h.code: h.name for h in handlungsfelder()}))
downloads.table(
    shown.sort_values("Handlungsfeld", kind="stable"),
    "handlungsfelder_kennzahlen",
    f"handlungsfelder_{region}_{month:%Y-%m}",
    hide_index=True,
)

st.subheader("Fälle nach Merkmalen", anchor=False)
first, second = st.columns(2)
with first:
    dimension = widgets.url_select(
        "Aufgeschlüsselt nach",
        list(DIMENSIONS),
        "merkmal",
        format_func=DIMENSIONS.__getitem__,
        help="Das Merkmal, nach dem die Fälle aufgeteilt werden.",
    )
with second:
    measure = widgets.url_select(
        "Fälle",
        list(MEASURES),
        "fallart",
        format_func=MEASURES.__getitem__,
        widget=st.radio,
        help="Aktive Fälle am Monatsende (K02) oder im Monat neu aufgenommene Fälle (K03).",
    )
with user_errors():
    parts = data.breakdown(dimension, measure, region, month)
parts["Anzahl"] = [
    SUPPRESSED_MARK if hidden else fmt.value(v, "Anzahl")
    for v, hidden in zip(parts["anzahl"], parts["unterdrueckt"], strict=True)
]
title = f"{MEASURES[measure]} nach {DIMENSIONS[dimension]}"
if dimension == "handlungsfelder":
    st.caption(
        "Ein Fall mit mehreren Handlungsfeldern zählt in jedem einmal; die Summe ist daher größer als „Insgesamt“."
    )
chart_rows = parts[parts["kategorie"] != "Insgesamt"].assign(
    wert=lambda f: f["anzahl"].where(~f["unterdrueckt"]), name=lambda f: f["label"], label=lambda f: f["Anzahl"]
)
if len(chart_rows) and chart_rows["wert"].isna().all():
    # every category hidden (small, derivable, or a hidden total's breakdown; metrics/disclosure.py):
    # say so instead of drawing an empty chart
    st.info(
        f"Für {region_name} im {fmt.month(month)} bleiben alle Teile dieser Aufschlüsselung geheim: Jeder "
        "Teil umfasst weniger als 3 Fälle, ließe sich aus anderen veröffentlichten Werten errechnen oder würde "
        "eine geheim gehaltene Fallzahl verraten. Für ein größeres Gebiet oder einen anderen Monat ist die "
        "Verteilung oft zu sehen.",
        icon=":material/lock:",
    )
else:
    charts.show(
        charts.ranking(chart_rows, title, "Anzahl", note, None, None),
        "merkmal_diagramm",
        f"Balkendiagramm {title}, {region_name}, {fmt.month(month)}; die Werte stehen in der Tabelle darunter.",
        "K02" if measure == "aktiv" else "K03",
    )
downloads.table(
    pd.DataFrame({DIMENSIONS[dimension]: parts["label"], "Anzahl": parts["Anzahl"]}),
    "merkmal_tabelle",
    f"{measure}_nach_{dimension}_{region}_{month:%Y-%m}",
    hide_index=True,
)
st.caption("„•“: Geheimhaltung – weniger als 3 Fälle, oder aus den anderen Werten errechenbar.")
