"""Faults of the machine made real: a folder nothing can be written into, a full disk."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.settings import archive_dir


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """The (empty) folder made one nothing can be written into: a read-only tmpfs for root (who may
    write anywhere else), a folder without write permission for anyone else. Skips the test when
    root may not mount."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("running as root without the right to mount a read-only folder")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def full_disk_for_archive(database: Path, file: Path) -> None:
    """The archive copy of ``file`` (written under a temporary name first) goes to /dev/full."""
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    partial = archive_dir(database) / digest[:2] / f"{digest}{file.suffix}.teil"
    partial.parent.mkdir(parents=True)
    partial.symlink_to("/dev/full")
