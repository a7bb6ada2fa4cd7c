-- Parsing of delivered cell texts, used by the validator on its own in-memory connection.
-- Official-statistics symbols: '*' and '.' mean suppressed (missing, flagged); '-' and '–' mean 0;
-- 'x' (not applicable), 'k.A.' and an empty cell mean missing.
CREATE MACRO kim_blank(s) AS s IS NULL OR s IN ('', 'k.A.', 'k. A.', 'kA', 'x', 'X');
CREATE MACRO kim_secret(s) AS s IN ('*', '.');
CREATE MACRO kim_dash(s) AS s IN ('-', '–', '—');
-- German numbers: '1.234' and '1.234,5' (thousands dots), '12,5' (decimal comma); '12.5' is read
-- with a decimal point only when it is not a thousands grouping.
CREATE MACRO kim_num(s) AS CASE
    WHEN kim_dash(s) THEN 0::DECIMAL(38, 6)
    WHEN regexp_full_match(s, '-?\d{1,3}(\.\d{3})+(,\d+)?')
        THEN TRY_CAST(replace(replace(s, '.', ''), ',', '.') AS DECIMAL(38, 6))
    WHEN regexp_full_match(s, '-?\d+(,\d+)?') THEN TRY_CAST(replace(s, ',', '.') AS DECIMAL(38, 6))
    WHEN regexp_full_match(s, '-?\d+\.\d+') THEN TRY_CAST(s AS DECIMAL(38, 6))
END;
-- Dates: ISO (also from Excel date cells), 01.10.2026 and 1.10.26 (always day before month; a
-- two-digit year is 20xx).
CREATE MACRO kim_date(s) AS CASE
    WHEN regexp_full_match(s, '\d{1,2}\.\d{1,2}\.\d{2}') THEN try_strptime(s, '%d.%m.%y')
    ELSE coalesce(
        try_strptime(s, '%Y-%m-%d'),
        try_strptime(s, '%d.%m.%Y'),
        try_strptime(s, '%Y-%m-%d %H:%M:%S')
    )
END::DATE;
