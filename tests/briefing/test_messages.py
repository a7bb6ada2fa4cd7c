"""Key messages against hand-written sentences.

The first tests use the hand-planned data set of ``conftest.py`` (loaded with the real ingest, the
figures computed and suppressed by the real metrics). The numbers below are worked out by hand from
the plan there; confidentiality (threshold 3) by hand as docs/kennzahlen.md#geheimhaltung describes it:

Every Kommune delivers every month, so all these values are complete, as a change sentence requires.

K02 (active cases), Q3 = September: B 36, Bö 2, F 20, H 16, K 51, L 70, Sch 30, Se 9, U 60, W 20;
Kreis 314. Bönen's 2 is hidden (primary). Kreis group: the smallest other non-zero part joins,
Selm 9 (2 + 9 ≥ 3). TR-Mitte (B, Bö, K, U): Bönen alone → Bergkamen 36 joins. TR-Nord (L, Se, W):
Selm alone → Werne 20 joins. Hidden: Bönen, Selm, Bergkamen, Werne; Kamen and the Kreis shown.
K02, Q2 = June: B 40, Bö 2, F 15, H 12, K 41, L 60, Sch 25, Se 8, U 50, W 15; Kreis 268. The same
cells are hidden (Mitte: Bergkamen 40 < Kamen 41; Nord: Werne 15 < Lünen 60).
  Kreis: 268 → 314, +46, 46 / 268 = 17,2 % → "um 17 % auf 314".
  Kamen: 41 → 51, +10, 10 / 41 = 24,4 % → "um 24 % auf 51".
K03 (new cases), Q3: B 6, Bö 0, F 5, H 4, K 20, L 10, Sch 5, Se 1, U 10, W 5; Kreis 66. Selm's 1
is hidden; Kreis group: Holzwickede 4 joins; Nord: Werne 5; Süd (F, H, Sch): Holzwickede alone →
Fröndenberg 5. Bönen's 0 is shown. Q2: B 10, Bö 2, F 5, H 4, K 11, L 10, Sch 5, Se 3, U 10, W 5;
Kreis 65; hidden Bönen, Selm (3, the smallest in the Kreis group), Bergkamen (Mitte), Werne (Nord).
  Kreis: 65 → 66, +1,5 % — below the 5 % threshold, no sentence.
  Kamen: 11 → 20, +9, 9 / 11 = 81,8 % → "um 82 % auf 20".
  Bönen: Q2 hidden → no change can be told. Selm: hidden in both quarters.
K26 (share of the target group): 100 % wherever there are cases (zuzugsjahr 2024): no change;
Bönen (2 of 2) and, by secondary suppression of its parts, Selm are hidden.
K05 (Zielerreichung, target ≥ 60, Ampel rot below 54): Q3 closed without Wegzug: Bergkamen 10
(4 reached), Kamen 10 (5 reached) → Kreis 9 / 20 = 45,0 % (rot), Kamen 5 / 10 = 50,0 % (rot);
no closed case in Q2, so no change. K04 (target ≤ 14) has no value anywhere → "ohne Bewertung".
K01, K07, K08 have no value (no Bevölkerung or Arbeitsmarkt delivered); K06 is 0 % without a
previous value.

Month 2026-09 against 2026-08 (Kreis): K02 August = 268 + 66 (the Q3 cases begun 10 August) = 334,
September 314: −20, 20 / 334 = 6,0 % → "Rückgang um 6 % auf 314". K03 August 66 (all Q3 cases),
September 0 → "keine … mehr, nach 66".

Status of LS1 in the Kreis, Q3: K05 45,0 % against ≥ 60 → verfehlt; K04 has a target but no value →
ohne Bewertung; K01, K02, K03, K06, K07, K08 and K26 have no target → 7 ohne Ziel.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from briefing.content import Briefing, Figure, Region, Section, build_briefing
from briefing.messages import change_sentence, completeness_message, key_messages, status_counts, target_message
from metrics.texts import status_line
from store import connect
from tests.helpers.environment import TODAY_DATE as TODAY

BOENEN, KAMEN, SELM = "05978008", "05978020", "05978032"
NOT_MET_KREIS = (
    "Im Kreis Unna wird 1 Ziel verfehlt: Zielerreichung (45,0 % statt mindestens 60,0 %). "
    "Ohne Bewertung bleibt 1 Ziel, weil kein vollständiger veröffentlichter Wert vorliegt."
)


def planned_briefing(database: Path, period: str, kommunen: list[str]) -> Briefing:
    with connect(database) as connection:
        return build_briefing(connection, period, kommunen, ["LS1"], today=TODAY)


def test_quarter_messages_match_the_hand_worked_sentences(planned_db: Path) -> None:
    briefing = planned_briefing(planned_db, "2026-Q3", [BOENEN, KAMEN, SELM])
    # three changes, three sentences: the same kind of change alternates between two wordings
    assert key_messages(briefing) == [
        "Im Kreis Unna gab es mehr „Aktive Fälle“ als im Vorquartal: ein Anstieg um 17 % auf 314.",
        "„Aktive Fälle“ in Kamen: Anstieg um 24 % auf 51 gegenüber dem Vorquartal.",
        "In Kamen gab es mehr „Neuaufnahmen“ als im Vorquartal: ein Anstieg um 82 % auf 20.",
    ]
    kreis, kamen = briefing.regions[0], briefing.region(KAMEN)
    assert target_message(briefing.figures_of(kreis.ags), kreis) == NOT_MET_KREIS
    assert target_message(briefing.figures_of(KAMEN), kamen) == (
        "In Kamen wird 1 Ziel verfehlt: Zielerreichung (50,0 % statt mindestens 60,0 %). "
        "Ohne Bewertung bleibt 1 Ziel, weil kein vollständiger veröffentlichter Wert vorliegt."
    )
    assert (
        status_line("LS1", status_counts(briefing.figures_of(kreis.ags)))
        == "LS1 · 1 verfehlt · 1 ohne Bewertung · 7 ohne Ziel"
    )


def test_month_messages_compare_with_the_previous_month(planned_db: Path) -> None:
    briefing = planned_briefing(planned_db, "2026-09", [])
    assert key_messages(briefing) == [
        "Im Kreis Unna gab es weniger „Aktive Fälle“ als im Vormonat: ein Rückgang um 6 % auf 314.",
        "Im Kreis Unna gab es keine „Neuaufnahmen“ mehr, nach 66 im Vormonat.",
    ]


def test_no_message_reveals_a_hidden_cell(planned_db: Path) -> None:
    briefing = planned_briefing(planned_db, "2026-Q3", [BOENEN, KAMEN, SELM])
    hidden = {(f.region, f.kennzahl) for s in briefing.sections for f in s.figures if f.unterdrueckt}
    # worked out above: Bönen's and Selm's active cases and target-group shares, Selm's new cases
    assert {(BOENEN, "K02"), (SELM, "K02"), (SELM, "K03"), (BOENEN, "K26"), (SELM, "K26")} <= hidden
    assert all(f.wert is None for s in briefing.sections for f in s.figures if f.unterdrueckt)
    messages = key_messages(briefing)
    text = " ".join(messages)
    assert "Bönen" not in text and "Selm" not in text  # nothing published about them changed
    names = {f.kennzahl: f.name for f in briefing.sections[0].figures}
    for region, code in hidden:
        where = briefing.region(region).name
        assert not any(where in m and names[code] in m for m in messages)
    # no figure told is one of the hidden counts (Bönen 2; Selm 8, 9, 3 and 1)
    told = re.findall(r"(?:auf|von|bei) (\d+(?:[.,]\d+)*)\b(?! Zielwert)", text)
    assert told == ["314", "51", "20"]


# --- wording rules on hand-built figures -------------------------------------------------------

KREIS = Region(ags="05978", name="Kreis Unna", members=10)
BERGKAMEN = Region(ags="05978004", name="Bergkamen", members=1)


def figure(**values: Any) -> Figure:
    base: dict[str, Any] = {
        "kennzahl": "K02",
        "name": "Aktive Fälle",
        "unit": "Anzahl",
        "direction": "neutral",
        "region": KREIS.ags,
        "wert": None,
        "unterdrueckt": False,
        "ampel": "grau",
        "zielwert": None,
        "zielwert_bestaetigt": False,
        "vorperiode": None,
        "vorjahr": None,
        "vollstaendig": True,
        "vorperiode_vollstaendig": True,
        "kommunen_mit_wert": 10,
        "fehlend": (),
        "verlauf": (),
    }
    return Figure(**(base | values))


def briefing_of(figures: list[Figure], regions: tuple[Region, ...] = (KREIS,)) -> Briefing:
    section = Section(
        code="LS1",
        text="Wir begleiten Menschen aktiv.",
        kurz="Aktiv begleiten",
        kennzahlen=tuple(dict.fromkeys(f.kennzahl for f in figures)),
        figures=tuple(figures),
        comments=(),
        quellen=("Fallmanagement",),
    )
    return Briefing(
        period_kind="month",
        period="2026-09",
        period_start=dt.date(2026, 9, 1),
        period_end=dt.date(2026, 9, 1),
        regions=regions,
        sections=(section,),
        course_labels=("09/2026",),
        datenstand=dt.date(2026, 10, 1),
        letzte_lieferung=TODAY,
        erstellt=TODAY,
        open_from=dt.date(2026, 9, 1),
        open_to=dt.date(2026, 10, 1),
        open_deliveries=(),
        definitions=(),
        demo=False,
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (  # lower is better: a fall is an improvement; 18 → 12 is −33,3 %
            {
                "name": "Tage bis zum Erstgespräch",
                "unit": "Tage",
                "direction": "down",
                "wert": 12.0,
                "vorperiode": 18.0,
            },
            "Verbesserung im Kreis Unna bei „Tage bis zum Erstgespräch“: Rückgang um 33 % auf 12,0 Tage gegenüber "
            "dem Vormonat.",
        ),
        (  # values in % change in Prozentpunkte: 50,0 → 47,5; no target, so no target is lost
            {"name": "Zielerreichung", "unit": "%", "direction": "up", "wert": 47.5, "vorperiode": 50.0},
            "Verschlechterung im Kreis Unna bei „Zielerreichung“: Rückgang um 2,5 Prozentpunkte auf 47,5 % gegenüber "
            "dem Vormonat.",
        ),
        (  # 62,0 → 50,0 against ≥ 60: the target (met before) is now missed (50 < 60 × 0,9 = 54)
            {
                "name": "Zielerreichung",
                "unit": "%",
                "direction": "up",
                "wert": 50.0,
                "vorperiode": 62.0,
                "zielwert": 60.0,
                "ampel": "rot",
            },
            "Im Kreis Unna wird das Ziel bei „Zielerreichung“ jetzt verfehlt: Rückgang um 12,0 Prozentpunkte auf "
            "50,0 % gegenüber dem Vormonat (Ziel: mindestens 60,0 %).",
        ),
        (  # from zero there is no relative change
            {"wert": 5.0, "vorperiode": 0.0},
            "Im Kreis Unna gab es mehr „Aktive Fälle“ als im Vormonat: ein Anstieg von 0 auf 5.",
        ),
        (  # 1.000 → 1.004: +0,4 %, one decimal below 1 %; thousands with a dot
            {"wert": 1004.0, "vorperiode": 1000.0},
            "Im Kreis Unna gab es mehr „Aktive Fälle“ als im Vormonat: ein Anstieg um 0,4 % auf 1.004.",
        ),
        (  # a neutral share: 84,1 → 90,8 is +6,7 Prozentpunkte
            {"name": "Anteil Zielgruppe", "unit": "%", "wert": 90.8, "vorperiode": 84.1},
            "Im Kreis Unna stieg der Wert „Anteil Zielgruppe“ gegenüber dem Vormonat um 6,7 Prozentpunkte auf 90,8 %.",
        ),
        (
            {"wert": 7.0, "vorperiode": 7.0},
            "Im Kreis Unna blieb der Wert „Aktive Fälle“ gegenüber dem Vormonat unverändert bei 7.",
        ),
    ],
)
def test_change_sentences(values: dict[str, Any], expected: str) -> None:
    assert change_sentence(figure(**values), KREIS, "Vormonat") == expected


def test_messages_vary_their_wording() -> None:
    """Five changes of one kind are not told in one form (the old briefing had 13 sentences of
    'Im … stieg die Kennzahl „…“ gegenüber dem … um … auf …')."""
    figures = [
        figure(kennzahl=f"K{i:02d}", name=f"Kennzahl {i}", wert=100.0 + change, vorperiode=100.0)
        for i, change in enumerate([10, 20, 30, 40, 50], start=1)
    ]
    messages = key_messages(briefing_of(figures))
    assert messages == [
        "Im Kreis Unna gab es mehr „Kennzahl 1“ als im Vormonat: ein Anstieg um 10 % auf 110.",
        "„Kennzahl 2“ im Kreis Unna: Anstieg um 20 % auf 120 gegenüber dem Vormonat.",
        "Im Kreis Unna gab es mehr „Kennzahl 3“ als im Vormonat: ein Anstieg um 30 % auf 130.",
        "„Kennzahl 4“ im Kreis Unna: Anstieg um 40 % auf 140 gegenüber dem Vormonat.",
        "Im Kreis Unna gab es mehr „Kennzahl 5“ als im Vormonat: ein Anstieg um 50 % auf 150.",
    ]
    assert not any("die Kennzahl" in m for m in messages)


def test_a_lost_target_outweighs_a_larger_neutral_change() -> None:
    """Of six notable changes the five most important are told: the target lost (score 6 × 3 × 1,5)
    before the neutral counts; the smallest neutral change (+6 %, score 1,2) is left out."""
    figures = [
        figure(kennzahl=f"K{i:02d}", name=f"Zahl {i}", wert=100.0 + change, vorperiode=100.0)
        for i, change in enumerate([6, 7, 8, 9, 10], start=1)
    ]
    lost = figure(
        kennzahl="K21", name="Verlustfreie Übergaben", unit="%", direction="up",
        wert=80.0, vorperiode=92.0, zielwert=90.0, ampel="rot",
    )  # fmt: skip
    messages = key_messages(briefing_of([*figures, lost]))
    assert len(messages) == 5
    assert not any("„Zahl 1“" in m for m in messages)
    assert messages[-1] == (
        "Im Kreis Unna wird das Ziel bei „Verlustfreie Übergaben“ jetzt verfehlt: Rückgang um 12,0 Prozentpunkte "
        "auf 80,0 % gegenüber dem Vormonat (Ziel: mindestens 90,0 %)."
    )


def test_only_notable_changes_and_at_most_five_for_the_kreis() -> None:
    figures = [
        figure(kennzahl=f"K{i:02d}", name=f"Kennzahl {i}", wert=100.0 + change, vorperiode=100.0)
        for i, change in enumerate([4.9, 5.0, 30, 6, 7, 8, 9], start=1)
    ]
    messages = key_messages(briefing_of(figures))
    # 4,9 % is below the threshold; of the six others the five largest (30, 9, 8, 7, 6) in catalogue order
    assert [m.split("„")[1].split("“")[0] for m in messages] == [
        "Kennzahl 3",
        "Kennzahl 4",
        "Kennzahl 5",
        "Kennzahl 6",
        "Kennzahl 7",
    ]


def test_no_change_is_told_between_incomplete_values() -> None:
    figures = [
        figure(kennzahl="K02", wert=300.0, vorperiode=200.0, vollstaendig=False, fehlend=("Selm",)),
        figure(kennzahl="K03", name="Neuaufnahmen", wert=60.0, vorperiode=20.0, vorperiode_vollstaendig=False),
    ]
    assert key_messages(briefing_of(figures)) == []
    assert (
        completeness_message(figures, KREIS)
        == "Im Kreis Unna ist 1 Wert unvollständig, weil Lieferungen aus Selm fehlen."
    )


def test_a_hidden_value_gives_no_sentence_even_when_its_previous_value_is_known() -> None:
    hidden = figure(region=BERGKAMEN.ags, wert=None, unterdrueckt=True, vorperiode=40.0)
    assert key_messages(briefing_of([hidden], (KREIS, BERGKAMEN))) == []


def test_target_sentences() -> None:
    met = [
        figure(
            kennzahl="K05", name="Zielerreichung", unit="%", direction="up", wert=65.0, zielwert=60.0, ampel="gruen"
        ),
        figure(
            kennzahl="K22", name="Abbruchquote", unit="%", direction="down", wert=10.0, zielwert=15.0, ampel="gruen"
        ),
    ]
    assert target_message(met, KREIS) == "Im Kreis Unna sind alle 2 bewertbaren Ziele erreicht."
    missed = [
        *met,
        figure(
            kennzahl="K04",
            name="Tage bis zum Erstgespräch",
            unit="Tage",
            direction="down",
            wert=15.0,
            zielwert=14.0,
            ampel="gelb",
        ),
        figure(
            kennzahl="K25",
            name="Schulplatz innerhalb von 4 Wochen",
            unit="%",
            direction="up",
            wert=None,
            unterdrueckt=True,
            zielwert=90.0,
            ampel="grau",
        ),
        figure(
            kennzahl="K21",
            name="Verlustfreie Übergaben",
            unit="%",
            direction="up",
            wert=70.0,
            zielwert=90.0,
            ampel="rot",
        ),
    ]
    # "knapp verfehlt" (gelb) and "verfehlt" (rot) are told apart, not merged into "nicht erreicht"
    assert target_message(missed, BERGKAMEN) == (
        "In Bergkamen wird 1 Ziel verfehlt: Verlustfreie Übergaben (70,0 % statt mindestens 90,0 %). "
        "1 Ziel wird knapp verfehlt: Tage bis zum Erstgespräch (15,0 Tage statt höchstens 14,0 Tage). "
        "2 Ziele sind erreicht. Ohne Bewertung bleibt 1 Ziel, weil kein vollständiger veröffentlichter Wert vorliegt."
    )
    neutral = figure(kennzahl="K02", wert=300.0)
    assert status_line("LS1", status_counts([*missed, neutral])) == (
        "LS1 · 2 im Ziel · 1 knapp verfehlt · 1 verfehlt · 1 ohne Bewertung · 1 ohne Ziel"
    )
    assert target_message([missed[3]], KREIS) is None  # nothing can be judged


def test_completeness_sentence_names_the_missing_kommunen_in_their_order() -> None:
    figures = [
        figure(kennzahl="K02", wert=300.0, vollstaendig=False, fehlend=("Werne",)),
        figure(kennzahl="K03", wert=50.0, vollstaendig=False, fehlend=("Selm", "Werne")),
        figure(kennzahl="K01", wert=None, vollstaendig=False, fehlend=("Bönen",)),  # no value: not counted
        figure(kennzahl="K26", wert=80.0),
    ]
    assert completeness_message(figures, KREIS) == (
        "Im Kreis Unna sind 2 Werte unvollständig, weil Lieferungen aus Selm und Werne fehlen."
    )
    own = [figure(region=BERGKAMEN.ags, wert=3.0, vollstaendig=False, fehlend=("Bergkamen",))]
    assert completeness_message(own, BERGKAMEN) == "In Bergkamen ist 1 Wert unvollständig, weil Lieferungen fehlen."
