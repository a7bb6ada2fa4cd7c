"""Hostile and broken files: zip bombs, XML entity attacks, encrypted, damaged and foreign files.

The corpus lives in tests/files/hostile/ (made by the last section of tests/files/make_files.py);
payloads too big to commit (a 1 GiB cell, 20,000 zip entries, a slow CSV) are built here at run
time. Every file is ingested as a user would::

    python -m loaders ingest FILE --json --db DB

into a copy of a database that already holds one upload. Each must be rejected (exit 1, status
``rejected``) with exactly one whole-file error (sheet, row and column null) in German that says
what is wrong; the database must be unchanged, nothing archived, no traceback shown and nothing
left in the temporary folder. For the bombs and entity attacks the command must also finish in
under 5 s with no process of it (the command, the sandbox's zygote, the parsing child) above
500 MB. Then the defences one by one: the sandbox's limits, calamine and openpyxl (with
defusedxml) against entity attacks, and the transfer of the parsed table out of the child.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from loaders import sandbox
from loaders.cells import parse_tables
from loaders.read import UnreadableFileError
from tests.files import make_files
from tests.helpers.environment import TODAY
from tests.helpers.paths import FILES, ROOT

HOSTILE_DIR = FILES / "hostile"
SEED_FILE = FILES / "good" / "arbeitsmarkt_kanonisch.csv"
MAX_SECONDS = 5.0  # the target for a bomb or an entity attack, whole command
MAX_MB = 500.0
MAX_COMMITTED_BYTES = 200 * 1024
MIB = 1024 * 1024

GERMAN = re.compile(r"\b(Bitte|bitte|nicht|ist|sind|Datei|Tabelle|keine?|wird|wurde|gelesen)\b")
ENGLISH = re.compile(r"\b(the|is|not|error|invalid|missing|row|column|file|please|unknown)\b", re.IGNORECASE)

UNSAFE = r"^Die Datei wird aus Sicherheitsgründen nicht gelesen: "
XML_DECLARATIONS = UNSAFE + r"sie enthält XML-Deklarationen \(DTD oder Entitäten\)"
FORGED = UNSAFE + r"ein Teil ist entpackt größer, als ihr Inhaltsverzeichnis angibt"
PASSWORD = r"^Die Datei ist mit einem Kennwort geschützt\. Bitte ohne Kennwortschutz speichern"
NOT_SAFE = r"^Die Datei konnte nicht sicher gelesen werden: "
TEXT_NAMED = r"^Die Datei endet auf '\{}', ist aber keine .*, sondern eine Textdatei\. Ist es eine CSV-Datei"


@dataclass(frozen=True)
class HostileFile:
    name: str
    message: str  # regex the one error message must match
    attack: bool = False  # a bomb or entity attack: time and memory are measured too


HOSTILE_FILES: tuple[HostileFile, ...] = (
    # Zip bombs: overlapping entries, the classic nested shape, honest and forged sizes.
    HostileFile("zip_ueberlappend.xlsx", UNSAFE + r"ihre Teile überlappen einander", attack=True),
    HostileFile("zip_ueberlappend_60gb.xlsx", UNSAFE + r"entpackt wäre sie über 60\.\d{3} MB groß", attack=True),
    HostileFile("zip_verschachtelt.xlsx", r"^Die Datei ist ein gepacktes Archiv \(ZIP\), aber keine", attack=True),
    HostileFile(
        "zip_stark_gepackt.xlsx", UNSAFE + r"ein Teil ist ungewöhnlich stark gepackt \(1\.\d{3}-fach", attack=True
    ),
    HostileFile("zip_groesse_gefaelscht.xlsx", FORGED, attack=True),
    HostileFile("ods_groesse_gefaelscht.ods", FORGED, attack=True),
    HostileFile(
        "zip_doppelter_eintrag.xlsx", UNSAFE + r"ihr Inhaltsverzeichnis nennt einen Teil mehrfach", attack=True
    ),
    HostileFile("riesiges_blatt.xlsx", NOT_SAFE + r"das Lesen brauchte mehr als 1024 MB Arbeitsspeicher", attack=True),
    # XML entity attacks.
    HostileFile("xml_billion_laughs.xlsx", XML_DECLARATIONS, attack=True),
    HostileFile("xml_billion_laughs.ods", XML_DECLARATIONS, attack=True),
    HostileFile("xml_utf16_billion_laughs.xlsx", XML_DECLARATIONS, attack=True),
    HostileFile("xml_externe_entitaet.xlsx", XML_DECLARATIONS, attack=True),
    HostileFile("xml_externe_dtd.xlsx", XML_DECLARATIONS, attack=True),
    # Damaged, encrypted, or another kind of container.
    HostileFile("xml_kaputt.xlsx", r"^Die Datei lässt sich nicht als Tabelle lesen \(beschädigt"),
    HostileFile("zip_abgeschnitten.xlsx", r"^Die Datei ist beschädigt oder unvollständig"),
    HostileFile("zip_daten_beschaedigt.xlsx", FORGED + r" \(gefälscht oder beschädigt\)"),
    HostileFile("zip_verschluesselt.xlsx", PASSWORD),
    HostileFile("zip_lzma.xlsx", UNSAFE + r"sie ist mit einem Verfahren gepackt, das Excel"),
    HostileFile("zip_ohne_arbeitsmappe.xlsx", r"^Die Datei ist ein gepacktes Archiv \(ZIP\), aber keine Excel"),
    HostileFile("word_als_xlsx.xlsx", r"^Die Datei ist ein Word-Dokument, keine Tabelle\."),
    HostileFile("ods_als_xlsx.xlsx", r"^Die Datei ist eine OpenDocument-Tabelle \(\.ods\), endet aber auf '\.xlsx'"),
    HostileFile("kennwort.xlsx", PASSWORD),
    HostileFile("kennwort.xls", PASSWORD),
    HostileFile("word_als_xls.xls", r"^Die Datei ist ein Word-Dokument, keine Tabelle\."),
    HostileFile("xls_als_xlsx.xlsx", r"^Die Datei ist eine Excel-Arbeitsmappe im alten Format \(\.xls\), endet aber"),
    # No table at all.
    HostileFile("leer.xlsx", r"^Die Datei ist leer \(0 Byte\)\. Bitte"),
    HostileFile("pdf_dokument.xlsx", r"^Die Datei ist ein PDF-Dokument, keine Tabelle\. Bitte"),
    HostileFile("bild.xlsx", r"^Die Datei ist ein Bild \(PNG\), keine Tabelle\."),
    HostileFile("bild.csv", r"^Die Datei ist ein Bild \(PNG\), keine Tabelle\."),
    HostileFile("gzip_als_csv.csv", r"^Die Datei ist ein gepacktes Archiv \(gzip\), keine Tabelle\."),
    HostileFile("webseite.xls", r"^Die Datei ist eine Webseite \(HTML\), auch wenn sie auf '\.xls' endet"),
    HostileFile("excel_2003_xml.xls", r"^Die Datei ist eine XML-Tabelle \(Excel 2003\)"),
    HostileFile("text_als_xlsx.xlsx", TEXT_NAMED.format(".xlsx")),
    HostileFile("text_als_xls.xls", TEXT_NAMED.format(".xls")),
    HostileFile("text_als_ods.ods", TEXT_NAMED.format(".ods")),
    HostileFile("unicode_text.txt", r"^Die Datei ist als Unicode-Text \(UTF-16\) gespeichert\."),
    HostileFile("binaer.csv", r"^Die Datei enthält Binärdaten und ist keine lesbare CSV-Textdatei\."),
    HostileFile("binaer_nach_kopfzeile.csv", r"^Die Datei enthält Binärdaten"),
    HostileFile("csv_anfuehrungszeichen_offen.csv", r"^Die CSV-Datei ist fehlerhaft: ein Feld ist länger als 131\.072"),
)
ATTACKS = tuple(case for case in HOSTILE_FILES if case.attack)


# --- running the command line -------------------------------------------------------------------


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the largest process of the command: itself, the zygote or a parsing child
    folder: Path  # holds the database, the archive and the command's TMPDIR

    @property
    def entry(self) -> dict[str, Any]:
        try:
            files = json.loads(self.stdout)["files"]
        except (json.JSONDecodeError, KeyError) as error:
            raise AssertionError(f"stdout is not the JSON result:\n{self.stdout}\n{self.stderr}") from error
        assert len(files) == 1
        entry: dict[str, Any] = files[0]
        return entry


# A small process between the test and the measured command: a process takes over the peak memory
# of the one it was forked from as its own starting peak, so the command must not start from a copy
# of this (big) test process.
_MEASURE = """
import json, os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"status": status, "seconds": time.perf_counter() - started, "peak_kb": usage.ru_maxrss}, out)
"""


def measured(command: list[str], folder: Path, timeout: float, **popen: Any) -> tuple[int, float, float]:
    """Run ``command``; its exit code, wall time, and peak memory in MB over it and every process it
    waited for."""
    report = folder / "measure.json"
    process = subprocess.Popen([sys.executable, "-c", _MEASURE, str(report), *command], start_new_session=True, **popen)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the group this test started: the runner and the command
        process.wait()
        raise AssertionError(f"{' '.join(command[-4:])}: no answer within {timeout} s") from None
    result = json.loads(report.read_text())
    report.unlink()
    return os.waitstatus_to_exitcode(result["status"]), result["seconds"], result["peak_kb"] / 1024


def ingest(path: Path, folder: Path, **env: str) -> Run:
    """``python -m loaders ingest PATH --json --db FOLDER/kim.duckdb`` with its own TMPDIR."""
    temporary = folder / "tmp"
    temporary.mkdir(parents=True, exist_ok=True)
    out, err = folder / "stdout.txt", folder / "stderr.txt"
    environment = {**os.environ, "KIM_TODAY": TODAY, "TMPDIR": str(temporary), **env}
    environment.pop("KIM_DEBUG", None)
    command = [sys.executable, "-m", "loaders", "ingest", str(path), "--json", "--db", str(folder / "kim.duckdb")]
    with out.open("w") as stdout, err.open("w") as stderr:
        code, seconds, peak_mb = measured(command, folder, 180, cwd=ROOT, env=environment, stdout=stdout, stderr=stderr)
    return Run(code, out.read_text(), err.read_text(), seconds, peak_mb, folder)


def database_state(folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, and every file under archive/ (originals, logs) with its hash."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    with duckdb.connect(str(folder / "kim.duckdb"), read_only=True) as connection:
        tables = [name for (name,) in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        for table in sorted(tables):
            state[table] = sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
    archive = folder / "archive"
    state["archive"] = sorted(
        (str(p.relative_to(archive)), hashlib.sha256(p.read_bytes()).hexdigest())
        for p in archive.rglob("*")
        if p.is_file()
    )
    return state


def assert_german(message: str) -> None:
    prose = re.sub(r"'[^']*'|\([^)]*\)", "", message)
    assert GERMAN.search(prose), f"not a German message: {message!r}"
    assert not ENGLISH.search(prose), f"English words in message: {message!r}"


def assert_rejected(run: Run, path: Path, message: str, before: dict[str, list[tuple[Any, ...]]]) -> str:
    """Rejected with one whole-file error matching ``message``; nothing stored, shown or left."""
    assert run.returncode == 1, f"exit {run.returncode}\n{run.stdout}\n{run.stderr}"
    assert "Traceback" not in run.stderr + run.stdout
    entry = run.entry
    assert (entry["file"], entry["status"], entry["upload_id"]) == (str(path), "rejected", None)
    assert entry["partitions"] == [] and entry["warnings"] == []
    assert len(entry["errors"]) == 1, entry["errors"]
    error = entry["errors"][0]
    assert (error["sheet"], error["row"], error["column"]) == (None, None, None)
    assert re.search(message, error["message"]), error["message"]
    assert_german(error["message"])
    assert database_state(run.folder) == before
    assert list((run.folder / "tmp").iterdir()) == [], "temporary files left behind"
    return str(error["message"])


# --- the corpus, its commands started together ----------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[tuple[Any, ...]]]]:
    """A database folder with one accepted upload (and its archived original), and its state."""
    folder = tmp_path_factory.mktemp("seed")
    run = ingest(SEED_FILE, folder)
    assert run.returncode == 0, run.stderr
    shutil.rmtree(folder / "tmp")
    for name in ("stdout.txt", "stderr.txt"):
        (folder / name).unlink()
    state = database_state(folder)
    assert len(state["upload"]) == 1 and any(name.endswith(".csv") for name, _ in state["archive"])
    return folder, state


def copy_of(seed: Path, target: Path) -> Path:
    shutil.copytree(seed, target)
    return target


@pytest.fixture(scope="module")
def corpus_runs(
    request: pytest.FixtureRequest,
    seeded: tuple[Path, dict[str, list[tuple[Any, ...]]]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Future[Run]]]:
    """One command per selected corpus file that is no attack, each on a copy of the seeded
    database, three at a time (the attacks are run alone, to be timed)."""
    seed, _ = seeded
    selected = {
        item.callspec.params["case"].name
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_broken_file_is_rejected" and hasattr(item, "callspec")
    }
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {
            name: pool.submit(ingest, HOSTILE_DIR / name, copy_of(seed, tmp_path_factory.mktemp("run") / "db"))
            for name in sorted(selected)
        }
        yield futures
        for future in futures.values():
            future.cancel()


def test_corpus_is_complete() -> None:
    """Every file in hostile/ has one expectation and vice versa; each is small enough to commit;
    together with bad/ there are at least 40 bad files."""
    on_disk = sorted(p.name for p in HOSTILE_DIR.iterdir())
    assert on_disk == sorted(case.name for case in HOSTILE_FILES)
    for path in HOSTILE_DIR.iterdir():
        assert path.stat().st_size < MAX_COMMITTED_BYTES, path.name
    assert len(on_disk) + len(list((FILES / "bad").iterdir())) >= 40


@pytest.mark.parametrize("case", [c for c in HOSTILE_FILES if not c.attack], ids=lambda c: c.name)
def test_broken_file_is_rejected(
    case: HostileFile,
    corpus_runs: dict[str, Future[Run]],
    seeded: tuple[Path, dict[str, list[tuple[Any, ...]]]],
) -> None:
    run = corpus_runs[case.name].result()
    assert_rejected(run, HOSTILE_DIR / case.name, case.message, seeded[1])


# --- attacks, timed alone -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runtime_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Payloads too big to commit, built from the helpers of make_files.py."""
    folder = tmp_path_factory.mktemp("built")
    files = {
        "zelle_1gib.xlsx": make_files.huge_cell_xlsx(1024),
        "zelle_1gib_gefaelscht.xlsx": make_files.huge_cell_xlsx(1024, declared=4096),
        "zelle_1gib_gefaelscht.ods": make_files.ods_file(
            make_files.deflated_repeat(
                "content.xml", b'<?xml version="1.0"?>\n<x>', b"A" * MIB, 1024, b"</x>", declared=4096
            )
        ),
        "zwanzigtausend_teile.xlsx": make_files.raw_zip(
            [make_files.deflated(f"xl/teil{i}.xml", b"<x/>") for i in range(20_000)]
        ),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


RUNTIME_ATTACKS = {
    "zelle_1gib.xlsx": UNSAFE + r"entpackt wäre sie über 1\.024 MB groß \(erlaubt sind 512 MB; mögliche ZIP-Bombe\)",
    "zelle_1gib_gefaelscht.xlsx": FORGED,
    "zelle_1gib_gefaelscht.ods": FORGED,
    "zwanzigtausend_teile.xlsx": UNSAFE + r"sie besteht aus 20\.000 Teilen \(erlaubt sind 10\.000\)",
}


def test_the_1_gib_cell_fits_in_about_1_mb(runtime_files: dict[str, Path]) -> None:
    for name in ("zelle_1gib.xlsx", "zelle_1gib_gefaelscht.xlsx"):
        assert 0.8 * MIB < runtime_files[name].stat().st_size < 1.5 * MIB
    import zipfile

    with zipfile.ZipFile(runtime_files["zelle_1gib.xlsx"]) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        assert sheet.file_size > 1024 * MIB
        with archive.open(sheet) as stream:  # the packing is sound: it unpacks to what it declares
            head = stream.read(len(make_files.SHEET_HEAD) + 10)
        assert head == make_files.SHEET_HEAD + b"A" * 10


@pytest.mark.parametrize(
    "name",
    [*RUNTIME_ATTACKS, *(case.name for case in ATTACKS)],
)
def test_attack_is_rejected_fast_and_small(
    name: str,
    runtime_files: dict[str, Path],
    seeded: tuple[Path, dict[str, list[tuple[Any, ...]]]],
    corpus_runs: dict[str, Future[Run]],
    tmp_path: Path,
) -> None:
    """A bomb or entity attack of the corpus, or one built here, rejected like any broken file, and
    alone on the machine (after the other commands): the whole command under 5 s, every process of
    it under 500 MB; and the parsing child itself, as the sandbox measures it."""
    for future in corpus_runs.values():
        future.result()
    path = runtime_files.get(name) or HOSTILE_DIR / name
    message = RUNTIME_ATTACKS.get(name) or next(c.message for c in ATTACKS if c.name == name)
    run = ingest(path, copy_of(seeded[0], tmp_path / "db"))
    assert_rejected(run, path, message, seeded[1])
    outcome = sandbox.parse(path)
    assert outcome.error is not None and re.search(message, outcome.error.user_message)
    print(
        f"{name}: command {run.seconds:.2f} s, peak {run.peak_mb:.0f} MB; "
        f"child {outcome.seconds:.3f} s, peak {outcome.peak_mb:.0f} MB"
    )
    assert run.seconds < MAX_SECONDS
    assert run.peak_mb < MAX_MB
    assert outcome.seconds < MAX_SECONDS and outcome.peak_mb < MAX_MB


def test_upload_size_limit_comes_before_any_parsing(
    runtime_files: dict[str, Path], seeded: tuple[Path, dict[str, list[tuple[Any, ...]]]], tmp_path: Path
) -> None:
    path = runtime_files["zelle_1gib.xlsx"]
    run = ingest(path, copy_of(seeded[0], tmp_path / "db"), KIM_MAX_UPLOAD_MB="0.5")
    assert_rejected(run, path, r"^Die Datei ist größer als die zulässigen \d+ MB", seeded[1])


# --- the sandbox's limits -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid 10 MB CSV of 45 columns: a second or two of reading, some 150 MB at the peak."""
    path = tmp_path_factory.mktemp("slow") / "arbeitsmarkt_gross.csv"
    row = "Bergkamen;2026-10;812;1290;14;" + ";".join(["x"] * 40) + "\r\n"
    header = "kommune;monat;arbeitslose_auslaendisch;elb_auslaendisch;integrationen_auslaendisch;"
    header += ";".join(f"extra{i}" for i in range(40)) + "\r\n"
    path.write_text(header + row * (10 * MIB // len(row)), encoding="utf-8")
    return path


def test_time_limit_kills_the_child(
    slow_csv: Path, seeded: tuple[Path, dict[str, list[tuple[Any, ...]]]], tmp_path: Path
) -> None:
    run = ingest(slow_csv, copy_of(seeded[0], tmp_path / "db"), KIM_PARSE_SECONDS="0.3")
    assert_rejected(
        run, slow_csv, NOT_SAFE + r"das Lesen dauerte länger als 0,3 Sekunden und wurde abgebrochen", seeded[1]
    )
    assert "Bitte" in run.entry["errors"][0]["message"]


def test_memory_limit_stops_the_child(slow_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cap 40 MB above what the child starts with: the 10 MB CSV, its text and its cells do not fit."""
    status = Path(f"/proc/{sandbox.prestart()}/status").read_text()
    start_mb = int(re.search(r"VmSize:\s+(\d+) kB", status)[1]) // 1024  # type: ignore[index]
    monkeypatch.setenv("KIM_PARSE_MEMORY_MB", str(start_mb + 40))
    outcome = sandbox.parse(slow_csv)
    assert outcome.error is not None
    assert re.search(NOT_SAFE + rf"das Lesen brauchte mehr als {start_mb + 40} MB", outcome.error.user_message)
    monkeypatch.setenv("KIM_PARSE_MEMORY_MB", "1024")
    assert sandbox.parse(FILES / "good" / "fallmanagement_export.xlsx").error is None  # the next file is fine


def test_a_file_that_needs_the_default_limits_is_read(slow_csv: Path) -> None:
    """The limits stop hostile files, not big honest ones: the 10 MB CSV is read in full."""
    outcome = sandbox.parse(slow_csv)
    assert outcome.error is None and outcome.table is not None
    excel_rows, texts = outcome.table.body_texts()
    assert len(excel_rows) > 70_000 and len(texts) == 45 and excel_rows[0] == 2
    assert outcome.peak_mb < 1024


def test_zygote_is_restarted_after_it_died() -> None:
    zygote = sandbox.prestart()
    os.kill(zygote, signal.SIGKILL)
    _wait_for(lambda: not _alive(zygote))
    outcome = sandbox.parse(FILES / "good" / "arbeitsmarkt_kanonisch.csv")
    assert outcome.error is None and outcome.table is not None


def test_files_are_read_from_several_threads() -> None:
    paths = [FILES / "good" / "arbeitsmarkt_kanonisch.csv", FILES / "good" / "fallmanagement_export.xlsx"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(sandbox.parse, paths * 4))
    assert all(o.error is None and o.table is not None for o in outcomes)
    assert {o.table.source.name for o in outcomes if o.table} == {"arbeitsmarkt", "fallmanagement"}


@pytest.fixture(scope="module")
def wide_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CSV of one million columns (10 MB): reading it takes longer than a minute."""
    path = tmp_path_factory.mktemp("wide") / "arbeitsmarkt_breit.csv"
    header = "kommune;monat;arbeitslose_auslaendisch;elb_auslaendisch;integrationen_auslaendisch;"
    row = "Bergkamen;2026-10;812;1290;14;"
    path.write_text(
        header + ";".join(f"x{i}" for i in range(1_000_000)) + "\r\n" + row + ";".join(["1"] * 1_000_000) + "\r\n",
        encoding="utf-8",
    )
    return path


def test_a_slow_file_does_not_hold_up_another_check(wide_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One analyst's file of a million columns is being read; another analyst's small file is checked
    meanwhile in a few seconds, not after the slow one. The slow one still ends at its time limit."""
    monkeypatch.setenv("KIM_PARSE_SECONDS", "15")
    monkeypatch.delenv("KIM_PARSE_WORKERS", raising=False)
    sandbox.prestart()
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        slow = pool.submit(sandbox.parse, wide_csv)
        time.sleep(1.5)  # the slow file is in its child by now
        assert not slow.done()
        small_started = time.monotonic()
        small = sandbox.parse(FILES / "good" / "arbeitsmarkt_kanonisch.csv")
        small_seconds = time.monotonic() - small_started
        assert small.error is None and small.table is not None
        assert not slow.done()
        outcome = slow.result()
    assert small_seconds < 6, f"the small file took {small_seconds:.1f} s"
    assert outcome.error is not None
    assert "das Lesen dauerte länger als 15 Sekunden" in outcome.error.user_message
    assert time.monotonic() - started < 15 + 10


def test_checks_beyond_the_places_wait_for_one(slow_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With one place, a second file waits until the first is read (and is then read), and the
    page can tell that every place is taken."""
    monkeypatch.setenv("KIM_PARSE_WORKERS", "1")
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(sandbox.parse, slow_csv)
        _wait_for(sandbox.busy)
        second = pool.submit(sandbox.parse, FILES / "good" / "arbeitsmarkt_kanonisch.csv")
        assert first.result().error is None
        assert second.result().error is None
    assert not sandbox.busy()


def test_the_child_and_zygote_end_with_the_process_that_started_them(slow_csv: Path, tmp_path: Path) -> None:
    """A command killed in the middle of a file (no atexit, no cleanup) leaves no process behind."""
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from loaders import sandbox
        print(sandbox.prestart(), flush=True)
        sandbox.parse(Path(sys.argv[1]))
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(slow_csv)],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    zygote = int(process.stdout.readline())
    child = _wait_for(lambda: _children(zygote))[0]
    process.kill()
    process.wait()
    assert _wait_for(lambda: not _alive(zygote) and not _alive(child))


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition: Any, seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not reached in time")


@pytest.mark.parametrize(
    ("answer", "log", "reason"),
    [
        ({"status": 0, "timed_out": False}, "", None),
        ({"status": 9, "timed_out": True}, "", "das Lesen dauerte länger als 60 Sekunden"),
        ({"status": signal.SIGXCPU, "timed_out": False}, "", "das Lesen dauerte länger als 60 Sekunden"),
        ({"status": 70 << 8, "timed_out": False}, "", "das Lesen brauchte mehr als 1024 MB Arbeitsspeicher"),
        ({"status": signal.SIGKILL, "timed_out": False}, "", "das Lesen brauchte mehr als 1024 MB Arbeitsspeicher"),
        (
            {"status": signal.SIGABRT, "timed_out": False},
            "memory allocation of 549755813888 bytes failed",
            "das Lesen brauchte mehr als 1024 MB Arbeitsspeicher",
        ),
        ({"status": signal.SIGSEGV, "timed_out": False}, "", "das Leseprogramm ist an ihr gescheitert"),
        ({"status": 71 << 8, "timed_out": False}, "Traceback ...", "das Leseprogramm ist an ihr gescheitert"),
    ],
)
def test_how_a_child_ended_becomes_a_message(
    answer: dict[str, Any], log: str, reason: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KIM_DEBUG", raising=False)
    (tmp_path / "child.log").write_text(log)
    error = sandbox._failure(answer, tmp_path, 1024 * MIB, 60.0)
    if reason is None:
        assert error is None
    else:
        assert error is not None and error.user_message.startswith(
            f"Die Datei konnte nicht sicher gelesen werden: {reason}"
        )
        assert_german(error.user_message)


def test_a_forged_result_from_the_child_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is unpickled: the parent reads JSON and validated Arrow data, and refuses the rest."""
    monkeypatch.delenv("KIM_DEBUG", raising=False)
    outcome = sandbox.parse(FILES / "good" / "arbeitsmarkt_kanonisch.csv")
    assert outcome.located is not None and outcome.table is not None
    sandbox._write_result(tmp_path, outcome.located)
    assert sandbox._load_result(tmp_path).tables[0].headers == outcome.table.headers
    description = json.loads((tmp_path / "result.json").read_text())
    table = description["tables"][0]
    for forged in (
        {**description, "source": "gibt_es_nicht"},
        {**description, "tables": [{**table, "headers": [[0, "kommune"]]}]},
        {**description, "tables": []},
        {**description, "tables": [table, table]},  # a second table without its texts
    ):
        (tmp_path / "result.json").write_text(json.dumps(forged))
        with pytest.raises(UnreadableFileError, match=NOT_SAFE):
            sandbox._load_result(tmp_path)
    (tmp_path / "result.json").write_text(json.dumps(description))
    (tmp_path / "texts_0.arrow").write_bytes(b"not arrow")
    with pytest.raises(UnreadableFileError, match=NOT_SAFE):
        sandbox._load_result(tmp_path)


@pytest.mark.parametrize(
    "path",
    sorted([*(FILES / "good").iterdir(), *(FILES / "messy").glob("*.*")]),
    ids=lambda p: p.name,
)
def test_the_sandbox_returns_what_an_in_process_read_returns(path: Path) -> None:
    outcome = sandbox.parse(path)
    try:
        located = parse_tables(path)
    except UnreadableFileError as error:
        assert outcome.error is not None and outcome.error.user_message == error.user_message
        return
    assert outcome.located is not None, outcome.error
    assert len(outcome.located.tables) == len(located.tables)
    assert [(i.sheet, i.header_index, i.source, i.missing) for i in outcome.located.ignored] == [
        (i.sheet, i.header_index, i.source, i.missing) for i in located.ignored
    ]
    for there, here in zip(outcome.located.tables, located.tables, strict=True):
        assert (there.sheet.name, there.source, there.header_index) == (here.sheet.name, here.source, here.header_index)
        assert (there.columns, there.headers, there.unknown, there.duplicates) == (
            here.columns,
            here.headers,
            here.unknown,
            here.duplicates,
        )
        rows_there, texts_there = there.body_texts()
        rows_here, texts_here = here.body_texts()
        assert rows_there.tolist() == rows_here.tolist()
        assert {p: t.to_pylist() for p, t in texts_there.items()} == {p: t.to_pylist() for p, t in texts_here.items()}


# --- the XML parsers themselves against entity attacks -------------------------------------------

_PROBE = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
started = time.perf_counter()
result = {{"error": None, "chain": [], "cells": ""}}
try:
{body}
except Exception as error:
    result["error"] = f"{{type(error).__module__}}.{{type(error).__name__}}: {{error}}"
    cause = error
    while cause is not None:
        result["chain"].append(type(cause).__module__ + "." + type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
result["seconds"] = time.perf_counter() - started
print(json.dumps(result))
"""
_CALAMINE = """
    import python_calamine
    workbook = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
    for name in workbook.sheet_names:
        result["cells"] += repr(workbook.get_sheet_by_name(name).to_python())[:100000]
"""
_OPENPYXL = """
    import openpyxl
    assert openpyxl.DEFUSEDXML, "defusedxml is not used"
    workbook = openpyxl.load_workbook(sys.argv[1])
    for sheet in workbook.worksheets:
        result["cells"] += repr(list(sheet.values))[:100000]
"""


def probe(body: str, path: Path, folder: Path) -> dict[str, Any]:
    """Run a parser on ``path`` in a process capped at 500 MB; it must answer within 5 s."""
    code = _PROBE.format(limit=int(MAX_MB * MIB), body=textwrap.indent(textwrap.dedent(body), "    "))
    out = folder / "probe.json"
    with out.open("w") as stdout:
        status, seconds, peak_mb = measured([sys.executable, "-c", code, str(path)], folder, MAX_SECONDS, stdout=stdout)
    assert status == 0
    result: dict[str, Any] = json.loads(out.read_text())
    print(f"{path.name}: {seconds:.2f} s, peak {peak_mb:.0f} MB, {result['error']}")
    assert seconds < MAX_SECONDS and peak_mb < MAX_MB
    return result


ENTITY_ATTACKS = ("xml_billion_laughs.xlsx", "xml_utf16_billion_laughs.xlsx", "xml_externe_entitaet.xlsx")


@pytest.mark.parametrize("name", [*ENTITY_ATTACKS, "xml_billion_laughs.ods"])
def test_calamine_refuses_entity_attacks(name: str, tmp_path: Path) -> None:
    """Without the sandbox's check calamine is safe as well: it expands no entity and reads no
    external file (it reports the unknown entity, or finds no rows in a UTF-16 part)."""
    result = probe(_CALAMINE, HOSTILE_DIR / name, tmp_path)
    assert "lol" not in result["cells"] and "root:" not in result["cells"]
    if result["error"] is not None:
        assert "CalamineError" in result["error"] or "XmlError" in result["error"]
        assert "entity" in result["error"]


def test_calamine_fetches_no_external_dtd(tmp_path: Path) -> None:
    result = probe(_CALAMINE, HOSTILE_DIR / "xml_externe_dtd.xlsx", tmp_path)
    assert result["error"] is None and "Bergkamen" in result["cells"]  # read as if there were no DOCTYPE


@pytest.mark.parametrize("name", ENTITY_ATTACKS)
def test_openpyxl_with_defusedxml_refuses_entity_attacks(name: str, tmp_path: Path) -> None:
    """openpyxl (used elsewhere to write templates) uses defusedxml when it is installed; loading
    an attack raises, caused by defusedxml, within 5 s and 500 MB."""
    result = probe(_OPENPYXL, HOSTILE_DIR / name, tmp_path)
    assert result["error"] is not None, result
    assert any(link.startswith("defusedxml.") for link in result["chain"]), result["chain"]
    assert "root:" not in result["cells"]
