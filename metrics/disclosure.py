"""One disclosure model for every published figure: which cells the Lenkungskreis may not see.

Every published figure – an indicator's numerator or denominator for a region and a month, quarter
or year, a category of a case breakdown – is a sum of *atoms*: one part (``fall.aktiv``,
``auslaenderbehoerde.einbuergerungen`` …) of one Kommune in one month. Whoever sees the published
figures knows these sums, and so a system of linear equations. The model decides the hidden cells
for all channels together (pages, downloads, ``metrics values``, briefings, breakdowns), over every
relation they expose at once: Kommunen ↔ Teilregion ↔ Kreis, months ↔ quarter ↔ year, categories ↔
their total, and one part in several indicators (the same atoms, so the same cell).

1. *Primary*: a cell whose own figures reveal a small count (``confidentiality.primary``).
2. *Secondary, by groups*: in every group of parts shown with their total (the regions, the months
   of a quarter and the quarters of a year, the categories of a breakdown) a group with a hidden
   cell has at least two hidden parts adding up to at least the threshold – whether the total is
   shown or not: a hidden total is no protection, since the total minus its hidden parts is known
   from the shown ones and every bound on the total would bound a single hidden part. The extra
   cells are the smallest non-zero parts (the total only when no part is left). Cells that are
   the same sum of atoms are hidden together.
3. *Chains*: a reader solves the groups one after another (a group with one cell not yet known
   gives it away, and that cell then helps in its other groups); every group that would give a
   hidden cell away gets one more hidden cell, and steps 2 to 4 repeat until nothing is given away.
4. *Breakdowns of a hidden total*: when the total of a measure (K02, K03) of a region and month is
   hidden, or that of a region in it, every category of that region's breakdowns of the measure
   and month is hidden. The four additive breakdowns of a Kommune share its total, and each bounds
   it through the regions' categories; together such bounds pinned hidden totals (a linear program
   finds it, the groups do not). With the breakdowns of the Kommune, its Teilregion and the Kreis
   hidden, its categories lie in no published figure, so they tell nothing about the total.
5. *Audit by linear programs*: the groups are each safe, but a reader can combine them all – one
   measure's table of Kommunen × months with its Teilregion and Kreis rows and its quarter and
   year columns bounds a hidden cell where no single group does. The equations of all groups
   (total = sum of its parts; every cell ≥ 0) fall apart into independent sub-tables; for each
   that holds a hidden cell, linear programs (HiGHS) give every hidden cell its smallest and
   largest possible value. Where that interval is narrower than the threshold, the smallest
   non-zero published cell of its groups (of its hidden neighbours' groups when all of them are
   hidden; one whose hiding blanks no breakdown if there is one) is hidden as well, and steps 2
   to 5 repeat until no interval is narrower. Categories blanked
   with their total are left out of the programs: whatever the other cells are, they can be
   anything from 0 to their total's largest value. A sub-table of one group needs no program
   (its cells move between 0 and the group's known total, or without bound when the total is
   hidden too). Every other sub-table gets one HiGHS program whose objective changes from solve
   to solve, each solve starting from the last one's basis: a few solves that move all its open
   cells at once in random directions show most cells safe, the rest get their smallest and
   largest value one by one. A sub-table found safe is not solved again. On the demo data all
   rounds together build about 600 programs and solve them about 3,100 times (2 to 3 CPU
   seconds).
   tests/metrics/test_attacker.py checks the whole published output with its own linear programs
   over the atoms, on several generated data sets.

Only parts that count people or cases are protected; population figures, hours and sums of days are
not confidential. The result is computed once per state of the data and catalogue and cached.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd

from core.catalogue import FALL, Catalogue, catalogue
from core.periods import add_months, period_of
from core.reference import handlungsfelder, kommunen, kreis, region_members, teilregionen
from core.sources import sources
from metrics import stored
from metrics.compute import compute_all_periods, delivered_range
from metrics.confidentiality import primary, protect_group

if TYPE_CHECKING:
    from scipy import sparse

SQL_DIR = Path(__file__).with_name("sql")
PERIOD_KINDS = ("month", "quarter", "year")
MEASURES = ("aktiv", "neu")
NOT_GIVEN = "ohne Angabe"
TOTAL = "Insgesamt"
_EPSILON = 1e-6
MAX_ROUNDS = 50  # rounds of closing what can be worked out step by step
PUSH_UNTIL = 0.7  # programs that move many cells at once while each leaves less than this share open


@dataclass(frozen=True)
class Disclosure:
    """The published state: every indicator cell and breakdown cell with ``unterdrueckt``."""

    rows: pd.DataFrame  # kennzahl, kommune, periode, art, zaehler, nenner, unterdrueckt
    categories: pd.DataFrame  # dimension, measure, kommune, monat, kategorie, anzahl, unterdrueckt
    hidden: frozenset[tuple[str, str, str]]  # (kennzahl, kommune, periode) of every hidden indicator cell
    values: dict[str, pd.DataFrame]  # compute_values of each kind of period over the delivered months


def sensitive_parts(cat: Catalogue) -> pd.DataFrame:
    """(kennzahl, comp, part) of every numerator or denominator that counts people or cases: what
    primary suppression looks at, so what secondary suppression must protect."""
    rows: list[tuple[str, str, str | None]] = []
    for k in cat.kennzahlen:
        if k.kind == "median":
            rows.append((k.code, "den", f"median.{k.median}"))
            continue
        num = k.numerator.part if k.numerator else None
        den = k.denominator.part if k.denominator else None
        if k.kind == "count" and k.counts_people:
            rows.append((k.code, "num", num))
        elif k.kind == "share":
            rows += [(k.code, "num", num), (k.code, "den", den)]
        elif k.kind == "rate":
            rows.append((k.code, "num", num))
            if k.denominator_counts_people:
                rows.append((k.code, "den", den))
        elif k.kind == "mean":
            rows.append((k.code, "den", den))
    return pd.DataFrame(rows, columns=["kennzahl", "comp", "part"])


# --- the data: figures, atoms, categories ------------------------------------------------------


def _all_periods(first: dt.date, last: dt.date) -> pd.DataFrame:
    rows = []
    month = first
    while month <= last:
        for art in PERIOD_KINDS:
            span = period_of(month, art)  # type: ignore[arg-type]
            rows.append((art, span.label, month, span.end))
        month = add_months(month, 1)
    return pd.DataFrame(rows, columns=["art", "periode", "monat", "last_month"])


def category_labels(dimension: str) -> dict[str, str]:
    """Code → German label in the order of the declaration."""
    if dimension == "handlungsfelder":
        return {h.code: h.name for h in handlungsfelder()}
    column = sources()["fallmanagement"].column(dimension)
    return {code: (labels[0] if labels else code) for code, labels in (column.values or {}).items()}


DIMENSIONS = ("handlungsfelder", "rechtskreis", "altersgruppe", "geschlecht", "zugang")


def _category_counts(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Cases per Kommune, delivered month, measure, dimension and category (zeros included)."""
    faelle = (SQL_DIR / "faelle.sql").read_text(encoding="utf-8")
    selects = []
    for dimension in DIMENSIONS:
        category = (
            "unnest(handlungsfelder)" if dimension == "handlungsfelder" else f"coalesce({dimension}, '{NOT_GIVEN}')"
        )
        for measure in MEASURES:
            selects.append(
                f"SELECT '{dimension}' AS dimension, '{measure}' AS measure, kommune, monat, {category} AS kategorie "
                f"FROM faelle WHERE {measure}"
            )
    found = connection.execute(
        f"""WITH faelle AS ({faelle})
            SELECT dimension, measure, kommune, monat, kategorie, count(*) AS anzahl
            FROM ({" UNION ALL ".join(selects)}) GROUP BY ALL"""
    ).df()
    delivered = connection.execute("SELECT kommune, monat FROM partition_aktuell WHERE quelle = 'fallmanagement'").df()
    frames = []
    for dimension in DIMENSIONS:
        codes = list(category_labels(dimension)) + ([NOT_GIVEN] if dimension != "handlungsfelder" else [])
        for measure in MEASURES:
            grid = delivered.merge(pd.DataFrame({"kategorie": codes}), how="cross")
            frames.append(grid.assign(dimension=dimension, measure=measure))
    grid = pd.concat(frames, ignore_index=True)
    counts = grid.merge(found, on=["dimension", "measure", "kommune", "monat", "kategorie"], how="left")
    counts["anzahl"] = counts["anzahl"].fillna(0).astype(float)
    counts["monat"] = pd.to_datetime(counts["monat"]).dt.date
    return counts


