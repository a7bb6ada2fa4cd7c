"""Fields for numbers and dates typed the German way, for every form of the app.

Streamlit's number field cannot take a decimal comma ("85,5" became 855) and its date field opens
an English calendar; these are text fields read by the one parser in core/format.py. After typing,
a field shows what was understood, in German format ("85.5" → "85,5", "1.1.27" → "01.01.2027").
"""

from __future__ import annotations

import streamlit as st

from core import format as fmt
from core.errors import UsageError

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
    label: str,
    key: str,
    *,
    unit: str | None = None,
    help: str | None = None,
    placeholder: str = NUMBER_PLACEHOLDER,
    in_form: bool = False,
) -> str:
    """A field for one number ('85,5', '85.5', '1.234,5'); returns the text, to be read with
    fmt.parse_number when it is used. In a form (st.form(enter_to_submit=False), which spares the
    user Streamlit's English "Press Enter to apply"), the form's submit button shows it as
    understood: on_click=show_as_understood."""
    callback = {} if in_form else {"on_change": _show_number_as_understood, "args": (key, unit)}
    text = st.text_input(label, key=key, help=help, placeholder=placeholder, **callback)  # type: ignore[arg-type]
    return text or ""


def day_field(
    label: str, key: str, *, help: str | None = None, placeholder: str = DAY_PLACEHOLDER, in_form: bool = False
) -> str:
    """A field for one date as TT.MM.JJJJ; returns the text, to be read with fmt.parse_day."""
    callback = {} if in_form else {"on_change": _show_day_as_understood, "args": (key,)}
    text = st.text_input(label, key=key, help=help, placeholder=placeholder, **callback)  # type: ignore[arg-type]
    return text or ""


def show_as_understood(numbers: dict[str, str | None], days: tuple[str, ...] = ()) -> None:
    """For a form's submit button (on_click): its number fields (key → unit) and day fields show
    what was understood, in German format; a field that cannot be read stays as typed."""
    for key, unit in numbers.items():
        _show_number_as_understood(key, unit)
    for key in days:
        _show_day_as_understood(key)
