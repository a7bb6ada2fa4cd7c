"""The house rules of the tests themselves: what tests share lives in tests/helpers/, so no test
module imports another test module (nor a conftest.py), and a conftest.py holds fixtures only."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.helpers.paths import ROOT

TESTS = ROOT / "tests"


def _modules() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "files" not in p.relative_to(TESTS).parts[:1])


def _package(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).parts[:-1])


def _imported(source: str, package: str) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in the source of a module of ``package``, relative ones
    resolved, ``from a import b`` also as ``a.b`` (b may be a module)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            yield node.lineno, base
            yield from ((node.lineno, f"{base}.{alias.name}") for alias in node.names)


def _is_test_module(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return module.startswith("tests.") and (last.startswith("test_") or last == "conftest")


def test_no_test_module_imports_another_test_module() -> None:
    """Before: test_attacker imported test_cli_handworked and test_oracle_random, the browser tests
    imported test_browser, test_cockpit test_pages, test_tolerance test_ingest_files, several
    modules tests.conftest; a test module that imports another also runs (and may break) with it."""
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _modules()
        for line, module in _imported(path.read_text(encoding="utf-8"), _package(path))
        if _is_test_module(module)
    ]
    assert not found, "shared test code belongs in tests/helpers/:\n" + "\n".join(sorted(set(found)))


def _is_fixture_or_hook(node: ast.FunctionDef) -> bool:
    if node.name.startswith("pytest_"):
        return True
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr == "fixture":
            return True
    return False


def test_a_conftest_holds_fixtures_only() -> None:
    """Before: tests/conftest.py held the test date and the demo's size, imported by test modules,
    and tests/briefing/conftest.py the whole planned data set."""
    found = []
    for path in sorted(TESTS.rglob("conftest.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                if not (isinstance(node, ast.FunctionDef) and _is_fixture_or_hook(node)):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} a module constant")
    assert not found, "helpers and constants belong in tests/helpers/:\n" + "\n".join(found)


def test_the_rule_sees_an_import_of_a_test_module() -> None:
    """The check itself: every spelling of such an import is caught, helpers are not."""
    assert _is_test_module("tests.metrics.test_handworked")
    assert _is_test_module("tests.conftest")
    assert not _is_test_module("tests.helpers.oracle")
    assert not _is_test_module("test_something_outside")
    source = (
        "from tests.metrics.test_handworked import EXPECTED\n"
        "import tests.ui.test_pages\n"
        "from tests.ui import test_browser\n"
        "from .test_oracle_random import generate\n"
        "from tests.helpers.values import ingest\n"
    )
    caught = sorted({module for _, module in _imported(source, "tests.metrics") if _is_test_module(module)})
    assert caught == [
        "tests.metrics.test_handworked",
        "tests.metrics.test_oracle_random",
        "tests.ui.test_browser",
        "tests.ui.test_pages",
    ]