def _region_categories(counts: pd.DataFrame) -> pd.DataFrame:
    """Category counts of every region (sums of its delivered Kommunen)."""
    members = pd.DataFrame(
        [(region, kommune) for region, kommunen in region_members().items() for kommune in kommunen],
        columns=["region", "kommune"],
    )
    joined = counts.merge(members, on="kommune")
    regions = (
        joined.groupby(["dimension", "measure", "region", "monat", "kategorie"], sort=False)["anzahl"]
        .sum()
        .reset_index()
        .rename(columns={"region": "kommune"})
    )
    return regions


# --- the model ------------------------------------------------------------------------------


def measure_kennzahlen(cat: Catalogue) -> dict[str, str]:
    """The count indicator of each breakdown measure ('aktiv' → K02, 'neu' → K03): the total its
    categories add up to."""
    return {
        measure: next(
            k.code
            for k in cat.kennzahlen
            if k.kind == "count" and k.numerator and k.numerator.part == f"{FALL}.{measure}"
        )
        for measure in MEASURES
    }


def region_groups() -> list[tuple[str, str, str]]:
    """(total, part, group) of every group of regions shown with their total: the Kreis and its
    ten Kommunen, each Teilregion and its Kommunen, the Kreis and its three Teilregionen."""
    kreis_code = kreis().ags
    pairs = [(kreis_code, k.ags, "kreis") for k in kommunen()]
    pairs += [(k.teilregion, k.ags, k.teilregion) for k in kommunen()]
    pairs += [(kreis_code, tr.code, "teilregionen") for tr in teilregionen()]
    return pairs


