"""The fixture of the briefing tests: the hand-planned data set of tests/helpers/plan.py in a fresh
database. Fixtures only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders.ingest import ingest_file
from tests.helpers.environment import TODAY, environment
from tests.helpers.plan import MONTHS, write_month


@pytest.fixture(scope="session")
def planned_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The planned data set in a fresh database (a few seconds); tests only read it."""
    folder = tmp_path_factory.mktemp("briefing_plan")
    database = folder / "kim.duckdb"
    with environment(KIM_TODAY=TODAY):  # monkeypatch is function-scoped
        for month in MONTHS:
            result = ingest_file(write_month(folder, month), database=database, user="test")
            assert result.status == "accepted", [issue.message for issue in result.checked.errors]
    yield database
