"""Read uploaded files in a child process with a memory cap and a time limit.

No upload is parsed in the process that serves the app or the command line: a file that makes a
parser hang, allocate without end or crash can only take a child process with it, and the user gets
a German whole-file error instead.

How: a small helper process, the *zygote*, is started with the reading modules imported but no
configuration read. For each file it forks a child that

1. lowers its own limits: address space (``RLIMIT_AS``, ``KIM_PARSE_MEMORY_MB``, default 1024),
   CPU time, file size, no core dump; the zygote kills it after ``KIM_PARSE_SECONDS`` (default 60)
   of wall-clock time;
2. runs ``loaders.read.parse_tables``: what the file really is, the zip checks, calamine or csv,
   the located tables (one per delivering sheet) and their columns as text;
3. writes a small JSON description of the tables and their texts as Arrow IPC (one file per table)
   into a private folder, and ends without tidying up (freeing millions of cells would only cost
   time).

The parent rebuilds the ``Table``s from the JSON (``Table.texts`` filled, no cells) and validates the
Arrow data; the folder is deleted at once. Nothing crosses from the child to the parent as a pickle,
so even a subverted child can only produce a wrong answer, never run code here. The child is forked
from the single-threaded zygote, not from the app (whose threads and address space must not be
inherited).

Several files at once: a zygote answers one request at a time over its pipes, so each file being read
holds a zygote of its own, taken from a small pool (a zygote is started with ``subprocess``, which is
safe from any thread; the forking happens only inside the single-threaded zygote). At most
``KIM_PARSE_WORKERS`` files (default: the number of CPUs, at least 2) are read at the same time, each
in its own child with its own memory cap and time limit; a further file waits for a free place, at
most one time limit long, because every place is freed by then. So a slow file delays only the
files queued behind all places, never the check of a small file while a place is free.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import importlib.abc
import json
import math
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import pyarrow as pa
import pyarrow.ipc

from core import format as fmt
from core.errors import ConfigError, KimError
from core.files import write_json
from core.settings import (
    PROJECT_ROOT,
    debug,
    kim_variables,
    parse_memory_bytes,
    parse_seconds,
    parse_workers,
    use_kim_variables,
)
from core.sources import Source, sources
from loaders.cells import parse_tables
from loaders.read import Finding, IgnoredSheet, Located, Sheet, Table, TableTexts, UnreadableFileError
from loaders.statistik import StatTable, load_child_result

T = TypeVar("T")
_ANSWER_GRACE_SECONDS = 15.0  # how much longer than the child the parent waits for the zygote
_MAX_TABLES = 1000  # more sheets than any real workbook delivers; a forged answer is refused
_EXIT_MEMORY = 70
_EXIT_BUG = 71
# The zygote and its children: one thread for numeric libraries, Arrow on the system allocator, so
# that the address-space cap counts what is really used.
_ZYGOTE_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "ARROW_DEFAULT_MEMORY_POOL": "system"}

NOT_SAFE = "Die Datei konnte nicht sicher gelesen werden: {reason}. {advice}"
ADVICE = (
    "Bitte die Datei in Excel öffnen, leere Zeilen, Spalten und Blätter sowie Formatierungen entfernen, als "
    "Excel-Arbeitsmappe (.xlsx) oder CSV-Datei speichern und erneut hochladen; sehr große Lieferungen bitte "
    "aufteilen. Tritt der Fehler wieder auf, bitte das KI-Team informieren."
)


@dataclass
class Outcome:
    """What a child made of one file, and what it cost."""

    located: Located | None
    error: KimError | None
    seconds: float  # wall-clock time of the child
    peak_mb: float  # the child's peak resident memory (with the pages it shares with the zygote)

    @property
    def table(self) -> Table | None:
        """The first table (the only one of a CSV file or a one-sheet workbook)."""
        return self.located.tables[0] if self.located is not None else None


def read_tables(path: Path, source_name: str | None = None) -> Located:
    """Read a file, locate its tables and turn their columns into text, in a child process.

    Raises UnreadableFileError (German message, a whole-file error) for every file that cannot be
    read, including one that exhausts the child's memory or time."""
    outcome = parse(path, source_name)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.located is not None
    return outcome.located


