"""Benchmark of the KIM dashboard: prints figures and whether each target is met.

Run with `make bench` (or `.venv/bin/python tests/benchmark.py [--keep DIR] [--pages]`). It builds its
data in a temporary folder: a 100,000-row fallmanagement xlsx and a database with 60 months and more
than 1,000,000 case rows. `--pages` measures only the render time of every page (cold in a new
process, cold after the caches are cleared, warm), and of the views that show the change since the
last meeting on a copy with one frozen meeting; with `--keep DIR` it reuses DIR/gross.duckdb.
`--load` measures the server under 20 signed-in sessions at once (see load_test). `--browser [--db PATH]`
prints in one run what a user waits for: every page in chromium for a new browser session until it
is drawn (the Übersicht as the first screen, the Sitzungsmodus and each other page; see
browser_page_times) and the briefing as PDF and PPTX (see briefing_times), e.g. on the demo
database; `--briefing [--db PATH | --keep DIR]` only the briefing. Each figure is printed with the
load average of the machine. Not a test: nothing here fails a build.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demo.files import write_demo_files  # noqa: E402

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
    from metrics.compute import compute_values
    from store import connect

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

    from actions.actor import Actor
    from actions.steering import freeze_meeting

    copy = folder / "mit_sitzung.duckdb"
    shutil.copy(database, copy)
    os.environ["KIM_TODAY"] = ENV["KIM_TODAY"]
    os.environ.setdefault("KIM_AUDIT_KEY", str(folder / "zugriffe.schluessel"))  # not beside data/benutzer.json
    freeze_meeting(dt.date(2026, 10, 12), Actor.on_page("benchmark"), database=copy)
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
from store import connect
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


BROWSER_RUNS = 3
BROWSER_QUIET_MS = 1500
CARDS = 28
# In the page: note the time of every change inside the app's main area.
_WATCH_DRAWING = """() => {
    window.__kimLastChange = performance.now();
    new MutationObserver(changes => {
        if (changes.some(c => c.target.closest && c.target.closest('[data-testid="stMain"]')))
            window.__kimLastChange = performance.now();
    }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
}"""
# The Übersicht is drawn when all its cards are there, each with its course drawn (its picture
# "Verlauf von K01 über zwölf Monate" loaded), and no placeholder of an element not yet drawn is
# left anywhere (the sidebar's links and the choices come from scripts loaded on demand); any other page when its script has finished and its
# main area has not changed for BROWSER_QUIET_MS (then the time of its last change counts).
_DRAWN = """([cards, quiet]) => {
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main || !main.querySelector('h1')) return false;
    if ([...main.querySelectorAll('img')].some(image => !image.complete)) return false;
    if (cards) {
        if (main.querySelectorAll('img[alt^="Verlauf von "]').length < cards) return false;
        if (document.querySelector('[data-testid="stSkeleton"]')) return false;
        window.__kimDrawn = performance.now();
        return true;
    }
    if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')) return false;
    if (performance.now() - window.__kimLastChange < quiet) return false;
    window.__kimDrawn = window.__kimLastChange;
    return true;
}"""


def _draw_time(page: Any, address: str, cards: int) -> float:
    """Seconds from the navigation until the page is drawn (see _DRAWN); NaN after a minute."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(address)
    try:
        page.wait_for_function(_DRAWN, arg=[cards, BROWSER_QUIET_MS], timeout=60_000, polling=50)
        return float(page.evaluate("window.__kimDrawn")) / 1000
    except PlaywrightTimeout:
        return float("nan")  # not drawn within a minute


