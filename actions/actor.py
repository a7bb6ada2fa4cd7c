"""Who performs a write action, and how: signed in on a page, or on the command line."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from access import audit


@dataclass(frozen=True)
class Actor:
    """``name`` is who the audit log names: the signed-in user on a page, the account that ran the
    command on the command line. ``given`` is the name a command line was given with ``--user``:
    it is stored with the data (an upload's ``benutzer``) and the audit entry says so."""

    name: str
    command_line: bool = False
    given: str | None = None

    @classmethod
    def on_page(cls, name: str) -> Actor:
        return cls(name)

    @classmethod
    def on_command_line(cls, given: str | None = None) -> Actor:
        return cls(getpass.getuser(), command_line=True, given=given)

    @property
    def recorded_name(self) -> str:
        """The name stored with the data."""
        return self.given if self.given is not None else self.name

    def describe(self, detail: str) -> str:
        """The audit entry's description: on the command line it says so, and under which name."""
        if not self.command_line:
            return detail
        given = f", als „{self.given}“" if self.given else ""
        return f"{detail} (Kommandozeile{given})"


def record(actor: Actor, action: str, detail: str, *, database: Path | str | None, **fields: Any) -> None:
    """The audit entry of a write that has just succeeded (the log beside ``database``)."""
    audit.record(action, actor.name, actor.describe(detail), database=database, **fields)
