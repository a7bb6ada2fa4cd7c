"""The view in the link: the shared reporting month and Gebiet, and every page's own choices.

The address is the one truth of a view (``/kommunen?monat=2026-09&gebiet=05978032&kennzahl=K03``):
Back, Forward, a reload and a shared link all show what the address says. So that the browser keeps
exactly one history entry per page change or choice:

- the app writes the address only when the user changed a choice in this run, never a value that
  the address already says or leaves to its default (Streamlit's browser side adds a history entry
  for every write that changes the address);
- the navigation links carry the shared month and Gebiet, so the address of a page change is
  complete at once (``nav_params``);
- a value the address does not name is the default; only the shared month and Gebiet fall back to
  the session's last choice first (a link from another page that does not name them), except when
  the browser went Back or Forward to an address that never named them.

The month every monthly page opens on is one: the latest month in which the most indicators of the
Kreis are complete, in the published figures (``data.default_month``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

MONTH = "monat"
REGION = "gebiet"
SHARED = (MONTH, REGION)
_SYNCED = "_kim_adresse"  # param → the encoded value the address and the widget agreed on last
_CHOSEN = "_kim_auswahl"  # param → the session's last shared month and Gebiet (encoded)


def month_code(value: dt.date) -> str:
    return value.strftime("%Y-%m")


_SHARED_CODES: dict[str, Callable[[Any], str]] = {MONTH: month_code, REGION: str}


def _history_navigation() -> bool:
    context = get_script_run_ctx()
    return bool(context is not None and context.is_history_navigation)


def _just_chosen(param: str, current: Any, encode: Callable[[Any], str]) -> str | None:
    """The encoded value the user has just chosen in the widget of ``param``: its state differs
    from the value the address and the widget agreed on last, and the address did not move."""
    synced: dict[str, str] = st.session_state.get(_SYNCED, {})
    agreed = synced.get(param)
    if agreed is None or st.query_params.get(param, agreed) != agreed:
        return None
    code = encode(current)
    return code if code != agreed else None


def _address_value(param: str, codes: dict[str, Any], default: Any) -> Any:
    """The value the address names (if valid); else the session's last shared choice; else default."""
    wanted = st.query_params.get(param)
    if wanted in codes:
        return codes[wanted]
    if param in SHARED and not _history_navigation():
        remembered = st.session_state.get(_CHOSEN, {}).get(param)
        if remembered in codes:
            return codes[remembered]
    return default


def sync(
    key: str, options: Sequence[Any], default: Any, encode: Callable[[Any], str], param: str | None = None
) -> None:
    """Before a widget with this key is drawn: its value from the address, unless the user has just
    changed the widget, in which case the address follows (one write, so one history entry)."""
    param = param or key
    codes = {encode(option): option for option in options}
    synced: dict[str, str] = st.session_state.setdefault(_SYNCED, {})
    from_address = _address_value(param, codes, default)
    current = st.session_state.get(key)
    user_changed = current in options and _just_chosen(param, current, encode) is not None
    value = current if user_changed else from_address
    st.session_state[key] = value
    code = encode(value)
    synced[param] = code
    if param in SHARED:
        st.session_state.setdefault(_CHOSEN, {})[param] = code
    if user_changed:
        st.query_params[param] = code


def sync_many(key: str, options: Sequence[str], default: list[str], param: str | None = None) -> None:
    """sync for a multiselect, kept in the address as a comma-separated list."""
    param = param or key
    synced: dict[str, str] = st.session_state.setdefault(_SYNCED, {})
    wanted = [v for v in (st.query_params.get(param) or "").split(",") if v in options]
    from_address = wanted or list(default)
    current = st.session_state.get(key)
    user_changed = (
        isinstance(current, list)
        and param in synced
        and ",".join(current) != synced[param]
        and st.query_params.get(param, synced[param]) == synced[param]
    )
    value = list(current) if user_changed and current is not None else from_address
    st.session_state[key] = value
    synced[param] = ",".join(value)
    if user_changed:
        st.query_params[param] = ",".join(value)


def month_value(months: Sequence[dt.date], default: dt.date | None) -> dt.date:
    """The shared month for a page without a month choice (e.g. the Sitzungsmodus)."""
    fallback = default if default in months else months[0]
    value: dt.date = _address_value(MONTH, {month_code(m): m for m in months}, fallback)
    return value


def remember_address() -> None:
    """Called by app.py first in every run, before the navigation is drawn: the shared month and
    Gebiet the address names become the session's choice (on a page without these choices, too);
    Back or Forward to an address without them goes back to the defaults.

    A month or Gebiet the user has just chosen is the session's choice at once, before the page
    writes it into the address: the navigation links drawn at the start of the run carry it. Else a
    page link clicked while the page still computes (seconds under load) took the month from before
    the choice, and that page, and Back to it later, showed the old month."""
    chosen: dict[str, str] = st.session_state.setdefault(_CHOSEN, {})
    for param in SHARED:
        wanted = st.query_params.get(param)
        if wanted:
            chosen[param] = str(wanted)
        elif _history_navigation():
            chosen.pop(param, None)
        current = st.session_state.get(param)  # the shared widgets' keys are their parameters
        encode = _SHARED_CODES[param]
        just = _just_chosen(param, current, encode) if isinstance(current, (dt.date, str)) else None
        if just is not None:
            chosen[param] = just


def nav_params() -> dict[str, str]:
    """The shared month and Gebiet for the links of the navigation: a page change keeps them."""
    chosen: dict[str, str] = st.session_state.get(_CHOSEN, {})
    return {param: chosen[param] for param in SHARED if param in chosen}
