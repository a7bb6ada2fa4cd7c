"""Fixtures of the browser tests: Debian's chromium and the app served on the demo or on real data.

Fixtures only; the helpers they use are in tests/helpers/browser.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from access import users
from tests.helpers.browser import CHROMIUM, MISSING_CHROMIUM, serve
from tests.helpers.databases import real_copy
from tests.helpers.environment import PASSWORD


@pytest.fixture
def chromium() -> Path:
    """Debian's chromium; never a browser downloaded by Playwright. Missing: skip, but fail on CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{MISSING_CHROMIUM} (CI=true: failing instead of skipping)")
        pytest.skip(MISSING_CHROMIUM)
    return CHROMIUM


@pytest.fixture
def app_url(demo_db: Path, tmp_path: Path) -> Iterator[str]:
    """The demo app (no login on localhost)."""
    with serve(demo_db, tmp_path / "streamlit.log") as url:
        yield url


@pytest.fixture
def real_server(demo_db: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app on real (not demo) data with two users, lena (Lenkungskreis) and ana (Analyse); its
    URL and database."""
    database = real_copy(demo_db, tmp_path)
    user_file = tmp_path / "benutzer.json"
    for name, role in [("lena", "lenkungskreis"), ("ana", "analyse")]:
        users.add(name, role, PASSWORD, path=user_file)
    with serve(database, tmp_path / "streamlit.log", KIM_USERS=str(user_file)) as url:
        yield url, database
