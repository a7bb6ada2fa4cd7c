"""The rules of statistical confidentiality (Geheimhaltung) for one cell and for one group.

Primary suppression hides a cell whose own figures reveal a small count (the rule per kind of
indicator: docs/kennzahlen.md#primäre-geheimhaltung); ``protect_group`` makes one group of parts
shown with their total safe.
The disclosure model (metrics/disclosure.py) applies both to every published figure at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.catalogue import Catalogue


def _small(values: pd.Series, threshold: int) -> pd.Series:
    """Between 1 and threshold − 1 (a small count of people or cases)."""
    return values.notna() & (values >= 1) & (values <= threshold - 1)


def primary(frame: pd.DataFrame, cat: Catalogue) -> pd.Series:
    """Cells whose own figures reveal a small count, by the rule of their kind."""
    t = cat.geheimhaltung.schwelle
    numerator = pd.to_numeric(frame["zaehler"], errors="coerce")
    denominator = pd.to_numeric(frame["nenner"], errors="coerce")
    flags = pd.Series(False, index=frame.index)
    for kennzahl in cat.kennzahlen:
        rows = frame["kennzahl"] == kennzahl.code
        if not rows.any():
            continue
        num, den = numerator[rows], denominator[rows]
        if kennzahl.kind == "count":
            hidden = _small(num, t) if kennzahl.counts_people else pd.Series(False, index=num.index)
        elif kennzahl.kind == "share":
            hidden = _small(num, t) | _small(den, t) | _small(den - num, t)
        elif kennzahl.kind == "rate":
            hidden = _small(num, t)
            if kennzahl.denominator_counts_people:
                hidden |= _small(den, t)
        elif kennzahl.kind == "mean":
            hidden = _small(den, t)
        else:  # median: rests on too few cases
            hidden = den.notna() & (den >= 1) & (den < cat.geheimhaltung.median_mindestfaelle)
        flags[rows] = hidden
    return flags


def protect_group(values: np.ndarray, hidden: np.ndarray, threshold: int, *, total_first: bool = False) -> bool:
    """Hide further cells of one group (in place) until it is safe; position 0 is the total, the
    rest its parts; values are one additive figure (NaN: not shown and not in the total).

    Safe means: no hidden cell, or at least two hidden cells (a hidden total counts) and, while the
    total is shown, hidden parts adding up to at least the threshold (their sum is known by
    subtraction). Extra cells are the smallest non-zero parts left; the total only when none is
    left, or first with ``total_first`` (a quarter or year is hidden before one more month).
    Returns whether anything was added."""
    known = ~np.isnan(values)
    changed = False
    while True:
        chosen = hidden & known
        if not chosen.any():
            return changed
        parts_sum = values[1:][chosen[1:]].sum()
        if chosen.sum() >= 2 and (chosen[0] or parts_sum >= threshold):
            return changed
        candidates = np.flatnonzero(known & ~hidden & (values > 0))
        candidates = candidates[candidates > 0]
        if total_first and known[0] and not hidden[0]:
            hidden[0] = True
        elif candidates.size:
            hidden[candidates[np.argmin(values[candidates])]] = True
        elif known[0] and not hidden[0]:
            hidden[0] = True
        else:
            return changed
        changed = True
