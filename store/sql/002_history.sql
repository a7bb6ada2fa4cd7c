-- The upload log in full: what an upload was given (to replay it), where its original is archived,
-- and who undid it when. The event log beside the archive holds the same, to rebuild from.
ALTER TABLE upload ADD COLUMN archiv VARCHAR;               -- the original, relative to the archive folder
ALTER TABLE upload ADD COLUMN angabe_quelle VARCHAR;        -- given with the upload (--source), else NULL
ALTER TABLE upload ADD COLUMN angabe_kommune VARCHAR;       -- given with the upload (--kommune), as typed
ALTER TABLE upload ADD COLUMN angabe_monat VARCHAR;         -- given with the upload (--month), as typed
ALTER TABLE upload ADD COLUMN rueckgaengig_von VARCHAR;     -- who undid it (status 'undone')
ALTER TABLE upload ADD COLUMN rueckgaengig_zeit TIMESTAMPTZ;
