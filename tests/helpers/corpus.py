"""The ingest command run on the file corpora (tests/files/good, bad, messy), as a user would::

    python -m loaders ingest FILE … --db DB --json

from the project root with KIM_TODAY of the tests, and its JSON report checked against the
contract's shape. Used by tests/loaders/test_ingest_files.py and test_tolerance.py."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest

from tests.helpers.cli import cli_env, describe_failure, run_module

BERGKAMEN, BOENEN, FROENDENBERG, HOLZWICKEDE, KAMEN = "05978004", "05978008", "05978012", "05978016", "05978020"
LUENEN, SCHWERTE, SELM, UNNA, WERNE = "05978024", "05978028", "05978032", "05978036", "05978040"
TIMEOUT_SECONDS = 180

Place = tuple[str | None, int | None, str | None]  # (sheet, row, column) of an error or warning

ENTRY_KEYS = {"file", "status", "source", "partitions", "rows", "errors", "warnings", "upload_id"}
ISSUE_KEYS = {"sheet", "row", "column", "message"}
GERMAN = re.compile(
    r"\b(Bitte|bitte|nicht|ist|sind|fehlt|liegt|kein|keine|gibt|darf|wird|werden|Datei|Spalte|Zeile|Kommune|Monat)\b"
)
ENGLISH = re.compile(r"\b(the|is|not|error|invalid|missing|row|column|file|please|unknown)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    """One stored value: ``column`` of the single row of ``v_<source>`` where ``where`` holds."""

    where: str
    column: str
    value: object


def where_kommune(ags: str, monat: str | None = None) -> str:
    condition = f"kommune = '{ags}'"
    return condition + (f" AND monat = DATE '{monat}-01'" if monat else "")


def fall(fall_id: str) -> str:
    return f"fall_id = '{fall_id}'"


class CorpusCase(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def bug(self) -> str | None: ...


def params(cases: Sequence[CorpusCase]) -> list[Any]:
    """One test per case, named by its file; a case with a suspected loader bug is xfail(strict)."""
    return [
        pytest.param(case, id=case.name, marks=[pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else [])
        for case in cases
    ]


# Taken once at import: the corpus commands start on worker threads while pytest changes
# os.environ (PYTEST_CURRENT_TEST) on the main thread, and iterating it then may fail.
_ENV = cli_env()


def run_loaders(*arguments: str) -> subprocess.CompletedProcess[str]:
    """``python -m loaders ARGUMENTS`` from the project root, as a user would run it."""
    return run_module(["loaders", *arguments], env=_ENV, timeout=TIMEOUT_SECONDS)


def ingest(db: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return run_loaders("ingest", *arguments, "--db", str(db), "--json")


def entries(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    """The JSON on stdout (nothing else may be there), checked against the contract's shape."""
    try:
        document = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail("stdout is not JSON only:\n" + describe_failure(result))
    assert set(document) == {"files"}, document
    for entry in document["files"]:
        assert set(entry) == ENTRY_KEYS, entry
        assert entry["status"] in ("accepted", "unchanged", "rejected"), entry
        for issue in entry["errors"] + entry["warnings"]:
            assert set(issue) == ISSUE_KEYS, issue
    return list(document["files"])


def single_entry(result: subprocess.CompletedProcess[str], file: str) -> dict[str, Any]:
    found = entries(result)
    assert len(found) == 1, found
    assert found[0]["file"] == file
    return found[0]


def places(issues: Sequence[dict[str, Any]]) -> list[Place]:
    return sorted(((i["sheet"], i["row"], i["column"]) for i in issues), key=place_key)


def place_key(place: Place) -> tuple[str, int, str]:
    sheet, row, column = place
    return (sheet or "", row or 0, column or "")


def assert_german(message: str) -> None:
    """A German sentence (quoted values, which may be anything, are not judged)."""
    prose = re.sub(r"'[^']*'", "", message)
    assert GERMAN.search(prose), f"not a German message: {message!r}"
    assert not ENGLISH.search(prose), f"English words in message: {message!r}"
