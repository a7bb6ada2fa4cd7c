"""Zeitverlauf: one indicator over time for the Kreis, Teilregionen or Kommunen, with its target."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.catalogue import catalogue
from metrics.texts import SUPPRESSED_MARK
from ui import charts, data, downloads, widgets
from ui import format as fmt
from ui.feedback import user_errors
from ui.page import start_page

PERIODS = {"month": "Monate", "quarter": "Quartale", "year": "Jahre"}

start_page()
st.title("Zeitverlauf")
cat = catalogue()
left, middle, right = st.columns([2, 2, 1])
with left:
    code = widgets.choose_kennzahl()
with middle:
    options = widgets.region_options()
    regions = widgets.url_multiselect(
        "Gebiete", list(options), "gebiete", default=[next(iter(options))], format_func=options.__getitem__
    )
with right:
    period = widgets.url_select("Zeitraum", list(PERIODS), "zeitraum", format_func=PERIODS.__getitem__, widget=st.radio)

with user_errors():
    values = data.values(period)
    stand = data.datenstand()
kennzahl = cat.get(code)
rows = values[(values["kennzahl"] == code) & values["kommune"].isin(regions)].copy()
rows["region_name"] = rows["kommune"].map(options)
targets = rows["zielwert"].dropna()
target = float(targets.iloc[-1]) if not targets.empty else None
note = f"{kennzahl.unit} · {widgets.datenstand_short(stand)} · Quelle: KIM-Lieferungen"
if rows.empty:
    st.info("Bitte mindestens ein Gebiet wählen.")
    st.stop()
st.plotly_chart(charts.course(rows, f"{code} · {kennzahl.name}", kennzahl.unit, note, target), key="verlauf")

table = rows.pivot(index="periode", columns="region_name", values="wert")
hidden = rows.pivot(index="periode", columns="region_name", values="unterdrueckt")
shown = table.apply(lambda column: column.map(lambda v: fmt.value(v, kennzahl.unit)))
shown = shown.mask(hidden.fillna(False).astype(bool), SUPPRESSED_MARK)
st.caption("Werte als Tabelle („•“: Geheimhaltung, „–“: kein Wert)")
downloads.table(pd.DataFrame(shown), "verlauf_tabelle", f"zeitverlauf_{code}_{period}")
