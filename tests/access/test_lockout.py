"""The lock after five wrong passwords holds for attempts submitted at the same time, from threads
and from separate processes, and survives a restart."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from access import lockout, users
from tests.helpers.environment import PASSWORD
from tests.helpers.paths import ROOT

WRONG = "falsches-passwort"


@pytest.fixture
def user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "benutzer.json"
    monkeypatch.setenv("KIM_USERS", str(path))
    users.add("ana", "analyse", PASSWORD)
    return path


def test_five_wrong_passwords_lock_the_name_and_the_counter_lies_beside_the_user_file(user_file: Path) -> None:
    for _ in range(lockout.MAX_FAILURES):
        assert lockout.attempt("ana", WRONG) == lockout.Attempt(None, locked=False)
    assert lockout.attempt("Ana ", PASSWORD) == lockout.Attempt(None, locked=True)
    assert lockout.attempt("lena", WRONG) == lockout.Attempt(None, locked=False)  # other names are not locked
    counter = user_file.with_name("anmeldeversuche.sqlite")
    assert stat.S_IMODE(counter.stat().st_mode) == 0o600
    assert lockout.problem() is None


def test_the_lock_ends_after_fifteen_minutes(user_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(lockout.MAX_FAILURES):
        lockout.attempt("ana", WRONG)
    later = time.time() + lockout.LOCKOUT_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    attempt = lockout.attempt("ana", PASSWORD)
    assert attempt.user is not None and attempt.user.name == "ana"


def _submit_at_once(passwords: list[str]) -> list[lockout.Attempt]:
    """One thread per password, all released at the same moment; the right password comes last."""
    results: list[lockout.Attempt | None] = [None] * len(passwords)
    barrier = threading.Barrier(len(passwords))

    def submit(number: int) -> None:
        barrier.wait()
        if number == len(passwords) - 1:
            time.sleep(0.05)  # the right one a moment after the wrong ones, all still in progress
        results[number] = lockout.attempt("ana", passwords[number])

    threads = [threading.Thread(target=submit, args=(number,)) for number in range(len(passwords))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [result for result in results if result is not None]


def test_fifteen_threads_at_once_check_no_more_than_five_wrong_passwords(user_file: Path) -> None:
    results = _submit_at_once([WRONG] * 14 + [PASSWORD])
    checked_wrong = [r for r in results[:14] if not r.locked]
    assert len(checked_wrong) == lockout.MAX_FAILURES  # the others were refused unchecked
    assert all(r.user is None for r in results[:14])
    # The right password got in only if it was checked before the fifth wrong one; after them it is refused.
    assert lockout.attempt("ana", PASSWORD).locked


def test_fifteen_processes_at_once_check_no_more_than_five_wrong_passwords(user_file: Path, tmp_path: Path) -> None:
    start = tmp_path / "los"
    script = f"""
import sys, time
from pathlib import Path
from access import lockout
while not Path({str(start)!r}).exists():
    time.sleep(0.005)
result = lockout.attempt("ana", sys.argv[1])
print("gesperrt" if result.locked else ("angemeldet" if result.user else "falsch"))
"""
    env = os.environ | {"KIM_USERS": str(user_file)}
    processes = [
        subprocess.Popen([sys.executable, "-c", script, password], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for password in [WRONG] * 14 + [PASSWORD]
    ]
    time.sleep(3)  # every process started and waiting
    start.touch()
    outcomes = [process.communicate(timeout=120)[0].strip() for process in processes]
    assert outcomes[:14].count("falsch") == lockout.MAX_FAILURES
    assert outcomes[:14].count("gesperrt") == 14 - lockout.MAX_FAILURES
    assert lockout.attempt("ana", PASSWORD).locked  # and this process sees the same count


def test_the_lock_survives_a_restart(user_file: Path) -> None:
    script = "from access import lockout\nfor _ in range(5): lockout.attempt('ana', 'falsches-passwort')\n"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=os.environ | {"KIM_USERS": str(user_file)}, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    assert lockout.attempt("ana", PASSWORD).locked  # a new process after the one that counted has ended


def test_an_unwritable_counter_still_lets_people_in_and_says_why(user_file: Path) -> None:
    user_file.with_name("anmeldeversuche.sqlite").mkdir()  # cannot be opened as a database, even by root
    attempt = lockout.attempt("ana", PASSWORD)
    assert attempt.user is not None and attempt.user.name == "ana"
    problem = lockout.problem()
    assert problem is not None and "Fehlversuche können nicht in" in problem and "nur je Prozess" in problem
    for _ in range(lockout.MAX_FAILURES):
        lockout.attempt("ana", WRONG)
    assert lockout.attempt("ana", PASSWORD).locked  # still locked within this process
    lockout._fallback.clear()  # no other test may inherit this process's count


def test_an_attempt_that_waits_too_long_is_refused_unchecked(user_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lockout.attempt("ana", WRONG)  # creates the counter
    monkeypatch.setattr(lockout, "_WAIT_SECONDS", 0.2)
    holder = sqlite3.connect(user_file.with_name("anmeldeversuche.sqlite"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another attempt holds the counter
    try:
        assert lockout.attempt("ana", PASSWORD) == lockout.Attempt(None, busy=True)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert lockout.problem() is None  # no fall back to counting in memory
