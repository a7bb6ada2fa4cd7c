"""Fixtures shared by all tests: a fixed 'today' and one small demo database per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config

from demo.generate import build_demo

TODAY = "2026-11-25"  # the demo then ends with October 2026
DEMO_MONTHS = 13  # twelve months of sparkline plus one earlier month to choose
DEMO_SCALE = 0.3


# AppTest runs the app in this process, without a server; it is taken as served on localhost, like
# the README's run command, so that the demo database opens without login.
config.set_option("server.address", "localhost")


@pytest.fixture(autouse=True, scope="session")
def audit_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One audit key for the whole run, outside the checkout (by default it lies beside the user
    file, which tests without KIM_USERS would take from data/)."""
    path = tmp_path_factory.mktemp("schluessel") / "zugriffe.schluessel"
    previous = os.environ.get("KIM_AUDIT_KEY")
    os.environ["KIM_AUDIT_KEY"] = str(path)
    yield path
    if previous is None:
        del os.environ["KIM_AUDIT_KEY"]
    else:
        os.environ["KIM_AUDIT_KEY"] = previous


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIM_TODAY", TODAY)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A demo database built once per session (about 12 s); tests only read it."""
    path = tmp_path_factory.mktemp("demo") / "kim.duckdb"
    previous = os.environ.get("KIM_TODAY")
    os.environ["KIM_TODAY"] = TODAY  # monkeypatch is function-scoped, so set and restore by hand
    try:
        # CSV case files hold the same rows as the default Excel ones and load a third faster.
        build_demo(database=path, months=DEMO_MONTHS, scale=DEMO_SCALE, case_format="csv")
    finally:
        if previous is None:
            del os.environ["KIM_TODAY"]
        else:
            os.environ["KIM_TODAY"] = previous
    yield path