class _Model:
    """Figures (indicator cells and category cells) and the cells (distinct sums of atoms) they
    show; figure ids: indicator rows first, then category rows."""

    def __init__(self, cat: Catalogue, rows: pd.DataFrame, categories: pd.DataFrame, exposures: pd.DataFrame):
        """``rows``: indicator cells (kennzahl, kommune, periode, art, periode_start, zaehler, nenner);
        ``categories``: breakdown cells (dimension, measure, kommune, monat, kategorie, anzahl);
        ``exposures``: (figure, comp, sig, wert): which cell (``sig``, a distinct sum of atoms) each
        figure shows, figures numbered rows first, then categories."""
        self.cat = cat
        self.t = cat.geheimhaltung.schwelle
        self.values: dict[str, pd.DataFrame] = {}
        self.rows = rows.reset_index(drop=True)
        self.n_rows = len(self.rows)
        self.categories = categories.reset_index(drop=True)
        self.n_figures = self.n_rows + len(self.categories)
        exposures = exposures.copy()
        exposures["cell"], signatures = pd.factorize(exposures["sig"])
        self.exposures = exposures
        self.n_cells = len(signatures)
        self.cell_value = np.zeros(self.n_cells)
        self.cell_value[exposures["cell"].to_numpy()] = exposures["wert"].to_numpy(dtype=float)
        self.exp_figure = exposures["figure"].to_numpy(dtype=int)
        self.exp_cell = exposures["cell"].to_numpy(dtype=int)
        self.cell_figures = _lists(self.exp_cell, self.exp_figure, self.n_cells)
        self.figure_cells = _lists(self.exp_figure, self.exp_cell, self.n_figures)
        self._build_groups()

    @classmethod
    def from_database(
        cls, connection: duckdb.DuckDBPyConnection, cat: Catalogue, first: dt.date, last: dt.date
    ) -> _Model:
        values, parts = compute_all_periods(connection, first, last, cat)
        rows = pd.concat([frame.assign(art=art) for art, frame in values.items()], ignore_index=True)
        rows = rows[["kennzahl", "kommune", "periode", "art", "periode_start", "zaehler", "nenner"]].copy()
        rows["zaehler"] = pd.to_numeric(rows["zaehler"], errors="coerce").astype(float)
        rows["nenner"] = pd.to_numeric(rows["nenner"], errors="coerce").astype(float)
        # a fixed order of the figures: which cell a group hides on a tie must not depend on the
        # order in which DuckDB's threads happen to return the rows
        rows = rows.sort_values(["art", "kennzahl", "periode", "kommune"], kind="stable").reset_index(drop=True)
        n_rows = len(rows)
        counts = _category_counts(connection)
        categories = (
            _region_categories(counts)
            .sort_values(["dimension", "measure", "monat", "kommune", "kategorie"], kind="stable")
            .reset_index(drop=True)
        )
        n_figures = n_rows + len(categories)
        members = pd.DataFrame(
            [(region, kommune) for region, kommunen in region_members().items() for kommune in kommunen],
            columns=["region", "kommune"],
        )
        row_keys = rows[["kennzahl", "kommune", "periode", "art"]].assign(figure=np.arange(n_rows))
        category_keys = categories[["dimension", "measure", "kommune", "monat", "kategorie"]].assign(
            figure=np.arange(n_rows, n_figures)
        )
        tables = {
            # whole years: a quarter's or year's stock is its last month, maybe after the last delivery
            "parts": parts,
            "all_periods": _all_periods(period_of(first, "year").start, period_of(last, "year").end),
            "regions": members,
            "sensitive": sensitive_parts(cat),
            "row_keys": row_keys,
            "category_keys": category_keys,
            "category_counts": counts,
        }
        cursor = connection.cursor()
        try:
            for name, frame in tables.items():
                cursor.register(f"{name}_frame", frame)
                cursor.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_frame")
                cursor.unregister(f"{name}_frame")
            for name in ("parts", "category_keys", "category_counts"):
                cursor.execute(
                    f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * REPLACE (monat::DATE AS monat) FROM {name}"
                )
            cursor.execute(
                "CREATE OR REPLACE TEMP TABLE all_periods AS "
                "SELECT art, periode, monat::DATE AS monat, last_month::DATE AS last_month FROM all_periods"
            )
            exposure = (SQL_DIR / "exposure.sql").read_text(encoding="utf-8")
            exposures = cursor.execute(
                f"""WITH atoms AS (
                        SELECT k.figure, e.comp, e.part, e.kommune, e.monat, e.wert
                        FROM ({exposure}) e
                        JOIN row_keys k ON k.kennzahl = e.kennzahl AND k.kommune = e.region
                                       AND k.periode = e.periode AND k.art = e.art
                        UNION ALL
                        SELECT c.figure, 'anzahl', 'fall.' || c.measure || '[' || c.dimension || '=' || c.kategorie || ']',
                               n.kommune, n.monat, n.anzahl
                        FROM category_keys c JOIN regions r ON r.region = c.kommune
                        JOIN category_counts n ON n.kommune = r.kommune AND n.monat = c.monat
                             AND n.dimension = c.dimension AND n.measure = c.measure AND n.kategorie = c.kategorie
                    )
                    SELECT figure, comp, hash(any_value(part), sum(hash(kommune, monat))) AS sig,
                           sum(wert) AS wert
                    FROM atoms GROUP BY figure, comp ORDER BY figure, comp"""
            ).df()
        finally:
            cursor.close()
        model = cls(cat, rows, categories, exposures)
        model.values = values
        return model

    def _build_groups(self) -> None:
        """Groups of cells shown together: a total first, then its parts."""
        e = self.exposures[["figure", "comp", "cell"]]
        rows = self.rows.assign(figure=np.arange(self.n_rows))
        ind = e.merge(rows[["figure", "kennzahl", "kommune", "periode", "art", "periode_start"]], on="figure")
        region_pairs = pd.DataFrame(region_groups(), columns=["total", "part", "group_key"])
        groups: list[pd.DataFrame] = []
        # regions, for every indicator, component and period
        keys = ["kennzahl", "art", "periode", "comp"]
        groups.append(_across_regions(ind, keys, region_pairs, "R"))
        # months of a quarter and quarters of a year
        months = ind[ind["art"] == "month"].copy()
        months["parent"] = months["periode_start"].map(_labels(months["periode_start"], "quarter"))
        quarters = ind[ind["art"] == "quarter"].copy()
        quarters["parent"] = quarters["periode_start"].map(_labels(quarters["periode_start"], "year"))
        for children, parent_art in ((months, "quarter"), (quarters, "year")):
            parents = ind[ind["art"] == parent_art]
            if children.empty or parents.empty:
                continue
            joined = parents.merge(
                children[["kennzahl", "kommune", "comp", "parent", "cell"]].rename(columns={"cell": "part_cell"}),
                left_on=["kennzahl", "kommune", "comp", "periode"],
                right_on=["kennzahl", "kommune", "comp", "parent"],
            )
            groups.append(_grouped(joined, ["figure", "comp"], "T" + parent_art))
        if len(self.categories):
            # categories with their total (not Handlungsfelder, where a case counts in several) …
            cats = e.merge(self.categories.assign(figure=np.arange(self.n_rows, self.n_figures)), on="figure")
            totals_of = ind[(ind["art"] == "month") & (ind["comp"] == "num")]
            by_measure = measure_kennzahlen(self.cat)
            totals_of = totals_of[totals_of["kennzahl"].isin(list(by_measure.values()))].assign(
                measure=lambda f: f["kennzahl"].map({code: measure for measure, code in by_measure.items()}),
                monat=lambda f: f["periode_start"],
            )
            additive = cats[cats["dimension"] != "handlungsfelder"]
            joined = additive.merge(
                totals_of[["measure", "kommune", "monat", "cell"]].rename(columns={"cell": "total_cell"}),
                on=["measure", "kommune", "monat"],
            )
            joined = joined.rename(columns={"cell": "part_cell", "total_cell": "cell"})
            groups.append(_grouped(joined, ["dimension", "measure", "kommune", "monat"], "C"))
            # the totals that blank a region's breakdown: its own and those of the regions in it
            inside = pd.DataFrame(
                [
                    (region, sub)
                    for region, kommunen in region_members().items()
                    for sub, parts in region_members().items()
                    if set(parts) <= set(kommunen)
                ],
                columns=["kommune", "sub"],
            )
            blanking = (
                cats[["figure", "measure", "kommune", "monat"]]
                .merge(inside, on="kommune")
                .merge(
                    totals_of[["measure", "kommune", "monat", "cell"]].rename(columns={"kommune": "sub"}),
                    on=["measure", "sub", "monat"],
                )
                .drop_duplicates(["figure", "cell"])
            )
            self.blank_figure = blanking["figure"].to_numpy(dtype=int)
            self.blank_total = blanking["cell"].to_numpy(dtype=int)
            # … and every category across the regions
            groups.append(_across_regions(cats, ["dimension", "measure", "kategorie", "monat"], region_pairs, "K"))
        else:
            self.blank_figure = np.zeros(0, dtype=int)
            self.blank_total = np.zeros(0, dtype=int)
        members = pd.concat(groups, ignore_index=True)
        # a stock's quarter is the same cell as its last month: no sum, no group
        same = members.loc[members["cell"] == members["part_cell"], "gid"]
        members = members[~members["gid"].isin(same)]
        group_id, _ = pd.factorize(members["gid"])
        members = members.assign(group=group_id)
        n_groups = int(group_id.max()) + 1 if len(members) else 0
        first = members.drop_duplicates("group").sort_values("group")
        totals = first["cell"].to_numpy(dtype=int)
        parts = members.drop_duplicates(["group", "part_cell"]).sort_values(["group", "part_cell"])
        part_group = parts["group"].to_numpy(dtype=int)
        part_cell = parts["part_cell"].to_numpy(dtype=int)
        # atoms in a total that no published part shows: one hidden phantom part
        remainder = self.cell_value[totals] - np.bincount(
            part_group, weights=self.cell_value[part_cell], minlength=n_groups
        )
        with_phantom = np.flatnonzero(np.abs(remainder) > _EPSILON)
        phantoms = np.arange(self.n_cells, self.n_cells + with_phantom.size)
        self.cell_value = np.append(self.cell_value, remainder[with_phantom])
        self.cell_figures += [[] for _ in phantoms]
        self.n_cells += with_phantom.size
        group_of = np.concatenate([np.arange(n_groups), part_group, with_phantom])
        cell_of = np.concatenate([totals, part_cell, phantoms])
        order = np.argsort(group_of, kind="stable")  # per group: the total, then its parts
        bounds = np.searchsorted(group_of[order], np.arange(n_groups + 1))
        ordered = cell_of[order]
        self.groups: list[np.ndarray] = [ordered[bounds[g] : bounds[g + 1]] for g in range(n_groups)]
        self.cell_groups = _lists(cell_of, group_of, self.n_cells)
        self.n_groups = n_groups
        self.member_group = group_of  # every (group, cell) membership, flat
        self.member_cell = cell_of
        self.member_is_part = np.arange(group_of.size) >= n_groups  # the first n_groups are totals

    # --- suppression --------------------------------------------------------------------------

    def suppress(self) -> np.ndarray:
        hidden = np.zeros(self.n_figures, dtype=bool)
        hidden[: self.n_rows] = primary(self.rows, self.cat).to_numpy()
        anzahl = self.categories["anzahl"].to_numpy(dtype=float)
        hidden[self.n_rows :] = (anzahl >= 1) & (anzahl <= self.t - 1)
        self.hidden = hidden
        shown = (~hidden[self.exp_figure]).astype(float)
        self.visible_count = np.bincount(self.exp_cell, weights=shown, minlength=self.n_cells).astype(int)
        self.visible_count = np.append(self.visible_count, np.zeros(self.n_cells - len(self.visible_count), dtype=int))
        self._protect(self._unsafe_groups())
        clean: set[frozenset[int]] = set()
        while True:
            for _ in range(MAX_ROUNDS):
                self._blank_breakdowns()
                leaks = self._derivable()
                if not leaks:
                    break
                for group in leaks:
                    self._hide_one_more(group)
            narrow = self._narrow(clean)
            if not narrow or not self._hide_beside(narrow):
                return self.hidden

    def _blank_breakdowns(self) -> None:
        """Hide a region's whole breakdowns of a measure and month when its total or the total of
        a region in it is hidden. Each category of a Kommune whose total is hidden then lies only
        in hidden figures (its own, its Teilregion's, the Kreis's), so the breakdowns say nothing
        about the hidden total: the four breakdowns that share one total can no longer be played off
        against each other. No group needs protecting for these cells: what is known of them is
        what is known of the hidden totals."""
        hidden_total = self.visible_count[self.blank_total] == 0
        blank = np.unique(self.blank_figure[hidden_total])
        blank = blank[~self.hidden[blank]]
        for figure in blank.tolist():
            self.hidden[figure] = True
            for other in self.figure_cells[figure]:
                self.visible_count[other] -= 1

    def _unsafe_groups(self) -> set[int]:
        """Groups with a hidden cell but fewer than two hidden parts or hidden parts adding up to
        less than the threshold (what ``protect_group`` would change), found for all at once."""
        hidden = self.visible_count[self.member_cell] == 0
        parts = hidden & self.member_is_part
        size = self.n_groups
        any_hidden = np.bincount(self.member_group, weights=hidden, minlength=size) > 0
        n_parts = np.bincount(self.member_group, weights=parts, minlength=size)
        values = np.where(parts, self.cell_value[self.member_cell], 0.0)
        parts_sum = np.bincount(self.member_group, weights=values, minlength=size)
        unsafe = any_hidden & ~((n_parts >= 2) & (parts_sum >= self.t))
        return set(np.flatnonzero(unsafe).tolist())

    def _hide(self, cell: int) -> set[int]:
        """Hide every figure showing ``cell``; returns the groups to look at again."""
        pending: set[int] = set()
        for figure in self.cell_figures[cell]:
            if self.hidden[figure]:
                continue
            self.hidden[figure] = True
            for other in self.figure_cells[figure]:
                self.visible_count[other] -= 1
                if self.visible_count[other] == 0:
                    pending.update(self.cell_groups[other])
        return pending

    def _protect(self, pending: set[int]) -> None:
        """Make each group safe on its own, again for every group a newly hidden cell belongs to."""
        while pending:
            g = pending.pop()
            members = self.groups[g]
            group_hidden = self.visible_count[members] == 0
            if not group_hidden.any():
                continue
            values = self.cell_value[members]
            hidden_parts = group_hidden[1:]
            if hidden_parts.sum() >= 2 and values[1:][hidden_parts].sum() >= self.t:
                continue  # already safe: what protect_group would find, without its loop
            before = group_hidden.copy()
            protect_group(values, group_hidden, self.t)
            for cell in members[group_hidden & ~before]:
                pending |= self._hide(int(cell))

    def _derivable(self) -> list[int]:
        """Groups through which a reader works out a hidden cell, one step after another: a group
        with a single cell not yet known gives it away, and that cell then helps in its other
        groups. Returns the groups of the first such step for every cell given away."""
        known = self.visible_count > 0
        unknown = np.bincount(self.member_group, weights=~known[self.member_cell], minlength=self.n_groups).astype(int)
        queue: list[int] = [int(g) for g in np.flatnonzero(unknown == 1)]
        leaks = []
        while queue:
            g = queue.pop()
            if unknown[g] != 1:
                continue
            members = self.groups[g]
            cell = int(members[~known[members]][0])
            known[cell] = True
            leaks.append(int(g))
            for other in self.cell_groups[cell]:
                unknown[other] -= 1
                if unknown[other] == 1:
                    queue.append(other)
        return leaks

    def _narrow(self, clean: set[frozenset[int]]) -> list[int]:
        """Hidden cells that all published cells together bound to an interval narrower than the
        threshold. The groups' equations (total = sum of its parts, every cell ≥ 0) fall apart into
        independent sub-tables (one measure's Kommunen × months of a year with their regions and
        quarters, say); for each with a hidden cell, one program (``_Widths``) gives each hidden
        cell's smallest and largest possible value. Sub-tables found safe before (``clean``) are
        not solved again: hiding only adds cells, so a sub-table with the same cells has the same
        equations."""
        # Categories blanked with their hidden total lie only in groups of blanked categories and
        # their totals: for any values of the other cells they can be filled in (each ≥ 0, adding
        # up), from 0 to their hidden total's largest value – left out with their groups.
        # scipy only where the model is computed: a reader of the stored model does not load it (1 s)
        from scipy import sparse
        from scipy.sparse.csgraph import connected_components

        blank = np.zeros(self.n_figures, dtype=bool)
        blank[self.blank_figure[self.visible_count[self.blank_total] == 0]] = True
        shows = np.bincount(self.exp_cell, minlength=self.n_cells)
        blanked = (shows > 0) & (
            np.bincount(self.exp_cell, weights=blank[self.exp_figure], minlength=self.n_cells) == shows
        )
        dropped = np.bincount(self.member_group, weights=blanked[self.member_cell], minlength=self.n_groups) > 0
        keep = ~dropped[self.member_group]
        unknown = (self.visible_count == 0) & ~blanked
        unknown &= np.bincount(self.member_cell[keep], minlength=self.n_cells) > 0  # in a group left
        n_vars = int(unknown.sum())
        if not n_vars:
            return []
        var_of = np.full(self.n_cells, -1)
        var_of[unknown] = np.arange(n_vars)
        var_cell = np.flatnonzero(unknown)
        coef = np.where(self.member_is_part, -1.0, 1.0)
        given = keep & ~unknown[self.member_cell]
        rhs = -np.bincount(
            self.member_group[given],
            weights=coef[given] * self.cell_value[self.member_cell[given]],
            minlength=self.n_groups,
        )
        free = keep & unknown[self.member_cell]
        eq_group, eq_var, eq_coef = self.member_group[free], var_of[self.member_cell[free]], coef[free]
        # cells and groups as one graph: its components are the independent sub-tables
        graph = sparse.coo_matrix(
            (np.ones(eq_var.size), (eq_var, n_vars + eq_group)), shape=(n_vars + self.n_groups,) * 2
        )
        _, label = connected_components(graph, directed=False)
        var_label = label[:n_vars]
        published = np.array([bool(self.cell_figures[cell]) for cell in var_cell.tolist()])
        active = np.zeros(label.max() + 1, dtype=bool)
        active[var_label[published]] = True
        order = np.argsort(var_label, kind="stable")
        starts = np.searchsorted(var_label[order], np.arange(label.max() + 2))
        keys: dict[int, frozenset[int]] = {}
        for component in np.flatnonzero(active).tolist():
            key = frozenset(var_cell[order[starts[component] : starts[component + 1]]].tolist())
            if key in clean:
                active[component] = False
            else:
                keys[component] = key
        if not active.any():
            return []
        # each sub-table still to check gets one program, re-solved with a changed objective; the
        # columns in the order of the sub-tables, so that each sub-table's columns are one slice
        position = np.empty(n_vars, dtype=int)
        position[order] = np.arange(n_vars)
        a_csc = sparse.csc_matrix((eq_coef, (eq_group, position[eq_var])), shape=(self.n_groups, n_vars))
        narrow: list[int] = []
        for component in np.flatnonzero(active).tolist():
            first, last = int(starts[component]), int(starts[component + 1])
            columns = order[first:last]
            pointer = a_csc.indptr[first : last + 1]
            entries = slice(int(pointer[0]), int(pointer[-1]))
            used, local = np.unique(a_csc.indices[entries], return_inverse=True)
            coefs = a_csc.data[entries]
            targets = np.flatnonzero(published[columns])
            if used.size == 1:  # one group: its cells move between 0 and the group's total
                tight = (coefs > 0).all() or (coefs < 0).all()  # else a part and the total move together
                open_ = targets if tight and abs(rhs[used[0]]) < self.t - _EPSILON else np.zeros(0, dtype=int)
            else:
                matrix = sparse.csc_matrix((coefs, local, pointer - pointer[0]), shape=(used.size, columns.size))
                open_ = _Widths(matrix, rhs[used], self.cell_value[var_cell[columns]], self.t).narrow(targets)
            if open_.size:
                narrow += var_cell[columns[open_]].tolist()
                keys.pop(component, None)
        clean.update(keys.values())
        return narrow

    def _hide_beside(self, narrow: list[int]) -> bool:
        """Widen each narrow cell's interval: hide the smallest non-zero published cell of its
        groups (when all are hidden, of their hidden cells' groups, and so on; one per group in a
        round, as one more hidden cell may widen several intervals), then protect the groups
        again. A cell whose hiding blanks breakdowns (a month's total of active or new cases) is
        taken only when no other is left. Returns whether anything was hidden."""
        blanking = np.zeros(self.n_cells, dtype=bool)
        blanking[self.blank_total] = True
        touched: set[int] = set()
        hidden_any = False
        for cell in narrow:
            groups = set(self.cell_groups[cell])
            if touched.intersection(groups):
                continue
            # its groups; when all their cells are hidden, the groups of those cells, and so on
            seen: set[int] = set()
            shown = np.zeros(0, dtype=int)
            while groups and not shown.size:
                seen |= groups
                members = np.unique(np.concatenate([self.groups[g] for g in groups]))
                shown = members[self.visible_count[members] > 0]
                hidden = members[self.visible_count[members] == 0]
                groups = {g for c in hidden.tolist() for g in self.cell_groups[c]} - seen
            if not shown.size:
                continue
            if (self.cell_value[shown] > 0).any():
                shown = shown[self.cell_value[shown] > 0]
            if (~blanking[shown]).any():
                shown = shown[~blanking[shown]]
            chosen = int(shown[np.argmin(self.cell_value[shown])])
            touched.update(seen)
            hidden_any = True
            self._protect(self._hide(chosen))
        return hidden_any

    def _hide_one_more(self, group: int) -> None:
        """Break a step of ``_derivable``: hide one more published cell of the group (the smallest
        non-zero part, else the total), then protect again."""
        members = self.groups[group]
        shown = members[self.visible_count[members] > 0]
        if not shown.size:
            return
        parts = shown[shown != members[0]]
        candidates = parts[self.cell_value[parts] > 0]
        if candidates.size:
            cell = int(candidates[np.argmin(self.cell_value[candidates])])
        elif self.visible_count[members[0]] > 0:
            cell = int(members[0])
        else:
            cell = int(parts[0])
        self._protect(self._hide(cell))


