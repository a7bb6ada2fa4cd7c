-- The disclosure model's result (metrics/disclosure.py), stored by the write that changed the data
-- (actions/published.py), so that a reader need not compute it again. Derived data: valid only while
-- its key equals the state it was computed from (data, catalogue, code); never part of a snapshot.
CREATE TABLE offenlegung (
    teil        VARCHAR PRIMARY KEY,   -- 'rows', 'categories', 'values.month', …
    schluessel  VARCHAR NOT NULL,      -- metrics.stored.state_key of the state it was computed from
    daten       BLOB NOT NULL          -- the frame as an Arrow IPC stream
);
