"""What the briefing's course charts show, for the PDF (drawn as vectors) and the slides (native
PowerPoint charts).

One panel per indicator of a Leitsatz, one line per region (the Kreis and up to four Kommunen;
all of them are in the tables). A line needs at least ``MIN_POINTS`` published values, a panel at
least one such line: a single dot on a long axis tells nothing. The axis starts at the first
period in which a line of the panel has a value, so it never stretches over periods without data.
Hidden (suppressed) and missing values are gaps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from briefing.content import Briefing, Section

MIN_POINTS = 3
MAX_LINES = 5


@dataclass(frozen=True)
class Series:
    region: str  # name
    number: int  # the region's place in the briefing (colour, dash and marker)
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Panel:
    kennzahl: str
    name: str
    unit: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    zielwert: float | None

    @property
    def low_high(self) -> tuple[float, float]:
        """The value range to show, the target included, never empty."""
        numbers = [v for s in self.series for v in s.values if v is not None]
        if self.zielwert is not None:
            numbers.append(self.zielwert)
        low, high = min(numbers), max(numbers)
        if high == low:
            low, high = low - max(1.0, abs(low) * 0.1), high + max(1.0, abs(high) * 0.1)
        return low, high


def lines_shown(briefing: Briefing) -> int:
    return min(len(briefing.regions), MAX_LINES)


def panels(briefing: Briefing, section: Section) -> list[Panel]:
    """The panels of the Leitsatz that have a line of at least ``MIN_POINTS`` values."""
    regions = briefing.regions[:MAX_LINES]
    by_key = {(f.kennzahl, f.region): f for f in section.figures}
    result = []
    for code in section.kennzahlen:
        lines = [
            Series(region.name, number, by_key[(code, region.ags)].verlauf)
            for number, region in enumerate(regions)
            if sum(v is not None for v in by_key[(code, region.ags)].verlauf) >= MIN_POINTS
        ]
        if not lines:
            continue
        first = min(next(i for i, v in enumerate(s.values) if v is not None) for s in lines)
        figure = by_key[(code, regions[0].ags)]
        target = figure.zielwert if figure.direction != "neutral" else None
        result.append(
            Panel(
                kennzahl=code,
                name=figure.name,
                unit=figure.unit,
                labels=briefing.course_labels[first:],
                series=tuple(Series(s.region, s.number, s.values[first:]) for s in lines),
                zielwert=target,
            )
        )
    return result


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """About ``count`` round tick values covering low..high."""
    raw = (high - low) / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.001:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks
