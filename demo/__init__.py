"""The synthetic demo data set: realistic exports of every source, loaded through the real ingest."""
