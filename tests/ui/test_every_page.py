"""Every page of the app's navigation, for every role of data/rollen.yaml, on a demo-like database:
no exception, no "None", "nan" or "null" anywhere in what the page shows (texts, tables, metrics,
captions, Markdown, widget labels and options), no English the app decides, no Streamlit field that
reads or writes the English way (its date picker "YYYY/MM/DD", its number field "0.0"), no minus sign
written as a hyphen, and a role without the page's right gets the German refusal.

The pages come from the registry in ui/page.py, so a new page is tested by being registered there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from access import users
from tests.helpers.apptest import app_environment, log_in
from tests.helpers.databases import real_copy
from tests.helpers.paths import ROOT
from tests.helpers.shown_text import as_read, interpreted
from ui.page import PAGES

REFUSAL = "Diese Seite steht Ihrer Rolle nicht zur Verfügung."
ROLES = list(users.roles())

# What a missing value looks like when it slips through to the screen.
MISSING = re.compile(r"(?<![\w-])(None|nan|NaN|null|NaT|<NA>|undefined)(?![\w-])")
# English that the app itself decides (labels, captions, help, options); Streamlit's own controls
# that it offers no translation for are listed in the README and are not in the element tree.
ENGLISH = re.compile(
    r"(?<![\w/.-])(Download|Browse files|Press Enter|Loading|Select|Choose|Search|Submit|Error|Warning|"
    r"Settings|Show|Hide|True|False|Yes|No|per file|YYYY|MM/DD|DD/MM|dd\.mm\.yyyy|Page not found)(?![\w-])"
)
# A negative number is written with the minus sign "−", not with the hyphen-minus "-".
HYPHEN_MINUS = re.compile(r"(?<![\w)\]])-\d")
# Streamlit's own fields that read or show values the English way (ui/inputs.py has the German ones).
ENGLISH_FIELDS = {"date_input": "its date picker reads YYYY/MM/DD", "number_input": "it reads 85,5 as 855"}
# Proto fields that hold no text for the reader: ids, keys, styles, chart specifications (plotly's
# JSON has "null" by nature), icons and image addresses.
NOT_SHOWN = {"id", "form_id", "spec", "config", "theme", "icon", "url", "type", "format_func", "data", "style"}
TEXT_FIELDS_WITHOUT_MINUS_RULE = {"label", "help", "placeholder"}


def texts_of(message: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string a proto message holds, with the name of its field, except those never shown."""
    for field, value in message.ListFields():
        if field.name in NOT_SHOWN:
            continue
        if field.type == field.TYPE_MESSAGE:
            for item in [value] if isinstance(value, Message) else value:
                yield from texts_of(item, field.name)
        elif field.type == field.TYPE_STRING:
            for text in [value] if isinstance(value, str) else value:
                yield field.name, text


def table_texts(frame: pd.DataFrame) -> Iterator[str]:
    yield from (str(c) for c in frame.columns)
    yield from (str(i) for i in frame.index) if frame.index.name is not None else ()
    for cell in frame.astype(object).to_numpy().ravel():
        yield "None" if cell is None else str(cell)


def shown(app: AppTest) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(element type, field, text) of everything the page shows, and the types of its elements."""
    found: list[tuple[str, str, str]] = []
    kinds: list[str] = []

    def walk(node: Any) -> None:
        kind = getattr(node, "type", type(node).__name__)
        kinds.append(kind)
        if kind in ("arrow_data_frame", "arrow_table", "dataframe", "table"):
            for text in table_texts(node.value):
                found.append((kind, "cell", text))
        else:
            proto = getattr(node, "proto", None)
            if proto is not None:
                found.extend((kind, field, text) for field, text in texts_of(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    return found, kinds


def findings(app: AppTest) -> list[str]:
    problems = [f"exception: {e.message}" for e in app.exception]
    texts, kinds = shown(app)
    for kind, field, text in texts:
        read = as_read(text)
        for pattern, what in ((MISSING, "missing value"), (ENGLISH, "English")):
            match = pattern.search(read)
            if match:
                problems.append(f"{what} {match.group(0)!r} in {kind}.{field}: {read[:160]!r}")
        if field not in TEXT_FIELDS_WITHOUT_MINUS_RULE and HYPHEN_MINUS.search(read):
            problems.append(f"hyphen as minus in {kind}.{field}: {read[:160]!r}")
        if field in ("body", "label", "help"):
            problems += [f"Markdown interpreted in {kind}.{field}: {p}" for p in interpreted(text)]
    problems += [f"English Streamlit field {kind}: {why}" for kind, why in ENGLISH_FIELDS.items() if kind in kinds]
    return problems


@pytest.fixture(scope="module")
def real_database(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo figures marked as real data, so that each role signs in with its own rights."""
    return real_copy(demo_db, tmp_path_factory.mktemp("alle_seiten"))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(
    role: str, real_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_environment(monkeypatch, real_database, tmp_path, ("person", role))
    app = log_in("person", timeout=90)

    problems: dict[str, list[str]] = {}
    for spec in PAGES:
        app.switch_page(spec.path).run()
        page = Path(spec.path).stem
        if users.may(role, spec.right):
            found = findings(app)
            if not any(t.value == spec.title for t in app.title) and page != "sitzung":
                found.append(f"title {spec.title!r} not shown: {[t.value for t in app.title]}")
        else:
            refused = [e.value for e in app.error]
            found = (
                [] if refused == [REFUSAL] else [f"no refusal: errors {refused}, titles {[t.value for t in app.title]}"]
            )
            found += [f"exception: {e.message}" for e in app.exception]
        if found:
            problems[page] = sorted(set(found))
    assert not problems, "\n".join(f"{page}:\n  " + "\n  ".join(lines) for page, lines in problems.items())


def test_every_page_file_is_registered() -> None:
    """The test above takes its pages from the registry PAGES of ui/page.py, the list the app's
    navigation is built from, so a new page is tested by being registered; a page file left out of
    the registry would be neither reachable nor tested."""
    on_disk = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "pages").glob("*.py"))
    assert on_disk == sorted(spec.path for spec in PAGES)
