"""The browser cookie that keeps a local login over a reload: signed with the server secret, bound to
a login on the server, ended by the idle time and by logout, worthless without the binding."""

from __future__ import annotations

import asyncio
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


def test_a_login_replaces_the_cookie_it_found(users_file: Path) -> None:
    """Issue 10 (session fixation): the login bound the handle the browser had before it, so whoever
    knew or planted that cookie was signed in with the user. A login now binds a new handle, and the
    old one signs nobody in."""
    before = browser_login.handle_of(browser_login.new_cookie(users_file), users_file)
    assert before is not None
    after = browser_login.rotate(before, "ana", now=10.0, users_file=users_file)
    assert after != before
    assert browser_login.resume(before, IDLE, now=20.0, users_file=users_file) is None
    assert browser_login.resume(after, IDLE, now=20.0, users_file=users_file) == "ana"
    # the new cookie is handed to the holder of the old one, once
    cookie = browser_login.replacement(before, now=20.0)
    assert cookie is not None and browser_login.handle_of(cookie, users_file) == after
    assert browser_login.replacement(before, now=21.0) is None
    assert browser_login.replacement(after, now=21.0) is None


def test_a_logout_replaces_the_cookie_with_one_that_signs_nobody_in(users_file: Path) -> None:
    start = browser_login.handle_of(browser_login.new_cookie(users_file), users_file)
    assert start is not None
    signed_in = browser_login.rotate(start, "ana", now=0.0, users_file=users_file)
    signed_out = browser_login.rotate(signed_in, None, now=5.0, users_file=users_file)
    assert browser_login.resume(signed_in, IDLE, now=6.0, users_file=users_file) is None
    assert browser_login.resume(signed_out, IDLE, now=6.0, users_file=users_file) is None
    cookie = browser_login.replacement(signed_in, now=6.0)
    assert cookie is not None and browser_login.handle_of(cookie, users_file) == signed_out


def test_a_replacement_not_fetched_in_time_is_dropped(users_file: Path) -> None:
    start = browser_login.handle_of(browser_login.new_cookie(users_file), users_file)
    assert start is not None
    browser_login.rotate(start, "ana", now=0.0, users_file=users_file)
    assert browser_login.replacement(start, now=3600.0) is None


def _get(cookie: str | None, content_type: bytes) -> list[str]:
    """The Set-Cookie headers of one GET through the middleware in front of a tiny app."""

    async def inner(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b"x"})  # type: ignore[operator]

    sent: list[dict] = []  # type: ignore[type-arg]

    async def send(message: dict) -> None:  # type: ignore[type-arg]
        sent.append(message)

    async def receive() -> dict:  # type: ignore[type-arg]
        return {"type": "http.request"}

    headers = [(b"cookie", f"{browser_login.COOKIE}={cookie}".encode())] if cookie else []
    scope = {"type": "http", "method": "GET", "scheme": "http", "headers": headers, "path": "/media/x.png"}
    asyncio.run(browser_login.CookieMiddleware(inner)(scope, receive, send))  # type: ignore[arg-type]
    return [v.decode() for n, v in sent[0]["headers"] if n == b"set-cookie"]


def test_the_server_hands_the_new_cookie_to_the_old_ones_browser(
    users_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIM_USERS", str(users_file))
    old = browser_login.new_cookie()
    handle = browser_login.handle_of(old)
    assert handle is not None
    assert _get(old, b"image/png") == []  # nothing waiting: no cookie with a picture
    new = browser_login.rotate(handle, "ana")
    (header,) = _get(old, b"image/png")  # the page's tiny picture brings it
    assert header.startswith(f"{browser_login.COOKIE}={new}.") and "HttpOnly" in header and "SameSite=Lax" in header
    assert _get(old, b"image/png") == []  # once only
    assert len(_get(None, b"text/html; charset=utf-8")) == 1  # a browser without a cookie gets one
