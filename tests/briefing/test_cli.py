"""python -m briefing: writes the file, says where, and fails in German with the agreed exit codes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pptx import Presentation

from briefing.__main__ import main
from tests.helpers.environment import TODAY
from tests.helpers.paths import ROOT


def test_the_command_line_writes_slides(planned_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefing.pptx"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing",
            "--period",
            "2026-Q3",
            "--kommune",
            "Kamen",
            "05978008",
            "--leitsatz",
            "LS1",
            "--db",
            str(planned_db),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=os.environ | {"KIM_TODAY": TODAY},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Briefing 3. Quartal 2026 gespeichert: {out} (")
    assert result.stderr == ""
    titles = [slide.shapes.title.text for slide in Presentation(str(out)).slides]
    assert titles == [
        "Briefing 3. Quartal 2026",
        "Stand der Leitsätze 3. Quartal 2026",
        "Die wichtigsten Veränderungen zum Vorquartal",
        "LS1 · Wir begleiten Menschen aktiv.",
        "LS1 · Wir begleiten Menschen aktiv. (Fortsetzung 2)",
        "Überfällige Lieferungen",
    ]


def test_a_pdf_for_one_month(planned_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "september.pdf"
    assert main(["--period", "2026-09", "--leitsatz", "ls3", "--db", str(planned_db), "--out", str(out)]) == 0
    assert "Briefing September 2026 gespeichert" in capsys.readouterr().out
    document = pdfium.PdfDocument(io.BytesIO(out.read_bytes()))
    text = " ".join(document[0].get_textpage().get_text_range().split())
    assert "Briefing September 2026" in text and "Leitsätze: LS3 · Haupt- & Ehrenamt" in text


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["--period", "2026-Q5", "--out", "x.pdf"], 2, "Der Zeitraum '2026-Q5' ist ungültig."),
        (["--period", "2026", "--out", "x.docx"], 2, "muss auf .pdf oder .pptx enden"),
        (["--period", "2026", "--kommune", "Dortmund", "--out", "x.pdf"], 2, "Die Kommune 'Dortmund' ist unbekannt"),
        (["--period", "2026", "--leitsatz", "LS9", "--out", "x.pdf"], 2, "Unbekannter Leitsatz: LS9"),
        (["--period", "2027-Q1", "--out", "x.pdf"], 1, "Für den Zeitraum 2027-Q1 liegen noch keine Kennzahlen vor."),
    ],
)
def test_wrong_use_and_missing_data(
    planned_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    code: int,
    message: str,
) -> None:
    arguments = [a if not a.startswith("x.") else str(tmp_path / a) for a in arguments]
    assert main([*arguments, "--db", str(planned_db)]) == code
    error = capsys.readouterr().err
    assert error.startswith("Fehler: ") and message in error
    assert not list(tmp_path.iterdir())  # nothing written


def test_no_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "keine.duckdb"
    assert main(["--period", "2026-Q3", "--db", str(missing), "--out", str(tmp_path / "b.pdf")]) == 1
    assert "Es gibt noch keine Datenbank" in capsys.readouterr().err