def parse(path: Path, source_name: str | None = None) -> Outcome:
    """``read_tables`` with the child's time and peak memory (for tests and the benchmark)."""
    memory, seconds = parse_memory_bytes(), parse_seconds()
    with _place(seconds + _ANSWER_GRACE_SECONDS) as placed:
        if not placed:
            return Outcome(None, UnreadableFileError(NO_PLACE), 0.0, 0.0)
        outcome = _parse_in(_take_zygote(), path, source_name, memory, seconds)
        if outcome is _ZYGOTE_GONE:
            # A file cannot end the zygote (it only forks; a child's crash or limit ends the child,
            # and the zygote answers for it): it was ended from outside, e.g. killed by the kernel
            # when memory ran short, maybe while it sat idle. A fresh zygote reads the file, once.
            outcome = _parse_in(_take_zygote(), path, source_name, memory, seconds)
        if outcome is _ZYGOTE_GONE or outcome is None:
            return Outcome(None, _not_safe(_crash_reason()), seconds, 0.0)
        return outcome


_ZYGOTE_GONE = Outcome(None, None, 0.0, 0.0)  # the zygote has ended without an answer

# Readers other than the table locator that a child may run: name → "module:function(path, folder)",
# which writes its answer into the folder. Only these names are accepted from a request.
READERS = {"statistik": "loaders.statistik:write_child_result"}


def run_reader(path: Path, reader: str, load: Callable[[Path], T]) -> T:
    """Run the registered ``reader`` on a file in a child process with the same memory cap, time
    limit and places as ``read_tables``; ``load`` checks and rebuilds its answer from the folder.

    Raises UnreadableFileError (German message) for a file the child could not read."""
    memory, seconds = parse_memory_bytes(), parse_seconds()
    with _place(seconds + _ANSWER_GRACE_SECONDS) as placed:
        if not placed:
            raise UnreadableFileError(NO_PLACE)
        for _attempt in range(2):  # a zygote ended from outside is replaced once (see ``parse``)
            zygote = _take_zygote()
            folder = Path(tempfile.mkdtemp(dir=zygote.folder))
            in_step = False
            try:
                request = {**_request(path, None, folder, memory, seconds), "reader": reader}
                answer = zygote.ask(request, seconds + _ANSWER_GRACE_SECONDS)
                if answer is None:
                    if zygote.ended:
                        continue
                    raise _not_safe(_crash_reason())
                in_step = True
                error = _failure(answer, folder, memory, seconds)
                if error is not None:
                    raise error
                try:
                    return load(folder)
                except KimError:
                    raise
                except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as failure:
                    if debug():
                        raise
                    raise _not_safe(_crash_reason()) from failure
            finally:
                shutil.rmtree(folder, ignore_errors=True)
                _give_back(zygote, keep=in_step)
        raise _not_safe(_crash_reason())


def _request(path: Path, source_name: str | None, folder: Path, memory: int, seconds: float) -> dict[str, Any]:
    """One request line to a zygote: the file, where to answer, the child's limits and settings."""
    return {
        "path": os.path.abspath(path),
        "source": source_name,
        "folder": str(folder),
        "memory": memory,
        "seconds": seconds,
        "env": kim_variables(),
    }


def _parse_in(zygote: _Zygote, path: Path, source_name: str | None, memory: int, seconds: float) -> Outcome | None:
    """One file read by ``zygote``: its outcome, ``_ZYGOTE_GONE`` when the zygote has ended without
    an answer, None when it hung."""
    folder = Path(tempfile.mkdtemp(dir=zygote.folder))
    in_step = False  # whether the zygote's pipes are between requests (it may serve the next file)
    try:
        answer = zygote.ask(_request(path, source_name, folder, memory, seconds), seconds + _ANSWER_GRACE_SECONDS)
        if answer is None:  # the zygote hung or ended: it is stopped, the next file gets a new one
            return _ZYGOTE_GONE if zygote.ended else None
        in_step = True
        peak_mb = float(answer["peak_kb"]) / 1024
        error = _failure(answer, folder, memory, seconds)
        if error is not None:
            return Outcome(None, error, float(answer["seconds"]), peak_mb)
        try:
            located = _load_result(folder)
        except KimError as error:
            return Outcome(None, error, float(answer["seconds"]), peak_mb)
        return Outcome(located, None, float(answer["seconds"]), peak_mb)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _give_back(zygote, keep=in_step)


