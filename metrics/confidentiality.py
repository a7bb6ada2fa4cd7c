"""Statistical confidentiality (Geheimhaltung): which cells the published figures hide.

Primary suppression hides a cell whose own figures reveal a small count (kennzahlen.md lists the
rule per kind of indicator). Secondary suppression then makes sure no hidden additive figure (a
count, a numerator, a denominator) can be worked out by subtraction wherever parts are shown with
their total: the ten Kommunen and the Kreis, the Kommunen of a Teilregion and the Teilregion. In
each such group a hidden figure never stands alone, hidden parts of a shown total add up to at
least the threshold, and the extra cells are the smallest remaining non-zero ones.

Months are not protected against their quarter (a stated limit of the rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from loaders.reference import kommunen, kreis, teilregionen
from metrics.catalogue import Catalogue

Group = tuple[str, tuple[str, ...]]  # total region, its parts


def region_groups() -> list[Group]:
    """Every group of parts shown together with their total."""
    groups: list[Group] = [(kreis().ags, tuple(k.ags for k in kommunen()))]
    for region in teilregionen():
        groups.append((region.code, tuple(k.ags for k in kommunen() if k.teilregion == region.code)))
    return groups


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

    Safe means: no hidden cell, or at least two hidden cells (a hidden total counts) and, while the
    total is shown, hidden parts adding up to at least the threshold (their sum is known by
    subtraction). Extra cells are the smallest non-zero parts left; the total only when none is
    left. Returns whether anything was added."""
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
        if candidates.size:
            hidden[candidates[np.argmin(values[candidates])]] = True
        elif known[0] and not hidden[0]:
            hidden[0] = True
        else:
            return changed
        changed = True


def secondary(
    frame: pd.DataFrame, hidden: pd.Series, cat: Catalogue, groups: Sequence[Group] | None = None
) -> pd.Series:
    """Extend the hidden cells so that no hidden additive figure can be recovered by subtraction
    within any group; iterates over overlapping groups and components until nothing changes."""
    t = cat.geheimhaltung.schwelle
    groups = list(groups or region_groups())
    state = hidden.to_numpy(dtype=bool).copy()
    if not state.any():
        return hidden.copy()
    regions = frame["kommune"].to_numpy()
    components = [pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=float) for c in ("zaehler", "nenner")]
    positions = frame.groupby(["kennzahl", "periode"], sort=False).indices
    touched = frame.loc[state, ["kennzahl", "periode"]].drop_duplicates()
    for key in touched.itertuples(index=False, name=None):
        rows = np.asarray(positions[key])
        _protect_slice(rows, regions[rows], [values[rows] for values in components], state, groups, t)
    return pd.Series(state, index=hidden.index)


def _protect_slice(
    rows: np.ndarray,
    regions: np.ndarray,
    components: list[np.ndarray],
    state: np.ndarray,
    groups: Iterable[Group],
    t: int,
) -> None:
    """Secondary suppression within one indicator and period (``state`` is updated in place)."""
    position = {region: i for i, region in enumerate(regions)}
    members = [np.array([position[r] for r in (total, *parts) if r in position]) for total, parts in groups]
    components = [values for values in components if not np.isnan(values).all()]
    local = state[rows]
    changed = True
    while changed:
        changed = False
        for member in members:
            for values in components:
                group_hidden = local[member]
                if protect_group(values[member], group_hidden, t):
                    local[member] = group_hidden
                    changed = True
    state[rows] = local


def apply(frame: pd.DataFrame, cat: Catalogue) -> pd.Series:
    """The cells the published figures hide (primary and secondary)."""
    return secondary(frame, primary(frame, cat), cat)
