"""Benchmark of the KIM dashboard: prints figures and whether each target is met.

Run with `make bench` (or `.venv/bin/python tests/benchmark.py [--keep DIR]`). It builds its data in a
temporary folder: a 100,000-row fallmanagement xlsx and a database with 60 months and more than
1,000,000 case rows. Not a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.demo_files import write_demo_files  # noqa: E402

END = "2026-10"
ENV = {**os.environ, "KIM_TODAY": "2026-11-25", "PYTHONPATH": str(ROOT)}


def run_process(
    arguments: list[str], env: dict[str, str] | None = None, expected: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    """Run a whole process; return its wall time in seconds and its peak memory in MB (of the
    process and its children, as the kernel reports for the waited-for process tree)."""
    started = time.perf_counter()
    process = subprocess.Popen(arguments, cwd=ROOT, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in expected:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(arguments)} failed ({process.returncode}): {error[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def verdict(ok: bool) -> str:
    return "erfüllt" if ok else "NICHT erfüllt"


def line(name: str, value: str, target: str, ok: bool | None) -> None:
    status = "" if ok is None else verdict(ok)
    print(f"{name:<58} {value:>16}   {target:<22} {status}")


def case_file(folder: Path) -> Path:
    """One fallmanagement xlsx with at least 100,000 rows (the KI's largest monthly delivery)."""
    files = write_demo_files(folder, months=1, scale=69, end=END, case_format="xlsx")
    return next(f for f in files if f.name.startswith("fallmanagement"))


def hostile_files(folder: Path) -> dict[str, Path]:
    """A zip bomb (a 1 MB xlsx with a 1 GiB cell) and a billion-laughs xlsx."""
    from tests.files import make_files

    folder.mkdir(parents=True, exist_ok=True)
    bomb = folder / "zelle_1gib.xlsx"
    bomb.write_bytes(make_files.huge_cell_xlsx(1024))
    return {
        "zip bomb (1 MB xlsx, 1 GiB cell)": bomb,
        "billion laughs (xlsx)": ROOT / "tests/files/hostile/xml_billion_laughs.xlsx",
    }


def count_rows(path: Path) -> int:
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    return len(workbook.get_sheet_by_index(0).to_python()) - 1


def big_database(folder: Path) -> tuple[Path, int, float]:
    files = write_demo_files(folder / "files", months=60, scale=10, end=END, case_format="csv")
    database = folder / "gross.duckdb"
    seconds, _ = run_process([sys.executable, "-m", "loaders", "ingest", *map(str, files), "--db", str(database)])
    import duckdb

    with duckdb.connect(str(database), read_only=True) as connection:
        row = connection.execute("SELECT count(*) FROM v_fallmanagement").fetchone()
    return database, int(row[0]) if row else 0, seconds


def in_process_catalogue(database: Path) -> tuple[float, float, int]:
    from loaders.store import connect
    from metrics.compute import compute_values

    times, rows = [], 0
    for _ in range(5):
        with connect(database) as connection:
            started = time.perf_counter()
            frame = compute_values(connection, "month")
            times.append(time.perf_counter() - started)
            rows = len(frame)
    return min(times), statistics.median(times), rows


def render_times(database: Path) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    os.environ["KIM_DB"] = str(database)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    started = time.perf_counter()
    app.run()
    cold = time.perf_counter() - started
    if app.exception:
        raise SystemExit(f"Übersicht failed: {app.exception[0].value}")
    warm = []
    for _ in range(5):
        started = time.perf_counter()
        app.run()
        warm.append(time.perf_counter() - started)
    return cold, statistics.median(warm)


def concurrent_ingest(folder: Path, database: Path) -> tuple[float, float, float]:
    """Ingest while another process reads the database as the app does (short read-only
    connections in a loop): how long the ingest takes and the longest a read waited."""
    extra = write_demo_files(folder / "extra", months=1, scale=10, end=END, case_format="csv")
    target = next(f for f in extra if f.name.startswith("fallmanagement"))
    reader = subprocess.Popen(
        [sys.executable, "-c", _READER, str(database)], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True
    )
    time.sleep(1.0)
    seconds, _ = run_process(
        [sys.executable, "-m", "loaders", "ingest", str(target), "--db", str(database), "--user", "bench"]
    )
    time.sleep(0.5)
    reader.terminate()
    output, _ = reader.communicate()
    waits = [float(x) for x in output.split()] or [0.0]
    return seconds, max(waits), statistics.median(waits)


_READER = """
import sys, time, signal
from loaders.store import connect
waits, running = [], [True]
signal.signal(signal.SIGTERM, lambda *_: running.clear())
while running:
    started = time.perf_counter()
    with connect(sys.argv[1]) as c:
        c.execute("SELECT count(*) FROM v_fallmanagement").fetchall()
    waits.append(time.perf_counter() - started)
    time.sleep(0.05)
print(" ".join(f"{w:.4f}" for w in waits))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", help="folder for the data (kept); default: a temporary folder")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kim-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"KIM-Cockpit benchmark · {os.cpu_count()} cores · data in {folder}\n")
    print(f"{'measure':<58} {'value':>16}   {'target':<22} status")
    peaks: list[float] = []

    path = case_file(folder / "xlsx")
    rows = count_rows(path)
    ingest_s, ingest_mb = run_process(
        [sys.executable, "-m", "loaders", "ingest", str(path), "--db", str(folder / "xlsx.duckdb")]
    )
    pandas_s, pandas_mb = run_process(
        [sys.executable, "-c", f"import pandas; pandas.read_excel({str(path)!r}, engine='openpyxl')"]
    )
    peaks += [ingest_mb, pandas_mb]
    line(f"ingest fallmanagement xlsx ({rows:,} rows), whole process", f"{ingest_s:.2f} s", "", None)
    line("pandas.read_excel(openpyxl) of the same file, whole process", f"{pandas_s:.2f} s", "", None)
    line("  ingest faster than pandas by", f"{pandas_s / ingest_s:.1f} ×", "≥ 5 ×", pandas_s / ingest_s >= 5)

    database, case_rows, load_s = big_database(folder)
    line(f"ingest 60 months, all sources ({case_rows:,} case rows)", f"{load_s:.1f} s", "", None)
    best, median, value_rows = in_process_catalogue(database)
    line(
        f"whole catalogue in-process ({value_rows:,} values), best/median",
        f"{best:.2f}/{median:.2f} s",
        "≤ 1 s",
        median <= 1,
    )
    values_s, values_mb = run_process([sys.executable, "-m", "metrics", "values", "--db", str(database)])
    peaks.append(values_mb)
    line("python -m metrics values, whole process", f"{values_s:.2f} s", "≤ 3 s", values_s <= 3)
    cold, warm = render_times(database)
    line("Übersicht render (AppTest), cold", f"{cold:.2f} s", "", None)
    line("Übersicht render (AppTest), warm (median of 5)", f"{warm:.3f} s", "≤ 0,5 s", warm <= 0.5)
    concurrent_s, max_wait, median_wait = concurrent_ingest(folder, database)
    line("ingest while the app reads (whole process)", f"{concurrent_s:.2f} s", "", None)
    line("  app read during that ingest: longest/median", f"{max_wait:.2f}/{median_wait:.3f} s", "≤ KIM_DB_WAIT", None)
    for name, path in hostile_files(folder / "hostile").items():
        seconds, peak = run_process(
            [sys.executable, "-m", "loaders", "ingest", str(path), "--db", str(folder / "hostile.duckdb")],
            expected=(1,),
        )
        line(f"{name} rejected, whole process", f"{seconds:.2f} s", "< 5 s", seconds < 5)
        line("  peak memory of that process (incl. the reader)", f"{peak:.0f} MB", "< 500 MB", peak < 500)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peaks.append(own)
    line("peak memory of any process (MB)", f"{max(peaks):.0f} MB", "≤ 1.024 MB", max(peaks) <= 1024)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