def busy() -> bool:
    """Whether every place is taken, so that a further file would wait (for a note on the page)."""
    with _POOL_LOCK:
        return _busy >= parse_workers()


def prestart() -> int:
    """Start a zygote now (it imports in the background), so that the first file waits less; its pid."""
    zygote = _take_zygote()
    _give_back(zygote, keep=True)
    return zygote.process.pid


# --- the parent's side ------------------------------------------------------------------------


def _not_safe(reason: str) -> UnreadableFileError:
    return UnreadableFileError(NOT_SAFE.format(reason=reason, advice=ADVICE))


def _crash_reason() -> str:
    return "das Leseprogramm ist an ihr gescheitert und wurde beendet"


def _failure(answer: dict[str, Any], folder: Path, memory: int, seconds: float) -> KimError | None:
    """The error for a child that did not end normally, or None."""
    status = int(answer["status"])
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return None
    signalled = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    if answer["timed_out"] or signalled == signal.SIGXCPU:
        return _not_safe(f"das Lesen dauerte länger als {fmt.compact(seconds)} Sekunden und wurde abgebrochen")
    log = _read_log(folder)
    # A MemoryError in Python; the kernel's OOM killer; Rust's allocation failure (it aborts).
    if (
        exit_code == _EXIT_MEMORY
        or signalled == signal.SIGKILL
        or (signalled == signal.SIGABRT and "memory allocation" in log)
    ):
        return _not_safe(
            f"das Lesen brauchte mehr als {memory // (1024 * 1024)} MB Arbeitsspeicher und wurde abgebrochen"
        )
    if debug():
        raise RuntimeError(f"Parsing child failed with status {status}:\n{log}")
    return _not_safe(_crash_reason())


def _read_log(folder: Path) -> str:
    try:
        with (folder / "child.log").open("rb") as handle:
            return handle.read(20_000).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _load_result(folder: Path) -> Located:
    """The located tables from the child's JSON and Arrow files, checked before they are trusted."""
    try:
        description = json.loads((folder / "result.json").read_text(encoding="utf-8"))
        if "error" in description:
            kind = ConfigError if description["error"] == "config" else UnreadableFileError
            raise kind(str(description["message"]))
        tables = description["tables"]
        if not isinstance(tables, list) or not 1 <= len(tables) <= _MAX_TABLES:
            raise ValueError("number of tables")
        source = sources()[description["source"]]
        ignored = [
            IgnoredSheet(
                sheet=None if item["sheet"] is None else str(item["sheet"]),
                header_index=int(item["header_index"]),
                source=sources()[item["source"]],
                missing=[sources()[item["source"]].column(name) for name in item["missing"]],
            )
            for item in description["ignored"]
        ]
        findings = [
            Finding(str(message), None if sheet is None else str(sheet), None if row is None else int(row),
                    None if column is None else str(column))
            for message, sheet, row, column in description["findings"]
        ]  # fmt: skip
        located = [_load_table(folder, number, item, source) for number, item in enumerate(tables)]
        return Located(located, ignored, findings)
    except KimError:
        raise
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as error:
        if debug():
            raise
        raise _not_safe(_crash_reason()) from error


def _load_table(folder: Path, number: int, description: dict[str, Any], source: Source) -> Table:
    data = pa.ipc.open_file(pa.py_buffer((folder / f"texts_{number}.arrow").read_bytes())).read_all()
    data.validate(full=True)
    positions = [int(p) for p, _ in description["headers"]]
    expected = pa.schema([("excel_row", pa.int64())] + [(str(p), pa.string()) for p in positions])
    if not data.schema.equals(expected):
        raise ValueError("unexpected schema")
    texts = TableTexts(
        excel_rows=data.column("excel_row").to_numpy(),
        columns={p: _single_chunk(data.column(str(p))) for p in positions},
    )
    return Table(
        sheet=Sheet(None if description["sheet"] is None else str(description["sheet"]), []),
        source=source,
        header_index=int(description["header_index"]),
        columns={int(p): source.column(name) for p, name in description["columns"]},
        headers={int(p): str(h) for p, h in description["headers"]},
        unknown={int(p): str(h) for p, h in description["unknown"]},
        duplicates={int(p): source.column(name) for p, name in description["duplicates"]},
        texts=texts,
    )


