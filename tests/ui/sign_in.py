"""A database marked as real data (not the demo) and an AppTest session signed in to it.

Real deliveries are never stored in the demo database (it opens without login), so tests that
store uploads from a page use a copy marked as real and sign in with a password."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import store
from access import users

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "ein-langes-passwort"


def mark_real(database: Path) -> None:
    with store.connect(database, write=True) as connection:
        store.set_meta(connection, "demo", "nein")


def signed_in(
    database: Path, page: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str = "ana", role: str = "analyse"
) -> AppTest:
    """The app on ``database`` (marked as real), signed in as ``name`` with ``role``, on ``page``."""
    mark_real(database)
    monkeypatch.setenv("KIM_DB", str(database))
    monkeypatch.setenv("KIM_USERS", str(tmp_path / "benutzer.json"))
    users.add(name, role, PASSWORD)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    app.text_input(key="anmeldung_name").input(name)
    app.text_input(key="anmeldung_passwort").input(PASSWORD)
    app.button[0].click().run()  # the form's submit button
    app.switch_page(page).run()
    assert not app.exception, [e.message for e in app.exception]
    return app
