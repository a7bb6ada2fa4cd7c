"""The domain words every view shares, each built in one place (metrics/texts.py): the target
('≥ 85,5 %'), the judgement of a value (status and Ampel), the status line per Leitsatz and the
completeness note ('7 von 10 Kommunen').

Issue 11 #3: these texts were built in several copies (metrics, briefing, ui, pages)."""

from __future__ import annotations

import math

from briefing.messages import status_counts
from core.catalogue import Indicator, Kennzahl, Kontext, catalogue
from metrics.targets import PROPOSAL
from metrics.texts import (
    AMPEL_SYMBOL,
    AMPEL_TEXT,
    STATUS_COLOR,
    STATUS_ORDER,
    STATUS_SYMBOL,
    STATUS_TEXT,
    STATUSES,
    ampel_text,
    completeness_text,
    status_line,
    target_text,
)


def test_a_target_reads_the_same_in_every_view() -> None:
    assert target_text("up", 85.5, "%") == "≥ 85,5 %"
    assert target_text("down", 14, "Tage") == "≤ 14,0 Tage"
    assert target_text("up", 1234, "Anzahl") == "≥ 1.234"
    assert target_text("up", 60, "%", confirmed=False, mark="*") == "≥ 60,0 %*"
    assert target_text("up", 60, "%", confirmed=False, mark=f" ({PROPOSAL})") == (
        "≥ 60,0 % (Vorschlag – vom Lenkungskreis zu beschließen)"
    )
    assert target_text("up", 60, "%", confirmed=True, mark="*") == "≥ 60,0 %"
    assert target_text("up", 85.5, "%", number="85,5") == "≥ 85,5"  # the catalogue's default as written
    assert target_text("down", 14, "Tage", in_words=True) == "höchstens 14,0 Tage"  # in a sentence
    assert target_text("up", 60, "%", in_words=True) == "mindestens 60,0 %"
    assert target_text("up", None, "%") is None
    assert target_text("up", math.nan, "%") is None


def test_status_and_ampel_words_come_from_one_declaration() -> None:
    assert STATUS_ORDER == ("gruen", "gelb", "rot", "unvollstaendig", "ohne_wert", "ohne_ziel")
    assert {key: STATUSES[key].word for key in STATUS_ORDER} == STATUS_TEXT
    assert {key: STATUSES[key].symbol for key in STATUS_ORDER} == STATUS_SYMBOL
    assert {key: STATUSES[key].color for key in STATUS_ORDER} == STATUS_COLOR
    # the Ampel itself, as tables and the briefing name it
    assert AMPEL_TEXT == {
        "gruen": "Ziel erreicht",
        "gelb": "knapp verfehlt",
        "rot": "verfehlt",
        "grau": "ohne Bewertung",
    }
    assert AMPEL_SYMBOL == {"gruen": "●", "gelb": "◐", "rot": "○", "grau": "–"}
    assert [ampel_text(key) for key in AMPEL_TEXT] == [
        "● Ziel erreicht",
        "◐ knapp verfehlt",
        "○ verfehlt",
        "– ohne Bewertung",
    ]


def test_one_status_line_for_the_cockpit_and_the_briefing() -> None:
    # the cockpit's statuses (metrics.cockpit.status) and the briefing's (the Ampel and no target)
    assert status_line("LS2", {"rot": 1, "gruen": 3, "ohne_ziel": 2, "gelb": 1, "unvollstaendig": 0}) == (
        "LS2 · 3 im Ziel · 1 knapp verfehlt · 1 verfehlt · 2 ohne Ziel"
    )
    assert (
        status_line("LS1", {"ohne_ziel": 7, "grau": 1, "rot": 1}) == "LS1 · 1 verfehlt · 1 ohne Bewertung · 7 ohne Ziel"
    )
    assert status_line("LS9", {}) == "LS9"
    assert status_counts([]) == {}


def test_one_completeness_note() -> None:
    assert completeness_text(7, 10) == "7 von 10 Kommunen"
    assert completeness_text(None, 10) == "0 von 10 Kommunen"
    assert completeness_text(8, 10, ["Selm", "Werne"]) == "8 von 10 Kommunen; fehlt: Selm, Werne"
    assert completeness_text(8, 10, ["Selm", "Werne"], separator=", ") == "8 von 10 Kommunen, fehlt: Selm, Werne"


def test_kennzahl_and_kontext_share_one_base() -> None:
    assert issubclass(Kennzahl, Indicator) and issubclass(Kontext, Indicator)
    # what both declare is declared once, in the base; each keeps only its own fields
    assert set(Kennzahl.__annotations__) & set(Kontext.__annotations__) == {"kind"}  # each its own kinds
    assert set(Indicator.model_fields) <= set(Kennzahl.model_fields) & set(Kontext.model_fields)
    cat = catalogue()
    assert cat.kontext, "the catalogue declares Kontext-Kennzahlen"
    assert all(isinstance(indicator, Indicator) for indicator in (*cat.kennzahlen, *cat.kontext))
