"""Random data sets: the real command line must agree with the oracle on every row.

Each seed generates canonical delivery files for all ten Kommunen and all seven
Datenquellen (tests/helpers/random_data.py), all of which a correct loader accepts.
"""

from __future__ import annotations

import pathlib

import pytest

from tests.helpers import oracle
from tests.helpers.random_data import expected_period_count, generate
from tests.helpers.values import (
    PERIOD_KINDS,
    Difference,
    cli_values,
    compare_rows,
    format_differences,
    ingest,
    oracle_by_key,
)

# (seed, gap): gap is the probability of a missing month; it also scales the other gaps
# (a Datenquelle a Kommune never delivers, empty cells, missing Stichtage). Gap 0 gives a
# dense data set in which Kreis values can be complete.
SEEDS: tuple[tuple[int, float], ...] = ((101, 0.0), (202, 0.1), (303, 0.2), (404, 0.2), (505, 0.35))


@pytest.mark.parametrize(("seed", "gap"), SEEDS)
def test_oracle_covers_every_kennzahl_region_and_period(seed: int, gap: float, tmp_path: pathlib.Path) -> None:
    data = generate(seed, gap, tmp_path)
    regions = set(oracle.region_members())
    assert len(regions) == 14
    for kind in PERIOD_KINDS:
        rows = oracle.compute(data.files, kind)
        n_periods = expected_period_count(data.delivered_months, kind)
        keys = {(row["kennzahl"], row["kommune"], row["periode"]) for row in rows}
        assert len(rows) == len(keys) == 28 * 14 * n_periods
        assert {row["kennzahl"] for row in rows} == set(oracle.KENNZAHL_CODES)
        assert {row["kommune"] for row in rows} == regions
        assert len({row["periode"] for row in rows}) == n_periods


@pytest.mark.parametrize(("seed", "gap"), SEEDS)
def test_cli_matches_oracle_on_random_data(seed: int, gap: float, tmp_path: pathlib.Path) -> None:
    files_dir = tmp_path / "files"
    files_dir.mkdir()
    data = generate(seed, gap, files_dir)
    db = tmp_path / "kim.duckdb"
    ingest(data.files, db)
    differences: list[Difference] = []
    for kind in PERIOD_KINDS:
        differences.extend(compare_rows(cli_values(db, kind), oracle_by_key(data.files, kind)))
    assert not differences, f"seed {seed}: " + format_differences(differences)
