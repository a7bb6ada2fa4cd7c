"""Login and rights in the app: who is signed in, with which role, and what that role may do.

Without login only one case: the demo database served on localhost (the README's run command).
Real data, or any other bind address, requires a login: through the organisation's identity
provider (``st.login``) when an ``[auth]`` section is configured in ``.streamlit/secrets.toml``,
otherwise with a name and password from the local user file (``python -m access add-user``).
"""

from __future__ import annotations

import datetime as dt
import secrets
import struct
import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

import store
from access import audit, browser_login, lockout, users
from access.users import User
from core import format as fmt
from core.format import plain
from core.settings import db_path, idle_minutes

_SESSION_KEY = "kim_benutzer"
_ACTIVE_KEY = "_kim_aktiv"  # monotonic time of the session's last run
_TIMED_OUT_KEY = "_kim_abgelaufen"
_TOUCHED_KEY = "_kim_cookie_beruehrt"  # time.time() of the last renewal of this browser's login
_TOUCH_SECONDS = 30
_HANDLE_KEY = "_kim_cookie_handle"  # this session's handle after a login or logout replaced the browser's
_FETCH_KEY = "_kim_cookie_abholen"  # the tiny picture whose request brings the browser its new cookie
_LOCAL_ADDRESSES = {"localhost", "127.0.0.1", "::1"}
DEMO_USER = User(name="demo", rolle="admin", anzeigename="Demo ohne Anmeldung")


def bound_to_localhost() -> bool:
    return st.get_option("server.address") in _LOCAL_ADDRESSES


_demo_answers: dict[tuple[str, tuple[int, ...]], bool] = {}  # (database, version) → answer


def is_demo() -> bool:
    """Whether the database is the demo database (which opens without login on localhost). Asked
    several times in every run, so the answer is kept per database version in a plain dictionary
    (Streamlit's cache would hash its arguments on every call)."""
    path = db_path()
    key = (str(path), store.database_version(path))
    answer = _demo_answers.get(key)
    if answer is None:
        answer = _read_demo_mark(path)
        if len(_demo_answers) >= 6:
            _demo_answers.clear()
        _demo_answers[key] = answer
    return answer


def _read_demo_mark(database: Path) -> bool:
    if not database.exists():
        return False
    with store.connect(database) as connection:
        return store.get_meta(connection, "demo") == "ja"


def login_required() -> bool:
    return not (is_demo() and bound_to_localhost())


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return False


def current_user() -> User | None:
    """The signed-in user as the user file says now (a changed role applies at once)."""
    if not login_required():
        return DEMO_USER
    name = st.session_state.get(_SESSION_KEY)
    if name is None:
        name = _resume_from_cookie()
    if name is None:
        return None
    if oidc_configured() and not (st.user.is_logged_in and users.normalise_name(str(st.user.get("email"))) == name):
        st.session_state.pop(_SESSION_KEY, None)  # the identity provider's session ended or changed
        return None
    user = users.load().get(name)
    if user is None:  # removed by an admin meanwhile
        st.session_state.pop(_SESSION_KEY, None)
    return user


def _browser_handle() -> str | None:
    """This browser's signed handle: the one a login or logout of this session put in its place, or
    the HttpOnly cookie server.py gave the browser, if valid."""
    if _HANDLE_KEY in st.session_state:
        return str(st.session_state[_HANDLE_KEY])
    try:
        cookie = st.context.cookies.get(browser_login.COOKIE)
    except Exception:  # noqa: BLE001 - no request context (AppTest): no cookie
        return None
    return browser_login.handle_of(cookie)


def _replace_cookie(name: str | None) -> None:
    """At a login (``name``) or logout: the browser's cookie is replaced (browser_login.rotate); the
    new one travels with the response to a tiny picture the page shows from now on (deliver_cookie)."""
    handle = _browser_handle()
    if handle is None:
        return
    st.session_state[_HANDLE_KEY] = browser_login.rotate(handle, name)
    st.session_state[_FETCH_KEY] = _transparent_pixel(secrets.token_hex(16))


