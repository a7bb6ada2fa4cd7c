-- Core tables: upload log, partition history and the pointer to each partition's current version.
CREATE SEQUENCE upload_seq START 1;

CREATE TABLE upload (
    upload_id   INTEGER PRIMARY KEY,
    datei       VARCHAR NOT NULL,      -- file name as uploaded
    sha256      VARCHAR NOT NULL,
    quelle      VARCHAR NOT NULL,
    zeilen      INTEGER NOT NULL,      -- rows stored
    benutzer    VARCHAR NOT NULL,
    zeit        TIMESTAMPTZ NOT NULL,
    status      VARCHAR NOT NULL,      -- 'accepted' or 'undone'
    warnungen   INTEGER NOT NULL DEFAULT 0,
    meldungen   JSON                   -- warnings shown at upload (never quoting personal data)
);

-- One row per partition an upload replaced: which version it replaced, for history and undo.
CREATE TABLE upload_partition (
    upload_id          INTEGER NOT NULL,
    quelle             VARCHAR NOT NULL,
    kommune            VARCHAR NOT NULL,
    monat              DATE NOT NULL,
    zeilen             INTEGER NOT NULL,
    vorher_upload_id   INTEGER           -- NULL: the partition was empty before
);

-- The version each (quelle, kommune, monat) partition currently shows.
CREATE TABLE partition_aktuell (
    quelle     VARCHAR NOT NULL,
    kommune    VARCHAR NOT NULL,
    monat      DATE NOT NULL,
    upload_id  INTEGER NOT NULL
);

CREATE TABLE meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
