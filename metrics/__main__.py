"""Command line of the metrics: python -m metrics values …"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from typing import Any

from core.errors import UsageError, run_command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description="Kennzahlen des KIM-Cockpits berechnen.")
    commands = parser.add_subparsers(dest="command", required=True)
    values = commands.add_parser("values", help="alle Kennzahlen je Kommune, Teilregion, Kreis und Zeitraum")
    values.add_argument("--db", help="Datenbankdatei (Standard: KIM_DB oder data/kim.duckdb)")
    values.add_argument("--period", choices=["month", "quarter", "year"], default="month")
    values.add_argument("--from", dest="first", metavar="YYYY-MM")
    values.add_argument("--to", dest="last", metavar="YYYY-MM")
    values.add_argument("--internal", action="store_true", help="ungeschützte Werte (intern – nicht zur Weitergabe)")
    values.add_argument("--format", choices=["csv", "json"], default="csv")
    return parser


def _month(text: str | None) -> Any:
    if text is None:
        return None
    from core.periods import parse_monat

    parsed = parse_monat(text) if re.fullmatch(r"\d{4}-\d{2}", text) else None
    if parsed is None:
        raise UsageError(f"Der Monat '{text}' ist ungültig. Bitte im Format JJJJ-MM angeben.")
    return parsed


def format_number(value: Any) -> str:
    """A number for machine-readable output: decimal point, unrounded, empty when there is none."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: _values(args))


def _values(args: argparse.Namespace) -> int:
    from metrics.compute import OUTPUT_COLUMNS
    from metrics.values import values_for_output
    from store import connect

    first, last = _month(args.first), _month(args.last)
    if first and last and first > last:
        raise UsageError("--from liegt nach --to.")
    hinweise: list[str] = []
    with connect(args.db) as connection:
        rows = values_for_output(connection, args.period, first, last, internal=args.internal, hinweise=hinweise)
    for hinweis in hinweise:  # notes about the official tables (metrics/kontext.py), beside the output
        print(f"Hinweis: {hinweis}", file=sys.stderr)
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                format_number(row[c])
                if c in ("wert", "zaehler", "nenner")
                else ("true" if row[c] else "false")
                if c in ("unterdrueckt", "vollstaendig")
                else row[c]
                for c in OUTPUT_COLUMNS
            ]
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