class _Widths:
    """The hidden cells of one sub-table that it bounds to an interval narrower than the
    threshold: one HiGHS program (cells ≥ 0, each group's total = the sum of its parts) whose
    objective changes from one solve to the next, so each solve starts from the last one's basis.

    The true values are one possible state and each solution another; a cell seen to move by the
    threshold between two of them is safe. First programs move all cells still open at once in
    random directions while that shows many safe, then each cell left gets its smallest value and,
    if that is not yet far enough from the others seen, its largest."""

    def __init__(self, a: sparse.csc_matrix, b: np.ndarray, truth: np.ndarray, threshold: float) -> None:
        self.t = threshold
        self.n = a.shape[1]
        self.low, self.high = truth.copy(), truth.copy()
        from scipy.optimize._highspy import _core  # HiGHS as scipy ships it (scipy is pinned)

        self.core = _core
        self.highs = _core._Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("presolve", "off")  # small programs, solved again and again
        self.highs.setOptionValue("threads", 1)
        lp = _core.HighsLp()
        lp.num_col_, lp.num_row_ = self.n, a.shape[0]
        lp.col_cost_ = np.zeros(self.n)
        lp.col_lower_ = np.zeros(self.n)
        # a cell kept at most the threshold above its true value: no program is unbounded, and
        # a solution with more bounds is still a possible state
        lp.col_upper_ = truth + self.t
        lp.row_lower_ = lp.row_upper_ = np.asarray(b, dtype=float)
        lp.a_matrix_.format_ = _core.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr.astype(np.int32)
        lp.a_matrix_.index_ = a.indices.astype(np.int32)
        lp.a_matrix_.value_ = a.data.astype(float)
        self.highs.passModel(lp)
        self.solves = 0

    def _solve(self, objective: np.ndarray) -> None:
        self.highs.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), objective)
        self.highs.run()
        self.solves += 1
        if self.highs.getModelStatus() == self.core.HighsModelStatus.kOptimal:
            x = np.asarray(self.highs.getSolution().col_value)
            np.minimum(self.low, x, out=self.low)
            np.maximum(self.high, x, out=self.high)

    def _open(self, cells: np.ndarray) -> np.ndarray:
        still: np.ndarray = cells[self.high[cells] - self.low[cells] < self.t - _EPSILON]
        return still

    def narrow(self, targets: np.ndarray) -> np.ndarray:
        """The positions among ``targets`` (column positions) whose interval is narrower."""
        rng = np.random.default_rng(0)  # the same cells on every run
        open_ = self._open(targets)
        while open_.size > 1:  # move many cells at once while that shows many safe
            objective = np.zeros(self.n)
            objective[open_] = rng.choice((-1.0, 1.0), open_.size)
            self._solve(objective)
            self._solve(-objective)
            before = open_.size
            open_ = self._open(open_)
            if open_.size > PUSH_UNTIL * before:
                break
        # the rest one by one: the smallest value, then the largest up to the smallest + threshold
        self.highs.changeColsBounds(
            self.n, np.arange(self.n, dtype=np.int32), np.zeros(self.n), np.full(self.n, np.inf)
        )
        narrow = []
        for j in open_.tolist():
            for sign in (1.0, -1.0):
                if self.high[j] - self.low[j] >= self.t - _EPSILON:
                    break
                objective = np.zeros(self.n)
                objective[j] = sign
                if sign < 0:
                    self.highs.changeColBounds(j, 0.0, self.low[j] + self.t)
                self._solve(objective)
                if sign < 0:
                    self.highs.changeColBounds(j, 0.0, np.inf)
            if self.high[j] - self.low[j] < self.t - _EPSILON:
                narrow.append(j)
        return np.array(narrow, dtype=int)


