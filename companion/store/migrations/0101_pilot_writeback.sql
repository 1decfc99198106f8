-- Pilot: write-back outcome counts folded incrementally per 15-minute slot of the note's first approval (every
-- UTC offset is a multiple of 15 minutes, so clinic-day windows stay exact), so the dashboard never re-joins
-- every write-back result.

CREATE INDEX pilot_note_stats_by_approval ON pilot_note_stats (approval_id);

CREATE TABLE pilot_writeback_counts (
    slot          INTEGER NOT NULL,
    pims          TEXT NOT NULL,
    map_id        TEXT NOT NULL,
    map_version   TEXT NOT NULL,
    field         TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (slot, pims, map_id, map_version, field, outcome)
) WITHOUT ROWID;
