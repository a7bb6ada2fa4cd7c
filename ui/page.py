"""What every page does first: make sure it runs inside the app's navigation.

Streamlit treats a folder named ``pages/`` beside the entrypoint as an old-style multipage app until
``st.navigation`` has run in the server process (and AppTest does so in every run). A request that
goes straight to a page (a shared link) would then run the page script alone, without ``app.py``:
no banner, no login check. ``app.py`` marks each run; a page that finds no mark runs ``app.py``
itself, in the same script run, so the page is shown through the app's navigation with the user's
input of this run intact, and then stops its own, outer run.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

_ENTRY_MARK = "_kim_entrypoint"
APP = Path(__file__).resolve().parent.parent / "app.py"


def mark_entrypoint() -> None:
    """Called by app.py in every run, right before the chosen page runs."""
    st.session_state[_ENTRY_MARK] = True


def start_page() -> None:
    """Called first by every page."""
    if st.session_state.pop(_ENTRY_MARK, False):
        return
    runpy.run_path(str(APP), run_name="__main__")
    st.stop()
