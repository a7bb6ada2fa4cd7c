"""Analysts' comments (Anmerkungen) beside charts and in tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from actions import steering
from actions.actor import Actor
from core.catalogue import catalogue
from core.format import plain
from core.settings import db_path
from ui import auth, data, widgets
from ui.feedback import user_errors


def for_cell(frame: pd.DataFrame, kennzahl: str, kommune: str, periode: str) -> list[str]:
    rows = frame[(frame["kennzahl"] == kennzahl) & (frame["kommune"] == kommune) & (frame["periode"] == periode)]
    return list(rows["text"])


def texts_by_kennzahl(frame: pd.DataFrame, kommune: str, periode: str) -> dict[str, str]:
    rows = frame[(frame["kommune"] == kommune) & (frame["periode"] == periode)]
    return {code: " · ".join(group["text"]) for code, group in rows.groupby("kennzahl")}


def editor(kommune: str, periode: str, key: str) -> None:
    """List the comments of a region and period; analysts add or remove one."""
    cat = catalogue()
    may_write = auth.can("anmerkungen")
    frame = data.comments()
    shown = frame[(frame["kommune"] == kommune) & (frame["periode"] == periode)]
    with st.expander(f"Anmerkungen ({len(shown)})"):
        for row in shown.itertuples():
            left, right = st.columns([6, 1])
            left.markdown(
                f"**{row.kennzahl}** · {plain(row.text)}  \n_{plain(row.benutzer)}, "
                f"{pd.Timestamp(row.zeit).tz_convert('Europe/Berlin'):%d.%m.%Y}_"
            )
            if may_write and right.button(
                "Entfernen",
                key=f"{key}_entfernen_{row.anmerkung_id}",
                help=f"Die Anmerkung zu {row.kennzahl} entfernen",
            ):
                with user_errors():
                    steering.remove_comment(int(row.anmerkung_id), Actor.on_page(auth.user_name()), database=db_path())
                widgets.flash("Anmerkung entfernt.")
        if not may_write:
            return
        with st.form(f"{key}_form", clear_on_submit=True):
            code = st.selectbox(
                "Kennzahl",
                [k.code for k in cat.kennzahlen],
                format_func=lambda c: f"{c} · {cat.get(c).name}",
                key=f"{key}_kennzahl",
                help="Die Kennzahl, zu der die Anmerkung gehört (für das gewählte Gebiet und den Monat).",
            )
            text = st.text_area(
                "Anmerkung (z. B. „Rückgang wegen Personalwechsel“)",
                max_chars=steering.MAX_COMMENT,
                key=f"{key}_text",
                help="Erscheint neben der Kennzahl, in den Tabellen und in den Downloads. Keine Namen von Personen.",
            )
            if st.form_submit_button("Anmerkung speichern"):
                user = auth.user_name()
                with user_errors():
                    steering.add_comment(code, kommune, periode, text, Actor.on_page(user), database=db_path())
                widgets.flash("Anmerkung gespeichert.")
