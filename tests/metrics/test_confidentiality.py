"""Confidentiality: the rules of docs/kennzahlen.md#geheimhaltung by hand, and an audit over many generated data sets.

The audit checks the published result independently of how it was reached: no visible cell that a
primary rule hides, and in every group of parts shown with their total (the ten Kommunen and the
Kreis, the Kommunen of a Teilregion and the Teilregion), for every additive figure, either nothing
hidden or at least two hidden cells adding up to at least the threshold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.catalogue import catalogue
from core.reference import kommunen, kreis, teilregionen
from metrics.confidentiality import primary, protect_group
from metrics.disclosure import sensitive_parts, suppress_frame

T = 3  # threshold, docs/kennzahlen.md#geheimhaltung
KOMMUNEN = [k.ags for k in kommunen()]
GROUPS = [(kreis().ags, KOMMUNEN)] + [
    (r.code, [k.ags for k in kommunen() if k.teilregion == r.code]) for r in teilregionen()
]


def frame_for(kennzahl: str, zaehler: dict[str, float | None], nenner: dict[str, float | None]) -> pd.DataFrame:
    """One indicator and period: the given Kommunen, Teilregion and Kreis as sums of the Kommunen."""
    rows = []
    for ags in KOMMUNEN:
        rows.append((kennzahl, ags, "2026-09", zaehler.get(ags), nenner.get(ags)))
    for total, parts in GROUPS:
        z = [zaehler[p] for p in parts if zaehler.get(p) is not None]
        n = [nenner[p] for p in parts if nenner.get(p) is not None]
        rows.append((kennzahl, total, "2026-09", sum(z) if z else None, sum(n) if n else None))
    return pd.DataFrame(rows, columns=["kennzahl", "kommune", "periode", "zaehler", "nenner"])


def hidden_regions(frame: pd.DataFrame) -> set[str]:
    return set(frame.loc[suppress_frame(frame, catalogue()).to_numpy(), "kommune"])


def test_a_small_count_is_hidden_with_the_next_smallest_non_zero_count() -> None:
    counts = dict(zip(KOMMUNEN, [40, 2, 0, 7, 30, 80, 25, 5, 50, 12], strict=True))  # Bönen 2, Holzwickede 7
    frame = frame_for("K02", counts, {})
    hidden = hidden_regions(frame)
    assert "05978008" in hidden  # primary: 2 is between 1 and 2
    assert "05978012" not in hidden  # zeros are shown
    # Kreis group: Bönen alone could be recovered; the smallest remaining non-zero is Selm (5).
    # TR-Mitte (Bergkamen 40, Bönen 2, Kamen 30, Unna 50): the smallest other is Kamen (30).
    # TR-Nord (Lünen 80, Selm 5, Werne 12): Selm would now stand alone, so Werne (12) joins.
    assert hidden == {"05978008", "05978032", "05978020", "05978040"}


def test_two_small_cells_below_the_threshold_together_need_a_third() -> None:
    counts = dict(zip(KOMMUNEN, [40, 1, 9, 8, 30, 80, 25, 1, 50, 12], strict=True))  # Bönen 1, Selm 1
    hidden = hidden_regions(frame_for("K03", counts, {}))
    # Kreis group: 1 + 1 < 3, so the smallest remaining non-zero (Holzwickede 8) joins; then each
    # Teilregion has its own second cell: Mitte Kamen (30), Nord Werne (12), Süd Schwerte (25) or
    # Fröndenberg (9) – the smallest is Fröndenberg.
    assert {"05978008", "05978032", "05978016"} <= hidden
    assert {"05978020", "05978040", "05978012"} <= hidden


def test_share_is_hidden_when_the_difference_is_small() -> None:
    zaehler = dict.fromkeys(KOMMUNEN, 20.0) | {"05978004": 9.0}
    nenner = dict.fromkeys(KOMMUNEN, 40.0) | {"05978004": 10.0}  # 10 − 9 = 1 not reached the goal
    assert primary(frame_for("K05", zaehler, nenner), catalogue()).iloc[0]


def test_median_needs_five_cases_and_hours_are_never_hidden() -> None:
    medians = frame_for("K04", dict.fromkeys(KOMMUNEN), dict.fromkeys(KOMMUNEN, 6.0) | {"05978004": 4.0})
    assert primary(medians, catalogue()).iloc[0]
    hours = frame_for("K19", dict.fromkeys(KOMMUNEN, 1.5), {})
    assert not primary(hours, catalogue()).any()


def _random_values(rng: np.random.Generator, kind: str) -> tuple[dict[str, float | None], dict[str, float | None]]:
    zaehler: dict[str, float | None] = {}
    nenner: dict[str, float | None] = {}
    for ags in KOMMUNEN:
        if rng.random() < 0.1:  # not delivered
            zaehler[ags] = nenner[ags] = None
            continue
        small = rng.random() < 0.4
        den = float(rng.integers(0, 6) if small else rng.integers(0, 60))
        num = float(rng.integers(0, int(den) + 1)) if kind in ("share", "rate", "mean") else den
        if kind == "median":
            zaehler[ags], nenner[ags] = None, den
        elif kind == "count":
            zaehler[ags], nenner[ags] = num, None
        else:
            zaehler[ags], nenner[ags] = num, den
    return zaehler, nenner


def _audit(frame: pd.DataFrame, hidden: np.ndarray) -> list[str]:
    """Group by group, for the figures that count people or cases (sums of days, hours and
    population figures are not confidential)."""
    problems = []
    sensitive = sensitive_parts(catalogue())
    comps = set(sensitive.loc[sensitive["kennzahl"] == frame["kennzahl"].iloc[0], "comp"])
    columns = [column for comp, column in (("num", "zaehler"), ("den", "nenner")) if comp in comps]
    visible_but_primary = primary(frame, catalogue()).to_numpy() & ~hidden
    if visible_but_primary.any():
        problems.append(f"visible cells a primary rule hides: {list(frame.loc[visible_but_primary, 'kommune'])}")
    by_region = {r: i for i, r in enumerate(frame["kommune"])}
    for total, parts in GROUPS:
        members = [by_region[r] for r in (total, *parts)]
        for column in columns:
            values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)[members]
            known = ~np.isnan(values)
            chosen = hidden[members] & known
            if not chosen.any():
                continue
            if chosen.sum() < 2:
                problems.append(f"{column}: a single hidden cell in group {total} is recoverable")
            total_shown = not chosen[0]
            hidden_parts = values[1:][chosen[1:]]
            if total_shown and hidden_parts.sum() < T:
                problems.append(f"{column}: hidden parts of {total} sum to {hidden_parts.sum()} < {T}")
    return problems


@pytest.mark.parametrize("kennzahl", ["K02", "K05", "K08", "K09", "K04", "K17"])
def test_suppression_audit_over_generated_data_sets(kennzahl: str) -> None:
    kind = catalogue().get(kennzahl).kind
    rng = np.random.default_rng(sum(map(ord, kennzahl)))
    failures = []
    for run in range(80):
        frame = frame_for(kennzahl, *_random_values(rng, kind))
        problems = _audit(frame, suppress_frame(frame, catalogue()).to_numpy())
        if problems:
            failures.append((run, problems))
    assert not failures, failures[:3]


def test_a_hidden_total_does_not_protect_its_only_hidden_part() -> None:
    # A quarter of 10 with the months 5, 1 (hidden) and 4. Hiding the quarter as well left the
    # quarter minus July and September = August known: quarter = August + 9. Wherever the quarter
    # was bounded (among the Kommunen by a hidden partner of 1: quarter + partner = 11, so the
    # quarter lies in 9 … 11), August was bounded as tightly (0 … 2), narrower than the threshold.
    # Worked by hand: August alone is not enough, the smallest non-zero month left (September, 4)
    # joins it (1 + 4 = 5 ≥ 3), whether the quarter is hidden or not.
    for quarter_hidden in (True, False):
        values = np.array([10.0, 5.0, 1.0, 4.0])
        hidden = np.array([quarter_hidden, False, True, False])
        assert protect_group(values, hidden, T)
        assert hidden.tolist() == [quarter_hidden, False, True, True]


def test_hidden_parts_that_cannot_reach_the_threshold_are_all_hidden_with_the_total() -> None:
    # Categories 2, 0, 1 of a total of 3 hidden by its own small parts: 1 and 2 are both hidden
    # (together 3 ≥ 3). With categories 1, 0, 0 of a total of 1, no other part is non-zero: the
    # total is hidden (the hidden part then is the total, protected where the total is).
    values = np.array([3.0, 2.0, 0.0, 1.0])
    hidden = np.array([False, False, False, True])
    protect_group(values, hidden, T)
    assert hidden.tolist() == [False, True, False, True]
    values = np.array([1.0, 1.0, 0.0, 0.0])
    hidden = np.array([False, True, False, False])
    protect_group(values, hidden, T)
    assert hidden.tolist() == [True, True, False, False]
