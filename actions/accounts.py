"""Adding, changing and removing users of the local user file; each with its audit entry."""

from __future__ import annotations

from access import users
from access.users import User
from actions.actor import Actor, record


def add_user(
    name: str,
    role: str,
    password: str | None,
    actor: Actor,
    *,
    display_name: str = "",
    replace: bool = False,
) -> User:
    """Add a user, or with ``replace`` change one's role, display name or password (None keeps the
    password of an existing user; a new user without one signs in through the Dienstkonto only)."""
    existed = users.normalise_name(name) in users.load()
    user = users.add(name, role, password, display_name=display_name, replace=replace)
    verb = "geändert" if existed else "angelegt"
    record(
        actor,
        "benutzer",
        f"{user.name}: {verb}, Rolle {users.role_label(user.rolle)}",
        database=None,
        benutzer_name=user.name,
        rolle=user.rolle,
    )
    return user


def remove_user(name: str, actor: Actor) -> None:
    users.remove(name)
    record(actor, "benutzer", f"{users.normalise_name(name)}: entfernt", database=None)
