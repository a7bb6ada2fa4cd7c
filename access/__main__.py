"""Command line for access: python -m access add-user|remove-user|users|audit|verify-audit …"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from access import audit, users
from actions import accounts
from actions.actor import Actor
from core.errors import UsageError, run_command

DB_HELP = "Datenbankdatei, zu der das Protokoll gehört (Standard: KIM_DB oder data/kim.duckdb)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m access",
        description="Benutzer und Rollen des KIM-Cockpits verwalten, das Zugriffsprotokoll zeigen und prüfen.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    add = commands.add_parser("add-user", help="Benutzer anlegen oder Rolle/Passwort ändern")
    add.add_argument("name", metavar="NAME", help="Benutzername (für das Dienstkonto: E-Mail-Adresse)")
    add.add_argument("--role", required=True, choices=sorted(users.roles()), help="Rolle")
    add.add_argument("--display-name", default="", help="angezeigter Name")
    login = add.add_mutually_exclusive_group()
    login.add_argument("--password-stdin", action="store_true", help="Passwort aus der ersten Zeile von stdin")
    login.add_argument("--oidc", action="store_true", help="ohne Passwort, nur Anmeldung über das Dienstkonto")
    add.add_argument("--replace", action="store_true", help="einen vorhandenen Benutzer ändern")

    remove = commands.add_parser("remove-user", help="Benutzer entfernen")
    remove.add_argument("name", metavar="NAME")

    commands.add_parser("users", help="alle Benutzer zeigen (ohne Passwörter)")

    show = commands.add_parser("audit", help="Zugriffsprotokoll zeigen, die neuesten zuerst")
    show.add_argument("--db", help=DB_HELP)
    show.add_argument("--json", action="store_true", help="Einträge als JSON-Zeilen auf stdout")

    check = commands.add_parser("verify-audit", help="prüfen, ob das Zugriffsprotokoll unverändert ist")
    check.add_argument("--db", help=DB_HELP)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: _dispatch(args))


def _password(args: argparse.Namespace) -> str | None:
    if args.oidc:
        return None
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Passwort: ")
    if first != getpass.getpass("Passwort wiederholen: "):
        raise UsageError("Die beiden Passwörter stimmen nicht überein.")
    return first


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "add-user":
        user = accounts.add_user(
            args.name,
            args.role,
            _password(args),
            Actor.on_command_line(),
            display_name=args.display_name,
            replace=args.replace,
        )
        print(f"Benutzer „{user.name}“ mit der Rolle {users.role_label(user.rolle)} gespeichert.")
        return 0
    if args.command == "remove-user":
        accounts.remove_user(args.name, Actor.on_command_line())
        print(f"Benutzer „{users.normalise_name(args.name)}“ entfernt.")
        return 0
    if args.command == "users":
        for row in users.listing():
            print(" · ".join(value for value in row.values() if value))
        return 0
    if args.command == "audit":
        if args.json:
            for entry in audit.entries(args.db):
                print(json.dumps(entry, ensure_ascii=False))
        else:
            for line in audit.table(args.db).itertuples(index=False):
                print(" · ".join(str(value) for value in line if value))
        return 0
    if args.command == "verify-audit":
        checked = audit.check(args.db)
        for text in checked.broken:
            print(f"Verändert: {text}", file=sys.stderr)
        for text in checked.unwritable:
            print(f"Nicht beschreibbar: {text}", file=sys.stderr)
        for text in checked.notes:
            print(f"Hinweis: {text}", file=sys.stderr)
        if checked.broken:
            print("Das Zugriffsprotokoll ist nicht unversehrt (siehe oben).", file=sys.stderr)
            return 1
        count = checked.entries
        print(f"Das Zugriffsprotokoll ist unverändert ({count} {'Eintrag' if count == 1 else 'Einträge'}).")
        return 0 if checked.ok else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
