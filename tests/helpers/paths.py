"""Where things are: the project root (the working folder of every command line), the app and the
test files."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
FILES = ROOT / "tests" / "files"
AMTLICH = FILES / "amtlich"
HANDWORKED = FILES / "handworked"
