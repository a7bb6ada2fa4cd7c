"""The app's pages, declared once, and what every page does first.

Each page names the right it needs (see data/rollen.yaml). ``app.py`` links the pages the signed-in
role may use, so the others are absent from its sidebar; ``start_page`` refuses a page whose right
the role lacks, in German, when it is reached by its address.

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
from typing import Any, NamedTuple

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import auth, selection

_ENTRY_MARK = "_kim_entrypoint"
APP = Path(__file__).resolve().parent.parent / "app.py"


class PageSpec(NamedTuple):
    path: str
    title: str
    icon: str
    right: str


PAGES = (
    PageSpec("pages/uebersicht.py", "Übersicht", ":material/dashboard:", "ansehen"),
    PageSpec("pages/sitzung.py", "Sitzungsmodus", ":material/co_present:", "ansehen"),
    PageSpec("pages/handlungsfelder.py", "Handlungsfelder", ":material/category:", "ansehen"),
    PageSpec("pages/kommunen.py", "Kommunen", ":material/map:", "ansehen"),
    PageSpec("pages/zeitverlauf.py", "Zeitverlauf", ":material/timeline:", "ansehen"),
    PageSpec("pages/kennzahlen.py", "Kennzahlen", ":material/menu_book:", "ansehen"),
    PageSpec("pages/zielwerte.py", "Zielwerte", ":material/flag:", "ansehen"),
    PageSpec("pages/briefing.py", "Briefing", ":material/description:", "briefing"),
    PageSpec("pages/datenstand.py", "Datenstand", ":material/fact_check:", "hochladen"),
    PageSpec("pages/daten_hochladen.py", "Daten hochladen", ":material/upload_file:", "hochladen"),
    PageSpec("pages/amtliche_statistik.py", "Amtliche Statistik", ":material/query_stats:", "statistik"),
    PageSpec("pages/verwaltung.py", "Verwaltung", ":material/admin_panel_settings:", "verwaltung"),
)


def url_paths() -> list[str]:
    """The address of every page (as Streamlit derives it from the file name)."""
    return [Path(spec.path).stem for spec in PAGES]


def forget_unknown_address() -> None:
    """An address that is no page of the app (a mistyped or outdated link) leads to the first page,
    or the login, as the app's own address does; otherwise Streamlit lays its English "Page not
    found" box over it. Called before any navigation is built. (Streamlit's own run of a new server's
    very first request, before any st.navigation, cannot be reached from here; see the README.)"""
    context = get_script_run_ctx()
    if context is None:
        return
    manager = context.pages_manager
    requested = manager.intended_page_name
    if requested and requested.strip("/") not in url_paths():
        manager.set_script_intent(manager.intended_page_script_hash or "", "")


class Navigation(NamedTuple):
    chosen: Any  # st.Page, the page of this run
    spec: PageSpec
    pages: dict[PageSpec, Any]  # every page this user may use (and is linked)


def navigation() -> Navigation:
    """The pages this user may use, and the page chosen in this run. Streamlit's own list of pages
    is hidden: its links drop the address's parameters, so that each page change would cost a
    second history entry when the page writes the month and Gebiet back (see sidebar_links)."""
    every = {
        spec: st.Page(APP.parent / spec.path, title=spec.title, icon=spec.icon, default=i == 0)
        for i, spec in enumerate(PAGES)
    }
    # Every page is known to the navigation, so that a link to one the role may not use shows the
    # page's German refusal (start_page), not Streamlit's English "Page not found"; only the
    # allowed ones are linked.
    chosen = st.navigation(list(every.values()), position="hidden")
    spec = next(spec for spec, page in every.items() if page.url_path == chosen.url_path)
    rights = auth.allowed({spec.right for spec in PAGES})
    pages = {spec: page for spec, page in every.items() if spec.right in rights}
    return Navigation(chosen, spec, pages)


def sidebar_links(where: Any, nav: Navigation) -> dict[str, str]:
    """The navigation, drawn into the placeholder ``where``: one link per page that carries the
    shared month and Gebiet, so that a page change is one history entry with the whole view in its
    address; the current page is marked. Returns the parameters the links carry."""
    params = selection.nav_params()
    with where.container():
        for spec, page in nav.pages.items():
            st.page_link(page, label=spec.title, icon=spec.icon, query_params=params)
    return params


def mark_entrypoint(spec: PageSpec) -> None:
    """Called by app.py in every run, right before the chosen page runs."""
    st.session_state[_ENTRY_MARK] = spec.right


def start_page() -> None:
    """Called first by every page."""
    right = st.session_state.pop(_ENTRY_MARK, None)
    if right is None:
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()
    if not auth.can(right):
        st.error("Diese Seite steht Ihrer Rolle nicht zur Verfügung.", icon=":material/lock:")
        st.stop()
