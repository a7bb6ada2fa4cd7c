-- Uploads of official tables join the one upload history: their ids come from the same sequence as
-- every other upload (so that "Upload 7" names one upload, whatever it holds, for history and undo),
-- and an undo records who made it and when, as for every other upload.
ALTER TABLE statistik_upload ADD COLUMN rueckgaengig_von VARCHAR;
ALTER TABLE statistik_upload ADD COLUMN rueckgaengig_zeit TIMESTAMPTZ;

-- Uploads stored before this migration were numbered by their own sequence: they get numbers after
-- every other upload, in their order, and the shared sequence continues after them.
CREATE TEMP TABLE statistik_nummern AS
SELECT upload_id AS alt,
       greatest(
           (SELECT coalesce(max(upload_id), 0) FROM upload),
           (SELECT coalesce(max(last_value), 0) FROM duckdb_sequences() WHERE sequence_name = 'upload_seq')
       ) + row_number() OVER (ORDER BY upload_id) AS neu
FROM statistik_upload;
UPDATE statistik_wert SET upload_id = n.neu FROM statistik_nummern n WHERE statistik_wert.upload_id = n.alt;
UPDATE statistik_upload SET upload_id = n.neu FROM statistik_nummern n WHERE statistik_upload.upload_id = n.alt;
SELECT max(nextval('upload_seq')) FROM statistik_nummern;
DROP TABLE statistik_nummern;
