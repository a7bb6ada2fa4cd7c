"""Append-only JSON-lines files: the event log of the uploads (``store/history.py``) and the audit
log (``access/audit.py``) are written the same way.

An append takes an exclusive lock on the file, so that writers in several threads or processes
never interleave. A last line without its line break was cut off by a crash or a full disk while it
was written: before the next append it is moved into a file of its own beside the log
(``<name>.abgeschnitten-<time>.jsonl``), with a warning, never silently dropped and never left to
spoil the next line. An append that fails part-way (disk full) is cut back to where it started, so
the log holds every entry either whole or not at all.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.settings import now

log = logging.getLogger("kim")

CUT_OFF_MARK = "abgeschnitten"


def complete_lines(data: bytes) -> tuple[list[bytes], bytes]:
    """The whole lines of a log (without their line breaks) and what follows the last line break,
    which was cut off while it was written."""
    cut = data.rfind(b"\n") + 1
    return data[:cut].split(b"\n")[:-1], data[cut:]


def cut_off_files(path: Path) -> list[Path]:
    """Cut-off last lines of ``path`` set aside so far, oldest first."""
    return sorted(path.parent.glob(f"{path.stem}.{CUT_OFF_MARK}-*{path.suffix}"))


@dataclass
class Appender:
    """An open log under an exclusive lock (see ``locked``)."""

    path: Path
    descriptor: int
    set_aside: Path | None  # where a cut-off last line was moved before this append

    def size(self) -> int:
        return os.fstat(self.descriptor).st_size

    def read_from(self, offset: int) -> bytes:
        """The bytes from ``offset`` to the end."""
        chunks = []
        while chunk := os.pread(self.descriptor, 1 << 20, offset):
            chunks.append(chunk)
            offset += len(chunk)
        return b"".join(chunks)

    def last_line(self) -> bytes | None:
        """The last whole line (while locked, the file ends with a line break), or None if empty."""
        end = self.size() - 1
        if end < 0:
            return None
        start = _start_of_last_line(self.descriptor, end)
        return os.pread(self.descriptor, end - start, start)

    def append(self, data: bytes) -> None:
        """Write ``data`` (whole lines) and force it to disk; on failure cut the file back to where
        it was, so that no part of ``data`` stays behind."""
        start = self.size()
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.descriptor, view) :]
            os.fsync(self.descriptor)
        except OSError:
            try:
                os.ftruncate(self.descriptor, start)
            except OSError:  # left for the next append to set aside
                log.warning("Das Protokoll %s konnte nicht auf den vorigen Stand gekürzt werden.", self.path)
            raise


@contextmanager
def locked(path: Path) -> Iterator[Appender]:
    """Open ``path`` for appending (created with mode 600), lock it and set a cut-off last line
    aside. Raises OSError when the log cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        appender = Appender(path, descriptor, None)
        appender.set_aside = _set_aside_cut_off(appender)
        yield appender
    finally:
        os.close(descriptor)  # also releases the lock


def _start_of_last_line(descriptor: int, size: int) -> int:
    step = 16384
    while True:
        base = max(0, size - step)
        found = os.pread(descriptor, size - base, base).rfind(b"\n")
        if found >= 0:
            return base + found + 1
        if base == 0:
            return 0
        step *= 4


def _set_aside_cut_off(appender: Appender) -> Path | None:
    size = appender.size()
    if not size or os.pread(appender.descriptor, 1, size - 1) == b"\n":
        return None
    start = _start_of_last_line(appender.descriptor, size)
    tail = appender.read_from(start)
    path = appender.path
    target = path.with_name(f"{path.stem}.{CUT_OFF_MARK}-{now():%Y%m%dT%H%M%S%f}{path.suffix}")
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, tail)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.ftruncate(appender.descriptor, start)
    os.fsync(appender.descriptor)
    log.warning(
        "Die letzte Zeile des Protokolls %s war unvollständig (%d Bytes); sie liegt jetzt unter %s.",
        path,
        len(tail),
        target,
    )
    return target


@contextmanager
def reading(path: Path) -> Iterator[bytes]:
    """The whole log, read under a shared lock so that no append is half seen; an absent log is
    empty. What the caller reads beside it inside the block (an anchor) matches the log."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        yield b""
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH)
        yield Appender(path, descriptor, None).read_from(0)
    finally:
        os.close(descriptor)
