"""A small hand-counted case list: Bergkamen, September 2026, for the breakdown tests
(tests/metrics/test_breakdowns.py)."""

from __future__ import annotations

HEADER = "fall_id,kommune,monat,fallbeginn,fallende,abschlussgrund,zuzugsjahr,rechtskreis,handlungsfelder\n"
# Bergkamen, September 2026: seven cases; F7 ended in September (not active at the month's end).
CASES = """F1,05978004,2026-09,2026-03-01,,,2023,SGB II,sprache;arbeit
F2,05978004,2026-09,2026-04-01,,,2022,SGB II,sprache
F3,05978004,2026-09,2026-05-01,,,2024,SGB II,arbeit
F4,05978004,2026-09,2026-09-03,,,2025,SGB XII,wohnen;sprache
F5,05978004,2026-09,2026-09-10,,,2025,AsylbLG,sprache
F6,05978004,2026-09,2026-09-12,,,2025,,gesundheit
F7,05978004,2026-09,2026-01-01,2026-09-20,ziel_erreicht,2021,SGB II,arbeit
"""
