"""The browser cookie that keeps a local login over a reload: signed with the server secret, bound to
a login on the server, ended by the idle time and by logout, worthless without the binding."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from access import browser_login

IDLE = 120 * 60.0


@pytest.fixture
def users_file(tmp_path: Path) -> Path:
    return tmp_path / "benutzer.json"


def test_a_new_cookie_is_signed_with_the_server_secret(users_file: Path) -> None:
    cookie = browser_login.new_cookie(users_file)
    handle, signature = cookie.split(".")
    assert len(handle) >= 43 and len(signature) == 64
    assert browser_login.handle_of(cookie, users_file) == handle
    key = users_file.parent / "anmeldung.schluessel"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert browser_login.new_cookie(users_file) != cookie


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c[:-1] + ("0" if c[-1] != "0" else "1"),  # signature changed
        lambda c: "x" + c,  # handle changed
        lambda c: c.split(".")[0],  # no signature
        lambda c: c + ".extra",
        lambda c: "",
    ],
)
def test_a_changed_or_unsigned_cookie_is_refused(users_file: Path, change: object) -> None:
    cookie = browser_login.new_cookie(users_file)
    assert browser_login.handle_of(change(cookie), users_file) is None  # type: ignore[operator]


def test_another_secret_refuses_the_cookie(users_file: Path, tmp_path: Path) -> None:
    cookie = browser_login.new_cookie(users_file)
    other = tmp_path / "anderswo" / "benutzer.json"
    assert browser_login.handle_of(cookie, other) is None


def test_the_cookie_alone_signs_nobody_in(users_file: Path) -> None:
    handle = browser_login.handle_of(browser_login.new_cookie(users_file), users_file)
    assert handle is not None
    assert browser_login.resume(handle, IDLE, now=1000.0, users_file=users_file) is None


def test_a_bound_login_resumes_within_the_idle_time_and_ends_after_it(users_file: Path) -> None:
    handle = browser_login.handle_of(browser_login.new_cookie(users_file), users_file)
    assert handle is not None
    browser_login.bind(handle, "ana", now=1000.0, users_file=users_file)
    assert browser_login.resume(handle, IDLE, now=1000.0 + IDLE - 1, users_file=users_file) == "ana"
    # resuming counts as an action: the idle time starts again from there
    assert browser_login.resume(handle, IDLE, now=1000.0 + 2 * IDLE - 2, users_file=users_file) == "ana"
    assert browser_login.resume(handle, IDLE, now=1000.0 + 3 * IDLE, users_file=users_file) is None
    # once expired, it stays ended
    assert browser_login.resume(handle, IDLE, now=1000.0 + 2 * IDLE - 1, users_file=users_file) is None


def test_an_action_renews_the_idle_time(users_file: Path) -> None:
    handle = browser_login.handle_of(browser_login.new_cookie(users_file), users_file)
    assert handle is not None
    browser_login.bind(handle, "ana", now=0.0, users_file=users_file)
    browser_login.touch(handle, now=IDLE - 10, users_file=users_file)
    assert browser_login.resume(handle, IDLE, now=IDLE + 100, users_file=users_file) == "ana"


def test_logout_ends_the_binding(users_file: Path) -> None:
    handle = browser_login.handle_of(browser_login.new_cookie(users_file), users_file)
    assert handle is not None
    browser_login.bind(handle, "ana", now=0.0, users_file=users_file)
    browser_login.end(handle, users_file=users_file)
    assert browser_login.resume(handle, IDLE, now=1.0, users_file=users_file) is None


def test_the_store_holds_no_handle(users_file: Path) -> None:
    handle = browser_login.handle_of(browser_login.new_cookie(users_file), users_file)
    assert handle is not None
    browser_login.bind(handle, "ana", now=0.0, users_file=users_file)
    store = users_file.parent / "anmeldungen.sqlite"
    assert handle.encode() not in store.read_bytes()
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
