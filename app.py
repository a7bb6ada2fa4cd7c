"""KIM-Cockpit Kreis Unna: page set-up, login and navigation."""

from __future__ import annotations

import streamlit as st

from metrics.texts import INTERNAL_MARK
from ui import auth, data, projector, selection
from ui.feedback import user_errors
from ui.page import forget_unknown_address, mark_entrypoint, navigation, sidebar_links, url_paths

# An emoji, drawn by the browser: a Material icon as favicon is fetched from fonts.gstatic.com by every
# viewer's browser (without a page icon, each page's Material icon would be, the same way).
st.set_page_config(page_title="KIM-Cockpit Kreis Unna", page_icon="📊", layout="wide")

forget_unknown_address()
projector.still()  # first: no motion while the page arrives (see ui/projector.py)
with user_errors():
    user = auth.require_login(url_paths())
    nav = navigation()
    selection.remember_address()
    if auth.is_demo():
        st.warning(
            "**Demodaten** – diese Anwendung zeigt erfundene Beispieldaten, keine echten Zahlen des Kreises Unna.",
            icon=":material/science:",
        )
links = st.sidebar.empty()
# At once, so that the navigation is there while a page computes, and also when a page stops early
# (nothing can be drawn after st.stop). In a session's first run the page sets the shared month and
# Gebiet, and the links are drawn again after it with them.
shown_with = sidebar_links(links, nav)
auth.sidebar_account(user)
if auth.can("intern"):
    st.sidebar.toggle(
        "Interne Werte ohne Geheimhaltung",
        key=data.INTERNAL_KEY,
        help="Für Analystinnen und Analysten: zeigt auch Werte, die in veröffentlichten Zahlen geheim sind.",
    )
if data.internal_view():
    st.error(f"**{INTERNAL_MARK}** – diese Ansicht zeigt Werte ohne Geheimhaltung.", icon=":material/lock:")
st.sidebar.caption("Lenkungskreis Kommunales Integrationsmanagement (KIM) · Kreis Unna")
mark_entrypoint(nav.spec)
try:
    with user_errors():  # an unexpected failure of a page is said in German too, never Streamlit's own box
        nav.chosen.run()
finally:  # a choice made on the page goes into the links (also when the page stops early)
    if selection.nav_params() != shown_with:
        sidebar_links(links, nav)
