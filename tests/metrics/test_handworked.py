"""Hand-worked Kennzahlen on a small data set, checked against the oracle and against the real
command line, run as a user would::

    python -m loaders ingest FILES --db DB --json
    python -m metrics values --db DB --period month|quarter|year --format csv

with ``KIM_TODAY=2026-11-25`` in the project root (tests/helpers/values.py).

The data set (``tests/files/handworked/``) has three Kommunen, one per Teilregion:
Bergkamen (B, 05978004, TR-Mitte), Lünen (L, 05978024, TR-Nord) and Schwerte
(S, 05978028, TR-Sued); the other seven Kommunen deliver nothing, so every
Kreis and Teilregion value is incomplete. Reporting months 2026-07..2026-09 plus
bevoelkerung Stichtage 2025-12 and 2026-08, so the month range is
2025-12..2026-09 (10 months, quarters 2025-Q4..2026-Q3, years 2025 and 2026).

Every expected number below was worked out by hand from the fixture files; the
derivation is in the comment next to it. The working tables:

fallmanagement (after the Bergkamen correction replaced B's first August
delivery, which held B01 and a bogus B99 only; L's and S's August rows in the
same first file stay valid):

    delivery  active (at month end)        new        closed (abschlussgrund)
    B 07      B01 B02 B03          = 3     B02 B03    –
    B 08      B01 B03 B04 B06      = 4     B04 B06    B02 (ziel_erreicht)
    B 09      B01 B04 B05          = 3     B05        B03 (wegzug), B06 (weitervermittelt)
    L 07      L01 L02 L03          = 3     L02 L03    L05 (sonstiges, 07-30)
    L 08      L01 L02 L04          = 3     L04        L03 (ziel_erreicht); L05 stale, not counted
    L 09      L02 L04 L06          = 3     L06        L01 (abbruch); L06 ends 10-06 > E: active
    S 07      S01 S02              = 2     S02        –
    S 08      S01 S03              = 2     S03        S02 (wegzug)
    S 09      no delivery

    case  ehrenamt  rechtskreise_beteiligt  zuzugsjahr (2026−z ≤ 5?)  zugang (in set?)
    B01   ja        2                       2022 (4, yes)              jobcenter (yes)
    B02   nein      1                       2019 (7, no)               selbstmeldung (no)
    B03   ja        3                       2024 (2, yes)              auslaenderbehoerde (yes)
    B04   –         –                       2018 (8, no)               schule (yes)
    B05   nein      0                       2015 (11, no)              – (not given)
    B06   ja        2                       2021 (5, yes)              ehrenamt (no)
    L01   nein      1                       2023 (3, yes)              jobcenter (yes)
    L02   ja        2                       2020 (6, no)               sozialamt (yes)
    L03   nein      –                       2026 (0, yes)              wohlfahrtsverband (no)
    L04   ja        4                       2022 (4, yes)              agentur_fuer_arbeit (yes)
    L06   nein      1                       2025 (1, yes)              schule (yes)
    S01   ja        2                       2024 (2, yes)              jugendamt (yes)
    S02   nein      1                       2017 (9, no)               selbstmeldung (no)
    S03   nein      3                       2023 (3, yes)              jobcenter (yes)

    closed case  ergebnis_arbeit  uebergaben / erfolgreich
    B02 (08)     nein             2 / 2
    B03 (09)     nein             1 / 1   (wegzug: only in K21)
    B06 (09)     ja               3 / 2
    L05 (07)     ja               – / –   (not in K21)
    L03 (08)     ja               1 / 0
    L01 (09)     nein             2 / –   (erfolgreich missing: not in K21)
    S02 (08)     nein             1 / 1   (wegzug: only in K21)

    K04 records (erstkontakt − anfrage, erstkontakt in the delivery month):
    B 07: B02 06-25→07-11 = 16, B03 07-01→07-15 = 14   (B01's erstkontakt is in June)
    B 08: B04 08-03→08-10 = 7                          (B06 has no anfrage)
    B 09: B05 09-01→09-12 = 11
    L 07: L02 06-28→07-06 = 8                          (L03 no erstkontakt yet, L05 no anfrage)
    L 08: L03 07-20→08-04 = 15, L04 07-28→08-01 = 4
    L 09: none                                         (L06 has no anfrage)
    S 07: S01 06-10→07-01 = 21, S02 07-05→07-09 = 4
    S 08: S03 08-18→08-24 = 6

bevoelkerung: Stichtag 2025-12 for B (auslaendisch 6000, auslaendisch_15_64 4000,
zugewandert_5j 1500), L (12000, 8000, 3000), S (5000, 3500, 1000); Stichtag
2026-08 for B (6200, empty, 1600): from August on B's auslaendisch_15_64 is
missing (no fallback to 2025-12).

Aggregates (final, after corrections): see the fixture files; the values used
are quoted in the comments.
"""

