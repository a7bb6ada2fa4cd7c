"""Colours of every chart, in the app and in the briefing (no streamlit or plotly here).

Okabe–Ito hues (distinguishable with the common colour-vision deficiencies), darkened to ≥ 4,6:1
on white: blue #0072B2 (5,2:1 as it is), orange #E69F00 → #9C6C00, bluish green #009E73 →
#008460, vermillion #D55E00 → #BE5400, reddish purple #CC79A7 → #BB4D8A, and black.
"""

PALETTE = ["#0072B2", "#9C6C00", "#008460", "#BE5400", "#BB4D8A", "#000000"]
TEXT = "#31333F"  # Streamlit's text colour: 12,5:1 on white
GREY = "#555555"  # target and meeting lines: 7,5:1 on white
MISSING = "#EEEEEE"  # tile of a hidden or missing value (black text on it: 18:1)