def _single_chunk(column: pa.ChunkedArray) -> pa.Array:
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


class _Zygote:
    """The helper process and the pipes to it; one request at a time."""

    def __init__(self) -> None:
        self.owner = os.getpid()
        self.folder = Path(tempfile.mkdtemp(prefix="kim-lesen-"))
        with (self.folder / "zygote.log").open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from loaders.sandbox import zygote_main; zygote_main()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=PROJECT_ROOT,
                env={**os.environ, **_ZYGOTE_ENV},
                start_new_session=True,  # no terminal signals; its children die with it (killpg)
            )
        self.pending = b""
        self.ended = False  # seen to have ended (no answer possible), as opposed to hanging

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.process.poll() is None

    def ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        """Send one request and wait for its answer line; None when none comes in time or the
        zygote has ended (``ended``)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except OSError:
            self.ended = True
            return None
        deadline = time.monotonic() + timeout
        descriptor = self.process.stdout.fileno()
        while b"\n" not in self.pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([descriptor], [], [], remaining)[0]:
                return None
            chunk = os.read(descriptor, 65536)
            if not chunk:
                self.ended = True
                return None
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        if self.owner != os.getpid():
            return  # a forked copy of this process must not stop its parent's zygote
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)


_POOL_LOCK = threading.Lock()  # guards the lists below, never held while a file is read
_PLACE_FREED = threading.Condition(_POOL_LOCK)
_IDLE: list[_Zygote] = []  # zygotes between requests, the most recently used last
_ALL: set[_Zygote] = set()  # every zygote this process started and has not stopped
_busy = 0  # files being read now


NO_PLACE = "Gerade werden zu viele Dateien gleichzeitig geprüft. Bitte die Datei in einigen Minuten erneut hochladen."


@contextlib.contextmanager
def _place(timeout: float) -> Iterator[bool]:
    """One of ``parse_workers()`` places to read a file (True); False after ``timeout`` seconds without one."""
    global _busy
    deadline = time.monotonic() + timeout
    with _PLACE_FREED:
        while _busy >= parse_workers():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                yield False
                return
            _PLACE_FREED.wait(remaining)
        _busy += 1
    try:
        yield True
    finally:
        with _PLACE_FREED:
            _busy -= 1
            _PLACE_FREED.notify()


def _take_zygote() -> _Zygote:
    """An idle zygote of this process, or a new one."""
    with _POOL_LOCK:
        while _IDLE:
            zygote = _IDLE.pop()
            if zygote.alive():
                return zygote
            _ALL.discard(zygote)
            zygote.stop()  # it has ended: nothing to wait for
        zygote = _Zygote()
        _ALL.add(zygote)
        return zygote


def _give_back(zygote: _Zygote, *, keep: bool) -> None:
    """Keep a zygote for the next file, or stop it (after a hang, a crash or an interruption)."""
    with _POOL_LOCK:
        if keep and zygote.alive() and zygote in _ALL and len(_IDLE) < parse_workers():
            _IDLE.append(zygote)
            return
        _ALL.discard(zygote)
    zygote.stop()


@atexit.register
def _at_exit() -> None:
    """Stop every zygote; a file still being read in another thread is abandoned."""
    with _POOL_LOCK:
        everyone = list(_ALL)
        _ALL.clear()
        _IDLE.clear()
    for zygote in everyone:
        with contextlib.suppress(Exception):
            zygote.stop()


# --- the zygote -------------------------------------------------------------------------------


def zygote_main() -> NoReturn:
    """The helper process: for each request line on stdin fork a child, wait for it (killing it
    at the time limit), and answer one line on stdout. Ends when stdin closes."""
    import loaders.statistik
    import loaders.values  # noqa: F401  (imported by the children; import once here)

    # pyarrow probes for pandas when it converts values (an import of 0.4 s in every child). Nothing
    # here uses pandas: the probe is made to fail, once, here.
    sys.meta_path.insert(0, _WithoutPandas())
    pa.array([""])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    pending = b""
    while True:
        while b"\n" not in pending:
            chunk = os.read(0, 65536)
            if not chunk:
                os._exit(0)
            pending += chunk
        line, _, pending = pending.partition(b"\n")
        answer = _run_child(json.loads(line))
        os.write(1, json.dumps(answer).encode("utf-8") + b"\n")


class _WithoutPandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ImportError("pandas is not imported while parsing")


def _run_child(request: dict[str, Any]) -> dict[str, Any]:
    """Fork a child for one request and wait for it: until it ends, the time limit (then it is
    killed), or the parent goes away (stdin closes; then both go)."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child_main(request)
    deadline = started + float(request["seconds"])
    timed_out = False
    watch = _pidfd(pid)
    try:
        while True:
            finished, status, usage = os.wait4(pid, os.WNOHANG)
            if finished:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0 and not timed_out:
                os.kill(pid, signal.SIGKILL)  # not reaped yet, so the pid is still this child's
                timed_out = True
            wait = 1.0 if timed_out else remaining if watch is not None else min(remaining, 0.01)
            ready = select.select([0] if watch is None else [0, watch], [], [], wait)[0]
            if 0 in ready:
                os.kill(pid, signal.SIGKILL)
                os.wait4(pid, 0)
                os._exit(0)
    finally:
        if watch is not None:
            os.close(watch)
    return {
        "status": status,
        "timed_out": timed_out,
        "seconds": time.monotonic() - started,
        "peak_kb": usage.ru_maxrss,
    }


def _pidfd(pid: int) -> int | None:
    """A descriptor that becomes readable when the child ends (Linux), or None (then: polling)."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _child_main(request: dict[str, Any]) -> NoReturn:
    """In the forked child: limits, then parse, then write the result; never returns."""
    code = _EXIT_BUG
    try:
        folder = Path(request["folder"])
        log = os.open(folder / "child.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        memory, seconds = int(request["memory"]), float(request["seconds"])
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(seconds) + 1, math.ceil(seconds) + 2))
        resource.setrlimit(resource.RLIMIT_FSIZE, (memory, memory))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        use_kim_variables(request["env"])
        gc.disable()  # millions of cells, no cycles; the process ends right after
        try:
            reader = request.get("reader")
            if reader is None:
                located = parse_tables(Path(request["path"]), request["source"])
                _write_result(folder, located)
            else:
                module, _, function = READERS[str(reader)].partition(":")
                getattr(importlib.import_module(module), function)(Path(request["path"]), folder)
        except UnreadableFileError as error:
            write_json(folder / "result.json", {"error": "unreadable", "message": error.user_message})
        except ConfigError as error:
            write_json(folder / "result.json", {"error": "config", "message": error.user_message})
        code = 0
    except MemoryError:
        code = _EXIT_MEMORY
    except BaseException:  # noqa: BLE001  (anything else is a bug: logged for KIM_DEBUG, a crash for the parent)
        traceback.print_exc()
    try:
        sys.stderr.flush()
    finally:
        os._exit(code)


def _write_result(folder: Path, located: Located) -> None:
    for number, table in enumerate(located.tables):
        assert table.texts is not None
        positions = sorted(table.texts.columns)
        batch = pa.record_batch(
            [pa.array(table.texts.excel_rows, pa.int64()), *(table.texts.columns[p] for p in positions)],
            names=["excel_row", *(str(p) for p in positions)],
        )
        with (
            pa.OSFile(str(folder / f"texts_{number}.arrow"), "wb") as sink,
            pa.ipc.new_file(sink, batch.schema) as writer,
        ):
            writer.write_batch(batch)
    write_json(
        folder / "result.json",
        {
            "source": located.source.name,
            "tables": [
                {
                    "sheet": table.sheet.name,
                    "header_index": table.header_index,
                    "columns": [[p, c.name] for p, c in table.columns.items()],
                    "headers": [[p, h] for p, h in sorted(table.headers.items())],
                    "unknown": [[p, h] for p, h in table.unknown.items()],
                    "duplicates": [[p, c.name] for p, c in table.duplicates.items()],
                }
                for table in located.tables
            ],
            "ignored": [
                {
                    "sheet": i.sheet,
                    "header_index": i.header_index,
                    "source": i.source.name,
                    "missing": [c.name for c in i.missing],
                }
                for i in located.ignored
            ],
            "findings": [[f.message, f.sheet, f.row, f.column] for f in located.findings],
        },
    )


def read_statistik(path: Path) -> StatTable | None:
    """``parse_statistik`` in a child process with a memory cap and a time limit."""
    return run_reader(path, "statistik", load_child_result)