from __future__ import annotations

import functools
import pathlib
from typing import NamedTuple

import pytest

from tests.helpers import oracle
from tests.helpers.paths import HANDWORKED
from tests.helpers.values import (
    PERIOD_KINDS,
    Difference,
    ResultRow,
    cli_values,
    compare_rows,
    format_differences,
    ingest,
    oracle_by_key,
    same_number,
)

# Applied in this order: the corrections come after the files they correct.
FIXTURE_FILES: tuple[str, ...] = (
    "bevoelkerung_2025-12.csv",
    "bevoelkerung_2026-08.csv",
    "fallmanagement_2026-07.csv",
    "fallmanagement_2026-08.csv",
    "fallmanagement_2026-09.csv",
    "fallmanagement_2026-08_korrektur_bergkamen.csv",
    "arbeitsmarkt_2026-07.csv",
    "arbeitsmarkt_2026-08_bis_09.csv",
    "arbeitsmarkt_2026-07_korrektur.csv",
    "auslaenderbehoerde_2026-q3.csv",
    "schule_2026-q3.csv",
    "sprache_2026-q3.csv",
    "ehrenamt_2026-07.csv",
    "ehrenamt_2026-08.csv",
    "ehrenamt_2026-09.csv",
    "ehrenamt_2026-08_korrektur_schwerte.csv",
)

# Number of periods of each kind in the month range 2025-12..2026-09.
PERIOD_COUNTS: dict[str, int] = {"month": 10, "quarter": 4, "year": 2}


def fixture_paths() -> list[pathlib.Path]:
    return [HANDWORKED / name for name in FIXTURE_FILES]


class Expected(NamedTuple):
    wert: int | float | None
    zaehler: int | float | None
    nenner: int | float | None
    vollstaendig: bool


B = "05978004"  # Bergkamen, TR-Mitte
L = "05978024"  # Lünen, TR-Nord
S = "05978028"  # Schwerte, TR-Sued
KREIS = "05978"
NORD, MITTE, SUED = "TR-Nord", "TR-Mitte", "TR-Sued"
JUL, AUG, SEP, Q3 = "2026-07", "2026-08", "2026-09", "2026-Q3"
NONE = Expected(None, None, None, False)  # no value at all, incomplete

