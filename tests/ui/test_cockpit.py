"""What the Lenkungskreis sees on the Übersicht and in the Sitzungsmodus (AppTest on the demo data).

Issue: the Übersicht must say per Leitsatz at a glance how many indicators are on track; every card
shows the Ampel as colour, symbol and word; a value of incomplete data shows the gap and gets no
Ampel and no change; the Sitzungsmodus shows value, target, Ampel and change without a meeting
being frozen, and no coloured arrow for an unchanged value."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from core.catalogue import catalogue
from core.format import plain
from core.reference import leitsaetze
from metrics.texts import STATUS_SYMBOL, STATUS_TEXT
from tests.helpers.apptest import open_page, table_with
from tests.helpers.cards import cards
from ui.widgets import board_change

BADGE = re.compile(r":(\w+)-badge\[(\S+) (\d+) ([^\]]+)\]")


def test_the_uebersicht_opens_with_a_status_line_per_leitsatz_and_judges_only_complete_values(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_page(demo_db, "pages/uebersicht.py", monkeypatch)
    app.session_state["uebersicht_alle_werte"] = True  # "Alle Werte als Tabelle" opened
    app.selectbox(key="monat").set_value(dt.date(2026, 10, 1)).run()  # the newest month: deliveries missing
    assert not app.exception, [e.message for e in app.exception]
    cat = catalogue()
    table = table_with(app, "Ampel")
    table["leitsatz"] = [cat.get(name.split(" · ")[0]).leitsatz for name in table["Kennzahl"]]

    # one status line per Leitsatz, first on the page, whose counts are the cards' statuses
    words = {f"{STATUS_SYMBOL[k]} {STATUS_TEXT[k]}": STATUS_TEXT[k] for k in STATUS_TEXT}
    lines = [m.value for m in app.markdown if m.value.startswith("**LS")]
    assert [line.split(" · ")[0] for line in lines] == [f"**{ls.code}" for ls in leitsaetze()]
    for leitsatz, line in zip(leitsaetze(), lines, strict=True):
        counted = {word: int(number) for _, _, number, word in BADGE.findall(line)}
        expected = table.loc[table["leitsatz"] == leitsatz.code, "Ampel"].map(words).value_counts().to_dict()
        assert counted == expected, leitsatz.code
        assert sum(counted.values()) == sum(k.leitsatz == leitsatz.code for k in cat.kennzahlen)

    # incomplete values: the gap shown, no Ampel, no change
    incomplete = table[table["Vollständigkeit"] != "vollständig"]
    judged = incomplete[~incomplete["Ampel"].isin(["– ohne Ziel", "– ohne Wert"])]
    assert not judged.empty, "the demo's newest month should have incomplete values with a target"
    assert (judged["Ampel"] == "◌ unvollständig").all()
    assert (judged["zum Vormonat"] == "–").all() and (judged["zum Vorjahresmonat"] == "–").all()
    assert judged["Vollständigkeit"].str.contains(r"\d+ von 10 Kommunen").any()
    shown = {card.code: card for card in cards(app)}
    for name in judged["Kennzahl"]:
        assert shown[name.split(" · ")[0]].change is None, name
    assert sum(":gray-badge[◌ unvollständig]" in m.value for m in app.markdown) == len(judged)

    # every card: the status as coloured badge with symbol and word; a missed target in red with ✗
    badges = [m.value for m in app.markdown if "-badge[" in m.value and not m.value.startswith("**LS")]
    assert len(badges) == len(cat.kennzahlen)
    missed = table[table["Ampel"] == "✗ verfehlt"]
    assert sum("\n\n:red-badge[✗ verfehlt]" in b for b in badges) == len(missed)
    assert not any(card.change and "±" in card.change for card in cards(app))  # 'unverändert' instead


def test_the_sitzungsmodus_shows_target_ampel_and_change_before_any_meeting(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_page(demo_db, "pages/sitzung.py", monkeypatch)
    for leitsatz in leitsaetze():
        assert app.title[0].value.startswith(f"{leitsatz.code} ·")
        board = next(m.value for m in app.markdown if m.value.startswith("| Kennzahl |"))
        rows = board.splitlines()[2:]
        codes = [k.code for k in catalogue().kennzahlen if k.leitsatz == leitsatz.code]
        assert [row.split(" · ")[0].strip("| ") for row in rows] == codes
        assert all("-badge[" in row for row in rows)
        assert any("≥" in row or "≤" in row for row in rows)  # targets shown without a meeting
        assert not re.search(r"[▲▼↑↓]\s*±", board)
        assert any("Veränderung zum Vormonat" in m.value for m in [*app.markdown, *app.caption])
        app.button(key="sitzung_weiter").click().run()
    assert app.title[0].value.startswith("LS1 ·")


def test_an_unchanged_value_has_no_arrow_and_no_colour() -> None:
    assert board_change("±0,0 Prozentpunkte", "up") == "unverändert"
    assert board_change("±0 (±0,0 %)", "down") == "unverändert"
    assert board_change("+1,2 Prozentpunkte", "up") == f":green[▲ {plain('+1,2 Pp.')}]"
    assert board_change("+1,2 Prozentpunkte", "down") == f":red[▲ {plain('+1,2 Pp.')}]"  # lower is better
    assert board_change("-4 (-0,3 %)", "neutral") == f"▼ {plain('−4 (−0,3 %)')}"  # context: no colour
    # Issue 10: the board showed a fall as "-0,2" with the hyphen-minus; it is the minus sign "−".
    assert board_change("-0,2 Prozentpunkte", "up") == f":red[▼ {plain('−0,2 Pp.')}]"
    assert board_change("•", "up") == "•"
    assert board_change(None, "up") == "–"
