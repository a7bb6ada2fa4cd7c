"""Security defaults that must not regress: XSRF, upload limit, no raw HTML, no secrets or data in git."""

from __future__ import annotations

import re
import subprocess
import tomllib

from core.settings import max_upload_bytes
from tests.helpers.paths import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit/config.toml").read_text(encoding="utf-8"))


def tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return listed.stdout.splitlines()


def test_xsrf_and_cors_protection_are_on() -> None:
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["enableCORS"] is True


def test_a_file_over_the_apps_limit_reaches_the_apps_german_refusal() -> None:
    """Issue 10: the server's limit was the app's own (50 MB), so that the upload field refused a
    larger file itself, in English ("File must be 50.0MB or smaller."). The server and the field
    take twice the app's limit; the app's check refuses what lies above its own in German."""
    from ui.uploads import transfer_limit_mb

    assert max_upload_bytes() // (1024 * 1024) == 50
    assert CONFIG["server"]["maxUploadSize"] == 100
    assert transfer_limit_mb(CONFIG["server"]["maxUploadSize"]) == 100


def test_no_error_details_and_no_usage_statistics_leave_the_app() -> None:
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["browser"]["gatherUsageStats"] is False


# The Sitzungsmodus' style sheet and arrow-key script, the style sheet without motion and the
# Übersicht cards' style sheet: fixed text, no data or user text in it.
STATIC_HTML = "ui/projector.py"


def test_no_code_renders_raw_html() -> None:
    offenders = [
        path
        for path in tracked_files()
        if path.endswith(".py")
        and path not in ("tests/test_security_defaults.py", STATIC_HTML)
        and re.search(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.html\(", (ROOT / path).read_text("utf-8"))
    ]
    assert offenders == []


def test_the_only_raw_html_is_fixed_text() -> None:
    """The style sheet and script of the Sitzungsmodus are constants: nothing is put into them."""
    from ui import projector

    source = (ROOT / STATIC_HTML).read_text("utf-8")
    assert re.findall(r"st\.html\((\w+(?:\.\w+)*)", source) == ["STILL", "CARDS", "LARGE_TYPE", "ARROW_KEYS"]
    assert not re.search(r"\bf\"\"\"|\.format\(|%\s*\(", source)
    fixed = projector.STILL + projector.CARDS + projector.LARGE_TYPE + projector.ARROW_KEYS
    assert "http" not in fixed and "url(" not in fixed  # loads nothing from anywhere


def test_no_secret_database_user_file_or_upload_is_tracked() -> None:
    forbidden = re.compile(
        r"(^|/)secrets\.toml$|\.duckdb(\.wal)?$|(^|/)benutzer\.json$|\.jsonl$|^data/(archive|uploads|demo|sicherungen)/"
        r"|\.schluessel$|\.anker$|(^|/)anmeldeversuche\.sqlite"
    )
    assert [path for path in tracked_files() if forbidden.search(path)] == []
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    for pattern in (
        ".streamlit/secrets.toml",
        "data/benutzer.json",
        "data/*.jsonl",
        "data/archive/",
        "*.duckdb",
        "*.schluessel",  # the audit log's key
        "*.anker",
        "anmeldeversuche.sqlite*",
    ):
        assert pattern in ignored


def test_no_tracked_file_holds_a_credential() -> None:
    credential = re.compile(
        r"(client_secret|cookie_secret|password|passwort)\s*=\s*[\"'][^\"']{6,}[\"']", re.IGNORECASE
    )
    offenders = [
        path
        for path in tracked_files()
        if (ROOT / path).is_file()
        and not path.startswith("tests/")  # synthetic test passwords
        and credential.search((ROOT / path).read_text("utf-8", errors="ignore"))
    ]
    assert offenders == []


def test_the_run_command_binds_to_localhost_only() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile[makefile.index("\nrun:") : makefile.index("\nlint:")]
    assert "--server.address localhost" in run and "streamlit run server.py" in run
