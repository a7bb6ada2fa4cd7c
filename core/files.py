"""Files on disk: their content hash, and writes that leave either the old or the new file, never half of one."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's content as hex, read in chunks (uploads can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


PARTIAL_SUFFIX = ".teil"


def partial_path(path: Path) -> Path:
    """Where a copy of ``path`` is written before it is moved in place: '<name>.teil' beside it."""
    return path.with_name(f"{path.name}{PARTIAL_SUFFIX}")


def copy_atomically(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` under the partial name first, then move it in place: a reader
    (and a crash) sees no file or the complete one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(target)
    shutil.copyfile(source, partial)
    partial.replace(target)


def copy_checked(reader: IO[bytes], target: Path, sha256: str) -> bool:
    """Copy a stream to ``target`` under the partial name and move it in place only when its content
    has the expected SHA-256; False, and nothing left behind, when it has not."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(target)
    digest = hashlib.sha256()
    with partial.open("wb") as writer:
        for chunk in iter(lambda: reader.read(_CHUNK), b""):
            digest.update(chunk)
            writer.write(chunk)
    if digest.hexdigest() != sha256:
        partial.unlink(missing_ok=True)
        return False
    partial.replace(target)
    return True


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` in one step: into a temporary file of its own beside it (so that two
    processes writing at once never share one), flushed to disk, then moved in place. ``mode``: the
    permission bits the file gets before anyone can see it (0o600 for secrets)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".teil", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def create_once(path: Path, data: bytes, *, mode: int = 0o600) -> bool:
    """Create ``path`` with ``data`` unless it exists; never replace it, also not when another process
    creates it at the same moment (then that one's file stays). True when this call created it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".teil", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), mode)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
            return True
        return False
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_json(path: Path, content: dict[str, Any]) -> None:
    """A small JSON file in UTF-8 with umlauts as they are (the sandboxed readers' results)."""
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
