"""Exceptions that carry a German message for the user.

Every error a user may see is a KimError with a ``user_message``; anything else is a bug and is
shown as a generic message (see ``user_message_for``), never as a traceback.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from pathlib import Path

from core.settings import debug


class KimError(Exception):
    """An expected failure with a message in German for the user."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class UsageError(KimError):
    """The command line or a form was used wrongly."""


class DatabaseBusyError(KimError):
    """Another process held the database for longer than we wait."""


class DatabaseMissingError(KimError):
    """There is no database yet."""


class ConfigError(KimError):
    """A configuration file under data/ is broken; the message lists every problem."""


_FULL = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
# DuckDB reports the operating system's error in its message text only.
_FULL_TEXTS = ("no space left on device", "disk quota exceeded")
_READ_ONLY_TEXTS = ("read-only file system", "permission denied", "operation not permitted")

DISK_FULL = (
    "Auf dem Server ist kein Speicherplatz mehr frei{where}; der Vorgang wurde deshalb abgebrochen. Bitte die "
    "Administration bitten, Platz zu schaffen, und den Vorgang danach wiederholen."
)
READ_ONLY = (
    "Auf dem Server darf in den Ordner{where} nicht geschrieben werden (schreibgeschützt oder ohne "
    "Schreibrecht); der Vorgang wurde deshalb abgebrochen. Bitte die Administration informieren."
)


def storage_fault(error: BaseException) -> tuple[str, str | None] | None:
    """Whether a failure (or one that caused it) is a full disk ("voll") or a folder that cannot be
    written ("schreibgeschützt"), with the file concerned if known; None for anything else."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _FULL | _READ_ONLY:
            kind = "voll" if current.errno in _FULL else "schreibgeschützt"
            return kind, None if current.filename is None else str(current.filename)
        if isinstance(current, OSError) or "duckdb" in type(current).__module__:
            text = str(current).lower()
            if any(t in text for t in _FULL_TEXTS):
                return "voll", None
            if any(t in text for t in _READ_ONLY_TEXTS):
                return "schreibgeschützt", None
        current = current.__cause__ or current.__context__
    return None


def storage_message(error: BaseException) -> str | None:
    """The German message for a full disk or a folder that cannot be written, else None."""
    fault = storage_fault(error)
    if fault is None:
        return None
    kind, file = fault
    if kind == "voll":
        return DISK_FULL.format(where=f" (beim Schreiben von {file})" if file else "")
    folder = Path(file).parent if file else None
    return READ_ONLY.format(where=f" {folder}" if folder else "")


def os_reason(error: OSError) -> str:
    """Why a file operation failed, in German, to be put into a longer message."""
    fault = storage_fault(error)
    if fault is not None:
        return (
            "kein Speicherplatz mehr frei" if fault[0] == "voll" else "Ordner schreibgeschützt oder ohne Schreibrecht"
        )
    reasons = {
        errno.ENAMETOOLONG: "Dateiname zu lang",
        errno.ENOENT: "Datei oder Ordner nicht gefunden",
        errno.EISDIR: "ist ein Ordner",
        errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner",
    }
    return reasons.get(error.errno or 0, "Fehler des Dateisystems")


def user_message_for(error: BaseException) -> str:
    if isinstance(error, KimError):
        return error.user_message
    storage = storage_message(error)
    if storage is not None:
        return storage
    return (
        "Ein unerwarteter Fehler ist aufgetreten. Bitte den Vorgang wiederholen und, wenn er "
        "erneut auftritt, das KI-Team informieren."
    )


def run_command(action: Callable[[], int]) -> int:
    """Run a command-line action: German message on stderr and exit code 2 for a usage error, 1 for
    any other failure; a traceback only with KIM_DEBUG set."""
    try:
        return action()
    except UsageError as error:
        print(f"Fehler: {error.user_message}", file=sys.stderr)
        return 2
    except KimError as error:
        print(f"Fehler: {error.user_message}", file=sys.stderr)
        return 1
    except Exception as error:
        if debug():
            raise
        print(f"Fehler: {user_message_for(error)}", file=sys.stderr)
        return 1
