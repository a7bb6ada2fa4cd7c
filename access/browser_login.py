"""A local login that survives a reload of the page, for the idle time, without a password in the browser.

Streamlit starts a new session on every reload, and the page's script cannot set a cookie. So the
server gives every browser, with the page itself, a cookie of its own (``kim_browser``): a random
handle of 256 bits with an HMAC-SHA256 signature under a server secret (``anmeldung.schluessel``
beside the user file, created on first use with mode 600), HttpOnly (no script in the page can read
it), SameSite=Lax, never in an address. It names no user and grants nothing by itself.

A password login binds the handle's hash to the user in ``anmeldungen.sqlite`` beside the user file;
the app's actions keep the binding fresh. On a reload the new session finds the cookie (Streamlit
hands it to the script), checks the signature and the binding, and signs the user in again — only
while the binding has been used within the idle time (``KIM_IDLE_MINUTES``); the audit log records
that like a login. Logging out, the idle time running out, a removed user or a changed secret end
it: the binding is deleted (or no longer matches), the cookie alone is worthless. The database holds
only hashes of the handles, so a copy of it signs nobody in.

A login and a logout replace the browser's cookie (no session fixation): the handle the browser held
before is ended, a new one is bound (at login) or left unbound (at logout), and the server hands the
new cookie to the holder of the old one with its next response — the page shows, right after the
login or logout, a tiny picture of its own whose request brings it (``rotate``, ``replacement``).
Whoever knew or planted the cookie from before the login cannot use it to sign in.

The cookie is set by ``CookieMiddleware``, which ``server.py`` puts in front of Streamlit
(``streamlit run server.py``); under ``streamlit run app.py`` there is no cookie and a reload asks
for the password again, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from core.files import create_once
from core.settings import users_path

COOKIE = "kim_browser"
_KEY_FILE = "anmeldung.schluessel"
_STORE_FILE = "anmeldungen.sqlite"
_ROTATION_SECONDS = 10 * 60  # a new cookie not fetched by then is dropped: the next reload asks for the password
# The hash of a replaced handle → (the new cookie for its browser, until when it is handed out). In the
# server's memory only: it is made and fetched in the same process, and a restart drops it (safely).
_ROTATIONS: dict[str, tuple[str, float]] = {}
_ROTATIONS_LOCK = threading.Lock()

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _folder(users_file: Path | None) -> Path:
    return (users_file or users_path()).parent


def _secret(users_file: Path | None = None) -> bytes:
    """The server secret; created on first use (mode 600, written whole or not at all)."""
    path = _folder(users_file) / _KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    create_once(path, secrets.token_bytes(32))  # another process may have created it at the same moment
    return path.read_bytes()


def _mac(key: bytes, handle: str) -> str:
    return hmac.new(key, f"kim-browser:{handle}".encode(), hashlib.sha256).hexdigest()


def new_cookie(users_file: Path | None = None) -> str:
    """A new signed handle: '<random>.<signature>'."""
    handle = secrets.token_urlsafe(32)
    return f"{handle}.{_mac(_secret(users_file), handle)}"


def handle_of(cookie: str | None, users_file: Path | None = None) -> str | None:
    """The handle of a cookie whose signature holds under the server secret; else None."""
    if not cookie or cookie.count(".") != 1 or len(cookie) > 200:
        return None
    handle, signature = cookie.split(".")
    if not hmac.compare_digest(signature, _mac(_secret(users_file), handle)):
        return None
    return handle


def _hash(handle: str) -> str:
    return hashlib.sha256(handle.encode()).hexdigest()


@contextlib.contextmanager
def _store(users_file: Path | None) -> Iterator[sqlite3.Connection]:
    path = _folder(users_file) / _STORE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS anmeldungen (handle TEXT PRIMARY KEY, name TEXT NOT NULL, zuletzt REAL NOT NULL)"
        )
        yield connection
    finally:
        connection.close()


def bind(handle: str, name: str, *, now: float | None = None, users_file: Path | None = None) -> None:
    """After a password login: this browser's handle signs ``name`` in again on a reload."""
    with _store(users_file) as store:
        store.execute(
            "INSERT OR REPLACE INTO anmeldungen VALUES (?, ?, ?)",
            (_hash(handle), name, time.time() if now is None else now),
        )