# (kennzahl, kommune, periode) → expected row.
# fmt: off
EXPECTED: dict[tuple[str, str, str], Expected] = {
    # --- K01 active ÷ zugewandert_5j × 1000 (stock ÷ stock) ---------------------------
    ("K01", B, JUL): Expected(2.0, 3, 1500, True),  # 3 × 1000 / 1500 (Stichtag 2025-12)
    ("K01", B, AUG): Expected(2.5, 4, 1600, True),  # 4 × 1000 / 1600 (Stichtag 2026-08)
    ("K01", B, Q3): Expected(1.875, 3, 1600, True),  # September: 3 × 1000 / 1600
    ("K01", L, Q3): Expected(1.0, 3, 3000, True),  # 3 × 1000 / 3000
    ("K01", S, SEP): NONE,  # no fallmanagement delivery for S in September
    ("K01", S, Q3): NONE,  # stock, last month of Q3 not delivered
    ("K01", SUED, Q3): NONE,  # only S could contribute, and it cannot
    ("K01", KREIS, JUL): Expected(1.4545454545454546, 8, 5500, False),  # (3+3+2)×1000/(1500+3000+1000)
    ("K01", KREIS, AUG): Expected(1.6071428571428572, 9, 5600, False),  # (4+3+2)×1000/(1600+3000+1000)
    ("K01", KREIS, Q3): Expected(1.3043478260869565, 6, 4600, False),  # Sep: (3+3)×1000/(1600+3000)
    ("K01", B, "2025-12"): Expected(None, None, None, False),  # bevoelkerung only, no cases
    # --- K02 active cases (stock count) ----------------------------------------------
    ("K02", B, JUL): Expected(3, 3, None, True),  # B01 B02 B03
    ("K02", B, AUG): Expected(4, 4, None, True),  # corrected delivery: B01 B03 B04 B06 (not 2)
    ("K02", B, SEP): Expected(3, 3, None, True),  # B01 B04 B05
    ("K02", B, Q3): Expected(3, 3, None, True),  # value of September
    ("K02", L, AUG): Expected(3, 3, None, True),  # L01 L02 L04 (L03 closed, L05 stale)
    ("K02", L, SEP): Expected(3, 3, None, True),  # L02 L04 L06 (L06 ends 10-06 > E)
    ("K02", S, SEP): NONE,  # month without delivery: no value, not 0
    ("K02", S, Q3): NONE,  # stock whose last month has no delivery
    ("K02", MITTE, Q3): Expected(3, 3, None, False),  # only B
    ("K02", SUED, Q3): NONE,
    ("K02", KREIS, JUL): Expected(8, 8, None, False),  # 3 + 3 + 2
    ("K02", KREIS, AUG): Expected(9, 9, None, False),  # 4 + 3 + 2
    ("K02", KREIS, SEP): Expected(6, 6, None, False),  # 3 + 3 (S missing)
    ("K02", KREIS, Q3): Expected(6, 6, None, False),  # value of September
    ("K02", KREIS, "2026-03"): NONE,  # a month in the range with nothing delivered
    ("K02", KREIS, "2026"): NONE,  # stock of 2026-12: no delivery
    # --- K03 new cases (flow count) --------------------------------------------------
    ("K03", B, JUL): Expected(2, 2, None, True),  # B02 B03
    ("K03", B, AUG): Expected(2, 2, None, True),  # B04 B06
    ("K03", B, SEP): Expected(1, 1, None, True),  # B05
    ("K03", B, Q3): Expected(5, 5, None, True),  # 2 + 2 + 1
    ("K03", L, AUG): Expected(1, 1, None, True),  # L04
    ("K03", L, Q3): Expected(4, 4, None, True),  # 2 + 1 + 1
    ("K03", S, SEP): NONE,  # no delivery: no value, not 0
    ("K03", S, Q3): Expected(2, 2, None, False),  # 1 + 1 over the delivered months
    ("K03", SUED, Q3): Expected(2, 2, None, False),
    ("K03", KREIS, JUL): Expected(5, 5, None, False),  # 2 + 2 + 1
    ("K03", KREIS, AUG): Expected(4, 4, None, False),  # 2 + 1 + 1
    ("K03", KREIS, SEP): Expected(2, 2, None, False),  # 1 + 1
    ("K03", KREIS, Q3): Expected(11, 11, None, False),  # 5 + 4 + 2
    ("K03", KREIS, "2026"): Expected(11, 11, None, False),  # flows of the year = Q3's
    # --- K04 median days anfrage → erstkontakt (zaehler None, nenner = records) -------
    ("K04", B, JUL): Expected(15, None, 2, True),  # [14, 16] → (14+16)/2
    ("K04", B, AUG): Expected(7, None, 1, True),  # [7]
    ("K04", B, Q3): Expected(12.5, None, 4, True),  # [7, 11, 14, 16] → (11+14)/2
    ("K04", L, AUG): Expected(9.5, None, 2, True),  # [4, 15] → (4+15)/2
    ("K04", L, SEP): Expected(None, None, 0, True),  # delivered, but no record
    ("K04", L, Q3): Expected(8, None, 3, True),  # [4, 8, 15]
    ("K04", S, SEP): NONE,  # no delivery: nenner None too
    ("K04", S, Q3): Expected(6, None, 3, False),  # [4, 6, 21]
    ("K04", NORD, SEP): Expected(None, None, 0, False),  # L delivered without records
    ("K04", SUED, SEP): NONE,
    ("K04", KREIS, JUL): Expected(14, None, 5, False),  # [4, 8, 14, 16, 21]
    ("K04", KREIS, AUG): Expected(6.5, None, 4, False),  # [4, 6, 7, 15] → (6+7)/2
    ("K04", KREIS, SEP): Expected(11, None, 1, False),  # [11]
    ("K04", KREIS, Q3): Expected(9.5, None, 10, False),  # [4,4,6,7,8,11,14,15,16,21] → (8+11)/2
    # --- K05 closed′ ziel/teilweise ÷ closed′ × 100 ----------------------------------
    ("K05", B, JUL): Expected(None, 0, 0, True),  # no closed case: denominator 0
    ("K05", B, AUG): Expected(100.0, 1, 1, True),  # B02 ziel_erreicht
    ("K05", B, SEP): Expected(0.0, 0, 1, True),  # B06 weitervermittelt; B03 wegzug excluded
    ("K05", B, Q3): Expected(50.0, 1, 2, True),  # (0+1+0) / (0+1+1)
    ("K05", L, Q3): Expected(33.333333333333336, 1, 3, True),  # L05 sonstiges, L03 ziel, L01 abbruch
    ("K05", S, AUG): Expected(None, 0, 0, True),  # the only closed case S02 is a wegzug
    ("K05", KREIS, JUL): Expected(0.0, 0, 1, False),  # L05 sonstiges
    ("K05", KREIS, AUG): Expected(100.0, 2, 2, False),  # B02, L03
    ("K05", KREIS, Q3): Expected(40.0, 2, 5, False),  # B02 L03 of B02 B06 L05 L03 L01
    # --- K06 closed′ with ergebnis_arbeit ÷ closed′ × 100 ----------------------------
    ("K06", B, AUG): Expected(0.0, 0, 1, True),  # B02 nein
    ("K06", B, SEP): Expected(100.0, 1, 1, True),  # B06 ja; B03 (wegzug) excluded
    ("K06", B, Q3): Expected(50.0, 1, 2, True),
    ("K06", L, JUL): Expected(100.0, 1, 1, True),  # L05 ja
    ("K06", L, Q3): Expected(66.66666666666667, 2, 3, True),  # L05 ja, L03 ja, L01 nein
    ("K06", KREIS, SEP): Expected(50.0, 1, 2, False),  # B06 ja, L01 nein
    ("K06", KREIS, Q3): Expected(60.0, 3, 5, False),  # B06 L05 L03 of 5 closed′
    # --- K07 arbeitslose_auslaendisch ÷ auslaendisch_15_64 × 100 (stock ÷ stock) -----
    ("K07", B, JUL): Expected(3.0, 120, 4000, True),  # corrected 120 (not 999) / 4000
    ("K07", B, AUG): NONE,  # Stichtag 2026-08 row has auslaendisch_15_64 empty: no fallback
    ("K07", B, Q3): NONE,
    ("K07", L, JUL): NONE,  # no arbeitsmarkt row for L in July
    ("K07", L, AUG): Expected(3.75, 300, 8000, True),  # 300 × 100 / 8000
    ("K07", L, Q3): Expected(3.875, 310, 8000, False),  # Sep: 310 × 100 / 8000
    ("K07", KREIS, JUL): Expected(3.0, 120, 4000, False),  # only B
    ("K07", KREIS, SEP): Expected(3.875, 310, 8000, False),  # only L (B's denominator missing)
    ("K07", KREIS, Q3): Expected(3.875, 310, 8000, False),
    # --- K08 Σ integrationen ÷ mean elb × 100 ---------------------------------------
    ("K08", B, JUL): Expected(2.0, 8, 400, True),  # 8 × 100 / 400
    ("K08", B, AUG): Expected(1.5789473684210527, 6, 380, True),  # 6 × 100 / 380
    ("K08", B, SEP): NONE,  # elb_auslaendisch empty
    ("K08", B, Q3): Expected(3.58974358974359, 14, 390.0, False),  # Jul+Aug: 14×100 / ((400+380)/2)
    ("K08", L, SEP): Expected(0.0, 0, 1100, True),  # delivered zero
    ("K08", L, Q3): Expected(1.9047619047619047, 20, 1050.0, False),  # Aug+Sep: 20×100/((1000+1100)/2)
    ("K08", KREIS, JUL): Expected(2.0, 8, 400, False),  # only B
    ("K08", KREIS, Q3): Expected(2.361111111111111, 34, 1440.0, False),  # (14+20)×100/(390+1050)
    # --- K09 Σ bearbeitungstage_summe ÷ Σ antraege_entschieden -------------------------
    ("K09", B, JUL): Expected(50.0, 2000, 40, True),  # 2000 / 40
    ("K09", B, SEP): Expected(None, 0, 0, True),  # denominator 0
    ("K09", B, Q3): Expected(51.111111111111114, 4600, 90, True),  # (2000+2600+0)/(40+50+0)
    ("K09", L, AUG): NONE,  # no row for L in August
    ("K09", L, Q3): Expected(54.705882352941174, 9300, 170, False),  # (4500+4800)/(90+80)
    ("K09", KREIS, JUL): Expected(50.0, 6500, 130, False),  # (2000+4500)/(40+90)
    ("K09", KREIS, SEP): Expected(60.0, 4800, 80, False),  # (0+4800)/(0+80)
    ("K09", KREIS, Q3): Expected(53.46153846153846, 13900, 260, False),  # (4600+9300)/(90+170)
    # --- K10 Σ antraege_entschieden ÷ Σ antraege_eingang × 100 -----------------------
    ("K10", B, AUG): Expected(111.11111111111111, 50, 45, True),  # 50 × 100 / 45
    ("K10", B, SEP): Expected(None, 0, 0, True),  # denominator 0
    ("K10", B, Q3): Expected(94.73684210526316, 90, 95, True),  # (40+50+0)×100/(50+45+0)
    ("K10", L, Q3): Expected(89.47368421052632, 170, 190, False),  # (90+80)×100/(90+100)
    ("K10", KREIS, Q3): Expected(91.2280701754386, 260, 285, False),  # 260 × 100 / 285
    # --- K11 offene_verfahren (stock) ----------------------------------------------
    ("K11", B, JUL): Expected(300, 300, None, True),
    ("K11", B, Q3): Expected(290, 290, None, True),  # September
    ("K11", L, JUL): NONE,  # row delivered, cell empty
    ("K11", L, Q3): Expected(500, 500, None, False),  # September
    ("K11", KREIS, JUL): Expected(300, 300, None, False),  # only B
    ("K11", KREIS, Q3): Expected(790, 790, None, False),  # 290 + 500
    # --- K12 Σ aufenthaltsverfestigungen (flow) -----------------------------------
    ("K12", B, JUL): Expected(0, 0, None, True),  # delivered zero
    ("K12", B, Q3): Expected(2, 2, None, True),  # 0 + 2 + 0
    ("K12", L, AUG): NONE,  # no row
    ("K12", L, Q3): Expected(8, 8, None, False),  # 3 + 5
    ("K12", KREIS, AUG): Expected(2, 2, None, False),  # only B
    ("K12", KREIS, Q3): Expected(10, 10, None, False),  # 2 + 8
    # --- K13 Σ einbuergerungen ÷ auslaendisch × 1000 -------------------------------
    ("K13", B, JUL): Expected(1.0, 6, 6000, True),  # 6 × 1000 / 6000 (Stichtag 2025-12)
    ("K13", B, AUG): Expected(0.6451612903225806, 4, 6200, True),  # 4 × 1000 / 6200 (2026-08)
    ("K13", B, SEP): Expected(0.0, 0, 6200, True),  # delivered zero
    ("K13", B, Q3): Expected(1.6129032258064515, 10, 6200, True),  # (6+4+0) × 1000 / 6200
    ("K13", L, Q3): Expected(1.8333333333333333, 22, 12000, False),  # (10+12) × 1000 / 12000
    ("K13", KREIS, Q3): Expected(1.7582417582417582, 32, 18200, False),  # 32×1000/(6200+12000)
    ("K13", B, "2026"): Expected(1.6129032258064515, 10, 6200, False),  # stock of 2026-12 = 6200
    ("K13", KREIS, "2026"): Expected(1.7582417582417582, 32, 18200, False),
    ("K13", KREIS, "2025-Q4"): NONE,  # no einbuergerungen delivered
    # --- K14 Σ wartetage_summe ÷ Σ kurseintritte ------------------------------------
    ("K14", L, JUL): Expected(50.0, 1500, 30, True),  # 1500 / 30
    ("K14", L, AUG): Expected(None, 0, 0, True),  # denominator 0
    ("K14", L, Q3): Expected(45.45454545454545, 2500, 55, True),  # (1500+0+1000)/(30+0+25)
    ("K14", B, SEP): Expected(45.0, 450, 10, True),  # 450 / 10
    ("K14", B, Q3): Expected(45.0, 450, 10, False),  # only September delivered
    ("K14", KREIS, SEP): Expected(41.42857142857143, 1450, 35, False),  # (1000+450)/(25+10)
    ("K14", KREIS, Q3): Expected(45.38461538461539, 2950, 65, False),  # (2500+450)/(55+10)
    # --- K15 Σ b1_erreicht ÷ Σ pruefungen_dtz × 100 --------------------------------
    ("K15", L, AUG): Expected(None, 0, 0, True),  # denominator 0
    ("K15", L, SEP): Expected(40.0, 6, 15, True),  # 6 × 100 / 15
    ("K15", L, Q3): Expected(51.42857142857143, 18, 35, True),  # (12+0+6)×100/(20+0+15)
    ("K15", B, SEP): NONE,  # cells empty
    ("K15", KREIS, Q3): Expected(51.42857142857143, 18, 35, False),  # only L
    # --- K16 active with ehrenamt ÷ active × 100 ----------------------------------
    ("K16", B, AUG): Expected(75.0, 3, 4, True),  # B01 B03 B06 of 4 (B04 empty = nein)
    ("K16", B, Q3): Expected(33.333333333333336, 1, 3, True),  # Sep: B01 of B01 B04 B05
    ("K16", S, Q3): NONE,
    ("K16", KREIS, JUL): Expected(50.0, 4, 8, False),  # (2+1+1)/(3+3+2)
    ("K16", KREIS, AUG): Expected(66.66666666666667, 6, 9, False),  # (3+2+1)/(4+3+2)
    ("K16", KREIS, Q3): Expected(50.0, 3, 6, False),  # Sep: (1+2)/(3+3)
    # --- K17 ehrenamtliche_aktiv ÷ active × 100 -----------------------------------
    ("K17", B, JUL): Expected(400.0, 12, 3, True),  # 12 × 100 / 3
    ("K17", B, Q3): Expected(500.0, 15, 3, True),  # Sep: 15 × 100 / 3
    ("K17", S, JUL): Expected(400.0, 8, 2, True),  # 8 × 100 / 2
    ("K17", S, AUG): NONE,  # correction replaced 9 by an empty cell (no merge)
    ("K17", KREIS, JUL): Expected(400.0, 20, 5, False),  # (12+8)×100/(3+2); L has no ehrenamt row
    ("K17", KREIS, AUG): Expected(350.0, 14, 4, False),  # only B
    ("K17", KREIS, Q3): Expected(500.0, 15, 3, False),  # only B (Sep)
    # --- K18 tandems_aktiv (stock) -----------------------------------------------
    ("K18", B, Q3): Expected(6, 6, None, True),
    ("K18", S, AUG): Expected(3, 3, None, True),
    ("K18", S, Q3): NONE,  # no ehrenamt row for S in September
    ("K18", KREIS, JUL): Expected(8, 8, None, False),  # 5 + 3
    ("K18", KREIS, Q3): Expected(6, 6, None, False),  # only B
    # --- K19 Σ einsatzstunden (flow, decimal) --------------------------------------
    ("K19", B, Q3): Expected(140.75, 140.75, None, True),  # 40.5 + 52.25 + 48.0
    ("K19", S, Q3): Expected(38.5, 38.5, None, False),  # 20 + 18.5
    ("K19", KREIS, JUL): Expected(60.5, 60.5, None, False),  # 40.5 + 20
    ("K19", KREIS, Q3): Expected(179.25, 179.25, None, False),  # 140.75 + 38.5
    # --- K20 Σ ehrenamtliche_neu (flow) ------------------------------------------
    ("K20", S, JUL): Expected(0, 0, None, True),  # delivered zero
    ("K20", B, Q3): Expected(6, 6, None, True),  # 2 + 3 + 1
    ("K20", KREIS, Q3): Expected(7, 7, None, False),  # 6 + (0 + 1)
    # --- K21 Σ uebergaben_erfolgreich ÷ Σ uebergaben × 100 (closed, wegzug included) --
    ("K21", B, AUG): Expected(100.0, 2, 2, True),  # B02 2/2
    ("K21", B, SEP): Expected(75.0, 3, 4, True),  # B03 (wegzug) 1/1 + B06 2/3
    ("K21", B, Q3): Expected(83.33333333333333, 5, 6, True),  # (2+3) × 100 / (2+4)
    ("K21", L, AUG): Expected(0.0, 0, 1, True),  # L03 0/1: a delivered zero
    ("K21", L, SEP): Expected(None, 0, 0, True),  # L01 erfolgreich missing; L06 not closed
    ("K21", L, Q3): Expected(0.0, 0, 1, True),
    ("K21", S, Q3): Expected(100.0, 1, 1, False),  # S02 (wegzug) 1/1
    ("K21", KREIS, JUL): Expected(None, 0, 0, False),  # no qualifying closed case
    ("K21", KREIS, Q3): Expected(75.0, 6, 8, False),  # (5+0+1)×100/(6+1+1)
    # --- K22 closed′ abbruch ÷ closed′ × 100 --------------------------------------
    ("K22", B, Q3): Expected(0.0, 0, 2, True),  # B02, B06
    ("K22", L, SEP): Expected(100.0, 1, 1, True),  # L01 abbruch
    ("K22", L, Q3): Expected(33.333333333333336, 1, 3, True),  # L01 of L05 L03 L01
    ("K22", KREIS, SEP): Expected(50.0, 1, 2, False),  # L01 of B06 L01
    ("K22", KREIS, Q3): Expected(20.0, 1, 5, False),
    # --- K23 active with rechtskreise_beteiligt ≥ 2 ÷ active with it given × 100 ----
    ("K23", B, AUG): Expected(100.0, 3, 3, True),  # B01 2, B03 3, B06 2 (B04 not given)
    ("K23", B, SEP): Expected(50.0, 1, 2, True),  # B01 2, B05 0 (given); B04 not given
    ("K23", L, JUL): Expected(50.0, 1, 2, True),  # L01 1, L02 2 (L03 not given)
    ("K23", KREIS, JUL): Expected(57.142857142857146, 4, 7, False),  # (2+1+1)/(3+2+2)
    ("K23", KREIS, AUG): Expected(87.5, 7, 8, False),  # (3+2+2)/(3+3+2)
    ("K23", KREIS, Q3): Expected(60.0, 3, 5, False),  # Sep: (1+2)/(2+3)
    # --- K24 new via Behörde/Schule ÷ new with zugang given × 100 -------------------
    ("K24", B, SEP): Expected(None, 0, 0, True),  # B05 zugang not given: denominator 0
    ("K24", B, Q3): Expected(50.0, 2, 4, True),  # B03 B04 of B02 B03 B04 B06
    ("K24", L, Q3): Expected(75.0, 3, 4, True),  # L02 L04 L06 of L02 L03 L04 L06
    ("K24", S, JUL): Expected(0.0, 0, 1, True),  # S02 selbstmeldung
    ("K24", S, Q3): Expected(50.0, 1, 2, False),  # S03 of S02 S03
    ("K24", NORD, Q3): Expected(75.0, 3, 4, False),  # only L
    ("K24", KREIS, JUL): Expected(40.0, 2, 5, False),  # (1+1+0)/(2+2+1)
    ("K24", KREIS, Q3): Expected(60.0, 6, 10, False),  # (2+3+1)/(4+4+2)
    # --- K25 Σ beschult_4w ÷ Σ seiteneinsteiger_neu × 100 ---------------------------
    ("K25", B, JUL): Expected(90.0, 9, 10, True),  # 9 × 100 / 10
    ("K25", B, AUG): Expected(None, 0, 0, True),  # denominator 0
    ("K25", B, Q3): Expected(83.33333333333333, 15, 18, True),  # (9+0+6)×100/(10+0+8)
    ("K25", S, Q3): Expected(100.0, 5, 5, False),  # only August
    ("K25", KREIS, AUG): Expected(100.0, 5, 5, False),  # (0+5)/(0+5)
    ("K25", KREIS, Q3): Expected(86.95652173913044, 20, 23, False),  # (15+5)×100/(18+5)
    # --- K26 active in Zielgruppe ÷ active × 100 ----------------------------------
    ("K26", B, AUG): Expected(75.0, 3, 4, True),  # B01 B03 B06 (2026−2021 = 5 counts)
    ("K26", L, JUL): Expected(66.66666666666667, 2, 3, True),  # L01 L03 of L01 L02 L03
    ("K26", S, AUG): Expected(100.0, 2, 2, True),  # S01 S03
    ("K26", KREIS, JUL): Expected(62.5, 5, 8, False),  # (2+2+1)/(3+3+2)
    ("K26", KREIS, AUG): Expected(77.77777777777777, 7, 9, False),  # (3+2+2)/(4+3+2)
    ("K26", KREIS, Q3): Expected(50.0, 3, 6, False),  # Sep: (1+2)/(3+3)
    # --- K27 wartende_schulplatz (stock) -----------------------------------------
    ("K27", B, JUL): Expected(4, 4, None, True),
    ("K27", B, SEP): NONE,  # row delivered, cell empty
    ("K27", B, Q3): NONE,  # stock whose last month has no value
    ("K27", S, AUG): Expected(0, 0, None, True),  # delivered zero
    ("K27", KREIS, AUG): Expected(3, 3, None, False),  # 3 + 0
    ("K27", KREIS, Q3): NONE,
    # --- K28 Σ kurseintritte ÷ Σ berechtigungen × 100 ------------------------------
    ("K28", L, AUG): Expected(0.0, 0, 35, True),  # delivered zero
    ("K28", L, Q3): Expected(44.0, 55, 125, True),  # (30+0+25)×100/(40+35+50)
    ("K28", B, SEP): Expected(50.0, 10, 20, True),  # 10 × 100 / 20
    ("K28", KREIS, AUG): Expected(0.0, 0, 35, False),  # only L
    ("K28", KREIS, Q3): Expected(44.827586206896555, 65, 145, False),  # (55+10)×100/(125+20)
}
# fmt: on


