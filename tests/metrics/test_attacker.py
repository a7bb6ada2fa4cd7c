"""An attacker with a Lenkungskreis login: can the published figures give a hidden one away?

The attacker takes only what the ``lenkungskreis`` role can see or download – the published
indicator figures of every month, quarter and year (``metrics values`` without ``--internal``),
every case breakdown of every region and month, and the change since a frozen meeting – and the
rules the Kennzahlen page documents: a Teilregion and the Kreis add up their Kommunen, a quarter
and a year add up their months (a stock is its last month), the categories of a breakdown add up to
its total (not Handlungsfelder), the same part in several indicators is the same number, a share's
numerator is part of its denominator, nothing is negative. It writes these as linear equations over
the atoms (one part of one Kommune in one month), solves what can be solved, and for every hidden
figure that counts people or cases asks a linear program for its smallest and largest possible
value. Nothing hidden may be recovered exactly or pinned to an interval narrower than the threshold.

This is an independent program: it does not use the disclosure model's code, only the published
output and the documented rules; its relations are checked against the true (internal) values.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pytest
from scipy.optimize import linprog

from core.catalogue import catalogue
from core.reference import region_members
from metrics.breakdowns import DIMENSIONS, MEASURES, breakdown
from metrics.values import values_for_output
from store import connect
from tests.helpers.random_data import generate
from tests.helpers.values import ingest

T = catalogue().geheimhaltung.schwelle
KINDS = ("month", "quarter", "year")
Atom = tuple[str, str, str]  # part, kommune, month 'YYYY-MM'


@dataclass
class System:
    """Linear knowledge: equations Σ coef·atom = value, inequalities num ≤ den, targets."""

    equations: list[tuple[dict[Atom, float], float]] = field(default_factory=list)
    at_most: list[tuple[Atom, Atom]] = field(default_factory=list)
    targets: list[tuple[str, dict[Atom, float], float]] = field(default_factory=list)  # name, expression, truth


def _months_of(kind: str, periode: str) -> list[str]:
    """Every month of a period, 'YYYY-MM'."""
    if kind == "month":
        return [periode]
    if kind == "quarter":
        year, quarter = periode.split("-Q")
        first = (int(quarter) - 1) * 3 + 1
        return [f"{year}-{month:02d}" for month in range(first, first + 3)]
    return [f"{periode}-{month:02d}" for month in range(1, 13)]


def _confidential_parts() -> dict[str, dict[str, tuple[str, str]]]:
    """kennzahl → column → (part, time rule) for the figures that count people or cases, as the
    Kennzahlen page words the rules (docs/kennzahlen.md#geheimhaltung)."""
    cat = catalogue()
    parts: dict[str, dict[str, tuple[str, str]]] = {}
    for k in cat.kennzahlen:
        columns: dict[str, tuple[str, str]] = {}
        if k.kind == "median":
            columns["nenner"] = (f"{k.code}.faelle", "sum")
        else:
            for column, part in (("zaehler", k.numerator), ("nenner", k.denominator)):
                if part is None:
                    continue
                counts = (
                    (k.kind == "count" and k.counts_people)
                    or k.kind == "share"
                    or (k.kind == "rate" and (column == "zaehler" or k.denominator_counts_people))
                    or (k.kind == "mean" and column == "nenner")
                )
                if counts:
                    columns[column] = (part.part, "last" if cat.is_stock(part) else "sum")
        parts[k.code] = columns
    return parts


def _published(database: pathlib.Path) -> tuple[dict[str, list[dict]], dict[tuple, dict]]:
    with connect(database) as connection:
        values = {kind: values_for_output(connection, kind) for kind in KINDS}
        months = sorted({row["periode"] for row in values["month"]})
        tables = {}
        for region in region_members():
            for month in months:
                day = dt.date(int(month[:4]), int(month[5:]), 1)
                for dimension in DIMENSIONS:
                    for measure in MEASURES:
                        tables[(region, month, dimension, measure)] = breakdown(
                            connection, dimension, measure, region, day
                        ).to_dict("records")
    return values, tables


def _truth(database: pathlib.Path) -> dict[str, dict[tuple[str, str, str], dict]]:
    with connect(database) as connection:
        return {
            kind: {
                (r["kennzahl"], r["kommune"], r["periode"]): r
                for r in values_for_output(connection, kind, internal=True)
            }
            for kind in KINDS
        }


def build_system(values: dict[str, list[dict]], tables: dict[tuple, dict], truth: dict) -> System:
    system = System()
    members = region_members()
    parts = _confidential_parts()
    months = sorted({row["periode"] for row in values["month"]})
    # which Kommune has a figure (a value or '•') for an indicator and period: it adds up
    has_figure = {
        (kind, r["kennzahl"], r["kommune"], r["periode"])
        for kind in KINDS
        for r in values[kind]
        if r["unterdrueckt"] or r["zaehler"] is not None or r["nenner"] is not None
    }
    for kind in KINDS:
        for row in values[kind]:
            code, region, periode = row["kennzahl"], row["kommune"], row["periode"]
            for column, (part, rule) in parts[code].items():
                kommunen = [k for k in members[region] if (kind, code, k, periode) in has_figure]
                in_period = _months_of(kind, periode)
                expression: dict[Atom, float] = {}
                for kommune in kommunen:
                    with_figure = [m for m in in_period if ("month", code, kommune, m) in has_figure]
                    chosen = in_period[-1:] if rule == "last" else with_figure
                    for month in chosen:
                        expression[(part, kommune, month)] = 1.0
                if not expression:
                    continue
                if row["unterdrueckt"]:
                    true = truth[kind][(code, region, periode)][column]
                    system.targets.append((f"{code} {region} {periode} {column}", expression, float(true)))
                elif row[column] is not None:
                    system.equations.append((expression, float(row[column])))
    # breakdowns: each category over the Kommunen of the region; the categories add up to the total
    delivered = {(k, m) for (kind, code, k, m) in has_figure if kind == "month" and code == "K02"}
    for (region, month, dimension, measure), rows in tables.items():
        kommunen = [k for k in members[region] if (k, month) in delivered]
        for row in rows:
            if row["kategorie"] == "Insgesamt":
                continue  # the total is K02/K03 of the region and month, already an equation
            if not kommunen or (row["anzahl"] != row["anzahl"] and not row["unterdrueckt"]):
                continue
            part = f"fall.{measure}[{dimension}={row['kategorie']}]"
            expression = {(part, k, month): 1.0 for k in kommunen}
            if row["unterdrueckt"]:
                system.targets.append((f"{part} {region} {month}", expression, float("nan")))
            else:
                system.equations.append((expression, float(row["anzahl"])))
    for (region, month, dimension, measure), rows in tables.items():
        if region not in members or len(members[region]) != 1 or dimension == "handlungsfelder":
            continue
        if (region, month) not in delivered:
            continue
        identity = {(f"fall.{measure}[{dimension}={r['kategorie']}]", region, month): 1.0 for r in rows[1:]}
        identity[(f"fall.{measure}", region, month)] = -1.0
        system.equations.append((identity, 0.0))
    for k in catalogue().kennzahlen:
        if k.kind == "share" and k.numerator and k.denominator:
            for kommune in members:
                if len(members[kommune]) == 1:
                    for month in months:
                        system.at_most.append(
                            ((k.numerator.part, kommune, month), (k.denominator.part, kommune, month))
                        )
    return system


def attack(system: System) -> list[str]:
    """Every hidden figure the published ones pin down to less than the threshold."""
    known: dict[Atom, float] = {}
    equations = [dict(e) for e, _ in system.equations]
    rhs = [v for _, v in system.equations]
    changed = True
    while changed:  # substitute what single equations already give away
        changed = False
        for i, expression in enumerate(equations):
            for atom in [a for a in expression if a in known]:
                rhs[i] -= expression.pop(atom) * known[atom]
            if len(expression) == 1:
                ((atom, coef),) = expression.items()
                known[atom] = rhs[i] / coef
                expression.clear()
                changed = True
    # components of the atoms still unknown
    parent: dict[Atom, Atom] = {}

    def find(a: Atom) -> Atom:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(atoms: list[Atom]) -> None:
        for other in atoms[1:]:
            parent[find(other)] = find(atoms[0])

    for expression in equations:
        if expression:
            join(list(expression))
    for n, d in system.at_most:
        free = [a for a in (n, d) if a not in known]
        if len(free) == 2:
            join(free)
    problems = []
    published = {frozenset(e.items()) for e, _ in system.equations}
    by_component: dict[Atom, list[int]] = defaultdict(list)
    for i, expression in enumerate(equations):
        if expression:
            by_component[find(next(iter(expression)))].append(i)
    for name, expression, true in system.targets:
        if frozenset(expression.items()) in published:
            continue  # hidden here, but the same number is published by another figure
        free = {a: c for a, c in expression.items() if a not in known}
        constant = sum(c * known[a] for a, c in expression.items() if a in known)
        if not free:
            problems.append(f"{name}: recovered exactly ({constant:g})")
            continue
        root = find(next(iter(free)))
        atoms = sorted({a for i in by_component[root] for a in equations[i]} | set(free))
        position = {a: j for j, a in enumerate(atoms)}
        a_eq = np.zeros((len(by_component[root]), len(atoms)))
        for row, i in enumerate(by_component[root]):
            for atom, coef in equations[i].items():
                a_eq[row, position[atom]] = coef
        b_eq = np.array([rhs[i] for i in by_component[root]])
        bounds_rows, bounds_rhs = [], []
        for n, d in system.at_most:
            if (n in position) or (d in position):
                row = np.zeros(len(atoms))
                value = 0.0
                for atom, sign in ((n, 1.0), (d, -1.0)):
                    if atom in position:
                        row[position[atom]] = sign
                    elif atom in known:
                        value -= sign * known[atom]
                    else:
                        row = None
                        break
                if row is not None:
                    bounds_rows.append(row)
                    bounds_rhs.append(value)
        objective = np.zeros(len(atoms))
        for atom, coef in free.items():
            objective[position[atom]] = coef
        problem = {
            "A_eq": a_eq if len(a_eq) else None,
            "b_eq": b_eq if len(a_eq) else None,
            "A_ub": np.array(bounds_rows) if bounds_rows else None,
            "b_ub": np.array(bounds_rhs) if bounds_rows else None,
            "bounds": (0, None),
            "method": "highs",
        }
        low = linprog(objective, **problem)
        high = linprog(-objective, **problem)
        assert low.status == 0, f"{name}: the attacker's relations contradict the published figures"
        if high.status == 3:
            continue  # no upper bound
        lowest, highest = low.fun + constant, -high.fun + constant
        if true == true:
            assert lowest - 1e-6 <= true <= highest + 1e-6, f"{name}: the attacker's relations are wrong"
        if highest - lowest < T - 1e-6:
            problems.append(f"{name}: between {lowest:g} and {highest:g} (true {true:g})")
    return problems


# Seed 11 before the model hid the breakdowns of a hidden total's regions: 71 of 5,045 hidden
# figures pinned narrower than the threshold, 6 exactly (all case breakdowns and K03). Seeds 12 and
# 13 before the model's audit by linear programs: 163 of 7,493 and 31 of 7,299 (1 exactly), all
# K03 of Kommunen, Teilregionen and quarters or a category of such a Kommune's breakdowns of new
# cases: the groups of K03 (regions, months of a quarter) were each protected, not every
# combination of the table of Kommunen and months.
_ALL_SEEDS = pytest.mark.skipif(
    os.environ.get("KIM_ATTACKER_ALL") != "1", reason="minutes per seed; KIM_ATTACKER_ALL=1 runs it"
)


@pytest.mark.parametrize(
    "seed",
    [
        11,
        # Not run in the suite (minutes each): run them with `KIM_ATTACKER_ALL=1 pytest
        # tests/metrics/test_attacker.py` after a change of the model.
        pytest.param(12, marks=_ALL_SEEDS),
        pytest.param(13, marks=_ALL_SEEDS),
        pytest.param(14, marks=_ALL_SEEDS),
        pytest.param(15, marks=_ALL_SEEDS),
    ],
)
def test_the_published_figures_give_no_hidden_figure_away(seed: int, tmp_path: pathlib.Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    data = generate(seed, 0.0, files)
    database = tmp_path / "kim.duckdb"
    ingest(data.files, database)
    values, tables = _published(database)
    system = build_system(values, tables, _truth(database))
    hidden = len(system.targets)
    assert hidden > 20, "the data set must have hidden figures to attack"
    problems = attack(system)
    assert not problems, f"{len(problems)} of {hidden} hidden figures given away: {problems[:8]}"
