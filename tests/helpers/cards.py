"""The Übersicht's indicator cards as an AppTest sees them: each card is one Markdown element
(ui.widgets.card_text) whose first paragraph names the indicator and whose second, a heading,
holds its value."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from streamlit.testing.v1 import AppTest

from tests.helpers.shown_text import as_read

_CARD = re.compile(r"^(K\d+) · [^\n]*\n\n### ")
_DIRECTIVE = re.compile(r":(?:green|red)\[([^\]]*)\]")


class Card(NamedTuple):
    code: str  # 'K02'
    label: str  # 'K02 · Aktive Fälle'
    value: str  # '1.524', '•', '12 (intern)'
    change: str | None  # '▼ −4 (−0,3 %)', 'unverändert' or None when the card shows none
    markdown: str  # the whole card as sent
    help: str  # the definition (and why a value is hidden)
    lines: tuple[str, ...]  # each line as read ('💬 Anmerkung: …')


def is_card(element: Any) -> bool:
    return bool(_CARD.match(getattr(element, "value", "") or ""))


def cards(app: AppTest) -> list[Card]:
    """Every indicator card of the page, in the order shown."""
    found = []
    for element in app.markdown:
        if not is_card(element):
            continue
        paragraphs = element.value.split("\n\n")
        label = as_read(paragraphs[0])
        changes = [p for p in paragraphs[2:] if p.endswith(" zum Vormonat")]
        change = as_read(_DIRECTIVE.sub(r"\1", changes[0].removesuffix(" zum Vormonat"))) if changes else None
        value = as_read(paragraphs[1].removeprefix("### "))
        lines = tuple(as_read(paragraph) for paragraph in paragraphs)
        found.append(Card(label.split(" · ")[0], label, value, change, element.value, element.proto.help, lines))
    return found


def card_lines(app: AppTest) -> list[str]:
    """Every line of every card, as read."""
    return [line for card in cards(app) for line in card.lines]


def card_values(app: AppTest) -> dict[str, str]:
    """Indicator code ('K02') → the value as shown."""
    return {card.code: card.value for card in cards(app)}