def resume(handle: str, idle_seconds: float, *, now: float | None = None, users_file: Path | None = None) -> str | None:
    """The user this handle was bound to, if used within the idle time; an expired binding is ended."""
    moment = time.time() if now is None else now
    with _store(users_file) as store:
        row = store.execute("SELECT name, zuletzt FROM anmeldungen WHERE handle = ?", (_hash(handle),)).fetchone()
        if row is None:
            return None
        name, last = str(row[0]), float(row[1])
        if moment - last > idle_seconds or moment < last - 60:
            store.execute("DELETE FROM anmeldungen WHERE handle = ?", (_hash(handle),))
            return None
        store.execute("UPDATE anmeldungen SET zuletzt = ? WHERE handle = ?", (moment, _hash(handle)))
        return name


def touch(handle: str, *, now: float | None = None, users_file: Path | None = None) -> None:
    """An action of the signed-in user: the idle time starts again."""
    with _store(users_file) as store:
        store.execute(
            "UPDATE anmeldungen SET zuletzt = ? WHERE handle = ?", (time.time() if now is None else now, _hash(handle))
        )


def end(handle: str, *, users_file: Path | None = None) -> None:
    """Logout or idle time over: the handle signs nobody in any more."""
    with _store(users_file) as store:
        store.execute("DELETE FROM anmeldungen WHERE handle = ?", (_hash(handle),))


def rotate(old: str, name: str | None, *, now: float | None = None, users_file: Path | None = None) -> str:
    """At a login (``name``) or a logout (None): the browser's handle ``old`` signs nobody in any more;
    a new handle takes its place, bound to ``name`` at a login, and its cookie waits for the browser
    that holds ``old`` (``replacement``). Returns the new handle, which the session keeps using."""
    moment = time.time() if now is None else now
    cookie = new_cookie(users_file)
    handle = cookie.split(".")[0]
    end(old, users_file=users_file)
    if name is not None:
        bind(handle, name, now=moment, users_file=users_file)
    with _ROTATIONS_LOCK:
        for key, (_, until) in list(_ROTATIONS.items()):
            if until < moment:
                del _ROTATIONS[key]
        _ROTATIONS[_hash(old)] = (cookie, moment + _ROTATION_SECONDS)
    return handle


def replacement(handle: str, *, now: float | None = None) -> str | None:
    """The new cookie waiting for the browser that holds ``handle``, handed out once; else None."""
    with _ROTATIONS_LOCK:
        if not _ROTATIONS:
            return None
        entry = _ROTATIONS.pop(_hash(handle), None)
    if entry is None or entry[1] < (time.time() if now is None else now):
        return None
    return entry[0]


def _cookie_header(request_headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in request_headers:
        if name.lower() == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            with contextlib.suppress(Exception):
                jar.load(value.decode("latin-1"))
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


class CookieMiddleware:
    """Gives a browser that has no valid ``kim_browser`` cookie one with the page (HTML responses to
    GET only), and a browser whose cookie was replaced at a login or logout its new one with the
    next response to any GET (``rotate``). The cookie is HttpOnly, SameSite=Lax, Path=/, Secure over
    https."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        present = handle_of(_cookie_header(list(scope.get("headers", []))))
        replaced = replacement(present) if present is not None else None

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and (present is None or replaced is not None):
                headers = list(message.get("headers", []))
                html = any(n.lower() == b"content-type" and v.startswith(b"text/html") for n, v in headers)
                if replaced is not None or html:
                    secure = "; Secure" if scope.get("scheme") == "https" else ""
                    value = replaced or new_cookie()
                    cookie = f"{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{secure}"
                    headers.append((b"set-cookie", cookie.encode("latin-1")))
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cookie)
