"""Command line of the loaders: python -m loaders ingest|demo …"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from loaders.errors import KimError, UsageError, user_message_for


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m loaders",
        description="Lieferungen für das KIM-Cockpit einlesen.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="Dateien prüfen und speichern")
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.add_argument("--db", help="Datenbankdatei (Standard: KIM_DB oder data/kim.duckdb)")
    ingest.add_argument(
        "--source",
        help="Datenquelle, wenn sie nicht aus den Spalten erkannt werden soll",
    )
    ingest.add_argument(
        "--kommune",
        help="Kommune (AGS oder Name), wenn die Datei keine Spalte dafür hat",
    )
    ingest.add_argument("--month", help="Berichtsmonat JJJJ-MM, wenn die Datei keine Spalte dafür hat")
    ingest.add_argument("--user", default="kommandozeile", help="Wer hochlädt (für das Protokoll)")
    ingest.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts speichern")
    ingest.add_argument("--json", action="store_true", help="Ergebnis als JSON auf stdout")

    demo = commands.add_parser("demo", help="Demodaten erzeugen und einlesen")
    demo.add_argument("--db", help="Datenbankdatei (Standard: KIM_DB oder data/kim.duckdb)")
    demo.add_argument("--months", type=int, default=36, help="Zahl der Monate (Standard: 36)")
    demo.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="Größenfaktor für die Fallzahlen (Standard: 1)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "demo":
            return _demo(args)
    except UsageError as error:
        print(f"Fehler: {error.user_message}", file=sys.stderr)
        return 2
    except KimError as error:
        print(f"Fehler: {error.user_message}", file=sys.stderr)
        return 1
    except Exception as error:
        if os.environ.get("KIM_DEBUG"):
            raise
        print(f"Fehler: {user_message_for(error)}", file=sys.stderr)
        return 1
    return 2


def _ingest(args: argparse.Namespace) -> int:
    from loaders.ingest import ingest_file, issue_lines
    from loaders.sources import sources

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        raise UsageError(f"Datei nicht gefunden: {', '.join(missing)}")
    if args.source and args.source not in sources():
        raise UsageError(f"Unbekannte Datenquelle '{args.source}'. Bekannt sind: {', '.join(sources())}.")
    results = [
        ingest_file(
            Path(f),
            database=args.db,
            source_name=args.source,
            kommune=args.kommune,
            monat=args.month,
            user=args.user,
            dry_run=args.dry_run,
            display_name=f,
        )
        for f in args.files
    ]
    if args.json:
        json.dump(
            {"files": [r.as_dict() for r in results]},
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        sys.stdout.write("\n")
    else:
        words = {
            "accepted": "übernommen",
            "unchanged": "unverändert",
            "rejected": "abgelehnt",
        }
        for result in results:
            status = "geprüft (Probelauf)" if args.dry_run and result.status == "accepted" else words[result.status]
            source = result.checked.source.label if result.checked.source else "Quelle nicht erkannt"
            print(
                f"{result.file}: {status} – {source}, {result.rows} Zeilen, {len(result.checked.partitions)} Partitionen"
                + (f", Upload {result.upload_id}" if result.upload_id else "")
            )
            for line in issue_lines(result.checked.errors, result.file):
                print(f"  FEHLER {line}")
            for line in issue_lines(result.checked.warnings, result.file):
                print(f"  Hinweis {line}")
    return 1 if any(r.status == "rejected" for r in results) else 0


def _demo(args: argparse.Namespace) -> int:
    from loaders.demo import build_demo

    summary = build_demo(database=args.db, months=args.months, scale=args.scale)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
