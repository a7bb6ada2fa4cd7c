"""Every KIM_* setting is read in core/settings.py (issue 11 #3): the ones that were read elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import settings
from core.settings import PROJECT_ROOT


def test_parse_limits_and_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    # were read in loaders/sandbox.py
    monkeypatch.delenv("KIM_PARSE_MEMORY_MB", raising=False)
    monkeypatch.delenv("KIM_PARSE_SECONDS", raising=False)
    monkeypatch.delenv("KIM_PARSE_WORKERS", raising=False)
    assert settings.parse_memory_bytes() == 1024 * 1024 * 1024
    assert settings.parse_seconds() == 60.0
    assert settings.parse_workers() == max(2, os.cpu_count() or 2)
    monkeypatch.setenv("KIM_PARSE_MEMORY_MB", "256.5")
    monkeypatch.setenv("KIM_PARSE_SECONDS", "0.5")
    monkeypatch.setenv("KIM_PARSE_WORKERS", "0")
    assert settings.parse_memory_bytes() == int(256.5 * 1024 * 1024)
    assert settings.parse_seconds() == 0.5
    assert settings.parse_workers() == 1


def test_geojson_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # was read in pages/kommunen.py
    monkeypatch.delenv("KIM_GEOJSON", raising=False)
    assert settings.geojson_path() is None
    monkeypatch.setenv("KIM_GEOJSON", str(tmp_path / "fehlt.geojson"))
    assert settings.geojson_path() is None
    (tmp_path / "kreis.geojson").write_text("{}")
    monkeypatch.setenv("KIM_GEOJSON", str(tmp_path / "kreis.geojson"))
    assert settings.geojson_path() == tmp_path / "kreis.geojson"


def test_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    # was read in core/errors.py and three times in loaders/sandbox.py
    monkeypatch.delenv("KIM_DEBUG", raising=False)
    assert not settings.debug()
    monkeypatch.setenv("KIM_DEBUG", "1")
    assert settings.debug()


def test_kim_variables_are_handed_on_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # the sandbox's children take the parent's KIM_* settings in place of their own
    monkeypatch.setenv("KIM_PARSE_SECONDS", "7")
    handed = settings.kim_variables()
    assert handed["KIM_PARSE_SECONDS"] == "7" and all(name.startswith("KIM_") for name in handed)
    code = (
        "import os; from core import settings; settings.use_kim_variables({'KIM_DB': '/tmp/x.duckdb'}); "
        "print(sorted(k for k in os.environ if k.startswith('KIM_')), os.environ['PATH'] != '')"
    )
    env = {**os.environ, "KIM_PARSE_SECONDS": "7", "KIM_DEBUG": "1"}
    run = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert run.stdout.strip() == "['KIM_DB'] True", run.stderr
