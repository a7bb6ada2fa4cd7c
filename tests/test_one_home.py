"""One home per domain concept (issue 11 #3): the production code is read as Python and each
concept must be built in its one place only — a second copy fails here, naming where it is.

- the meaning of a row rule: loaders/rules.py (declared as a kind in core/sources.py);
- the target text '≥ 85,5 %': metrics.texts.target_text;
- the words of a status ('im Ziel', 'ohne Bewertung' …): metrics.texts.STATUSES, the Ampel with its
  symbol ('● Ziel erreicht'): metrics.texts.ampel_text;
- the status line per Leitsatz: metrics.texts.status_line;
- the completeness note '7 von 10 Kommunen': metrics.texts.completeness_text;
- the choice between an official table and a delivery for an uploaded file:
  loaders.statistik_store.check_upload."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

from core.sources import Rule

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = ("access", "actions", "briefing", "core", "demo", "loaders", "metrics", "pages", "store", "ui")


def _modules() -> Iterator[tuple[str, ast.Module, str]]:
    paths = [ROOT / "app.py", ROOT / "server.py"]
    for folder in PRODUCTION:
        paths += sorted((ROOT / folder).rglob("*.py")) if (ROOT / folder).is_dir() else []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        yield path.relative_to(ROOT).as_posix(), ast.parse(text), text


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring nodes of a module and its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _strings(tree: ast.Module) -> Iterator[str]:
    """Every string constant of the code, docstrings left out."""
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.value


def test_only_the_rule_registry_gives_a_rule_kind_its_meaning() -> None:
    kinds = set(get_args(Rule.model_fields["check"].annotation))
    places = {name for name, tree, _ in _modules() if kinds & set(_strings(tree))}
    assert places == {"core/sources.py", "loaders/rules.py"}


def test_the_target_sign_is_chosen_in_one_place() -> None:
    signs = {"≥", "≤", "mindestens", "höchstens"}  # '≥ 85,5 %', 'mindestens 85,5 %'
    places = {name for name, tree, _ in _modules() if signs & set(_strings(tree))}
    assert places == {"metrics/texts.py"}


def test_the_words_of_a_status_are_declared_once() -> None:
    words = {"im Ziel", "Ziel erreicht", "knapp verfehlt", "ohne Bewertung", "ohne Ziel", "ohne Wert"}
    places = {name for name, tree, _ in _modules() if words & set(_strings(tree))}
    assert places == {"metrics/texts.py"}


def test_the_ampel_is_written_with_its_symbol_in_one_place() -> None:
    pattern = re.compile(r"AMPEL_SYMBOL\[[^\]]+\]\} \{AMPEL_TEXT")
    places = [name for name, _, text in _modules() if pattern.search(text)]
    assert places == ["metrics/texts.py"]


def test_one_status_line() -> None:
    places = [
        name
        for name, tree, _ in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "status_line"
    ]
    assert places == ["metrics/texts.py"]


def test_one_completeness_note() -> None:
    pattern = re.compile(r"von \{[^{}]*\} Kommunen")
    places = [name for name, _, text in _modules() if pattern.search(text)]
    assert places == ["metrics/texts.py"]


def test_one_place_decides_between_an_official_table_and_a_delivery() -> None:
    deciding = []
    for name, tree, _ in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                if {"sniff_csv", "no_table_found"} & used:
                    deciding.append(f"{name}:{node.name}")
    assert deciding == ["loaders/statistik_store.py:check_upload"]
