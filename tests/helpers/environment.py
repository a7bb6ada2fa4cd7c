"""The settings of a test run: the fixed 'today', the size of the demo database, the password of
the test users, and KIM_* variables set for a whole session."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

TODAY = "2026-11-25"  # KIM_TODAY of every test; the demo then ends with October 2026
TODAY_DATE = dt.date.fromisoformat(TODAY)
DEMO_MONTHS = 13  # twelve months of sparkline plus one earlier month to choose
DEMO_SCALE = 0.3
PASSWORD = "ein-langes-passwort"  # of every user a test adds


@contextmanager
def environment(**variables: str) -> Iterator[None]:
    """The variables set in os.environ, and restored afterwards: for session fixtures, which
    monkeypatch (function-scoped) cannot serve."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
