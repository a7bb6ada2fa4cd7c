"""Fixtures shared by all tests: a fixed 'today' and one small demo database per session.

Fixtures only; the helpers they use are in tests/helpers/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config

from demo.generate import build_demo
from tests.helpers.environment import DEMO_MONTHS, DEMO_SCALE, TODAY, environment

# AppTest runs the app in this process, without a server; it is taken as served on localhost, like
# the README's run command, so that the demo database opens without login.
config.set_option("server.address", "localhost")


@pytest.fixture(autouse=True, scope="session")
def audit_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One audit key for the whole run, outside the checkout (by default it lies beside the user
    file, which tests without KIM_USERS would take from data/)."""
    path = tmp_path_factory.mktemp("schluessel") / "zugriffe.schluessel"
    with environment(KIM_AUDIT_KEY=str(path)):
        yield path


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIM_TODAY", TODAY)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A demo database built once per session (about 12 s); tests only read it."""
    path = tmp_path_factory.mktemp("demo") / "kim.duckdb"
    with environment(KIM_TODAY=TODAY):  # monkeypatch is function-scoped
        # CSV case files hold the same rows as the default Excel ones and load a third faster.
        build_demo(database=path, months=DEMO_MONTHS, scale=DEMO_SCALE, case_format="csv")
    yield path
