"""Cached access to the database for the pages.

Results are cached per database version (file size and time), so a page never holds the database
longer than one query and sees a new upload at once, without a restart.

The results are kept once for all sessions (``st.cache_resource``), not copied on every use as
``st.cache_data`` does (it pickles a result when stored and unpickles a new copy on every hit, which
cost a view of the Übersicht more than the page itself). A frame is handed out as a shallow copy:
pandas copies on write, so a page that changes its frame never changes the shared one.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

import pandas as pd
import streamlit as st

import store
from core.periods import Period
from core.reference import kreis
from core.settings import db_path, today
from metrics import breakdowns, cockpit, steering
from metrics.compute import delivered_range
from metrics.deliveries import delivery_status, reporting_month
from metrics.values import indicator_values
from store import history
from ui import auth

F = TypeVar("F", bound=Callable[..., Any])
DatabaseVersion = tuple[str, tuple[int, ...]]
_caches: list[Any] = []  # every cache made by per_version, cleared together by refresh()


def per_version(*, max_entries: int, show_spinner: bool | str = False) -> Callable[[F], F]:
    """A result cache shared by all sessions, keyed by the function's arguments, which must include
    the database and its version (and everything else the result depends on: period, internal
    figures, region …). A cached result is shared, never copied: it must not be changed (frames
    are handed out through _shared)."""

    def decorate(function: F) -> F:
        cached = st.cache_resource(show_spinner=show_spinner, max_entries=max_entries)(function)
        # Streamlit's cache hashes the arguments on every call (a page makes a few dozen calls per
        # run); a plain dictionary in front of it answers a repeated call at once.
        recent: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(function)
        def call(*args: Any) -> Any:
            with lock:
                if args in recent:
                    recent.move_to_end(args)
                    return recent[args]
            result = cached(*args)
            with lock:
                recent[args] = result
                while len(recent) > max_entries:
                    recent.popitem(last=False)
            return result

        def clear() -> None:
            with lock:
                recent.clear()
            cached.clear()

        call.clear = clear  # type: ignore[attr-defined]
        _caches.append(call)
        return cast(F, call)

    return decorate


def _shared(frame: pd.DataFrame) -> pd.DataFrame:
    """A cached frame for one caller: shallow, so nothing is copied unless the caller changes it."""
    return frame.copy(deep=False)


def version() -> DatabaseVersion:
    """The database file and its version now (the key of every cached result)."""
    path = db_path()
    return str(path), store.database_version(path)


_version = version  # the earlier name


@per_version(show_spinner="Kennzahlen werden berechnet …", max_entries=6)
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
    return values_at(version(), period, internal_view())


def values_at(at: DatabaseVersion, period: Period, internal: bool) -> pd.DataFrame:
    """The figures of the given database version (published, or internal ones)."""
    return _shared(_values(*at, period, internal))


@per_version(max_entries=6)
def _datenstand(database: str, version: tuple[int, ...]) -> pd.DataFrame:
    with store.connect(database) as connection:
        return cockpit.datenstand(connection)


def datenstand() -> pd.DataFrame:
    return _shared(_datenstand(*version()))


def months_with_values(frame: pd.DataFrame) -> list[dt.date]:
    return sorted(set(frame.loc[frame["wert"].notna(), "periode_start"]), reverse=True)


@per_version(max_entries=12)
def _value_months(database: str, version: tuple[int, ...], internal: bool) -> tuple[dt.date, ...]:
    return tuple(months_with_values(_values(database, version, "month", internal)))


def value_months() -> list[dt.date]:
    """The months with a monthly value as this user sees them, newest first."""
    return list(_value_months(*version(), internal_view()))


@per_version(max_entries=6)
def _default_month(database: str, version: tuple[int, ...]) -> dt.date | None:
    return cockpit.default_month(_values(database, version, "month", False), kreis().ags)


def default_month(region: str | None = None) -> dt.date | None:
    """The one month every monthly page opens on, whatever the page, the Gebiet (``region`` is
    not used: the month is shared by all pages) or the analyst switch: the latest month in which
    the most indicators of the Kreis are complete, in the published figures."""
    return _default_month(*version())


@per_version(max_entries=6)
def _delivery_status(database: str, version: tuple[int, ...], today: dt.date) -> pd.DataFrame:
    with store.connect(database) as connection:
        span = delivered_range(connection)
        if span is None:
            return pd.DataFrame()
        last = max(span[1], reporting_month(today))
        return delivery_status(connection, span[0], last, today)


def delivery_status_now() -> pd.DataFrame:
    """Delivery status of every source, Kommune and month up to the current reporting month."""
    return _shared(_delivery_status(*version(), today()))


@per_version(max_entries=64)
def _breakdown(
    database: str, version: tuple[int, ...], dimension: str, measure: str, region: str, month: dt.date
) -> pd.DataFrame:
    with store.connect(database) as connection:
        return breakdowns.breakdown(connection, dimension, measure, region, month)  # type: ignore[arg-type]


def breakdown(dimension: str, measure: str, region: str, month: dt.date) -> pd.DataFrame:
    return _shared(_breakdown(*version(), dimension, measure, region, month))


@per_version(max_entries=6)
def _values_with_meeting(database: str, version: tuple[int, ...], period: Period) -> pd.DataFrame:
    # the cached published figures, not a second computation
    published = _shared(_values(database, version, period, False))
    with store.connect(database) as connection:
        return steering.since_last_meeting(connection, published, period)


def values_with_meeting(period: Period = "month") -> pd.DataFrame:
    """Published values with the value shown at the last meeting and corrections since."""
    return values_with_meeting_at(version(), period)


def values_with_meeting_at(at: DatabaseVersion, period: Period = "month") -> pd.DataFrame:
    return _shared(_values_with_meeting(*at, period))


@per_version(max_entries=6)
def _comments(database: str, version: tuple[int, ...]) -> pd.DataFrame:
    with store.connect(database) as connection:
        return steering.comments(connection)


def comments() -> pd.DataFrame:
    return comments_at(version())


def comments_at(at: DatabaseVersion) -> pd.DataFrame:
    return _shared(_comments(*at))


@per_version(max_entries=6)
def _meetings(database: str, version: tuple[int, ...]) -> pd.DataFrame:
    with store.connect(database) as connection:
        return steering.meetings(connection)


def meetings() -> pd.DataFrame:
    return _shared(_meetings(*version()))


@per_version(max_entries=6)
def _targets(database: str, version: tuple[int, ...]) -> pd.DataFrame:
    with store.connect(database) as connection:
        return steering.target_history(connection)


def target_history() -> pd.DataFrame:
    return _shared(_targets(*version()))


def refresh() -> None:
    """After a write: every page shows the new state at once."""
    st.cache_data.clear()
    for cached in _caches:
        cached.clear()


@st.cache_data(show_spinner=False, max_entries=16)
def template(source_name: str) -> bytes:
    """The Excel template of a source (generated from its declaration)."""
    from loaders import templates  # openpyxl is slow to import; only the upload page needs it

    return templates.template_bytes(source_name)


@per_version(max_entries=6)
def _uploads(database: str, version: tuple[int, ...]) -> pd.DataFrame:
    with store.connect(database) as connection:
        return history.uploads(connection)


def uploads() -> pd.DataFrame:
    """The upload log, newest first."""
    return _shared(_uploads(*version()))
