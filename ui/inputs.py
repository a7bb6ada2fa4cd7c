"""Fields for numbers and dates typed the German way, for every form of the app.

Streamlit's number field cannot take a decimal comma ("85,5" became 855) and its date field opens
an English calendar; these are text fields read by the one parser in ui/format.py. After typing,
a field shows what was understood, in German format ("85.5" → "85,5", "1.1.27" → "01.01.2027").
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from loaders.errors import UsageError
from ui import format as fmt

NUMBER_PLACEHOLDER = "z. B. 85,5"
DAY_PLACEHOLDER = "TT.MM.JJJJ"


def _show_number_as_understood(key: str, unit: str | None) -> None:
    try:
        value, typed = fmt.read_number(st.session_state.get(key), unit)
    except UsageError:
        return  # left as typed; the form says what is wrong when it is used
    shown = max(typed, fmt.decimals_for(unit) if unit else 0)
    st.session_state[key] = fmt.number_input_text(value, decimals=shown)


def _show_day_as_understood(key: str) -> None:
    try:
        value = fmt.parse_day(st.session_state.get(key))
    except UsageError:
        return
    st.session_state[key] = fmt.day(value) if value else ""


def number_field(
    label: str, key: str, *, unit: str | None = None, help: str | None = None, placeholder: str = NUMBER_PLACEHOLDER
) -> str:
    """A field for one number ('85,5', '85.5', '1.234,5'); returns the text, to be read with
    fmt.parse_number when it is used."""
    text = st.text_input(
        label,
        key=key,
        help=help,
        placeholder=placeholder,
        on_change=_show_number_as_understood,
        args=(key, unit),
    )
    return text or ""


def day_field(label: str, key: str, *, help: str | None = None, placeholder: str = DAY_PLACEHOLDER) -> str:
    """A field for one date as TT.MM.JJJJ; returns the text, to be read with fmt.parse_day."""
    text = st.text_input(
        label, key=key, help=help, placeholder=placeholder, on_change=_show_day_as_understood, args=(key,)
    )
    return text or ""


def set_day(key: str, value: dt.date | None) -> None:
    """Put a date into a day field before it is drawn."""
    st.session_state[key] = fmt.day(value) if value else ""