def _labels(starts: pd.Series, kind: str) -> dict[dt.date, str]:
    """The label of the ``kind`` period each start month lies in."""
    return {start: period_of(start, kind).label for start in starts.unique()}  # type: ignore[arg-type]


def _across_regions(cells: pd.DataFrame, keys: list[str], region_pairs: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """Groups of a region's cell with its parts' cells, for every combination of ``keys``."""
    totals = cells.merge(region_pairs, left_on="kommune", right_on="total")
    parts = totals.merge(
        cells.rename(columns={"kommune": "part", "cell": "part_cell"})[[*keys, "part", "part_cell"]],
        on=[*keys, "part"],
    )
    return _grouped(parts, [*keys, "group_key"], prefix)


def _grouped(frame: pd.DataFrame, keys: list[str], prefix: str) -> pd.DataFrame:
    """(gid, cell, part_cell) with one gid per combination of ``keys``."""
    number = frame.groupby(keys, sort=False, dropna=False).ngroup()
    return pd.DataFrame({"gid": prefix + number.astype(str), "cell": frame["cell"], "part_cell": frame["part_cell"]})


def _lists(keys: np.ndarray, values: np.ndarray, size: int) -> list[list[int]]:
    """values grouped by integer keys 0..size-1 (in their order within a key)."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(size + 1)).tolist()
    ordered = values[order].tolist()
    return [ordered[bounds[i] : bounds[i + 1]] for i in range(size)]


# --- cache ----------------------------------------------------------------------------------

_CACHE: dict[tuple[object, ...], Disclosure] = {}
_LOCK = threading.Lock()


def _fingerprint(connection: duckdb.DuckDBPyConnection, cat: Catalogue) -> tuple[object, ...]:
    """What the published state depends on: the current partitions, the catalogue's rules."""
    row = connection.execute(
        """SELECT count(*), coalesce(sum(hash(p.quelle, p.kommune, p.monat, p.upload_id, u.sha256)), 0)
           FROM partition_aktuell p LEFT JOIN upload u USING (upload_id)"""
    ).fetchall()[0]
    path = connection.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return (path[0][0] if path else None, int(row[0]), int(row[1]), cat.model_dump_json())


def disclosure(connection: duckdb.DuckDBPyConnection, cat: Catalogue | None = None) -> Disclosure:
    """The published state of the database (computed once per state of its data)."""
    cat = cat or catalogue()
    key = _fingerprint(connection, cat)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        result = _restored(connection, key)  # stored by the write that made this state
        if result is None:
            result = _compute(connection, cat)
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = result
        return result


def suppress_frame(frame: pd.DataFrame, cat: Catalogue | None = None) -> pd.Series:
    """The hidden cells of indicator figures of one month (kennzahl, kommune, periode, zaehler,
    nenner) whose Teilregion and Kreis rows are sums of their Kommunen's rows: the model on a
    frame without a database (no time relations, no breakdowns)."""
    cat = cat or catalogue()
    rows = frame.assign(art="month", periode_start=dt.date(2000, 1, 1)).reset_index(drop=True)
    for column in ("zaehler", "nenner"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce").astype(float)
    sensitive = sensitive_parts(cat)
    members = region_members()
    exposures = []
    for figure, row in enumerate(rows.itertuples(index=False)):
        for comp, part in sensitive.loc[sensitive["kennzahl"] == row.kennzahl, ["comp", "part"]].itertuples(
            index=False
        ):
            column = "zaehler" if comp == "num" else "nenner"
            value = getattr(row, column)
            if np.isnan(value):
                continue
            same = rows[(rows["kennzahl"] == row.kennzahl) & (rows["periode"] == row.periode)]
            present = same.loc[same["kommune"].isin(members[str(row.kommune)]) & same[column].notna(), "kommune"]
            exposures.append((figure, comp, hash((part, row.periode, tuple(sorted(present)))), value))
    model = _Model(
        cat,
        rows,
        pd.DataFrame(columns=["dimension", "measure", "kommune", "monat", "kategorie", "anzahl"]),
        pd.DataFrame(exposures, columns=["figure", "comp", "sig", "wert"]),
    )
    return pd.Series(model.suppress()[: len(rows)], index=frame.index)


def _compute(connection: duckdb.DuckDBPyConnection, cat: Catalogue) -> Disclosure:
    span = delivered_range(connection)
    if span is None:
        empty_rows = pd.DataFrame(
            columns=["kennzahl", "kommune", "periode", "art", "zaehler", "nenner", "unterdrueckt"]
        )
        empty_cats = pd.DataFrame(
            columns=["dimension", "measure", "kommune", "monat", "kategorie", "anzahl", "unterdrueckt"]
        )
        return Disclosure(empty_rows, empty_cats, frozenset(), {})
    model = _Model.from_database(connection, cat, span[0], span[1])
    hidden = model.suppress()
    rows = model.rows.assign(unterdrueckt=hidden[: model.n_rows])
    categories = model.categories.assign(unterdrueckt=hidden[model.n_rows :])
    keys = rows.loc[rows["unterdrueckt"], ["kennzahl", "kommune", "periode"]].itertuples(index=False, name=None)
    return Disclosure(rows, categories, frozenset(keys), model.values)


# --- the result stored at write time (metrics/stored.py; written by actions/published.py) --------


def stored_key(connection: duckdb.DuckDBPyConnection, cat: Catalogue | None = None) -> str:
    """The key under which the published state of the connection's current data is stored."""
    return stored.state_key(_fingerprint(connection, cat or catalogue())[1:])


def as_frames(result: Disclosure) -> dict[str, pd.DataFrame]:
    """A Disclosure as the frames that are stored (``hidden`` follows from ``rows``)."""
    return {"rows": result.rows, "categories": result.categories} | {
        f"values.{period}": frame for period, frame in result.values.items()
    }


def _restored(connection: duckdb.DuckDBPyConnection, key: tuple[object, ...]) -> Disclosure | None:
    """The stored Disclosure of the state ``key`` (from ``_fingerprint``), None when none is stored."""
    frames = stored.read(connection, stored.state_key(key[1:]))
    if frames is None or "rows" not in frames or "categories" not in frames:
        return None
    rows = frames["rows"]
    keys = rows.loc[rows["unterdrueckt"].astype(bool), ["kennzahl", "kommune", "periode"]].itertuples(
        index=False, name=None
    )
    values = {name.removeprefix("values."): frame for name, frame in frames.items() if name.startswith("values.")}
    return Disclosure(rows, frames["categories"], frozenset(keys), values)
