"""Command line of the demo data set: python -m demo [--db PATH] [--months N] [--scale F]."""

from __future__ import annotations

import argparse
import sys

from core.errors import run_command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m demo", description="Demodaten erzeugen und einlesen")
    parser.add_argument("--db", help="Datenbankdatei (Standard: KIM_DB oder data/kim.duckdb)")
    parser.add_argument("--months", type=int, default=36, help="Zahl der Monate (Standard: 36)")
    parser.add_argument("--scale", type=float, default=1.0, help="Größenfaktor für die Fallzahlen (Standard: 1)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    def build() -> int:
        from demo.generate import build_demo

        print(build_demo(database=args.db, months=args.months, scale=args.scale))
        return 0

    return run_command(build)


if __name__ == "__main__":
    sys.exit(main())
