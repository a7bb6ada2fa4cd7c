"""Übersicht: the four Leitsätze with their indicators for the Kreis or a chosen area and month,
opening with one status line per Leitsatz; the cards of a Leitsatz fit one screen (four per row)."""

from __future__ import annotations

import streamlit as st

from metrics.texts import STATUS_COLOR, STATUS_SYMBOL, STATUS_TEXT
from ui import comments, data, downloads, kontext, overview, widgets
from ui import format as fmt
from ui.feedback import user_errors
from ui.page import start_page

CARDS_PER_ROW = 4

start_page()
st.title("Übersicht", anchor=False)
_, stand, months = widgets.monthly_values()

left, right = st.columns(2)
with left:
    region = widgets.choose_region()
with right:
    month = widgets.choose_month(months, data.default_month(region))
st.caption(f"{widgets.region_options()[region]} · {fmt.month(month)} · {widgets.datenstand_line(stand)}")
since_meeting = widgets.since_meeting_values("uebersicht_seit_sitzung") is not None

with user_errors():
    view = overview.overview(region, month, since_meeting)
with st.container(border=True, key="uebersicht_status", gap="small"):
    for section in view.sections:
        badges = " ".join(
            f":{STATUS_COLOR[key]}-badge[{STATUS_SYMBOL[key]} {number} {STATUS_TEXT[key]}]"
            for key, number in section.counts
        )
        st.markdown(f"**{section.code} · {fmt.plain(section.short)}:** {badges}")
for section in view.sections:
    st.subheader(section.heading, anchor=False)
    for start in range(0, len(section.rows), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, row in zip(columns, section.rows[start : start + CARDS_PER_ROW], strict=False):
            with column:
                widgets.indicator_card(
                    row,
                    view.members,
                    view.notes.get(row.kennzahl),
                    view.since.get(row.kennzahl) if view.since else None,
                    view.meeting,
                )
    kontext.for_leitsatz(section.code, region, month)

with st.expander("Alle Werte als Tabelle"):
    downloads.table(view.table, "uebersicht_tabelle", f"uebersicht_{region}_{month:%Y-%m}", hide_index=True)
    st.caption("Verlauf der letzten zwölf Monate (die Werte der kleinen Diagramme in den Karten)")
    downloads.table(view.course, "uebersicht_verlauf", f"uebersicht_verlauf_{region}_{month:%Y-%m}", hide_index=True)

comments.editor(region, month.strftime("%Y-%m"), "uebersicht_anmerkung")