def _transparent_pixel(text: str) -> bytes:
    """A transparent PNG of one pixel, made unique by ``text`` so that the browser fetches it anew."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)),
            chunk(b"tEXt", b"kim\x00" + text.encode("ascii")),
            chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00\x00")),
            chunk(b"IEND", b""),
        ]
    )


def deliver_cookie(where: Any = st) -> None:
    """After a login or logout of this session: the tiny picture that brings the browser its new
    cookie (invisible; the browser fetches it once)."""
    picture = st.session_state.get(_FETCH_KEY)
    if picture is not None:
        where.image(picture, width=1)


def _resume_from_cookie() -> str | None:
    """After a reload: the local user this browser signed in within the idle time (audited like a
    login); never with OIDC, whose own cookie does the same."""
    if oidc_configured():
        return None
    handle = _browser_handle()
    if handle is None:
        return None
    name = browser_login.resume(handle, idle_minutes() * 60)
    user = users.load().get(name) if name else None
    if user is None:
        return None
    st.session_state[_SESSION_KEY] = user.name
    st.session_state[_ACTIVE_KEY] = time.monotonic()
    st.session_state[_TOUCHED_KEY] = time.time()
    audit.record("anmeldung", user.name, f"Anmeldung (nach Neuladen der Seite), Rolle {users.role_label(user.rolle)}")
    return user.name


def _keep_cookie_login() -> None:
    """An action: the browser's login starts its idle time again (at most every 30 seconds)."""
    handle = _browser_handle()
    if handle is None or time.time() - st.session_state.get(_TOUCHED_KEY, 0.0) < _TOUCH_SECONDS:
        return
    st.session_state[_TOUCHED_KEY] = time.time()
    browser_login.touch(handle)


def _end_cookie_login() -> None:
    _replace_cookie(None)


def can(right: str) -> bool:
    user = current_user()
    return user is not None and users.may(user.rolle, right)


def allowed(rights: Iterable[str]) -> set[str]:
    """Those of the rights the signed-in user has (one look at the user for all of them: the
    navigation asks for every page's right in every run)."""
    user = current_user()
    return set() if user is None else {right for right in rights if users.may(user.rolle, right)}


def require_login(url_paths: list[str]) -> User:
    """The signed-in user; otherwise shows the login and stops the run. ``url_paths``: those of the
    app's pages, so that a link to any page leads to the login (and after it, to that page)."""
    user = current_user()
    if user is not None and user is not DEMO_USER and _idle_too_long():
        minutes = fmt.compact(idle_minutes())
        audit.record("abmeldung", user.name, f"automatisch nach {minutes} Minuten ohne Aktivität")
        st.session_state.pop(_SESSION_KEY, None)
        _end_cookie_login()
        st.session_state[_TIMED_OUT_KEY] = minutes
        if oidc_configured() and st.user.is_logged_in:
            st.logout()  # else the identity provider's cookie would sign the user in again at once
        user = None
    if user is not None:
        st.session_state[_ACTIVE_KEY] = time.monotonic()
        if user is not DEMO_USER:
            _keep_cookie_login()
        return user
    timed_out = st.session_state.pop(_TIMED_OUT_KEY, None)

    def anmeldung() -> None:
        if timed_out:
            st.info(f"Sie wurden nach {timed_out} Minuten ohne Aktivität abgemeldet.", icon=":material/timer_off:")
        if oidc_configured():
            _oidc_login()
        else:
            _password_login()
        deliver_cookie()

    # Every page's address shows the login, in a hidden navigation: without a navigation of its own,
    # Streamlit would list every file of pages/ in the sidebar, and a shared link would end in
    # "Page not found".
    logins = [
        st.Page(anmeldung, title="Anmeldung", icon=":material/login:", url_path=path, default=number == 0)
        for number, path in enumerate(url_paths)
    ]
    st.navigation(logins, position="hidden").run()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _idle_too_long() -> bool:
    last = st.session_state.get(_ACTIVE_KEY)
    return last is not None and time.monotonic() - last > idle_minutes() * 60


def _sign_in(user: User, how: str) -> None:
    st.session_state[_SESSION_KEY] = user.name
    st.session_state[_ACTIVE_KEY] = time.monotonic()
    audit.record("anmeldung", user.name, f"Anmeldung ({how}), Rolle {users.role_label(user.rolle)}")
    if how == "Passwort":
        _replace_cookie(user.name)
        st.session_state[_TOUCHED_KEY] = time.time()


