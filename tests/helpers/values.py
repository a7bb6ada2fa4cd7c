"""The indicator values of the real command line, compared with expected ones::

    python -m loaders ingest FILES --db DB --json
    python -m metrics values --db DB --period month|quarter|year --format csv --internal

run from the project root with KIM_TODAY of the tests. Used by the hand-worked, random and attacker
tests of tests/metrics/."""

from __future__ import annotations

import csv
import io
import math
import pathlib
from collections.abc import Iterable

from tests.helpers import oracle
from tests.helpers.cli import describe_failure, run_module

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
