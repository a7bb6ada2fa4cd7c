"""The one place where the app turns failures into messages for the user."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core.errors import DatabaseMissingError, KimError, UsageError, user_message_for
from core.format import plain

log = logging.getLogger("kim")


@contextmanager
def user_errors() -> Iterator[None]:
    """Show expected failures in German and stop the page; log the unexpected, never a traceback.
    A message is shown as plain text: it may quote a file name, a sheet or a value from a file."""
    try:
        yield
    except DatabaseMissingError as error:
        st.info(plain(error.user_message), icon=":material/info:")
        st.stop()
    except KimError as error:
        st.error(plain(error.user_message), icon=":material/error:")
        st.stop()
    except Exception as error:
        if type(error).__name__ in ("StopException", "RerunException"):
            raise
        log.exception("Unerwarteter Fehler")
        st.error(plain(user_message_for(error)), icon=":material/error:")
        st.stop()


@contextmanager
def input_errors() -> Iterator[None]:
    """For a form: say in German why an input is refused, next to it, and go on drawing the page
    (the rest of the page stays usable); nothing after the refused step in the block runs."""
    try:
        yield
    except UsageError as error:
        st.error(plain(error.user_message), icon=":material/error:")