def browser_page_times(
    url: str, runs: int = BROWSER_RUNS, titles: list[str] | None = None, pages: list[tuple[str, str]] | None = None
) -> dict[str, dict[str, list[float]]]:
    """In Debian's chromium at 1920×1080: per page, the seconds from the navigation of a new browser
    session until the page is drawn: on the Übersicht until the last of its cards is drawn with
    its course; on the others until their last change. "new": a fresh browser context (no cookies,
    no cache: the first visit, which loads all of Streamlit's scripts); "returning": a second tab
    of that context afterwards (a new Streamlit session, the scripts in the browser's cache, as for
    everyone who has opened the cockpit before). Each page is opened once first, so the server's
    caches are warm, as for every member after the first. ``pages``: (title, path) instead of the
    app's pages (for the empty page of the floor)."""
    from playwright.sync_api import sync_playwright

    from ui.page import PAGES

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    chosen = pages or [(spec.title, "" if spec is PAGES[0] else Path(spec.path).stem) for spec in PAGES]
    times: dict[str, dict[str, list[float]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            for title, path in chosen:
                if titles and title not in titles:
                    continue
                address = f"{url}/{path}"
                cards = CARDS if title == PAGES[0].title and not pages else 0
                for run in range(runs + 1):
                    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="de-DE")
                    context.add_init_script(f"({_WATCH_DRAWING})()")
                    first = _draw_time(context.new_page(), address, cards)
                    returning = _draw_time(context.new_page(), address, cards)
                    if run:  # the first run only warms the server's caches
                        figures = times.setdefault(title, {"new": [], "returning": []})
                        figures["new"].append(first)
                        figures["returning"].append(returning)
                    context.close()
        finally:
            browser.close()
    return times


BRIEFING_RUNS = 3
BRIEFING_PERIOD = "2026-Q3"  # the last whole quarter of the benchmark's and the demo's data (END)


def briefing_times(database: Path, runs: int = BRIEFING_RUNS) -> dict[str, list[float]]:
    """Seconds to make the briefing as the page does (the Kreis and the first two Kommunen, every
    Leitsatz, BRIEFING_PERIOD), per format, `runs` times each, after one briefing that computes the
    disclosure model (the app keeps it per database version)."""
    from briefing.build import create
    from core.reference import kommunen

    os.environ["KIM_TODAY"] = ENV["KIM_TODAY"]
    period = BRIEFING_PERIOD
    chosen = [k.ags for k in kommunen()[:2]]
    create(database, period, chosen, [], "pdf")
    times: dict[str, list[float]] = {}
    for file_format in ("pdf", "pptx"):
        for _ in range(runs):
            started = time.perf_counter()
            create(database, period, chosen, [], file_format)  # type: ignore[arg-type]
            times.setdefault(file_format, []).append(time.perf_counter() - started)
    return times


def load_note() -> str:
    return f"load {os.getloadavg()[0]:.1f}".replace(".", ",")


def print_briefing_times(database: Path) -> None:
    for file_format, seconds in briefing_times(database).items():
        target = 4.0 if file_format == "pdf" else 2.0
        best, median = min(seconds), statistics.median(seconds)
        line(
            f"Briefing {file_format.upper()}, Kreis + 2 Kommunen: median (best) · {load_note()}",
            f"{median:.2f} ({best:.2f}) s",
            f"≤ {target:.0f} s",
            median <= target,
        )


# The floor: an empty Streamlit page (a title only), timed as the app's pages are.
EMPTY_PAGE = 'import streamlit as st\n\nst.title("Leer")\n'


def print_browser_times(database: Path, runs: int = BROWSER_RUNS, titles: list[str] | None = None) -> None:
    """Start the app on the database (demo data: no login on localhost) and time every page in
    chromium (see browser_page_times; only the pages titled ``titles`` if given); then the same for
    an empty Streamlit page, the floor that no page of any Streamlit app goes below on this machine."""
    folder = Path(tempfile.mkdtemp(prefix="kim-bench-browser-"))
    port = free_port()
    server = start_server(database, folder / "benutzer.json", port)
    try:
        times = browser_page_times(f"http://localhost:{port}", runs, titles)
    finally:
        server.terminate()
        server.wait(timeout=30)
    (folder / "leer.py").write_text(EMPTY_PAGE, encoding="utf-8")
    port = free_port()
    server = start_server(database, folder / "benutzer.json", port, folder / "leer.py")
    try:
        times |= browser_page_times(f"http://localhost:{port}", runs, pages=[("leere Streamlit-Seite", "")])
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    for title, figures in times.items():
        target = 2.5 if title == "Übersicht" else 1.5
        for visit, seconds in figures.items():
            best, median = min(seconds), statistics.median(seconds)
            line(
                f"{title} in chromium, {visit}: median (best) · {load_note()}",
                f"{median:.2f} ({best:.2f}) s",
                f"≤ {target:.1f} s".replace(".", ",") if visit == "new" and "leer" not in title else "",
                median <= target if visit == "new" and "leer" not in title else None,
            )


LOAD_SESSIONS = 20
LOAD_VIEWS = 5
LOAD_USER, LOAD_PASSWORD = "lastprobe", "Lastprobe-2026-geheim"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return int(probe.getsockname()[1])


def server_figures(pid: int) -> tuple[float, float, float]:
    """CPU seconds (user + system) so far, resident and peak resident memory in MB of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return cpu, int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def start_server(database: Path, users_file: Path, port: int, script: Path | None = None) -> subprocess.Popen[bytes]:
    """`streamlit run app.py` as the README's run command starts it (bound to localhost, the
    project's .streamlit/config.toml), on the given database and user file."""
    import urllib.request

    env = {**ENV, "KIM_DB": str(database), "KIM_USERS": str(users_file)}
    command = [sys.executable, "-m", "streamlit", "run", str(script or "app.py"), "--server.port", str(port)]
    command += ["--server.address", "localhost"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=1) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


class LoadSession:
    """One browser tab, spoken to in Streamlit's own websocket protocol (what the browser sends
    and receives, without drawing anything): so the client costs the machine almost nothing and
    the figures are the server's."""

    def __init__(self, port: int, gebiet: str) -> None:
        self.url = f"ws://localhost:{port}/_stcore/stream"
        self.query = f"gebiet={gebiet}"
        self.socket: Any = None

    async def open(self) -> None:
        import websockets

        self.socket = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None)  # type: ignore[list-item]

    async def render(self, widgets: list[Any] | None = None) -> tuple[float, list[Any]]:
        """Ask for a run of the page (as a click or a reload does) and wait for its end; the
        seconds until the page is complete and the elements it sent."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        request = BackMsg()
        state = request.rerun_script
        state.query_string = self.query
        state.context_info.timezone = "Europe/Berlin"
        state.context_info.locale = "de-DE"
        for widget in widgets or []:
            state.widget_states.widgets.append(widget)
        started = time.perf_counter()
        await self.socket.send(request.SerializeToString())
        elements = []
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self.socket.recv())
            if message.WhichOneof("type") == "delta" and message.delta.WhichOneof("type") == "new_element":
                elements.append(message.delta.new_element)
            if message.WhichOneof("type") == "script_finished":
                if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    elements = []  # st.rerun(): the page follows in the next run
                    continue
                return time.perf_counter() - started, elements

    async def sign_in(self) -> list[Any]:
        """Fill in the login form and submit it (the first run shows the login)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        _, elements = await self.render()
        fields = {e.text_input.label: e.text_input.id for e in elements if e.WhichOneof("type") == "text_input"}
        submit = [e.button.id for e in elements if e.WhichOneof("type") == "button" and e.button.is_form_submitter]
        if not fields:  # no login asked for (the demo on localhost)
            return elements
        name = WidgetState(id=fields["Benutzername"], string_value=LOAD_USER)
        password = WidgetState(id=fields["Passwort"], string_value=LOAD_PASSWORD)
        _, elements = await self.render([name, password, WidgetState(id=submit[0], trigger_value=True)])
        return elements

    async def close(self) -> None:
        await self.socket.close()


