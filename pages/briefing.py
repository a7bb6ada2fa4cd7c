"""Briefing: for a chosen period, Kommunen and Leitsätze one click makes a PDF to send and editable
slides for the meeting, always from the published figures (with confidentiality)."""

from __future__ import annotations

import streamlit as st

from briefing.build import FileFormat, create
from briefing.content import period_title
from briefing.messages import key_messages
from core.periods import period_of
from core.reference import kommunen, kreis, leitsaetze
from core.settings import db_path
from metrics.cockpit import default_month
from ui import data, downloads, widgets
from ui.feedback import user_errors
from ui.page import start_page

PERIODS = {"month": "Monat", "quarter": "Quartal", "year": "Jahr"}
FILES: dict[FileFormat, str] = {"pdf": "PDF", "pptx": "PowerPoint"}

start_page()
st.title("Briefing")
st.write(
    "Ein Klick erstellt das Briefing für den Lenkungskreis: als PDF zum Versenden und als PowerPoint für die "
    "Sitzung. Es enthält immer die veröffentlichten Werte mit Geheimhaltung – auch bei eingeschalteter interner "
    "Ansicht."
)

left, middle = st.columns([1, 3])
with left:
    kind = widgets.url_select(
        "Zeitraum", list(PERIODS), "briefing_art", format_func=PERIODS.__getitem__, widget=st.radio
    )
with user_errors():
    values = data.values(kind)
starts = data.months_with_values(values)
if not starts:
    st.info("Es liegen noch keine Kennzahlen vor. Bitte zuerst Lieferungen hochladen.")
    st.stop()
with middle:
    start = widgets.url_select(
        "Berichtszeitraum",
        starts,
        "briefing_zeitraum",
        default=default_month(values, kreis().ags),
        format_func=lambda d: period_title(kind, d),
        encode=lambda d: period_of(d, kind).label,
    )
    names = {k.ags: k.name for k in kommunen()}
    chosen_kommunen = st.multiselect(
        "Kommunen (zusätzlich zum Kreis Unna)",
        list(names),
        format_func=names.__getitem__,
        key="briefing_kommunen",
        placeholder="nur der Kreis Unna",
    )
    titles = {ls.code: f"{ls.code} · {ls.kurz}" for ls in leitsaetze()}
    chosen_leitsaetze = st.multiselect(
        "Leitsätze",
        list(titles),
        default=list(titles),
        format_func=titles.__getitem__,
        key="briefing_leitsaetze",
        placeholder="Bitte wählen",
    )
if not chosen_leitsaetze:
    st.warning("Bitte mindestens einen Leitsatz wählen.", icon=":material/warning:")
    st.stop()

period = period_of(start, kind).label
choice = (period, tuple(chosen_kommunen), tuple(chosen_leitsaetze))
columns = st.columns(len(FILES))
for column, (file_format, label) in zip(columns, FILES.items(), strict=True):
    stored = f"briefing_datei_{file_format}"
    if column.button(f"{label} erstellen", key=f"briefing_{file_format}", type="primary", width="stretch"):
        with user_errors(), st.spinner(f"{label} wird erstellt …"):
            result = create(db_path(), period, chosen_kommunen, chosen_leitsaetze, file_format)
        st.session_state[stored] = {"choice": choice, "result": result}
    made = st.session_state.get(stored)
    if made and made["choice"] == choice:
        result = made["result"]
        column.download_button(
            f"{label} herunterladen",
            result.content,
            result.file_name,
            result.mime,
            key=f"briefing_{file_format}_download",
            icon=":material/download:",
            width="stretch",
            on_click=downloads.record_export,
            args=(result.file_name, "briefing"),
        )

latest = [
    m["result"] for m in (st.session_state.get(f"briefing_datei_{f}") for f in FILES) if m and m["choice"] == choice
]
if latest:
    briefing = latest[0].briefing
    st.subheader("Kernaussagen")
    messages = key_messages(briefing)
    st.markdown("\n".join(f"- {m}" for m in messages) if messages else "Keine nennenswerten Veränderungen.")
    st.caption(widgets.datenstand_line(data.datenstand()))
