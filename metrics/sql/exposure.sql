-- Which atoms (part, Kommune, month) each published figure adds up: one row per figure component
-- and atom. It mirrors compute.py's rules exactly: a month counts for a flow when every flow part of
-- the indicator is present; a stock is its period's last month; a Kommune contributes to a region
-- when it has the numerator and, if there is one, the denominator (a median: when it delivered).
-- Inputs (temp tables): parts(kennzahl, kommune, monat, num, den, num_mode, den_mode),
-- all_periods(art, periode, monat, last_month), regions(region, kommune),
-- sensitive(kennzahl, comp, part).
WITH flags AS (
    SELECT l.*, p.art, p.periode, p.last_month,
           (l.num_mode IN ('sum', 'mean') AND l.num IS NULL) OR (l.den_mode IN ('sum', 'mean') AND l.den IS NULL)
               AS flow_gap
    FROM parts l JOIN all_periods p USING (monat)
),
per_kommune AS (
    SELECT kennzahl, kommune, art, periode,
           CASE any_value(num_mode) WHEN 'none' THEN NULL
               WHEN 'last' THEN max(num) FILTER (WHERE monat = last_month)
               ELSE sum(num) FILTER (WHERE NOT flow_gap) END AS num,
           CASE any_value(den_mode) WHEN 'none' THEN NULL
               WHEN 'last' THEN max(den) FILTER (WHERE monat = last_month)
               ELSE sum(den) FILTER (WHERE NOT flow_gap) END AS den,
           any_value(num_mode) AS num_mode, any_value(den_mode) AS den_mode
    FROM flags
    GROUP BY kennzahl, kommune, art, periode
),
contributors AS (
    SELECT kennzahl, kommune, art, periode FROM per_kommune
    WHERE (num_mode = 'none' AND den IS NOT NULL)
       OR (num_mode <> 'none' AND num IS NOT NULL AND (den_mode = 'none' OR den IS NOT NULL))
),
atoms AS (
    SELECT kennzahl, kommune, art, periode, 'num' AS comp, monat, num AS wert FROM flags
    WHERE num IS NOT NULL AND CASE num_mode WHEN 'last' THEN monat = last_month ELSE NOT flow_gap END
    UNION ALL
    SELECT kennzahl, kommune, art, periode, 'den' AS comp, monat, den AS wert FROM flags
    WHERE den IS NOT NULL AND CASE den_mode WHEN 'last' THEN monat = last_month ELSE NOT flow_gap END
)
SELECT a.kennzahl, r.region, a.art, a.periode, a.comp, s.part, a.kommune, a.monat, CAST(a.wert AS DOUBLE) AS wert
FROM atoms a
JOIN sensitive s USING (kennzahl, comp)
JOIN contributors c USING (kennzahl, kommune, art, periode)
JOIN regions r USING (kommune)
