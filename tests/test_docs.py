"""The project's specification lives in docs/, and everything points there, never outside the repository.

Comments, docstrings and tests once cited specification files that were not part of the repository
(a sibling folder, a path on one machine, a bare "kennzahlen.md" that resolved nowhere). These
tests fail when any file of the checkout does so again, and when a link into docs/ names a file or
a heading that does not exist (a heading renamed without its links following).
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

from tests.helpers.paths import ROOT

DOCS = ROOT / "docs"
THIS = Path(__file__).resolve().relative_to(ROOT).as_posix()
SPECIFICATIONS = ("datenlieferung.md", "kennzahlen.md", "glossar.md")

# A path that leaves the checkout: the sibling folder the specification used to live in, an
# absolute path of a machine, or the old specification files named without their folder.
OUTSIDE = re.compile(
    r"\.\./+shared\b"
    r"|(?<![\w.-])shared/[\w.-]+\.md"
    r"|(?<![\w])/(?:work|home|root|Users)/"
    r"|(?<![\w./-])(?:datenlieferung|kennzahlen|domain|style|glossar)\.md"
)
# A reference into docs/ from anywhere: docs/<file>.md with an optional #heading.
DOCS_REFERENCE = re.compile(r"(?<![\w.-])docs/([\w.-]+\.md)(?:#([\w-]+))?")
# A Markdown link inside docs/: [text](target).
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
WHOLE_LINK = re.compile(r"\[[^\]]*\]\([^)\s]+\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")


def checkout_files() -> list[str]:
    """Every file of the checkout that git would commit: tracked ones and new ones not ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted({line for line in listed.stdout.splitlines() if line and (ROOT / line).is_file()})


def text_of(name: str) -> str | None:
    """The file's text, or None for a binary file (a workbook, an image)."""
    data = (ROOT / name).read_bytes()
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def slug(heading: str) -> str:
    """The anchor a Markdown renderer gives a heading: lower case, punctuation dropped (letters with
    umlauts, digits, '-' and '_' kept), spaces as '-'."""
    text = unicodedata.normalize("NFC", heading.strip().lower())
    text = re.sub(r"`", "", text)
    kept = "".join(c for c in text if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of every heading of a Markdown file (a repeated heading gets -1, -2, …)."""
    seen: dict[str, int] = {}
    result = set()
    in_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        match = None if in_code else HEADING.match(line)
        if match is None:
            continue
        base = slug(match[1])
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def outside_lines(name: str, text: str) -> list[str]:
    """'file:line: text' of every line of one file that points outside the repository."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if name.startswith("docs/"):
            line = WHOLE_LINK.sub("", line)  # relative links inside docs/ are checked below
        if OUTSIDE.search(line):
            found.append(f"{name}:{number}: {line.strip()}")
    return found


def outside_references(names: list[str]) -> list[str]:
    """``outside_lines`` of every text file among ``names`` (this module left out)."""
    found = []
    for name in names:
        text = None if name == THIS else text_of(name)
        if text is not None:
            found += outside_lines(name, text)
    return found


def broken_docs_links(name: str, text: str) -> list[str]:
    """Every docs/<file>.md[#heading] in one file whose file or heading does not exist."""
    broken = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in DOCS_REFERENCE.finditer(line):
            target, anchor = DOCS / match[1], match[2]
            if not target.is_file():
                broken.append(f"{name}:{number}: docs/{match[1]} gibt es nicht")
            elif anchor is not None and anchor not in anchors(target):
                broken.append(f"{name}:{number}: docs/{match[1]} hat keinen Abschnitt #{anchor}")
    return broken


def test_the_specification_is_in_the_repository() -> None:
    for name in SPECIFICATIONS:
        path = DOCS / name
        assert path.is_file(), f"docs/{name} fehlt"
        assert len(anchors(path)) >= 3, f"docs/{name} hat keine Abschnitte"


def test_no_code_comment_or_test_points_outside_the_repository() -> None:
    names = [name for name in checkout_files() if name != "README.md"]
    assert outside_references(names) == []


def test_the_readme_points_only_into_the_repository() -> None:
    assert outside_references(["README.md"]) == []


def test_every_link_into_docs_names_an_existing_file_and_heading() -> None:
    broken = []
    for name in checkout_files():
        text = None if name == THIS else text_of(name)
        if text is not None:
            broken += broken_docs_links(name, text)
    assert broken == []


def test_a_link_to_a_missing_file_or_heading_is_found() -> None:
    lines = [
        "# see docs/kennzahlen.md#geheimhaltung",
        "# see docs/kennzahlen.md#gibt-es-nicht",
        "# see docs/spezifikation.md",
    ]
    assert broken_docs_links("x.py", "\n".join(lines)) == [
        "x.py:2: docs/kennzahlen.md hat keinen Abschnitt #gibt-es-nicht",
        "x.py:3: docs/spezifikation.md gibt es nicht",
    ]


def test_a_path_outside_the_repository_is_found() -> None:
    lines = [
        "# the rules of kennzahlen.md",
        "# see ../shared/domain.md",
        "# see shared/style.md",
        "path = '/" + "work/shared/datenlieferung.md'",
        "# see docs/kennzahlen.md#aggregation and data/kennzahlen.yaml",
    ]
    found = outside_lines("x.py", "\n".join(lines))
    assert [line.split(":")[1] for line in found] == ["1", "2", "3", "4"]


def test_every_link_inside_docs_stays_in_the_repository_and_finds_its_heading() -> None:
    broken = []
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in MARKDOWN_LINK.finditer(line):
                link = match[1]
                if re.match(r"[a-z]+:", link):
                    continue  # a web address
                file_part, _, anchor = link.partition("#")
                target = (path.parent / file_part).resolve() if file_part else path
                where = f"docs/{path.name}:{number}: {link}"
                if not target.is_relative_to(ROOT):
                    broken.append(f"{where} führt aus dem Repository")
                elif not target.is_file():
                    broken.append(f"{where} gibt es nicht")
                elif anchor and target.suffix == ".md" and anchor not in anchors(target):
                    broken.append(f"{where}: kein Abschnitt #{anchor}")
    assert broken == []


def test_the_anchor_of_a_heading_is_the_one_a_renderer_gives() -> None:
    assert slug("Bestände und Bewegungen") == "bestände-und-bewegungen"
    assert slug("Fehler: die Datei wird abgelehnt") == "fehler-die-datei-wird-abgelehnt"
    assert slug("`fallmanagement` (Fälle)") == "fallmanagement-fälle"
