"""The command lines as a user runs them (``python -m PACKAGE …`` from the project root, in a
process of its own) and, faster, in this process (``main([...])`` with the output captured)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence

import pytest

from loaders.__main__ import main as loaders_main
from metrics.__main__ import main as metrics_main
from tests.helpers.environment import TODAY
from tests.helpers.paths import ROOT

TIMEOUT_SECONDS = 300
# Not passed on: a database or debug output chosen by the calling test, pytest's own marker.
_NOT_INHERITED = ("KIM_DB", "KIM_DEBUG", "PYTEST_CURRENT_TEST")


def cli_env(**variables: str) -> dict[str, str]:
    """The environment of a command line: this process's, with KIM_TODAY of the tests and without
    KIM_DB and KIM_DEBUG (every command names its database). Take it on the main thread: pytest
    changes os.environ while tests run, and iterating it on a worker thread then may fail."""
    inherited = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    return {**inherited, "KIM_TODAY": TODAY, **variables}


def run_module(
    arguments: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = TIMEOUT_SECONDS
) -> subprocess.CompletedProcess[str]:
    """``python -m ARGUMENTS`` from the project root, as a user would run it (env: cli_env())."""
    return subprocess.run(
        [sys.executable, "-m", *arguments],
        cwd=ROOT,
        env=dict(env) if env is not None else cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def describe_failure(result: subprocess.CompletedProcess[str]) -> str:
    """The exit code and the tails of stdout and stderr, for an assertion message."""
    return (
        f"exit code {result.returncode}\n"
        f"--- stdout (tail) ---\n{result.stdout[-4000:]}\n"
        f"--- stderr (tail) ---\n{result.stderr[-4000:]}"
    )


def run_main(
    capsys: pytest.CaptureFixture[str], main: Callable[[list[str]], int], *arguments: str
) -> tuple[int, str, str]:
    """A command line's ``main`` in this process: its exit code, stdout and stderr."""
    code = main(list(arguments))
    out, err = capsys.readouterr()
    return code, out, err


def loaders_cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    """``python -m loaders ARGUMENTS`` in this process: exit code, stdout, stderr."""
    return run_main(capsys, loaders_main, *arguments)


def metrics_cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    """``python -m metrics ARGUMENTS`` in this process: exit code, stdout, stderr."""
    return run_main(capsys, metrics_main, *arguments)