def period_kind(periode: str) -> str:
    """'2026-09' → month, '2026-Q3' → quarter, '2026' → year."""
    if len(periode) == 4:
        return "year"
    if "Q" in periode:
        return "quarter"
    return "month"


def mismatches(actual: dict[str, object], expected: Expected) -> list[str]:
    """Human-readable differences between a result row and an expectation."""
    problems: list[str] = []
    for name in ("wert", "zaehler", "nenner"):
        if not same_number(actual[name], getattr(expected, name)):
            problems.append(f"{name}: got {actual[name]!r}, expected {getattr(expected, name)!r}")
    if actual["vollstaendig"] != expected.vollstaendig:
        problems.append(f"vollstaendig: got {actual['vollstaendig']!r}, expected {expected.vollstaendig!r}")
    return problems


@functools.cache
def oracle_rows(kind: str) -> dict[tuple[str, str, str], dict[str, object]]:
    rows = oracle.compute(fixture_paths(), kind)
    return {(str(row["kennzahl"]), str(row["kommune"]), str(row["periode"])): row for row in rows}


def test_every_kennzahl_is_covered_for_a_kommune_and_the_kreis() -> None:
    for code in oracle.KENNZAHL_CODES:
        kreis_keys = [key for key in EXPECTED if key[0] == code and key[1] == KREIS]
        kommune_keys = [key for key in EXPECTED if key[0] == code and key[1] in oracle.KOMMUNEN]
        assert kreis_keys, f"{code}: no Kreis expectation"
        assert kommune_keys, f"{code}: no Kommune expectation"
        kinds = {period_kind(key[2]) for key in EXPECTED if key[0] == code}
        assert {"month", "quarter"} <= kinds, f"{code}: needs a month and a quarter"


