"""Issue 11 #3: one home per basic concept. Each test reads the production code and fails when a
copy of a concept comes back outside its home (German numbers, dates, lists, hashing, atomic writes,
the frozen base model, the settings, private helper names)."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from core.settings import PROJECT_ROOT

PARTS = ["core", "store", "access", "loaders", "metrics", "demo", "briefing", "ui", "pages"]


def _sources() -> dict[str, str]:
    files = [path for part in PARTS for path in (PROJECT_ROOT / part).rglob("*.py")]
    files += [PROJECT_ROOT / "app.py", PROJECT_ROOT / "server.py"]
    return {path.relative_to(PROJECT_ROOT).as_posix(): path.read_text(encoding="utf-8") for path in files}


def _found(pattern: str, home: set[str], allowed: dict[str, int] | None = None) -> dict[str, list[str]]:
    """Lines matching ``pattern`` outside ``home``, by file; ``allowed`` counts known exceptions."""
    regex = re.compile(pattern)
    found: dict[str, list[str]] = {}
    for name, text in _sources().items():
        if name in home:
            continue
        lines = [line.strip() for line in text.splitlines() if regex.search(line)]
        if len(lines) > (allowed or {}).get(name, 0):
            found[name] = lines
    return found


def test_german_number_conversions_only_in_core_format() -> None:
    # ad-hoc '.replace(",", ".")' / '.replace(".", ",")' in 20 places before
    assert _found(r"""\.replace\(\s*(["'])[,.]\1\s*,\s*(["'])[,.]\2\s*\)""", {"core/format.py"}) == {}


def test_german_dates_only_in_core_format() -> None:
    python_format = r"""(:%d\.%m\.|:%m/%Y|strftime\(["']%d\.%m|strftime\(["']%m/%Y|["']Januar["'])"""
    allowed = {"pages/sitzung.py": 2}  # in the lines the audited write actions are moving (issue 11 #1)
    assert _found(python_format, {"core/format.py"}, allowed) == {}


def test_month_names_only_in_core_format() -> None:
    assert _found(r"""["']Dezember["']""", {"core/format.py"}) == {}


def test_german_lists_only_in_core_format() -> None:
    allowed = {"loaders/templates.py": 1}  # the row-rule texts, reworked with the row-rule registry
    assert _found(r"""["'] und ["']\.join|\[:-1\]\)\} und""", {"core/format.py"}, allowed) == {}


def test_file_hashes_and_atomic_writes_only_in_core_files() -> None:
    assert _found(r"hashlib\.sha256\(\)|iter\(lambda", {"core/files.py"}) == {}
    assert _found(r"""mkstemp|["']\.teil["']|\.teil["']""", {"core/files.py"}) == {}
    # replacing a whole database by a fresh one is a move, not a write
    assert _found(r"os\.replace\(", {"core/files.py"}, {"store/history.py": 1}) == {}


def test_one_frozen_base_model() -> None:
    assert _found(r"class Frozen\b|ConfigDict\(frozen=True", {"core/model.py"}) == {}


def test_settings_read_only_in_core_settings() -> None:
    assert _found(r"environ\.get|environ\[|getenv\(|[\"']KIM_[A-Z_]+[\"']", {"core/settings.py"}) == {}


def test_no_private_helper_name_means_two_things() -> None:
    """A private function name that had two meanings in two modules (German thousands vs. a noun
    phrase, a Markdown escape vs. a number, …) is defined at most once."""
    names = ["_count", "_plain", "_number", "_month_label", "_german_list", "_quoted", "_period", "_month", "_key"]
    defined: dict[str, list[str]] = defaultdict(list)
    for module, text in _sources().items():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and node.name in names:
                defined[node.name].append(module)
    assert {name: modules for name, modules in defined.items() if len(modules) > 1} == {}


def test_the_helpers_that_were_folded_are_gone() -> None:
    gone = {
        "store/history.py": [
            "def sha256(",
            "def local_time(",
            "def format_zeit(",
            "def count(",
            "def _write_atomically(",
        ],
        "loaders/validate.py": ["def sha256_of("],
        "loaders/statistik_store.py": ["def copy_to_archive("],
        "loaders/sandbox.py": ["def memory_limit_bytes(", "def time_limit_seconds(", "def workers("],
        "metrics/kontext.py": ["def german_number("],
        "briefing/wording.py": ["def date("],
        "briefing/messages.py": ["def _enumerate("],
        "ui/uploads.py": ["def period_label("],
    }
    sources = _sources()
    assert {module: [d for d in defs if d in sources[module]] for module, defs in gone.items()} == {
        module: [] for module in gone
    }
    assert not Path(PROJECT_ROOT / "core" / "files.py").read_text().count("def sha256(")