def check_overview(elements: list[Any]) -> None:
    cards = [e for e in elements if e.WhichOneof("type") == "markdown" and "\n\n### " in e.markdown.body]
    problems = [e for e in elements if e.WhichOneof("type") == "exception"]
    if len(cards) != 28 or problems:
        raise SystemExit(f"the Übersicht was not shown ({len(cards)} cards, {len(problems)} exceptions)")


LOAD_PAUSES = (0.0, 1.0)  # seconds between a complete page and the next click of the same tab


async def load_sessions(port: int, pid: int, sessions: int, views: int) -> dict[str, Any]:
    """Sign in `sessions` tabs one after another, each on another area (Kreis, Teilregionen,
    Kommunen); then let all of them use the Übersicht at once, `views` runs each, the starts 50 ms
    apart: once asking for the next run as soon as the last one is complete (no pause, the worst
    case), once after a pause of a second (someone glancing at the page)."""
    import asyncio
    import random

    from core.reference import kommunen, kreis, teilregionen

    areas = [kreis().ags] + [r.code for r in teilregionen()] + [k.ags for k in kommunen()]
    tabs = [LoadSession(port, areas[i % len(areas)]) for i in range(sessions)]
    _, rss_before, _ = server_figures(pid)
    first, rss_warm = [], rss_before
    for number, tab in enumerate(tabs):
        if number == len(areas):  # every area's view is cached: from here on only sessions are added
            _, rss_warm, _ = server_figures(pid)
        await tab.open()
        check_overview(await tab.sign_in())  # the first Übersicht of the session, after the login
        seconds, elements = await tab.render()
        first.append(seconds)
        check_overview(elements)
    _, rss_open, _ = server_figures(pid)
    rounds = {}
    for pause in LOAD_PAUSES:
        times: list[float] = []

        async def use(number: int, tab: LoadSession, pause: float, times: list[float]) -> None:
            await asyncio.sleep(number * 0.05 + random.random() * 0.01)
            for _ in range(views):
                seconds, elements = await tab.render()
                check_overview(elements)
                times.append(seconds)
                await asyncio.sleep(pause)

        cpu_start, client_start, started = server_figures(pid)[0], time.process_time(), time.perf_counter()
        await asyncio.gather(*(use(number, tab, pause, times) for number, tab in enumerate(tabs)))
        wall = time.perf_counter() - started
        cpu = server_figures(pid)[0] - cpu_start
        rounds[pause] = {
            "views": len(times),
            "p50": statistics.median(times),
            "p95": statistics.quantiles(times, n=20)[18],
            "max": max(times),
            "wall": wall,
            "cpu_per_view": cpu / len(times),
            "core_share": cpu / wall,
            "client_cpu": time.process_time() - client_start,
        }
    _, _, peak = server_figures(pid)
    for tab in tabs:
        await tab.close()
    return {
        "rounds": rounds,
        "alone": statistics.median(first[1:]) if len(first) > 1 else first[0],
        "rss_per_session": (rss_open - rss_warm) / max(1, sessions - len(areas)),
        "peak": peak,
    }


