"""Cached access to the database for the pages.

Results are cached per database version (file size and time), so a page never holds the database
longer than one query and sees a new upload at once, without a restart.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from loaders import history, store
from loaders.deliveries import delivery_status, reporting_month
from loaders.settings import db_path, today
from metrics import breakdowns, cockpit, steering
from metrics.compute import Period, delivered_range
from metrics.values import indicator_values
from ui import auth


def _version() -> tuple[str, tuple[int, ...]]:
    path = db_path()
    return str(path), store.database_version(path)


@st.cache_data(show_spinner="Kennzahlen werden berechnet …", max_entries=6)
def _values(database: str, version: tuple[int, ...], period: Period, internal: bool) -> pd.DataFrame:
    with store.connect(database) as connection:
        return indicator_values(connection, period, internal=internal)


INTERNAL_KEY = "intern"


def internal_view() -> bool:
    """Whether the analyst switch for unsuppressed figures is on (see app.py) and the role may see
    unsuppressed figures at all."""
    return bool(st.session_state.get(INTERNAL_KEY, False)) and auth.can("intern")


def values(period: Period = "month") -> pd.DataFrame:
    """The figures as this user sees them: published (with confidentiality) unless the analyst
    switch asks for internal ones."""
    database, version = _version()
    return _values(database, version, period, internal_view())


@st.cache_data(show_spinner=False, max_entries=6)
def _datenstand(database: str, version: tuple[int, ...]) -> pd.DataFrame:
    with store.connect(database) as connection:
        return cockpit.datenstand(connection)


def datenstand() -> pd.DataFrame:
    return _datenstand(*_version())


@st.cache_data(show_spinner=False, max_entries=6)
def _is_demo(database: str, version: tuple[int, ...]) -> bool:
    if not db_path(database).exists():
        return False
    with store.connect(database) as connection:
        return store.get_meta(connection, "demo") == "ja"


def is_demo() -> bool:
    return _is_demo(*_version())


def months_with_values(frame: pd.DataFrame) -> list[dt.date]:
    return sorted(set(frame.loc[frame["wert"].notna(), "periode_start"]), reverse=True)


@st.cache_data(show_spinner=False, max_entries=6)
def _delivery_status(database: str, version: tuple[int, ...], today: dt.date) -> pd.DataFrame:
    with store.connect(database) as connection:
        span = delivered_range(connection)
        if span is None:
            return pd.DataFrame()
        last = max(span[1], reporting_month(today))
        return delivery_status(connection, span[0], last, today)


def delivery_status_now() -> pd.DataFrame:
    """Delivery status of every source, Kommune and month up to the current reporting month."""
    database, version = _version()
    return _delivery_status(database, version, today())


@st.cache_data(show_spinner=False, max_entries=64)
def _breakdown(
    database: str, version: tuple[int, ...], dimension: str, measure: str, region: str, month: dt.date
) -> pd.DataFrame:
    with store.connect(database) as connection:
        return breakdowns.breakdown(connection, dimension, measure, region, month)  # type: ignore[arg-type]


def breakdown(dimension: str, measure: str, region: str, month: dt.date) -> pd.DataFrame:
    database, version = _version()
    return _breakdown(database, version, dimension, measure, region, month).copy()


@st.cache_data(show_spinner=False, max_entries=6)
def _values_with_meeting(database: str, version: tuple[int, ...], period: Period) -> pd.DataFrame:
    published = _values(database, version, period, False)  # the cached published figures, not a second computation
    with store.connect(database) as connection:
        return steering.since_last_meeting(connection, published, period)


def values_with_meeting(period: Period = "month") -> pd.DataFrame:
    """Published values with the value shown at the last meeting and corrections since."""
    database, version = _version()
    return _values_with_meeting(database, version, period)


@st.cache_data(show_spinner=False, max_entries=6)
def _comments(database: str, version: tuple[int, ...]) -> pd.DataFrame:
    with store.connect(database) as connection:
        return steering.comments(connection)


def comments() -> pd.DataFrame:
    return _comments(*_version())


@st.cache_data(show_spinner=False, max_entries=6)
def _meetings(database: str, version: tuple[int, ...]) -> pd.DataFrame:
    with store.connect(database) as connection:
        return steering.meetings(connection)


def meetings() -> pd.DataFrame:
    return _meetings(*_version())


@st.cache_data(show_spinner=False, max_entries=6)
def _targets(database: str, version: tuple[int, ...]) -> pd.DataFrame:
    with store.connect(database) as connection:
        return steering.target_history(connection)


def target_history() -> pd.DataFrame:
    return _targets(*_version())


def refresh() -> None:
    """After a write: every page shows the new state at once."""
    st.cache_data.clear()


@st.cache_data(show_spinner=False, max_entries=16)
def template(source_name: str) -> bytes:
    """The Excel template of a source (generated from its declaration)."""
    from loaders import templates  # openpyxl is slow to import; only the upload page needs it

    return templates.template_bytes(source_name)


@st.cache_data(show_spinner=False, max_entries=6)
def _uploads(database: str, version: tuple[int, ...]) -> pd.DataFrame:
    with store.connect(database) as connection:
        return history.uploads(connection)


def uploads() -> pd.DataFrame:
    """The upload log, newest first."""
    return _uploads(*_version())
