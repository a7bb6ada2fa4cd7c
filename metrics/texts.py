"""German wording of statuses and confidentiality reasons, in one place for pages and exports."""

from __future__ import annotations

from core.catalogue import Catalogue, Kennzahl
from metrics.targets import PROPOSAL

AMPEL_TEXT = {"gruen": "Ziel erreicht", "gelb": "knapp verfehlt", "rot": "verfehlt", "grau": "ohne Bewertung"}
AMPEL_SYMBOL = {"gruen": "●", "gelb": "◐", "rot": "○", "grau": "–"}
SUPPRESSED_MARK = "•"
INTERNAL_MARK = "intern – nicht zur Weitergabe"


def suppression_reason(kennzahl: Kennzahl, cat: Catalogue) -> str:
    """Why a cell is hidden, worded from the configured rule."""
    t = cat.geheimhaltung.schwelle
    if kennzahl.kind == "median":
        return f"Geheimhaltung: weniger als {cat.geheimhaltung.median_mindestfaelle} Fälle"
    return f"Geheimhaltung: weniger als {t} Fälle, oder aus anderen Werten ließe sich eine so kleine Zahl errechnen"


def target_text(kennzahl: Kennzahl, target: float | None, confirmed: bool, number: str) -> str | None:
    """'Ziel: ≥ 60,0 %' with the proposal note while the Lenkungskreis has not decided."""
    if target is None:
        return None
    sign = "≥" if kennzahl.direction == "up" else "≤"
    text = f"Ziel: {sign} {number}"
    return text if confirmed else f"{text} ({PROPOSAL})"


# The judgement of one indicator as the Übersicht, the Sitzungsmodus and the status line per
# Leitsatz show it (metrics.cockpit.status): the Ampel in words, a symbol that tells it without
# colour, and the colour of its badge. A value of incomplete data gets no Ampel.
STATUS_ORDER = ("gruen", "gelb", "rot", "unvollstaendig", "ohne_wert", "ohne_ziel")
STATUS_TEXT = {
    "gruen": "im Ziel",
    "gelb": "knapp verfehlt",
    "rot": "verfehlt",
    "unvollstaendig": "unvollständig",
    "ohne_wert": "ohne Wert",
    "ohne_ziel": "ohne Ziel",
}
STATUS_SYMBOL = {"gruen": "✓", "gelb": "!", "rot": "✗", "unvollstaendig": "◌", "ohne_wert": "–", "ohne_ziel": "–"}
STATUS_COLOR = {
    "gruen": "green",
    "gelb": "orange",
    "rot": "red",
    "unvollstaendig": "gray",
    "ohne_wert": "gray",
    "ohne_ziel": "gray",
}
