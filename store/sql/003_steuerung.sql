-- Steering data of the Lenkungskreis: targets set or confirmed in the app, frozen meetings
-- (Sitzungen) with their figures, and the analysts' comments (Anmerkungen).
CREATE TABLE zielwert (
    kennzahl    VARCHAR NOT NULL,
    kommune     VARCHAR,               -- NULL: every region
    gueltig_ab  DATE,                  -- NULL: from the beginning
    zielwert    DECIMAL(18, 3) NOT NULL,
    bestaetigt  BOOLEAN NOT NULL,      -- decided by the Lenkungskreis (else a proposal)
    benutzer    VARCHAR NOT NULL,
    zeit        TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE sitzung_seq START 1;
CREATE TABLE sitzung (
    sitzung_id       INTEGER PRIMARY KEY,
    datum            DATE NOT NULL,
    katalog_version  VARCHAR NOT NULL,
    benutzer         VARCHAR NOT NULL,
    zeit             TIMESTAMPTZ NOT NULL
);
-- The published figures as shown at the meeting (months and quarters).
CREATE TABLE sitzung_wert (
    sitzung_id    INTEGER NOT NULL,
    periode_art   VARCHAR NOT NULL,
    kennzahl      VARCHAR NOT NULL,
    kommune       VARCHAR NOT NULL,
    periode       VARCHAR NOT NULL,
    wert          DOUBLE,
    unterdrueckt  BOOLEAN NOT NULL,
    ampel         VARCHAR NOT NULL
);

CREATE SEQUENCE anmerkung_seq START 1;
CREATE TABLE anmerkung (
    anmerkung_id  INTEGER PRIMARY KEY,
    kennzahl      VARCHAR NOT NULL,
    kommune       VARCHAR NOT NULL,
    periode       VARCHAR NOT NULL,   -- '2026-09', '2026-Q3' or '2026'
    text          VARCHAR NOT NULL,
    benutzer      VARCHAR NOT NULL,
    zeit          TIMESTAMPTZ NOT NULL,
    geloescht     BOOLEAN NOT NULL DEFAULT false
);
