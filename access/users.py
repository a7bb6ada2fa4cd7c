"""Users, roles and rights: the local user file with argon2 password hashes.

The file (KIM_USERS, default data/benutzer.json) is never committed. It lists every person who may
use the app, with one role each; people who sign in through the organisation's identity provider
(OIDC) are listed by their e-mail address without a password, so that an admin decides their role.
Writes replace the file atomically and keep it readable by its owner only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import ValidationError

from core import format as fmt
from core.errors import ConfigError, UsageError
from core.files import write_atomically
from core.model import Frozen
from core.reference import read_yaml
from core.settings import DATA_DIR, now, users_path

MIN_PASSWORD_LENGTH = 12
_NAME = re.compile(r"^[a-z0-9][a-z0-9._@+-]{1,99}$")
_HASHER = PasswordHasher()
# Verified when a name is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("kein-benutzer-mit-diesem-namen")


class Role(Frozen):
    label: str
    rechte: frozenset[str]


class User(Frozen):
    name: str
    rolle: str
    anzeigename: str = ""
    hash: str | None = None  # None: signs in through OIDC only
    angelegt: str = ""

    @property
    def label(self) -> str:
        return self.anzeigename or self.name


@cache
def roles(data_dir: Path = DATA_DIR) -> dict[str, Role]:
    spec = read_yaml(data_dir / "rollen.yaml")
    try:
        return {name: Role(**item) for name, item in spec["rollen"].items()}
    except (KeyError, TypeError, ValidationError) as error:
        raise ConfigError(f"data/rollen.yaml ist fehlerhaft: {error}") from error


def may(role: str, right: str) -> bool:
    known = roles().get(role)
    return known is not None and right in known.rechte


def role_label(role: str) -> str:
    known = roles().get(role)
    return known.label if known else role


def normalise_name(name: str) -> str:
    return name.strip().lower()


def _check_name(name: str) -> str:
    clean = normalise_name(name)
    if not _NAME.match(clean):
        raise UsageError(
            f"Der Benutzername „{name}“ ist ungültig: 2 bis 100 Zeichen aus Kleinbuchstaben, Ziffern "
            "und . _ @ + - (für die Anmeldung über das Dienstkonto die E-Mail-Adresse)."
        )
    return clean


def _check_role(role: str) -> str:
    if role not in roles():
        raise UsageError(f"Unbekannte Rolle „{role}“. Erlaubt: {', '.join(roles())}.")
    return role


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.")


def load(path: Path | None = None) -> dict[str, User]:
    """All users by name; an absent file means no users yet. Read again only when the file changed
    (rights are checked many times per page run)."""
    file = path or users_path()
    try:
        state = file.stat()
    except FileNotFoundError:
        return {}
    return dict(_parse(file, state.st_mtime_ns, state.st_size, state.st_ino))


@lru_cache(maxsize=8)
def _parse(file: Path, mtime_ns: int, size: int, inode: int) -> dict[str, User]:
    try:
        raw: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise ConfigError(f"Die Benutzerdatei {file.name} ist nicht lesbar: {error}") from error
    try:
        return {name: User(name=name, **entry) for name, entry in raw.get("benutzer", {}).items()}
    except (TypeError, ValidationError) as error:
        raise ConfigError(f"Die Benutzerdatei {file.name} ist fehlerhaft: {error}") from error


def _save(users: dict[str, User], path: Path | None = None) -> None:
    content = {
        "version": 1,
        "benutzer": {name: user.model_dump(exclude={"name"}) for name, user in sorted(users.items())},
    }
    write_atomically(path or users_path(), json.dumps(content, ensure_ascii=False, indent=2).encode(), mode=0o600)


def add(
    name: str,
    role: str,
    password: str | None,
    *,
    display_name: str = "",
    path: Path | None = None,
    replace: bool = False,
) -> User:
    """Add a user (or, with replace, set a new role or password). Without a password the user can
    only sign in through OIDC."""
    clean = _check_name(name)
    _check_role(role)
    if password is not None:
        _check_password(password)
    users = load(path)
    if clean in users and not replace:
        raise UsageError(f"Den Benutzer „{clean}“ gibt es schon.")
    old = users.get(clean)
    user = User(
        name=clean,
        rolle=role,
        anzeigename=display_name.strip() or (old.anzeigename if old else ""),
        hash=_HASHER.hash(password) if password is not None else (old.hash if old else None),
        angelegt=old.angelegt if old else now().isoformat(timespec="seconds"),
    )
    users[clean] = user
    _save(users, path)
    return user


def remove(name: str, *, path: Path | None = None) -> None:
    clean = normalise_name(name)
    users = load(path)
    if clean not in users:
        raise UsageError(f"Den Benutzer „{clean}“ gibt es nicht.")
    del users[clean]
    _save(users, path)


def authenticate(name: str, password: str, *, path: Path | None = None) -> User | None:
    """The user if name and password match, else None; as slow for an unknown name as for a known."""
    user = load(path).get(normalise_name(name))
    stored = user.hash if user and user.hash else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return user if user and user.hash else None


def oidc_user(email: str | None, *, path: Path | None = None) -> User | None:
    """The user an identity provider signed in, if an admin has given that address a role."""
    if not email:
        return None
    return load(path).get(normalise_name(email))


def listing(path: Path | None = None) -> list[dict[str, str]]:
    """Users for display: never the hashes."""
    return [
        {
            "Benutzer": user.name,
            "Name": user.anzeigename,
            "Rolle": role_label(user.rolle),
            "Anmeldung": "Passwort" if user.hash else "Dienstkonto (OIDC)",
            "Angelegt": _date(user.angelegt),
        }
        for user in load(path).values()
    ]


def _date(iso: str) -> str:
    try:
        return fmt.day(dt.datetime.fromisoformat(iso))
    except ValueError:
        return ""
