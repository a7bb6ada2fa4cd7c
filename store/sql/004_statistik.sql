-- Official statistics tables (the GENESIS family), stored in long form beside the KIM figures.
-- One row per upload of a table; its values; the view of the current values: per table, Merkmal,
-- region and period the value of the newest Stand (of equal Stand, the later upload) among the
-- uploads not undone. So a newer Stand replaces the values it carries, and the same table loaded
-- again replaces its rows, never adds to them.
CREATE SEQUENCE statistik_upload_seq START 1;

CREATE TABLE statistik_upload (
    upload_id   INTEGER PRIMARY KEY,
    tabelle     VARCHAR NOT NULL,      -- table code as exported ('12411-15i')
    titel       VARCHAR NOT NULL,
    stand       TIMESTAMP,             -- 'Stand:' of the footer, NULL when the export has none
    quelle      VARCHAR NOT NULL,      -- the © line(s) of the footer, for the attribution
    datei       VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    zeilen      INTEGER NOT NULL,      -- values stored
    benutzer    VARCHAR NOT NULL,
    zeit        TIMESTAMPTZ NOT NULL,
    status      VARCHAR NOT NULL,      -- 'accepted' or 'undone'
    meldungen   JSON,                  -- the notes shown at upload
    archiv      VARCHAR NOT NULL       -- the original, relative to the archive folder
);

CREATE TABLE statistik_wert (
    upload_id    INTEGER NOT NULL,
    tabelle      VARCHAR NOT NULL,
    merkmal      VARCHAR NOT NULL,     -- header labels top to bottom, then the row's category labels
    region       VARCHAR NOT NULL,     -- '05978' or a Kommune's 8-digit AGS
    periode      VARCHAR NOT NULL,     -- 'YYYY-MM' for a Stichtag, 'YYYY' for a year
    wert         DECIMAL(38, 10),      -- NULL when the symbol says there is no value
    symbol       VARCHAR,              -- '-', '.', 'x', '...', '/', '()' or NULL
    excel_zeile  INTEGER NOT NULL
);

CREATE VIEW v_statistik AS
SELECT w.tabelle, w.merkmal, w.region, w.periode, w.wert, w.symbol, u.stand, u.titel, u.quelle, w.upload_id
FROM statistik_wert w JOIN statistik_upload u USING (upload_id)
WHERE u.status = 'accepted'
QUALIFY row_number() OVER (
    PARTITION BY w.tabelle, w.merkmal, w.region, w.periode
    ORDER BY u.stand DESC NULLS LAST, w.upload_id DESC) = 1;
