"""The real command line against the hand-worked values (and against the oracle).

Runs, as a user would::

    python -m loaders ingest FILES --db DB --json
    python -m metrics values --db DB --period month|quarter|year --format csv

with ``KIM_TODAY=2026-11-25`` in the project root, and compares the CSV output
with ``EXPECTED`` of ``test_handworked``. The helpers here are shared with
``test_oracle_random``.
"""

from __future__ import annotations

import csv
import io
import math
import os
import pathlib
import subprocess
import sys
from collections.abc import Iterable

import pytest

from tests import oracle
from tests.metrics.test_handworked import EXPECTED, Expected, fixture_paths, period_kind

PROJECT_ROOT = pathlib.Path(__file__).resolve().parents[2]
KIM_TODAY = "2026-11-25"
CLI_TIMEOUT_SECONDS = 300
PERIOD_KINDS = ("month", "quarter", "year")
VALUE_COLUMNS = (
    "kennzahl",
    "kommune",
    "periode",
    "wert",
    "zaehler",
    "nenner",
    "ampel",
    "unterdrueckt",
    "vollstaendig",
)

Key = tuple[str, str, str]
ResultRow = dict[str, object]


# ---------------------------------------------------------------------------
# Running the command line
# ---------------------------------------------------------------------------


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["KIM_TODAY"] = KIM_TODAY
    return env


def run_module(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *arguments],
        cwd=PROJECT_ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )


def describe_failure(result: subprocess.CompletedProcess[str]) -> str:
    return (
        f"exit code {result.returncode}\n"
        f"--- stdout (tail) ---\n{result.stdout[-3000:]}\n"
        f"--- stderr (tail) ---\n{result.stderr[-3000:]}"
    )


def ingest(files: Iterable[pathlib.Path], db: pathlib.Path) -> None:
    """Ingest the files, in order, into the database; fail the test on any error."""
    arguments = [
        "loaders",
        "ingest",
        *[str(path) for path in files],
        "--db",
        str(db),
        "--json",
    ]
    result = run_module(arguments)
    assert result.returncode == 0, "ingest failed: " + describe_failure(result)


def parse_cli_number(text: str) -> float | None:
    if text == "":
        return None
    return float(text)


def parse_cli_bool(text: str) -> bool:
    assert text in ("true", "false"), f"vollstaendig must be true/false, got {text!r}"
    return text == "true"


def cli_values(db: pathlib.Path, kind: str) -> dict[Key, ResultRow]:
    """The CLI's values for one period kind, keyed by (kennzahl, kommune, periode)."""
    arguments = [
        "metrics",
        "values",
        "--db",
        str(db),
        "--period",
        kind,
        "--format",
        "csv",
        "--internal",  # the unsuppressed figures: confidentiality is tested on its own
    ]
    result = run_module(arguments)
    assert result.returncode == 0, f"values --period {kind} failed: " + describe_failure(result)
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames is not None, "values printed no CSV header"
    missing_columns = [name for name in VALUE_COLUMNS if name not in reader.fieldnames]
    assert not missing_columns, f"values CSV lacks columns {missing_columns}: {reader.fieldnames}"
    rows: dict[Key, ResultRow] = {}
    for raw in reader:
        key = (raw["kennzahl"], raw["kommune"], raw["periode"])
        assert key not in rows, f"duplicate row {key} in values --period {kind}"
        rows[key] = {
            "wert": parse_cli_number(raw["wert"]),
            "zaehler": parse_cli_number(raw["zaehler"]),
            "nenner": parse_cli_number(raw["nenner"]),
            "vollstaendig": parse_cli_bool(raw["vollstaendig"]),
        }
    return rows


# ---------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------

Difference = tuple[Key, str, object, object]  # key, field, actual (CLI), expected


def same_number(actual: object, expected: object) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    assert isinstance(actual, int | float) and isinstance(expected, int | float)
    return math.isclose(actual, expected, rel_tol=1e-9)


def compare_rows(actual: dict[Key, ResultRow], expected: dict[Key, ResultRow]) -> list[Difference]:
    """Every difference between two keyed result sets (missing and extra rows included)."""
    differences: list[Difference] = []
    for key in sorted(expected):
        if key not in actual:
            differences.append((key, "row", "missing", "present"))
            continue
        for name in ("wert", "zaehler", "nenner"):
            if not same_number(actual[key][name], expected[key][name]):
                differences.append((key, name, actual[key][name], expected[key][name]))
        if actual[key]["vollstaendig"] != expected[key]["vollstaendig"]:
            differences.append(
                (
                    key,
                    "vollstaendig",
                    actual[key]["vollstaendig"],
                    expected[key]["vollstaendig"],
                )
            )
    for key in sorted(actual):
        if key not in expected:
            differences.append((key, "row", "present", "missing"))
    return differences


def format_differences(differences: list[Difference], limit: int = 25) -> str:
    """A compact table of the first differences."""
    lines = [
        f"{len(differences)} difference(s); first {min(limit, len(differences))}:",
        f"{'kennzahl':8} {'kommune':9} {'periode':8} {'field':12} {'cli':>22} {'expected':>22}",
    ]
    for (kennzahl, kommune, periode), name, actual, expected in differences[:limit]:
        lines.append(f"{kennzahl:8} {kommune:9} {periode:8} {name:12} {actual!r:>22} {expected!r:>22}")
    return "\n".join(lines)


def oracle_by_key(files: list[pathlib.Path], kind: str) -> dict[Key, ResultRow]:
    rows = oracle.compute(files, kind)
    return {(str(row["kennzahl"]), str(row["kommune"]), str(row["periode"])): row for row in rows}


def expected_as_row(expected: Expected) -> ResultRow:
    return {
        "wert": expected.wert,
        "zaehler": expected.zaehler,
        "nenner": expected.nenner,
        "vollstaendig": expected.vollstaendig,
    }


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def handworked_db(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    db = tmp_path_factory.mktemp("handworked") / "kim.duckdb"
    ingest(fixture_paths(), db)
    return db


@pytest.mark.parametrize("kind", PERIOD_KINDS)
def test_cli_matches_hand_worked_values(handworked_db: pathlib.Path, kind: str) -> None:
    actual = cli_values(handworked_db, kind)
    differences: list[Difference] = []
    for key, expected in sorted(EXPECTED.items()):
        if period_kind(key[2]) != kind:
            continue
        if key not in actual:
            differences.append((key, "row", "missing", "present"))
            continue
        expected_row = expected_as_row(expected)
        for name in ("wert", "zaehler", "nenner"):
            if not same_number(actual[key][name], expected_row[name]):
                differences.append((key, name, actual[key][name], expected_row[name]))
        if actual[key]["vollstaendig"] != expected.vollstaendig:
            differences.append(
                (
                    key,
                    "vollstaendig",
                    actual[key]["vollstaendig"],
                    expected.vollstaendig,
                )
            )
    assert not differences, format_differences(differences)


@pytest.mark.parametrize("kind", PERIOD_KINDS)
def test_cli_matches_oracle_on_hand_worked_files(handworked_db: pathlib.Path, kind: str) -> None:
    differences = compare_rows(cli_values(handworked_db, kind), oracle_by_key(fixture_paths(), kind))
    assert not differences, format_differences(differences)