@pytest.mark.parametrize("kind", ["month", "quarter", "year"])
def test_oracle_row_count(kind: str) -> None:
    assert len(oracle_rows(kind)) == 28 * 14 * PERIOD_COUNTS[kind]


@pytest.mark.parametrize("key", list(EXPECTED), ids=lambda key: "-".join(key))
def test_oracle_matches_hand_worked_value(key: tuple[str, str, str]) -> None:
    rows = oracle_rows(period_kind(key[2]))
    assert key in rows, f"no row for {key}"
    problems = mismatches(rows[key], EXPECTED[key])
    assert not problems, f"{key}: " + "; ".join(problems)


def expected_as_row(expected: Expected) -> ResultRow:
    return {
        "wert": expected.wert,
        "zaehler": expected.zaehler,
        "nenner": expected.nenner,
        "vollstaendig": expected.vollstaendig,
    }


@pytest.fixture(scope="module")
def handworked_db(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    db = tmp_path_factory.mktemp("handworked") / "kim.duckdb"
    ingest(fixture_paths(), db)
    return db


@pytest.mark.parametrize("kind", PERIOD_KINDS)
def test_cli_matches_hand_worked_values(handworked_db: pathlib.Path, kind: str) -> None:
    actual = cli_values(handworked_db, kind)
    differences: list[Difference] = []
    for key, expected in sorted(EXPECTED.items()):
        if period_kind(key[2]) != kind:
            continue
        if key not in actual:
            differences.append((key, "row", "missing", "present"))
            continue
        expected_row = expected_as_row(expected)
        for name in ("wert", "zaehler", "nenner"):
            if not same_number(actual[key][name], expected_row[name]):
                differences.append((key, name, actual[key][name], expected_row[name]))
        if actual[key]["vollstaendig"] != expected.vollstaendig:
            differences.append(
                (
                    key,
                    "vollstaendig",
                    actual[key]["vollstaendig"],
                    expected.vollstaendig,
                )
            )
    assert not differences, format_differences(differences)


@pytest.mark.parametrize("kind", PERIOD_KINDS)
def test_cli_matches_oracle_on_hand_worked_files(handworked_db: pathlib.Path, kind: str) -> None:
    differences = compare_rows(cli_values(handworked_db, kind), oracle_by_key(fixture_paths(), kind))
    assert not differences, format_differences(differences)
