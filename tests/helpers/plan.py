"""A small hand-planned data set for the briefing tests, loaded by the fixture ``planned_db`` of
tests/briefing/conftest.py with the project's own ingest.

Only the ``fallmanagement`` source is delivered, by all ten Kommunen, for the months 2026-04 to
2026-09 (quarters Q2 and Q3). Every case is planned by hand:

- ``alt``: begun 2026-01-15, open throughout (unless closed, see below);
- ``q2``: begun 2026-05-10 (new in May, so new in Q2);
- ``q3``: begun 2026-08-10 (new in August, so new in Q3);
- ``zu``: of the ``alt`` cases, this many end on 2026-09-20; the first ``ziel`` of them with
  abschlussgrund ziel_erreicht, the rest with abbruch; ergebnis_arbeit 'nein';
- ``weg``: begun 2026-01-15, ended 2026-04-20 by Wegzug. Only Bönen has one: without it Bönen, whose
  other cases begin in May, would have no April delivery and every Q2 figure of the Kreis would be
  incomplete. A Wegzug counts in none of the LS1 figures (not active at a month's end from April
  on, not new in Q2 or Q3, not among the closed cases without Wegzug).

Every case has zuzugsjahr 2024 (so K26 is 100 % wherever it has cases) and no anfrage or
erstkontakt (so K04 has no value). A month's file holds the cases begun by its end and not ended
before its start.

    Kommune           alt  q2  q3  zu ziel | K02 Q2 (Jun)  K02 Q3 (Sep)  K03 Q2  K03 Q3
    Bergkamen  004     30  10   6  10   4  |    40            36           10       6
    Bönen      008      0   2   0   0   0  |     2             2            2       0   (and weg 1)
    Fröndenberg 012    10   5   5   0   0  |    15            20            5       5
    Holzwickede 016     8   4   4   0   0  |    12            16            4       4
    Kamen      020     30  11  20  10   5  |    41            51           11      20
    Lünen      024     50  10  10   0   0  |    60            70           10      10
    Schwerte   028     20   5   5   0   0  |    25            30            5       5
    Selm       032      5   3   1   0   0  |     8             9            3       1
    Unna       036     40  10  10   0   0  |    50            60           10      10
    Werne      040     10   5   5   0   0  |    15            20            5       5
    Kreis                                  |   268           314           65      66

K02 at the end of a quarter = alt + q2 (+ q3 − zu in Q3); K03 = new cases of the quarter.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import NamedTuple


class Plan(NamedTuple):
    alt: int
    q2: int
    q3: int
    zu: int
    ziel: int
    weg: int = 0


PLAN: dict[str, Plan] = {
    "05978004": Plan(30, 10, 6, 10, 4),  # Bergkamen
    "05978008": Plan(0, 2, 0, 0, 0, weg=1),  # Bönen
    "05978012": Plan(10, 5, 5, 0, 0),  # Fröndenberg/Ruhr
    "05978016": Plan(8, 4, 4, 0, 0),  # Holzwickede
    "05978020": Plan(30, 11, 20, 10, 5),  # Kamen
    "05978024": Plan(50, 10, 10, 0, 0),  # Lünen
    "05978028": Plan(20, 5, 5, 0, 0),  # Schwerte
    "05978032": Plan(5, 3, 1, 0, 0),  # Selm
    "05978036": Plan(40, 10, 10, 0, 0),  # Unna
    "05978040": Plan(10, 5, 5, 0, 0),  # Werne
}
MONTHS = [dt.date(2026, m, 1) for m in range(4, 10)]
HEADER = [
    "fall_id", "kommune", "monat", "anfrage", "fallbeginn", "erstkontakt", "fallende", "abschlussgrund",
    "zuzugsjahr", "altersgruppe", "geschlecht", "rechtskreis", "rechtskreise_beteiligt", "zugang",
    "handlungsfelder", "ehrenamt", "uebergaben", "uebergaben_erfolgreich", "ergebnis_arbeit",
]  # fmt: skip


class Case(NamedTuple):
    fall_id: str
    kommune: str
    begin: dt.date
    end: dt.date | None
    grund: str


def planned_cases() -> list[Case]:
    cases = []
    for ags, plan in PLAN.items():
        number = 0
        for group, count, begin in (
            ("A", plan.alt, dt.date(2026, 1, 15)),
            ("B", plan.q2, dt.date(2026, 5, 10)),
            ("C", plan.q3, dt.date(2026, 8, 10)),
        ):
            for index in range(count):
                number += 1
                closed = group == "A" and index < plan.zu
                grund = ("ziel_erreicht" if index < plan.ziel else "abbruch") if closed else ""
                cases.append(
                    Case(f"K{ags[-2:]}F{number:03d}", ags, begin, dt.date(2026, 9, 20) if closed else None, grund)
                )
        for _ in range(plan.weg):
            number += 1
            cases.append(Case(f"K{ags[-2:]}F{number:03d}", ags, dt.date(2026, 1, 15), dt.date(2026, 4, 20), "wegzug"))
    return cases


def month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def write_month(folder: Path, month: dt.date) -> Path:
    path = folder / f"fallmanagement_{month:%Y-%m}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for case in planned_cases():
            if case.begin > month_end(month) or (case.end is not None and case.end < month):
                continue
            row = dict.fromkeys(HEADER, "")
            row |= {
                "fall_id": case.fall_id,
                "kommune": case.kommune,
                "monat": f"{month:%Y-%m}",
                "fallbeginn": case.begin.isoformat(),
                "zuzugsjahr": "2024",
                "handlungsfelder": "arbeit",
            }
            if case.end is not None and case.end <= month_end(month):
                row |= {"fallende": case.end.isoformat(), "abschlussgrund": case.grund, "ergebnis_arbeit": "nein"}
            writer.writerow([row[column] for column in HEADER])
    return path
