"""Faults of the machine and odd files get German messages that name the real cause.

A full disk (ENOSPC, made real by writing through a link to /dev/full) and a folder that cannot be
written (a read-only tmpfs when the tests run as root, else a folder without write permission)
during a check, a save or a backup; a file name of 300 characters or with a NUL byte; a workbook
with two sheets of one name; an archived original changed after its upload (see test_history).
"""

from __future__ import annotations

import errno
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import openpyxl
import pytest

import store
from actions.actor import Actor
from core.errors import storage_message, user_message_for
from loaders.__main__ import main as loaders_main
from loaders.ingest import ingest_file
from tests.helpers.databases import upload_count
from tests.helpers.faults import full_disk_for_archive, read_only
from ui import uploads

SCHULE = "kommune,monat,seiteneinsteiger_neu,seiteneinsteiger_beschult_4w,wartende_schulplatz\n"
GENERIC = "Ein unerwarteter Fehler"


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "schreibgeschuetzt"
    folder.mkdir()
    with read_only(folder):
        yield folder


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/daten/archive/ab/x.csv"), "kein Speicherplatz mehr frei"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "kein Speicherplatz mehr frei"),
        (OSError(errno.EROFS, "Read-only file system", "/daten/kim.duckdb"), "in den Ordner /daten nicht geschrieben"),
        (PermissionError(errno.EACCES, "Permission denied", "/daten/x"), "schreibgeschützt oder ohne Schreibrecht"),
        (duckdb.IOException('Could not write file "x": No space left on device'), "kein Speicherplatz mehr frei"),
        (duckdb.IOException('Cannot open file "x": Read-only file system'), "schreibgeschützt"),
    ],
)
def test_a_storage_fault_becomes_a_german_message(error: BaseException, expected: str) -> None:
    message = user_message_for(error)
    assert expected in message and GENERIC not in message
    assert "Errno" not in message and "No space" not in message


def test_other_failures_stay_generic() -> None:
    assert storage_message(ValueError("Permission denied")) is None  # only file-system errors count
    assert user_message_for(KeyError("x")).startswith(GENERIC)


def test_a_full_disk_while_storing_an_upload_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "kim.duckdb"
    file = tmp_path / "schule.csv"
    file.write_text(SCHULE + "Bergkamen,2026-10,12,10,4\n", encoding="utf-8")
    full_disk_for_archive(database, file)

    code = loaders_main(["ingest", str(file), "--db", str(database)])

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Fehler: Auf dem Server ist kein Speicherplatz mehr frei"), err
    assert GENERIC not in err and "Traceback" not in err
    assert upload_count(database) == 0  # nothing stored without its archived original


def test_a_backup_into_a_read_only_folder_is_named(
    tmp_path: Path, read_only_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "kim.duckdb"
    file = tmp_path / "schule.csv"
    file.write_text(SCHULE + "Bergkamen,2026-10,12,10,4\n", encoding="utf-8")
    assert ingest_file(file, database=database).status == "accepted"

    code = loaders_main(["backup", "--out", str(read_only_folder / "sicherung" / "kim.zip"), "--db", str(database)])

    err = capsys.readouterr().err
    assert code == 1
    assert "konnte nicht geschrieben werden (Ordner schreibgeschützt oder ohne Schreibrecht)" in err, err
    assert "Errno" not in err and "Read-only" not in err and "Permission" not in err


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("a" * 300 + ".csv", "a" * 143 + "….csv"),
        ("Ä" * 300 + ".csv", "Ä" * 71 + "….csv"),  # two bytes each, "…" three: at most 150 bytes
        ("schule\x00bericht.csv", "schule bericht.csv"),
        ("..\\..\\etc\\schule.csv", "schule.csv"),
        ("\x00\n", "Datei"),
    ],
)
def test_an_odd_file_name_is_shortened_and_cleaned(given: str, shown: str) -> None:
    assert uploads.clean_name(given) == shown
    assert len(shown.encode()) <= uploads.MAX_NAME_BYTES


@pytest.mark.parametrize("name", ["x" * 300 + ".csv", "schule\x00.csv"])
def test_a_file_with_a_long_or_nul_name_is_checked_like_any_other(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The browser may send any name: 300 characters (more than a folder entry may hold) or a NUL
    byte made the page fail with the generic message; now the file is checked and stored."""
    database = tmp_path / "kim.duckdb"
    monkeypatch.setenv("KIM_DB", str(database))
    prepared = uploads.prepare(name, (SCHULE + "Bergkamen,2026-10,12,10,4\n").encode())
    assert prepared.accepted, [i.message for i in prepared.checked.errors]
    assert "\x00" not in prepared.name and len(prepared.name.encode()) <= uploads.MAX_NAME_BYTES
    result = uploads.store(prepared, Actor.on_page("ana"))
    assert result.status == "accepted"
    with store.connect(database) as connection:
        assert store.first_row(connection, "SELECT datei FROM upload") == (prepared.name,)


def _workbook(path: Path, names: tuple[str, str], *, same: bool) -> Path:
    """Two sheets of the Schule source (Bergkamen, then Unna, October 2026); ``same``: the second
    sheet is renamed to the first's name in the file itself (Excel would refuse it)."""
    workbook = openpyxl.Workbook()
    for number, (name, kommune) in enumerate(zip(names, ("Bergkamen", "Unna"), strict=True)):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = name
        sheet.append(SCHULE.strip().split(","))
        sheet.append([kommune, "2026-10", 12, 10, 4])
    made = path.with_suffix(".tmp.xlsx")
    workbook.save(made)
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if same and item.filename == "xl/workbook.xml":
                data = data.replace(f'name="{names[1]}"'.encode(), f'name="{names[0]}"'.encode())
            target.writestr(item, data)
    return path


@pytest.mark.parametrize(
    ("names", "same", "expected"),
    [
        (("Okt 2026", "Zweites"), True, "zwei Blätter mit demselben Namen 'Okt 2026'"),
        (
            ("Okt 2026", "okt  2026 "),
            False,
            "zwei Blätter, deren Namen sich nur in Groß- und Kleinschreibung oder Leerzeichen unterscheiden "
            "('Okt 2026' und 'okt  2026 ')",
        ),
    ],
)
def test_two_sheets_of_one_name_are_named_as_the_cause(
    names: tuple[str, str], same: bool, expected: str, tmp_path: Path
) -> None:
    """Before, the second of two sheets named alike was read as the first, and the file was refused
    for Bergkamen being delivered twice (it was not), or taken although its sheets look the same."""
    path = _workbook(tmp_path / "schule.xlsx", names, same=same)
    result = ingest_file(path, database=tmp_path / "kim.duckdb", dry_run=True)
    assert result.status == "rejected"
    (error,) = result.checked.errors
    assert expected in error.message and "Bergkamen" not in error.message
    assert "eigenen Namen" in error.message
