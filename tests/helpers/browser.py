"""The app served by ``streamlit run`` for the browser tests (Playwright in Debian's chromium); the
fixtures ``chromium``, ``app_url`` and ``real_server`` are in tests/ui/conftest.py."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = "Debian's chromium (/usr/bin/chromium) is not installed; browser tests need it"
START_SECONDS = 60
WAIT_MS = 60_000
VIEWPORT = {"width": 1600, "height": 1000}
SMALL = {"width": 1280, "height": 720}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"streamlit did not answer within {START_SECONDS} s:\n{log.read_text(errors='replace')}")


@contextmanager
def serve(database: Path, log: Path, **env: str) -> Iterator[str]:
    """The app served by `streamlit run` on a free port of 127.0.0.1 on the database; its URL.
    Stopped afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port)]
    command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
    environment = os.environ | {"KIM_DB": str(database), "KIM_TODAY": os.environ["KIM_TODAY"], **env}
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def choose(page: Any, label: str, text: str, attempts: int = 3) -> None:
    """Pick the option containing ``text`` in the selectbox ``label`` as a keyboard user does (focus,
    type, Enter), and check that it was taken. Under heavy load a rerun that ends just after the
    click can close the open list again; the choice is then simply made once more."""
    from playwright.sync_api import expect

    box = page.get_by_role("combobox", name=label)
    expect(box).to_be_visible(timeout=WAIT_MS)
    for attempt in range(attempts):
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT_MS)
        box.click()
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        try:
            expect(box).to_have_value(re.compile(re.escape(text)), timeout=10_000)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")
