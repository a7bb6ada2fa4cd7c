"""Exceptions that carry a German message for the user.

Every error a user may see is a KimError with a ``user_message``; anything else is a bug and is
shown as a generic message (see ``user_message_for``), never as a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


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


def user_message_for(error: BaseException) -> str:
    if isinstance(error, KimError):
        return error.user_message
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
        if os.environ.get("KIM_DEBUG"):
            raise
        print(f"Fehler: {user_message_for(error)}", file=sys.stderr)
        return 1
