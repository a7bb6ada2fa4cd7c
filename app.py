"""KIM-Cockpit Kreis Unna: page set-up and navigation."""

from __future__ import annotations

import streamlit as st

from metrics.texts import INTERNAL_MARK
from ui import data
from ui.feedback import user_errors
from ui.page import mark_entrypoint

st.set_page_config(page_title="KIM-Cockpit Kreis Unna", page_icon=":material/dashboard:", layout="wide")

pages = [
    st.Page("pages/uebersicht.py", title="Übersicht", icon=":material/dashboard:", default=True),
    st.Page("pages/sitzung.py", title="Sitzungsmodus", icon=":material/co_present:"),
    st.Page("pages/handlungsfelder.py", title="Handlungsfelder", icon=":material/category:"),
    st.Page("pages/kommunen.py", title="Kommunen", icon=":material/map:"),
    st.Page("pages/zeitverlauf.py", title="Zeitverlauf", icon=":material/timeline:"),
    st.Page("pages/kennzahlen.py", title="Kennzahlen", icon=":material/menu_book:"),
    st.Page("pages/zielwerte.py", title="Zielwerte", icon=":material/flag:"),
    st.Page("pages/datenstand.py", title="Datenstand", icon=":material/fact_check:"),
    st.Page("pages/daten_hochladen.py", title="Daten hochladen", icon=":material/upload_file:"),
]
navigation = st.navigation(pages)

with user_errors():
    if data.is_demo():
        st.warning(
            "**Demodaten** – diese Anwendung zeigt erfundene Beispieldaten, keine echten Zahlen des Kreises Unna.",
            icon=":material/science:",
        )
st.sidebar.toggle(
    "Interne Werte ohne Geheimhaltung",
    key=data.INTERNAL_KEY,
    help="Für Analystinnen und Analysten: zeigt auch Werte, die in veröffentlichten Zahlen geheim sind.",
)
if data.internal_view():
    st.error(f"**{INTERNAL_MARK}** – diese Ansicht zeigt Werte ohne Geheimhaltung.", icon=":material/lock:")
st.sidebar.caption("Lenkungskreis Kommunales Integrationsmanagement (KIM) · Kreis Unna")
mark_entrypoint()
navigation.run()
