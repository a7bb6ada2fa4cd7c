"""What every page does first: make sure it runs inside the app's navigation.

Streamlit treats a folder named ``pages/`` beside the entrypoint as an old-style multipage app until
``st.navigation`` has run once in the server process. A first request that goes straight to a page
(a shared link) would then run the page script alone, without ``app.py`` (no banner, no future
login check). ``app.py`` marks each run; a page that finds no mark leaves that mode and reruns, so
the same link goes through ``app.py`` and lands on the same page.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_ENTRY_MARK = "_kim_entrypoint"


def mark_entrypoint() -> None:
    """Called by app.py in every run, right before the chosen page runs."""
    st.session_state[_ENTRY_MARK] = True


def start_page() -> None:
    """Called first by every page."""
    if st.session_state.pop(_ENTRY_MARK, False):
        return
    PagesManager.uses_pages_directory = False  # the app routes with st.navigation only
    st.rerun()
