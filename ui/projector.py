"""The Sitzungsmodus on a projector: large type, and the arrow keys ← → for the buttons; a page
without motion for every page; and the compact cards of the Übersicht.

Streamlit has neither a setting for the type size of one page, nor key events, nor one to switch
off its animations, so these are given as fixed text here — style sheets and a small script,
constants without any data or user text in them, which load nothing from anywhere. This is the
app's only raw HTML (see tests/test_security_defaults.py). The script stays in the browser tab: it clicks the page's own
buttons "← Voriger Leitsatz" and "Nächster Leitsatz →" (found by their keys) when ← or → is
pressed outside a text field, and scrolls the page to its top when either is used, so that every
Leitsatz opens at its top.
"""

from __future__ import annotations

import streamlit as st

PREVIOUS_KEY = "sitzung_zurueck"
NEXT_KEY = "sitzung_weiter"
BOARD_KEY = "sitzung_tafel"

# Sizes follow the screen (vw, vh), so one Leitsatz fills a 1920×1080 and a 1280×720 projector alike.
LARGE_TYPE = """<style>
.st-key-sitzung_tafel table { width: 100%; font-size: min(1.45vw, 2.9vh); line-height: 1.15; margin: 0; }
.st-key-sitzung_tafel th { font-size: 0.75em; padding: 0.15em 0.5em; }
.st-key-sitzung_tafel td { padding: 0.12em 0.5em; vertical-align: middle; }
.st-key-sitzung_tafel td:nth-child(2) { font-size: 1.25em; font-weight: 700; white-space: nowrap; }
.st-key-sitzung_tafel td:nth-child(3) { white-space: nowrap; }
.st-key-sitzung_tafel td:nth-child(3) span { font-size: 0.85em !important; }
.st-key-sitzung_tafel td:nth-child(4), .st-key-sitzung_tafel td:nth-child(5) { white-space: nowrap; }
.st-key-sitzung_kopf h1 { font-size: min(1.75vw, 3.5vh) !important; line-height: 1.15; padding: 0 !important; }
.st-key-sitzung_kopf [data-testid="stMarkdown"] span { font-size: min(1.1vw, 2.2vh) !important; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem !important; padding-bottom: 1rem !important; }
</style>"""

ARROW_KEYS = """<script>
(() => {
  const root = window.parent && window.parent.document ? window.parent.document : document;
  const view = root.defaultView || window;
  if (view.__kimSitzungKeys) return;
  view.__kimSitzungKeys = true;
  const toTop = () => {
    const main = root.querySelector('[data-testid="stMain"]');
    if (main) main.scrollTo(0, 0);
    view.scrollTo(0, 0);
  };
  root.addEventListener('click', (event) => {
    const target = event.target;
    if (target && target.closest && target.closest('.st-key-sitzung_zurueck, .st-key-sitzung_weiter')) toTop();
  }, true);
  root.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const key = {ArrowLeft: 'sitzung_zurueck', ArrowRight: 'sitzung_weiter'}[event.key];
    if (!key) return;
    const target = event.target;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
        || ['combobox', 'slider', 'textbox', 'spinbutton', 'listbox'].includes(target.getAttribute && target.getAttribute('role')))) return;
    const button = root.querySelector('.st-key-' + key + ' button');
    if (!button || button.disabled) return;
    event.preventDefault();
    toTop();
    button.click();
  });
})();
</script>"""


# Streamlit animates while a page arrives: the running indicator, placeholders, elements fading in
# and out. A browser without graphics acceleration (virtual desktops; this 2-core machine) repaints
# the window for every frame of it: a new session's Übersicht cost chromium 10–10,6 CPU seconds with
# the motion and 4,6–6,6 without (load 16–25; with animations only shortened to 0,01 ms: 6,3–7,1).
# So nothing moves: no animation, no transition.
STILL = """<style>
*, *::before, *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
</style>"""


# The Übersicht's cards are one Markdown text each (ui.widgets.card_text), since every element costs
# a new session's browser time: the indicator on one line (cut with "…", as st.metric did), the
# value in large type, the lines close together and the help mark in the card's top right corner.
CARDS = """<style>
[class*="st-key-uebersicht_karten_"] [data-testid="stMarkdownContainer"] { position: relative; }
[class*="st-key-uebersicht_karten_"] [data-testid="stMarkdownContainer"] p { margin: 0 0 0.35rem 0; }
[class*="st-key-uebersicht_karten_"] [data-testid="stMarkdownContainer"] > p:first-child {
  font-size: 0.875rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; padding-right: 1.5rem; }
[class*="st-key-uebersicht_karten_"] h3 { font-size: 2.25rem; font-weight: 400; line-height: 1.2; padding: 0 0 0.25rem 0; }
[class*="st-key-uebersicht_karten_"] [data-testid="stMarkdownContainer"] p:has(> img) { margin: 0.5rem 0 0 0; line-height: 0; }
[class*="st-key-uebersicht_karten_"] img { display: block; width: 100%; height: auto; }
[class*="st-key-uebersicht_karten_"] [data-testid="stMarkdownContainer"] :has([data-testid="stTooltipIcon"]) { position: static; transform: none; }
[class*="st-key-uebersicht_karten_"] [data-testid="stTooltipIcon"] { position: absolute; top: 0; right: 0; }
</style>"""


def still() -> None:
    """Every page without motion (see STILL; takes no room on the page)."""
    st.html(STILL)


def cards() -> None:
    """The style sheet of the Übersicht's cards (takes no room on the page)."""
    st.html(CARDS)


def large_type() -> None:
    """The style sheet of the Sitzungsmodus (takes no room on the page)."""
    st.html(LARGE_TYPE)


def arrow_keys() -> None:
    """The script for ← and →; call it at the end of the page."""
    st.html(ARROW_KEYS, unsafe_allow_javascript=True)