def load_test(database: Path, sessions: int = LOAD_SESSIONS, views: int = LOAD_VIEWS) -> dict[str, Any]:
    """Start the server on the database with one Lenkungskreis login, then measure `sessions`
    tabs using the Übersicht at once (see load_sessions)."""
    import asyncio

    from access import users

    folder = Path(tempfile.mkdtemp(prefix="kim-bench-load-"))
    users_file = folder / "benutzer.json"
    users.add(LOAD_USER, "lenkungskreis", LOAD_PASSWORD, path=users_file)
    port = free_port()
    server = start_server(database, users_file, port)
    try:
        return asyncio.run(load_sessions(port, server.pid, sessions, views))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def print_load(database: Path, sessions: int = LOAD_SESSIONS, views: int = LOAD_VIEWS) -> None:
    figures = load_test(database, sessions, views)
    for pause, round_ in figures["rounds"].items():
        how = "no pause" if not pause else f"{pause:g} s pause"
        line(
            f"Übersicht, {sessions} sessions at once, {how} ({round_['views']} renders): p50",
            f"{round_['p50']:.2f} s",
            "",
            None,
        )
        line("  p95 / longest", f"{round_['p95']:.2f} / {round_['max']:.2f} s", "p95 ≤ 2 s", round_["p95"] <= 2)
        line("  server CPU per render", f"{round_['cpu_per_view']:.3f} s", "≤ 0,3 s", round_["cpu_per_view"] <= 0.3)
        line("  server busy (share of one core, the rest taken by others)", f"{round_['core_share']:.0%}", "", None)
        line("  CPU of the load client itself", f"{round_['client_cpu']:.1f} s in {round_['wall']:.1f} s", "", None)
    line("  server peak memory", f"{figures['peak']:.0f} MB", "≤ 1.024 MB", figures["peak"] <= 1024)
    line("  server memory per further open session", f"{figures['rss_per_session']:.1f} MB", "", None)
    line("  one session alone, warm render (median)", f"{figures['alone']:.3f} s", "", None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", help="folder for the data (kept); default: a temporary folder")
    parser.add_argument(
        "--pages",
        action="store_true",
        help="only the render times of the pages (reuses gross.duckdb in the --keep folder if it is there)",
    )
    parser.add_argument(
        "--load",
        action="store_true",
        help=f"only the server under {LOAD_SESSIONS} signed-in sessions using the Übersicht at once "
        "(reuses gross.duckdb in the --keep folder if it is there)",
    )
    parser.add_argument(
        "--browser",
        action="store_true",
        help="only the time until every page is drawn in chromium for a new session "
        "(on --db, e.g. the demo database, else gross.duckdb in the --keep folder)",
    )
    parser.add_argument(
        "--briefing",
        action="store_true",
        help="only the time to make the briefing as PDF and PPTX (on --db, else gross.duckdb in the --keep folder)",
    )
    parser.add_argument(
        "--seite",
        action="append",
        help="with --browser: only this page (its title, e.g. Übersicht; repeatable), the floor and no briefing",
    )
    parser.add_argument("--runs", type=int, default=BROWSER_RUNS, help="with --browser: runs per page")
    parser.add_argument("--sessions", type=int, default=LOAD_SESSIONS, help=argparse.SUPPRESS)
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
    if args.browser:
        database = Path(args.db) if args.db else folder / "gross.duckdb"
        if not database.exists():
            database, case_rows, load_s = big_database(folder)
            line(f"ingest 60 months, all sources ({case_rows:,} case rows)", f"{load_s:.1f} s", "", None)
        print_browser_times(database, args.runs, args.seite)
        if not args.seite:
            print_briefing_times(database)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        return
    if args.briefing:
        database = Path(args.db) if args.db else folder / "gross.duckdb"
        if not database.exists():
            database, case_rows, load_s = big_database(folder)
            line(f"ingest 60 months, all sources ({case_rows:,} case rows)", f"{load_s:.1f} s", "", None)
        print_briefing_times(database)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        return
    if args.load:
        database = Path(args.db) if args.db else folder / "gross.duckdb"
        if not database.exists():
            database, case_rows, load_s = big_database(folder)
            line(f"ingest 60 months, all sources ({case_rows:,} case rows)", f"{load_s:.1f} s", "", None)
        print_load(database, args.sessions)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        return
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
    print_load(database)
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
