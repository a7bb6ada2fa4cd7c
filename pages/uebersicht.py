"""Übersicht: the four Leitsätze with their indicators for the Kreis or a chosen area and month,
opening with one status line per Leitsatz; the cards of a Leitsatz fit one 1920×1080 screen."""

from __future__ import annotations

import streamlit as st

from core import format as fmt
from ui import comments, data, downloads, kontext, overview, projector, widgets
from ui.feedback import user_errors
from ui.page import start_page

CARD_WIDTH = 256  # px: five cards side by side at 1920×1080, three at 1280×720

start_page()
projector.cards()
_, stand, months = widgets.monthly_values()

# Title and choices in one row, the status lines in two columns and as many cards side by side as
# fit: at 1920×1080 the status of every Leitsatz and all cards of the first fit the screen.
heading, left, right = st.columns([1, 1, 1], vertical_alignment="bottom")
heading.title("Übersicht", anchor=False)
with left:
    region = widgets.choose_region()
with right:
    month = widgets.choose_month(months, data.default_month(region))
st.caption(f"{widgets.region_options()[region]} · {fmt.month(month)} · {widgets.datenstand_line(stand)}")
since_meeting = widgets.since_meeting_values("uebersicht_seit_sitzung") is not None

with user_errors():
    view = overview.overview(region, month, since_meeting)
with st.container(border=True, key="uebersicht_status", gap="small"):
    halves = st.columns(2, gap="small")
    half = (len(view.sections) + 1) // 2
    for position, section in enumerate(view.sections):
        badges = widgets.status_badges(section.counts)
        halves[position // half].markdown(f"**{section.code} · {fmt.plain(section.short)}:** {badges}")
for section in view.sections:
    st.subheader(section.heading, anchor=False)
    # one row that wraps: as many cards side by side as the screen has room for
    with st.container(horizontal=True, gap="small", key=f"uebersicht_karten_{section.code}"):
        for row in section.rows:
            widgets.indicator_card(
                row,
                view.members,
                view.notes.get(row.kennzahl),
                view.since.get(row.kennzahl) if view.since else None,
                view.meeting,
                width=CARD_WIDTH,
            )
    kontext.for_leitsatz(section.code, region, month)

all_values, opened = widgets.closed_until_opened("Alle Werte als Tabelle", "uebersicht_alle_werte")
if opened:  # made only when opened: nobody waits for tables they do not look at
    with all_values:
        downloads.table(view.table, "uebersicht_tabelle", f"uebersicht_{region}_{month:%Y-%m}", hide_index=True)
        st.caption("Verlauf der letzten zwölf Monate (die Werte der kleinen Diagramme in den Karten)")
        downloads.table(
            view.course, "uebersicht_verlauf", f"uebersicht_verlauf_{region}_{month:%Y-%m}", hide_index=True
        )

comments.editor(region, month.strftime("%Y-%m"), "uebersicht_anmerkung")
