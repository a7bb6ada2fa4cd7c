"""The app in Streamlit's AppTest (in this process, without a server): started on a database, on a
page, signed in; and the tables it shows.

Real deliveries are never stored in the demo database (it opens without login), so tests that
store uploads from a page use a copy marked as real and sign in with a password (``signed_in``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from access import users
from tests.helpers.databases import mark_real
from tests.helpers.environment import PASSWORD
from tests.helpers.paths import APP
from tests.helpers.shown_text import as_read

TIMEOUT_SECONDS = 60


def app_environment(monkeypatch: pytest.MonkeyPatch, database: Path, folder: Path, *accounts: tuple[str, str]) -> None:
    """KIM_DB set to ``database`` and KIM_USERS to ``folder``/benutzer.json, with the accounts
    (name, role) added there, each with the test password."""
    monkeypatch.setenv("KIM_DB", str(database))
    monkeypatch.setenv("KIM_USERS", str(folder / "benutzer.json"))
    for name, role in accounts:
        users.add(name, role, PASSWORD)


def new_app(timeout: float = TIMEOUT_SECONDS) -> AppTest:
    """The app, not yet run."""
    return AppTest.from_file(str(APP), default_timeout=timeout)


def assert_no_exception(app: AppTest) -> None:
    assert not app.exception, [e.message for e in app.exception]


def start(timeout: float = TIMEOUT_SECONDS) -> AppTest:
    """The app after its first run (the database of KIM_DB): its default page or the login."""
    app = new_app(timeout)
    app.run()
    assert_no_exception(app)
    return app


def on_database(database: Path, monkeypatch: pytest.MonkeyPatch, timeout: float = TIMEOUT_SECONDS) -> AppTest:
    """The app after its first run on ``database``: the default page, the Übersicht, or the login.
    (Switched to a page, later runs run in Streamlit's pages-folder mode: the project has a folder
    named pages/, and AppTest then executes the page without app.py, so without the banner.)"""
    monkeypatch.setenv("KIM_DB", str(database))
    return start(timeout)


def open_page(database: Path, page: str, monkeypatch: pytest.MonkeyPatch, timeout: float = TIMEOUT_SECONDS) -> AppTest:
    """The app on ``database`` (the demo: no login), switched to ``page`` ("pages/….py")."""
    monkeypatch.setenv("KIM_DB", str(database))
    app = new_app(timeout)
    app.run()
    app.switch_page(page).run()
    assert_no_exception(app)
    return app


def log_in(name: str, password: str = PASSWORD, timeout: float = TIMEOUT_SECONDS) -> AppTest:
    """The app (KIM_DB, KIM_USERS as set) after ``name`` has signed in with ``password``."""
    app = start(timeout)
    app.text_input(key="anmeldung_name").input(name)
    app.text_input(key="anmeldung_passwort").input(password)
    app.button[0].click().run()  # the form's submit button
    assert_no_exception(app)
    return app


def signed_in(
    database: Path, page: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str = "ana", role: str = "analyse"
) -> AppTest:
    """The app on ``database`` (marked as real), signed in as ``name`` with ``role``, on ``page``."""
    mark_real(database)
    app_environment(monkeypatch, database, tmp_path, (name, role))
    app = log_in(name)
    app.switch_page(page).run()
    assert_no_exception(app)
    return app


def _as_read(value: object) -> object:
    return as_read(value) if isinstance(value, str) else value


def shown_tables(app: AppTest) -> list[pd.DataFrame]:
    """Every shown table, a grid (st.dataframe) or a plain table (st.table), with its text as the
    reader sees it: a plain table's cells and headers are Markdown, rendered here."""
    plain = [e.value.map(_as_read).rename(columns=_as_read) for e in app.table]
    return [*(e.value for e in app.dataframe), *plain]


def tables_with(app: AppTest, column: str) -> list[pd.DataFrame]:
    """Every shown table that has the column."""
    return [table for table in shown_tables(app) if column in table.columns]


def table_with(app: AppTest, column: str) -> pd.DataFrame:
    """The shown table that has the column (tables have no widget key unless selectable)."""
    for table in shown_tables(app):
        if column in table.columns or table.index.name == column:
            return table
    raise AssertionError(f"no table with column {column!r}")
