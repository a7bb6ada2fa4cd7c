"""The rules of statistical confidentiality (Geheimhaltung) for one cell and for one group.

Primary suppression hides a cell whose own figures reveal a small count (the rule per kind of
indicator: docs/kennzahlen.md#primäre-geheimhaltung); ``protect_group`` makes one group of parts
shown with their total safe.
The disclosure model (metrics/disclosure.py) applies both to every published figure at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.catalogue import Catalogue


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


def protect_group(values: np.ndarray, hidden: np.ndarray, threshold: int) -> bool:
    """Hide further cells of one group (in place) until it is safe; position 0 is the total, the
    rest its parts; values are one additive figure (NaN: not shown and not in the total).

    Safe means: no hidden cell, or at least two hidden parts adding up to at least the threshold –
    whether the total is shown or not. A hidden total does not protect a part: the total minus the
    hidden parts is known from the shown ones, so a total and a single hidden part move together,
    and wherever the total is bounded (in its other groups, by the parts not being negative) the
    part is bounded as tightly. Extra cells are the smallest non-zero parts left; the total only
    when no part is left (all non-zero parts hidden: the hidden parts then are the total, and
    whatever protects the total protects them). Returns whether anything was added."""
    vals = values.tolist()
    hid = hidden.tolist()
    known = [v == v for v in vals]  # not NaN
    changed = False
    while True:
        if not any(h and k for h, k in zip(hid, known, strict=True)):
            return changed
        count, total = 0, 0.0
        best, best_value = -1, 0.0
        for i in range(1, len(vals)):
            if not known[i]:
                continue
            if hid[i]:
                count += 1
                total += vals[i]
            elif vals[i] > 0 and (best < 0 or vals[i] < best_value):
                best, best_value = i, vals[i]
        if count >= 2 and total >= threshold:
            return changed
        if best >= 0:
            chosen = best
        elif known[0] and not hid[0]:
            chosen = 0
        else:
            return changed
        hid[chosen] = True
        hidden[chosen] = True
        changed = True
