"""Command line of the loaders: python -m loaders ingest|history|undo|rebuild|backup|restore …"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import format as fmt
from core.errors import UsageError, run_command

if TYPE_CHECKING:
    from actions.actor import Actor
    from loaders.ingest import IngestResult
    from loaders.statistik_store import StatistikResult


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m loaders",
        description="Lieferungen für das KIM-Cockpit einlesen, ihre Historie zeigen und rückgängig machen, "
        "die Datenbank sichern und neu aufbauen.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="Dateien prüfen und speichern")
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.add_argument("--db", help=DB_HELP)
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

    history = commands.add_parser("history", help="alle Uploads anzeigen, die neuesten zuerst")
    history.add_argument("--db", help=DB_HELP)
    history.add_argument("--json", action="store_true", help="Ergebnis als JSON auf stdout")

    undo = commands.add_parser("undo", help="einen Upload rückgängig machen")
    undo.add_argument("upload_id", type=int, metavar="UPLOAD_ID", help="Nummer des Uploads (siehe history)")
    undo.add_argument("--db", help=DB_HELP)
    undo.add_argument("--user", default="kommandozeile", help="Wer rückgängig macht (für das Protokoll)")

    rebuild = commands.add_parser("rebuild", help="Datenbank aus Archiv und Protokoll neu aufbauen")
    rebuild.add_argument("--db", help=DB_HELP)
    rebuild.add_argument(
        "--force",
        action="store_true",
        help="auch ersetzen, wenn das Ergebnis von der bisherigen Datenbank abweicht (sie bleibt als .bak)",
    )

    backup = commands.add_parser("backup", help="Datenbank, Archiv und Protokoll in eine Datei sichern")
    backup.add_argument("--out", required=True, metavar="FILE", help="Zieldatei (.zip)")
    backup.add_argument("--db", help=DB_HELP)

    statistik = commands.add_parser(
        "statistik", help="gespeicherte Werte der amtlichen Statistik ausgeben, eine Zeile je Wert"
    )
    statistik.add_argument("--db", help=DB_HELP)
    statistik.add_argument("--tabelle", metavar="CODE", help="nur diese Tabelle (z. B. 12411-15i)")
    statistik.add_argument("--format", choices=("csv", "json"), default="csv", help="Ausgabeformat (Standard: csv)")
    statistik.add_argument("--uploads", action="store_true", help="statt der Werte die Uploads der Tabellen zeigen")
    statistik.add_argument(
        "--rueckgaengig", type=int, metavar="UPLOAD_ID", help="einen Statistik-Upload rückgängig machen"
    )
    statistik.add_argument("--user", default="kommandozeile", help="Wer rückgängig macht (für das Protokoll)")

    restore = commands.add_parser("restore", help="eine Sicherung zurückholen")
    restore.add_argument("file", metavar="FILE", help="Sicherungsdatei (mit backup erstellt)")
    restore.add_argument("--db", help=DB_HELP)
    restore.add_argument(
        "--force",
        action="store_true",
        help="eine vorhandene Datenbank überschreiben (sie bleibt als .bak erhalten)",
    )
    return parser


DB_HELP = "Datenbankdatei (Standard: KIM_DB oder data/kim.duckdb)"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: _dispatch(args))


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "ingest":
        return _ingest(args)
    if args.command == "history":
        return _history(args)
    if args.command == "undo":
        return _undo(args)
    if args.command == "rebuild":
        return _rebuild(args)
    if args.command == "backup":
        return _backup(args)
    if args.command == "restore":
        return _restore(args)
    if args.command == "statistik":
        return _statistik(args)
    return 2


def _ingest(args: argparse.Namespace) -> int:
    from core.sources import sources
    from loaders import statistik_store as statistik
    from loaders.ingest import issue_lines
    from loaders.sandbox import prestart

    prestart()  # the reading process starts while the arguments are checked

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        raise UsageError(f"Datei nicht gefunden: {', '.join(missing)}")
    if args.source and args.source not in sources():
        raise UsageError(f"Unbekannte Datenquelle '{args.source}'. Bekannt sind: {', '.join(sources())}.")
    last = len(args.files) - 1  # the disclosure model is stored once, after the last file
    results = [_ingest_one(Path(f), args, publish=i == last) for i, f in enumerate(args.files)]
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
            if isinstance(result, statistik.StatistikResult):
                _print_statistik(result, status)
                continue
            source = result.checked.source.label if result.checked.source else "Quelle nicht erkannt"
            print(
                f"{result.file}: {status} – {source}, {fmt.count(result.rows, 'Zeile', 'Zeilen')}, "
                f"{fmt.count(len(result.checked.partitions), 'Partition', 'Partitionen')}"
                + (f", Upload {result.upload_id}" if result.upload_id else "")
            )
            for line in issue_lines(result.checked.errors, result.file):
                print(f"  FEHLER {line}")
            for line in issue_lines(result.checked.warnings, result.file):
                print(f"  Hinweis {line}")
    return 1 if any(r.status == "rejected" for r in results) else 0


def _ingest_one(path: Path, args: argparse.Namespace, *, publish: bool) -> IngestResult | StatistikResult:
    from actions import uploads

    return uploads.ingest_file(
        path,
        _actor(args),
        database=args.db,
        source_name=args.source,
        kommune=args.kommune,
        monat=args.month,
        dry_run=args.dry_run,
        display_name=str(path),
        publish=publish,
    )


def _print_statistik(result: StatistikResult, status: str) -> None:
    from loaders.ingest import issue_lines

    table = result.table
    what = f"amtliche Statistik, Tabelle {table.tabelle}" if table else "amtliche Statistik"
    stand = f", Stand {fmt.day(table.stand)}" if table and table.stand else ""
    print(
        f"{result.file}: {status} – {what}{stand}, {fmt.count(result.rows, 'Wert', 'Werte')}"
        + (f", Statistik-Upload {result.upload_id}" if result.upload_id else "")
    )
    for line in issue_lines(result.errors, result.file):
        print(f"  FEHLER {line}")
    for line in issue_lines(result.warnings, result.file):
        print(f"  Hinweis {line}")


def _statistik(args: argparse.Namespace) -> int:
    import csv

    from actions import uploads as upload_actions
    from loaders.statistik_store import stored_values
    from store.history import statistik_uploads

    if args.rueckgaengig is not None:
        undone = upload_actions.undo_statistik(args.rueckgaengig, _actor(args), database=args.db)
        print(undone.message)
        return 0
    if args.uploads:
        uploads = statistik_uploads(args.db)
        if args.format == "json":
            json.dump(uploads, sys.stdout, ensure_ascii=False, indent=1, default=str)
            sys.stdout.write("\n")
            return 0
        for u in uploads:
            stand = f"Stand {fmt.day(u['stand'])}" if u["stand"] else "ohne Stand"
            status = "übernommen" if u["status"] == "accepted" else "rückgängig gemacht"
            print(
                f"{u['upload_id']:>4}  {fmt.day_time(fmt.local_time(u['zeit']))}  {u['benutzer']}  Tabelle {u['tabelle']}, {stand}, "
                f"{fmt.count(u['zeilen'], 'Wert', 'Werte')}  {u['datei']}  {status}"
            )
        return 0
    rows = stored_values(args.db, args.tabelle)
    columns = ("tabelle", "merkmal", "region", "periode", "wert", "symbol", "stand", "titel")
    for row in rows:
        row["stand"] = row["stand"].strftime("%Y-%m-%d %H:%M:%S") if row["stand"] else None
    if args.format == "json":
        json.dump([{c: row[c] for c in columns} for row in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in columns])
    return 0


def _actor(args: argparse.Namespace) -> Actor:
    """The account that ran the command, and the name given with --user (stored with the data)."""
    from actions.actor import Actor

    return Actor.on_command_line(getattr(args, "user", None))


def _history(args: argparse.Namespace) -> int:
    import store
    from store import history

    with store.connect(args.db) as connection:
        records = history.all_upload_records(connection)
    if args.json:
        # A JSON list with one upload per line: short enough to read, one line to grep.
        lines = [json.dumps(history.json_record(r), ensure_ascii=False) for r in records]
        sys.stdout.write("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n")
        return 0
    if not records:
        print("Noch keine Uploads.")
        return 0
    for line in _history_lines(records):
        print(line)
    return 0


def _history_lines(records: list[dict[str, Any]]) -> list[str]:
    """A table-like listing: one line per upload, its partitions indented below."""
    from core.sources import sources
    from loaders.statistik_store import STATISTIK_LABEL
    from store import history
    from store.history import STATISTIK, describe_table

    def label(name: str) -> str:
        if name == STATISTIK:
            return STATISTIK_LABEL
        return sources()[name].label if name in sources() else name

    header = ("Nr.", "Zeit", "Benutzer", "Quelle", "Datei", "Zeilen", "Status")
    rows = [
        (
            str(r["upload_id"]),
            fmt.day_time(r["zeit"]),
            r["benutzer"],
            label(r["quelle"]),
            r["datei"],
            str(r["zeilen"]),
            history.STATUS_LABELS.get(r["status"], r["status"])
            + (
                f" ({r['rueckgaengig_von']}, {fmt.day_time(r['rueckgaengig_zeit'])})"
                if r["rueckgaengig_zeit"] is not None
                else ""
            ),
        )
        for r in records
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    right = {0, 5}  # numbers are right-aligned

    def line(cells: tuple[str, ...]) -> str:
        padded = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=False))]
        return "  ".join([*padded, cells[-1]]).rstrip()

    indent = " " * (widths[0] + 2)
    lines = [line(header)]
    for record, row in zip(records, rows, strict=True):
        lines.append(line(row))
        if record["quelle"] == STATISTIK:
            lines.append(f"{indent}{describe_table(record['tabelle'], record['stand'])}: {record['titel']}")
        else:
            lines.append(f"{indent}Partitionen: {history.describe_partitions(record['partitions'])}")
        if record["status"] == "accepted" and record["ersetzt_durch"]:
            later = ", ".join(str(u) for u in record["ersetzt_durch"])
            lines.append(f"{indent}teilweise ersetzt durch Upload {later}")
    return lines


def _undo(args: argparse.Namespace) -> int:
    from actions import uploads

    result = uploads.undo(args.upload_id, _actor(args), database=args.db)
    print(result.message)
    return 0


def _rebuild(args: argparse.Namespace) -> int:
    from actions import database

    result = database.rebuild(_actor(args), database=args.db, force=args.force)
    print(result.message)
    return 0


def _backup(args: argparse.Namespace) -> int:
    from actions import database

    result = database.backup(args.out, _actor(args), database=args.db)
    print(result.message)
    return 0


def _restore(args: argparse.Namespace) -> int:
    from actions import database

    result = database.restore(args.file, _actor(args), database=args.db, force=args.force)
    print(result.message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
