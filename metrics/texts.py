"""The German words of the steering, each built here once for the pages, downloads, the command
line and the briefing: the target ('≥ 85,5 %'), the judgement of a value (status and Ampel, with
symbol and colour), the status line per Leitsatz, the completeness note ('7 von 10 Kommunen') and
the reason a value is hidden."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from core import format as fmt
from core.catalogue import Catalogue, Kennzahl

SUPPRESSED_MARK = "•"
INTERNAL_MARK = "intern – nicht zur Weitergabe"


def suppression_reason(kennzahl: Kennzahl, cat: Catalogue) -> str:
    """Why a cell is hidden, worded from the configured rule."""
    t = cat.geheimhaltung.schwelle
    if kennzahl.kind == "median":
        return f"Geheimhaltung: weniger als {cat.geheimhaltung.median_mindestfaelle} Fälle"
    return f"Geheimhaltung: weniger als {t} Fälle, oder aus anderen Werten ließe sich eine so kleine Zahl errechnen"


def target_text(
    direction: str,
    target: float | None,
    unit: str,
    *,
    confirmed: bool = True,
    mark: str = "",
    number: str | None = None,
    in_words: bool = False,
) -> str | None:
    """A target as every view writes it: '≥ 85,5 %' (to reach at least) or '≤ 14,0 Tage' (at most),
    the number in its unit (``core.format.value``) unless ``number`` gives it written otherwise;
    ``mark`` follows a target the Lenkungskreis has not decided on yet (' (Vorschlag – …)', '*');
    ``in_words`` for a sentence: 'mindestens 85,5 %', 'höchstens 14,0 Tage'. None without a target."""
    if target is None or pd.isna(target):
        return None
    at_least, at_most = ("mindestens", "höchstens") if in_words else ("≥", "≤")
    sign = at_least if direction == "up" else at_most
    text = f"{sign} {fmt.value(target, unit) if number is None else number}"
    return text if confirmed else text + mark


def completeness_text(delivered: int | None, total: int, missing: Sequence[str] = (), *, separator: str = "; ") -> str:
    """How much of a value's data is delivered: '7 von 10 Kommunen', with the Kommunen missing
    after ``separator`` ('7 von 10 Kommunen; fehlt: Selm, Werne')."""
    text = f"{int(delivered or 0)} von {total} Kommunen"
    return f"{text}{separator}fehlt: {', '.join(missing)}" if missing else text


@dataclass(frozen=True)
class Status:
    """One judgement of an indicator value: ``word`` as it is counted in a status line ('3 im
    Ziel') and written on a badge, ``symbol`` telling it without colour, ``color`` of its badge;
    for the Ampel itself (gruen, gelb, rot, grau) also ``ampel_word`` and ``ampel_symbol``, as
    tables, the Kommunen ranking and the briefing name it ('● Ziel erreicht')."""

    word: str
    symbol: str
    color: str
    ampel_word: str = ""
    ampel_symbol: str = ""


# Every judgement of an indicator, in the order a status line counts them. The Übersicht, the
# Sitzungsmodus and the status line per Leitsatz judge by metrics.cockpit.status (STATUS_ORDER): a
# value of incomplete data gets no Ampel. The briefing counts the Ampel of its published figures
# (gruen, gelb, rot, grau = a target without a judged value) and ohne_ziel.
STATUSES: dict[str, Status] = {
    "gruen": Status("im Ziel", "✓", "green", "Ziel erreicht", "●"),
    "gelb": Status("knapp verfehlt", "!", "orange", "knapp verfehlt", "◐"),
    "rot": Status("verfehlt", "✗", "red", "verfehlt", "○"),
    "unvollstaendig": Status("unvollständig", "◌", "gray"),
    "ohne_wert": Status("ohne Wert", "–", "gray"),
    "grau": Status("ohne Bewertung", "–", "gray", "ohne Bewertung", "–"),
    "ohne_ziel": Status("ohne Ziel", "–", "gray"),
}
STATUS_ORDER = ("gruen", "gelb", "rot", "unvollstaendig", "ohne_wert", "ohne_ziel")
STATUS_TEXT = {key: STATUSES[key].word for key in STATUS_ORDER}
STATUS_SYMBOL = {key: STATUSES[key].symbol for key in STATUS_ORDER}
STATUS_COLOR = {key: STATUSES[key].color for key in STATUS_ORDER}
AMPEL_TEXT = {key: status.ampel_word for key, status in STATUSES.items() if status.ampel_word}
AMPEL_SYMBOL = {key: status.ampel_symbol for key, status in STATUSES.items() if status.ampel_symbol}


def ampel_text(ampel: str) -> str:
    """The Ampel with its symbol and word, as tables, the ranking and the briefing show it: '● Ziel erreicht'."""
    return f"{AMPEL_SYMBOL[ampel]} {AMPEL_TEXT[ampel]}"


def status_line(code: str, counts: Mapping[str, int]) -> str:
    """'LS2 · 3 im Ziel · 1 knapp verfehlt · 1 verfehlt · 2 ohne Ziel': how many indicators of a
    Leitsatz have each status, in the order of STATUSES; a status nobody has is left out."""
    return " · ".join([code, *(f"{counts[key]} {status.word}" for key, status in STATUSES.items() if counts.get(key))])