def _password_login() -> None:
    st.title("Anmeldung")
    st.write("Das KIM-Cockpit zeigt vertrauliche Zahlen. Bitte mit Benutzername und Passwort anmelden.")
    if not users.load():
        st.info(
            "Es ist noch kein Benutzer eingerichtet. Die Administration legt Benutzer auf dem Server an mit "
            "`python -m access add-user NAME --role admin`.",
            icon=":material/info:",
        )
        return
    with st.form("anmeldung", enter_to_submit=True):
        name = st.text_input("Benutzername", key="anmeldung_name", autocomplete="username")
        password = st.text_input("Passwort", type="password", key="anmeldung_passwort", autocomplete="current-password")
        submitted = st.form_submit_button("Anmelden", type="primary")
    if not submitted:
        return
    clean = users.normalise_name(name)[:100]
    result = lockout.attempt(clean, password)  # counted across sessions, processes and restarts
    if result.locked:
        st.error("Zu viele fehlgeschlagene Versuche. Bitte in 15 Minuten erneut versuchen.", icon=":material/lock:")
        return
    if result.busy:
        st.error(
            "Gerade melden sich zu viele gleichzeitig an. Bitte gleich noch einmal versuchen.",
            icon=":material/hourglass:",
        )
        return
    user = result.user
    if user is None:
        audit.record("anmeldung_fehlgeschlagen", clean or "(leer)", "Benutzername oder Passwort falsch")
        st.error("Benutzername oder Passwort ist falsch.", icon=":material/error:")
        return
    _sign_in(user, "Passwort")
    st.rerun()


def _oidc_login() -> None:
    st.title("Anmeldung")
    if not st.user.is_logged_in:
        st.write("Das KIM-Cockpit zeigt vertrauliche Zahlen. Bitte mit dem Dienstkonto anmelden.")
        st.button("Mit Dienstkonto anmelden", on_click=st.login, type="primary", key="anmeldung_oidc")
        return
    email = st.user.get("email")
    user = users.oidc_user(str(email) if email else None)
    if user is None:
        audit.record("anmeldung_fehlgeschlagen", str(email or "(ohne E-Mail)"), "Dienstkonto ohne Rolle")
        st.error(
            "Ihr Dienstkonto ist für das KIM-Cockpit nicht freigeschaltet. Bitte wenden Sie sich an die "
            "Administration im Kommunalen Integrationszentrum.",
            icon=":material/lock:",
        )
        st.button("Abmelden", on_click=st.logout, key="abmeldung_oidc")
        return
    _sign_in(user, "Dienstkonto")
    st.rerun()


def _end_if_idle() -> None:
    if _idle_too_long():
        st.rerun(scope="app")


def _watch_idle() -> None:
    """Checks on its own (every 30 seconds, or more often for a short idle time) whether the idle time
    is over, so that the figures leave the screen even when nobody touches the page; these checks do
    not count as activity."""
    seconds = min(30.0, max(1.0, idle_minutes() * 30))
    st.fragment(run_every=dt.timedelta(seconds=seconds))(_end_if_idle)()


def sidebar_account(user: User) -> None:
    """Who is signed in, the role, and the logout button."""
    if user is DEMO_USER:
        st.sidebar.caption("Demo ohne Anmeldung – nur auf diesem Rechner erreichbar.")
        return
    deliver_cookie(st.sidebar)
    with st.sidebar:
        _watch_idle()
    st.sidebar.caption(f"Angemeldet: {plain(user.label)} · {plain(users.role_label(user.rolle))}")
    if st.sidebar.button("Abmelden", key="abmelden", icon=":material/logout:"):
        audit.record("abmeldung", user.name, "Abmeldung")
        st.session_state.pop(_SESSION_KEY, None)
        _end_cookie_login()
        if oidc_configured() and st.user.is_logged_in:
            st.logout()
        st.rerun()


def user_name() -> str:
    """The name recorded with an action of this session."""
    user = current_user()
    return user.name if user else "unbekannt"
