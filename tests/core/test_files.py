"""Content hashes and atomic writes: one home in core/files.py (issue 11 #3), on real files."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import threading
from pathlib import Path

import pytest

from core import files


def test_sha256_of_a_file_larger_than_one_chunk(tmp_path: Path) -> None:
    data = os.urandom((1 << 20) + 123)
    path = tmp_path / "lieferung.xlsx"
    path.write_bytes(data)
    assert files.sha256_of(path) == hashlib.sha256(data).hexdigest()


def test_copy_atomically_goes_through_the_partial_name(tmp_path: Path) -> None:
    source = tmp_path / "a.csv"
    source.write_bytes(b"kommune;monat\n")
    target = tmp_path / "archive" / "ab" / "abc.csv"
    files.copy_atomically(source, target)
    assert target.read_bytes() == b"kommune;monat\n"
    assert files.partial_path(target) == target.with_name("abc.csv.teil")
    assert not files.partial_path(target).exists()


def test_copy_checked_moves_in_place_only_with_the_right_hash(tmp_path: Path) -> None:
    data = b"x" * 5000
    target = tmp_path / "db" / "kim.duckdb"
    assert not files.copy_checked(io.BytesIO(data), target, hashlib.sha256(b"other").hexdigest())
    assert not target.exists() and not files.partial_path(target).exists()
    assert files.copy_checked(io.BytesIO(data), target, hashlib.sha256(data).hexdigest())
    assert target.read_bytes() == data


def test_write_atomically_replaces_whole_with_the_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "benutzer.json"
    path.write_text("alt")
    files.write_atomically(path, b'{"version": 1}', mode=0o600)
    assert path.read_bytes() == b'{"version": 1}'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["benutzer.json"]


def test_write_atomically_keeps_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "anker"
    path.write_bytes(b"alt")

    def full_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        files.write_atomically(path, b"neu")
    assert path.read_bytes() == b"alt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anker"]


def test_concurrent_atomic_writers_never_leave_a_mixed_file(tmp_path: Path) -> None:
    path = tmp_path / "zugriffe.anker"
    contents = [bytes([65 + n]) * 200_000 for n in range(8)]
    threads = [threading.Thread(target=files.write_atomically, args=(path, c)) for c in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert path.read_bytes() in contents
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zugriffe.anker"]


def test_create_once_never_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "geheim" / "zugriffe.schluessel"
    assert files.create_once(path, b"erster")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not files.create_once(path, b"zweiter")
    assert path.read_bytes() == b"erster"
    assert sorted(p.name for p in path.parent.iterdir()) == ["zugriffe.schluessel"]
