"""Benchmark of the KIM dashboard: prints figures and whether each target is met.

Run with `make bench` (or `.venv/bin/python tests/benchmark.py [--keep DIR] [--pages]`). It builds its
data in a temporary folder: a 100,000-row fallmanagement xlsx and a database with 60 months and more
than 1,000,000 case rows. `--pages` measures only the render time of every page (cold in a new
process, cold after the caches are cleared, warm), and of the views that show the change since the
last meeting on a copy with one frozen meeting; with `--keep DIR` it reuses DIR/gross.duckdb.
Not a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import atexit
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


def page_paths() -> dict[str, str]:
    """Every page of the app's navigation by title (streamlit is imported only when pages are measured)."""
    from ui.page import PAGES

    return {spec.title: spec.path for spec in PAGES}


WARM_RUNS = 5
CLEARED_RUNS = 3


MEETING_PAGES = ["Übersicht", "Sitzungsmodus", "Kommunen", "Zeitverlauf"]


def render_page(page: str, database: str, since_meeting: bool = False) -> None:
    """In a fresh process (called with --render): render one page by AppTest, as a signed-in admin.

    cold: the first run in this process (modules imported, every cache empty, as after a start of
    the server); cleared: the best of runs after st.cache_data.clear() (as after an upload, which
    clears the caches); warm: the median of runs with full caches (as on every click). Prints JSON."""
    import json

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from access import users

    os.environ["KIM_DB"] = database
    users_folder = tempfile.mkdtemp(prefix="kim-bench-users-")
    atexit.register(shutil.rmtree, users_folder, ignore_errors=True)
    os.environ["KIM_USERS"] = str(Path(users_folder) / "benutzer.json")
    users.add("benchmark", "admin", None)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    app.session_state["kim_benutzer"] = "benchmark"  # signed in (ui/auth.py keeps the name here)
    if since_meeting:
        app.query_params["seit_sitzung"] = "ja"  # the link of a view with the change since the meeting
    app.switch_page(page)
    started = time.perf_counter()
    app.run()
    cold = time.perf_counter() - started
    if app.exception:
        raise SystemExit(f"{page} failed: {app.exception[0].value}")
    if app.title and app.title[0].value == "Anmeldung":
        raise SystemExit(f"{page}: the benchmark user is not signed in")
    toggles = [t for t in app.toggle if t.key and t.key.endswith("_seit_sitzung")]
    if since_meeting and toggles and not toggles[0].value:
        raise SystemExit(f"{page}: the change since the meeting is not shown")
    warm = []
    for _ in range(WARM_RUNS):
        started = time.perf_counter()
        app.run()
        warm.append(time.perf_counter() - started)
    cleared = []
    for _ in range(CLEARED_RUNS):
        st.cache_data.clear()
        started = time.perf_counter()
        app.run()
        cleared.append(time.perf_counter() - started)
    print(json.dumps({"cold": cold, "cleared": min(cleared), "warm": statistics.median(warm)}))


def meeting_database(folder: Path, database: Path) -> Path:
    """A copy of the database with one frozen meeting (Sitzung festhalten), for the views that
    show the change since the last meeting."""
    import datetime as dt

    from metrics.steering import freeze_meeting

    copy = folder / "mit_sitzung.duckdb"
    shutil.copy(database, copy)
    os.environ["KIM_TODAY"] = ENV["KIM_TODAY"]
    freeze_meeting(copy, dt.date(2026, 10, 12), "benchmark")
    return copy


def page_render_times(
    database: Path, names: list[str] | None = None, since_meeting: bool = False
) -> dict[str, dict[str, float]]:
    """Render times of every page, each page in its own fresh process (see render_page)."""
    import json

    times = {}
    paths = page_paths()
    for name in names or list(paths):
        page = paths[name]
        arguments = [sys.executable, str(Path(__file__).resolve()), "--render", page, "--db", str(database)]
        arguments += ["--seit-sitzung"] if since_meeting else []
        result = subprocess.run(arguments, cwd=ROOT, env=ENV, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"{name} failed ({result.returncode}): {(result.stdout + result.stderr)[-2000:]}")
        times[name] = json.loads(result.stdout.strip().splitlines()[-1])
    return times


def print_page_times(database: Path, names: list[str] | None = None, since_meeting: bool = False) -> None:
    for name, figures in page_render_times(database, names, since_meeting).items():
        title = f"{name}{' (seit Sitzung)' if since_meeting else ''}"
        line(f"{title} render, cold: new process", f"{figures['cold']:.2f} s", "≤ 2 s", figures["cold"] <= 2)
        line(
            "  cold: caches cleared (after an upload), best of 3",
            f"{figures['cleared']:.2f} s",
            "≤ 2 s",
            figures["cleared"] <= 2,
        )
        line(f"  warm (median of {WARM_RUNS})", f"{figures['warm']:.3f} s", "≤ 0,5 s", figures["warm"] <= 0.5)


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
    parser.add_argument(
        "--pages",
        action="store_true",
        help="only the render times of the pages (reuses gross.duckdb in the --keep folder if it is there)",
    )
    parser.add_argument("--render", help=argparse.SUPPRESS)  # internal: one page in a fresh process
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--seit-sitzung", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render:
        render_page(args.render, args.db, args.seit_sitzung)
        return
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kim-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"KIM-Cockpit benchmark · {os.cpu_count()} cores · data in {folder}\n")
    print(f"{'measure':<58} {'value':>16}   {'target':<22} status")
    peaks: list[float] = []
    if args.pages:
        database = folder / "gross.duckdb"
        if not database.exists():
            database, case_rows, load_s = big_database(folder)
            line(f"ingest 60 months, all sources ({case_rows:,} case rows)", f"{load_s:.1f} s", "", None)
        print_page_times(database)
        print_page_times(meeting_database(folder, database), MEETING_PAGES, since_meeting=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        return

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
    print_page_times(database)
    print_page_times(meeting_database(folder, database), MEETING_PAGES, since_meeting=True)
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
