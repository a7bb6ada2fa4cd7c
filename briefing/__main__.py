"""Command line of the briefing:

    python -m briefing --period 2026-Q3|2026-09|2026 [--kommune AGS ...] [--leitsatz LS1 ...]
                       [--db PATH] --out FILE.pdf|FILE.pptx

Writes the briefing (published figures only) and prints one line saying where. Exit code 0 on
success, 2 for wrong use, 1 for any other failure (German message on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core import format as fmt
from core.errors import KimError, UsageError, run_command
from core.reference import KREIS_MARKER, resolve_kommune

FORMATS = (".pdf", ".pptx")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m briefing",
        description="Briefing für den Lenkungskreis KIM als PDF oder PowerPoint erstellen (veröffentlichte Werte).",
    )
    parser.add_argument("--period", required=True, help="Zeitraum: Monat 2026-09, Quartal 2026-Q3 oder Jahr 2026")
    parser.add_argument(
        "--kommune",
        nargs="+",
        action="extend",
        default=[],
        metavar="AGS",
        help="Kommunen neben dem Kreis (Gemeindeschlüssel oder Name), z. B. 05978004",
    )
    parser.add_argument(
        "--leitsatz", nargs="+", action="extend", default=[], metavar="LS", help="Leitsätze (Standard: alle)"
    )
    parser.add_argument("--db", help="Datenbankdatei (Standard: KIM_DB oder data/kim.duckdb)")
    parser.add_argument("--out", required=True, metavar="FILE", help="Zieldatei: .pdf oder .pptx")
    return parser


def _kommune(text: str) -> str:
    ags = resolve_kommune(text)
    if ags is None or ags == KREIS_MARKER:
        raise UsageError(
            f"Die Kommune '{text}' ist unbekannt. Bitte den Gemeindeschlüssel (z. B. 05978004) oder den Namen angeben."
        )
    return ags


def _create(args: argparse.Namespace) -> int:
    from briefing.build import create
    from briefing.content import parse_period

    out = Path(args.out)
    if out.suffix.lower() not in FORMATS:
        raise UsageError(f"Die Zieldatei '{out}' muss auf .pdf oder .pptx enden.")
    parse_period(args.period)  # wrong use is reported before the database is opened
    kommunen = list(dict.fromkeys(_kommune(k) for k in args.kommune))
    leitsaetze = [code.upper() for code in args.leitsatz]
    result = create(args.db, args.period, kommunen, leitsaetze, "pdf" if out.suffix.lower() == ".pdf" else "pptx")
    try:
        out.write_bytes(result.content)
    except OSError as error:
        raise KimError(
            f"Die Datei '{out}' kann nicht geschrieben werden. Bitte Ordner und Schreibrechte prüfen."
        ) from error
    print(f"Briefing {result.briefing.title} gespeichert: {out} ({fmt.number(len(result.content))} Bytes)")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: _create(args))


if __name__ == "__main__":
    sys.exit(main())
