"""Markdown as Streamlit's renderer reads it, for tests: what of a text would be interpreted
(links, images, HTML, colours, formulas, addresses GFM links by itself), what a reader sees, and
every text of an AppTest page that Streamlit renders as Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Table

from metrics.texts import STATUS_COLOR, STATUS_SYMBOL, STATUS_TEXT
from ui.projector import ARROW_KEYS, CARDS, LARGE_TYPE, STILL

WORD_JOINER = "\u2060"

# A backslash before ASCII punctuation makes it literal.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_SYNTAX = {
    "image": re.compile(r"!\["),
    "link": re.compile(r"\]\(|\]\s*:"),
    "HTML or <autolink>": re.compile(r"<[A-Za-z/!?]"),
    "directive (:red[…])": re.compile(r":[A-Za-z][\w-]*\["),
    "formula": re.compile(r"\$"),
}
# GFM's literal autolinks, which it finds in the text after escapes are resolved (as mdast does).
_AUTOLINKS = re.compile(r"(?i)https?://|\bwww\d{0,10}\.[^\s.]|[-.\w+]+@[-\w]+(?:\.[-\w]+)+")
MARKDOWN_FIELDS = {"body", "label", "help"}
# The app's own status badges (":red-badge[✗ 1 verfehlt]": fixed words and a count) and coloured
# changes (":green[▲ \+1\,8 Pp\.]": an arrow and a number): never user text.
_APP_BADGE = re.compile(
    r":(?:green|red)\[[▲▼] [^\[\]|\n]*\]|"
    + "|".join(
        rf":{re.escape(STATUS_COLOR[k])}-badge\[{re.escape(STATUS_SYMBOL[k])} (?:\d+ )?{re.escape(STATUS_TEXT[k])}\]"
        for k in STATUS_TEXT
    )
)


# The app's own course picture on a card: a fixed text naming an indicator code, and a base64 SVG
# inside the page (a data address: it loads nothing from anywhere; ui.widgets.card_text).
_APP_PICTURE = re.compile(r"!\[Verlauf von K\d+ über zwölf Monate\]\(data:image/svg\+xml;base64,[A-Za-z0-9+/]+=*\)")


def interpreted(markdown: str) -> list[str]:
    """What in the Markdown would not be shown as the text it is: links, images, HTML, etc."""
    if markdown in (
        STILL,
        CARDS,
        LARGE_TYPE,
        ARROW_KEYS,
    ):  # the Sitzungsmodus's fixed HTML (tests/test_security_defaults.py)
        return []
    markdown = _APP_PICTURE.sub("", _APP_BADGE.sub("", markdown))
    masked = _ESCAPED.sub("\0", markdown)
    found = [f"{kind}: {markdown!r}" for kind, pattern in _SYNTAX.items() if pattern.search(masked)]
    resolved = _ESCAPED.sub(r"\1", markdown)
    found += [f"autolink {m.group(0)!r}: {markdown!r}" for m in _AUTOLINKS.finditer(resolved)]
    return found


def as_read(markdown: str) -> str:
    """The text a reader sees (escapes resolved, word joiners invisible, line breaks as lines)."""
    return _ESCAPED.sub(r"\1", markdown).replace("  \n", "\n").replace(WORD_JOINER, "")


def _strings(message: Any) -> Iterator[str]:
    for field, value in message.ListFields():
        if field.type == field.TYPE_MESSAGE:
            for item in [value] if isinstance(value, Message) else value:
                yield from _strings(item)
        elif field.type == field.TYPE_STRING and field.name in MARKDOWN_FIELDS:
            yield from [value] if isinstance(value, str) else value


def markdown_on_screen(app: AppTest) -> list[str]:
    """Every text of the page (main area and sidebar) that Streamlit renders as Markdown, plain
    tables' cells included."""
    texts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(node, Table):  # a plain table: its headers and text cells are Markdown too
            frame = node.value
            texts.extend(str(column) for column in frame.columns)
            texts.extend(cell for cell in frame.to_numpy().ravel() if isinstance(cell, str))
        elif proto is not None:
            texts.extend(_strings(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    return texts
