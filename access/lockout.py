"""Failed logins per name, counted across sessions, processes and restarts.

After ``MAX_FAILURES`` wrong passwords within ``LOCKOUT_SECONDS`` a name is locked for the rest of
that window, so that passwords cannot be guessed at speed. The failures live in a small SQLite file
beside the user file (``anmeldeversuche.sqlite``). A login attempt checks the count, verifies the
password and counts a failure inside one write transaction, so attempts submitted at the same time —
from threads of one app or from several processes — are checked one after another and none slips
past the count. (Every password check waits for the one before; an argon2 check takes a fraction of
a second, which also keeps guessing slow.)

When the file cannot be written (a read-only folder, a full disk), logins still work, counted in
this process only, and ``problem`` says why for the admin.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from access import users
from access.audit import describe
from access.users import User
from core import format as fmt
from core.settings import login_attempts_path, now

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60
_WAIT_SECONDS = 60.0  # how long an attempt waits for the ones before it

_fallback: defaultdict[str, list[float]] = defaultdict(list)
_fallback_lock = threading.Lock()
_problem: str | None = None


@dataclass(frozen=True)
class Attempt:
    user: User | None  # signed in
    locked: bool = False  # refused without checking the password
    busy: bool = False  # refused without checking: too many attempts waiting at once


def attempt(name: str, password: str, *, users_file: Path | None = None) -> Attempt:
    """Check a login: refused while the name is locked, else the password is verified and a wrong
    one counted."""
    global _problem
    clean = users.normalise_name(name)[:100]
    path = login_attempts_path() if users_file is None else users_file.with_name(login_attempts_path().name)
    try:
        result = _attempt_counted(path, clean, password, users_file)
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return Attempt(None, busy=True)  # never checked unless counted: a flood gains no guesses
        return _in_memory(path, clean, password, users_file, "die Datei ist schreibgeschützt oder nicht zu öffnen")
    except sqlite3.Error:
        return _in_memory(path, clean, password, users_file, "die Datei ist beschädigt")
    except OSError as error:
        return _in_memory(path, clean, password, users_file, describe(error))
    _problem = None
    return result


def _in_memory(path: Path, name: str, password: str, users_file: Path | None, reason: str) -> Attempt:
    global _problem
    _problem = (
        f"{fmt.day_time(now())}: Fehlversuche können nicht in {path} gespeichert werden ({reason.rstrip('.')}); "
        "die Sperre nach fünf falschen Passwörtern gilt bis zur Behebung nur je Prozess der App."
    )
    return _attempt_in_memory(name, password, users_file)


def problem() -> str | None:
    """Why failed logins are not counted across processes now, in German; None if they are."""
    if _problem:
        return _problem
    path = login_attempts_path()
    target = path if path.exists() else path.parent
    if target.exists() and not os.access(target, os.W_OK):
        return (
            f"Fehlversuche können nicht in {path} gespeichert werden (schreibgeschützt); die Sperre nach fünf "
            "falschen Passwörtern gilt bis zur Behebung nur je Prozess der App."
        )
    return None


def _connect(path: Path) -> sqlite3.Connection:
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # readable by the owner only, like the user file
    connection = sqlite3.connect(path, timeout=_WAIT_SECONDS, isolation_level=None)
    connection.execute("CREATE TABLE IF NOT EXISTS fehlversuch (name TEXT NOT NULL, zeit REAL NOT NULL)")
    return connection


def _attempt_counted(path: Path, name: str, password: str, users_file: Path | None) -> Attempt:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = _connect(path)
    try:
        connection.execute("BEGIN IMMEDIATE")  # one attempt at a time, across threads and processes
        try:
            since = time.time() - LOCKOUT_SECONDS
            connection.execute("DELETE FROM fehlversuch WHERE zeit < ?", [since])
            (failures,) = connection.execute("SELECT count(*) FROM fehlversuch WHERE name = ?", [name]).fetchone()
            if failures >= MAX_FAILURES:
                connection.execute("COMMIT")
                return Attempt(None, locked=True)
            user = users.authenticate(name, password, path=users_file)
            if user is None:
                connection.execute("INSERT INTO fehlversuch VALUES (?, ?)", [name, time.time()])
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        connection.close()
    return Attempt(user)


def _attempt_in_memory(name: str, password: str, users_file: Path | None) -> Attempt:
    with _fallback_lock:
        recent = [moment for moment in _fallback[name] if time.monotonic() - moment < LOCKOUT_SECONDS]
        _fallback[name] = recent
        if len(recent) >= MAX_FAILURES:
            return Attempt(None, locked=True)
        user = users.authenticate(name, password, path=users_file)
        if user is None:
            recent.append(time.monotonic())
        return Attempt(user)
