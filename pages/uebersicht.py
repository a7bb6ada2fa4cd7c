"""Übersicht: the four Leitsätze with their indicators for the Kreis or a chosen area and month."""

from __future__ import annotations

import streamlit as st

from loaders.reference import leitsaetze, region_members
from metrics.cockpit import cockpit, default_month
from ui import comments, data, downloads, widgets
from ui import format as fmt
from ui.page import start_page

CARDS_PER_ROW = 3

start_page()
st.title("Übersicht", anchor=False)
values, stand, months = widgets.monthly_values()

left, right = st.columns(2)
with left:
    region = widgets.choose_region()
with right:
    month = widgets.choose_month(months, default_month(values, region))
st.caption(f"{widgets.region_options()[region]} · {fmt.month(month)} · {widgets.datenstand_line(stand)}")
meeting_values = widgets.since_meeting_values("uebersicht_seit_sitzung")

table = cockpit(values, region, month)
members = len(region_members()[region])
periode = month.strftime("%Y-%m")
notes = comments.texts_by_kennzahl(data.comments(), region, periode)
since, meeting = None, ""
if meeting_values is not None:
    meeting = widgets.meeting_name(meeting_values)
    since = widgets.since_meeting_where(meeting_values, "kennzahl", kommune=region, periode_start=month)
for leitsatz in leitsaetze():
    st.subheader(f"{leitsatz.code} · {leitsatz.text}", anchor=False)
    rows = list(table[table["leitsatz"] == leitsatz.code].itertuples())
    for start in range(0, len(rows), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, row in zip(columns, rows[start : start + CARDS_PER_ROW], strict=False):
            with column:
                widgets.indicator_card(
                    row, members, notes.get(row.kennzahl), since.get(row.kennzahl) if since else None, meeting
                )

with st.expander("Alle Werte als Tabelle"):
    downloads.table(
        widgets.cockpit_table(table, members, notes, since, meeting),
        "uebersicht_tabelle",
        f"uebersicht_{region}_{month:%Y-%m}",
        hide_index=True,
    )
    st.caption("Verlauf der letzten zwölf Monate (die Werte der kleinen Diagramme in den Karten)")
    downloads.table(
        widgets.sparkline_table(table),
        "uebersicht_verlauf",
        f"uebersicht_verlauf_{region}_{month:%Y-%m}",
        hide_index=True,
    )

comments.editor(region, periode, "uebersicht_anmerkung")
