-- Pilot: per-note edit totals as columns and per-section edits as rows, so the dashboard aggregates them in SQL
-- instead of decoding one JSON list per note. Backfilled from the JSON kept in pilot_note_stats.edits_json.

ALTER TABLE pilot_note_stats ADD COLUMN draft_chars INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pilot_note_stats ADD COLUMN edit_distance INTEGER NOT NULL DEFAULT 0;

CREATE TABLE pilot_section_edits (
    encounter_id      TEXT NOT NULL,
    section           TEXT NOT NULL,
    clinician         TEXT NOT NULL,
    scribe            INTEGER NOT NULL,
    first_approved_at REAL NOT NULL,
    draft_chars       INTEGER NOT NULL,
    distance          INTEGER NOT NULL,
    PRIMARY KEY (encounter_id, section)
) WITHOUT ROWID;
CREATE INDEX pilot_section_edits_by_day ON pilot_section_edits (first_approved_at);

UPDATE pilot_note_stats SET
    draft_chars = (SELECT COALESCE(SUM(json_extract(value, '$[1]')), 0) FROM json_each(edits_json)),
    edit_distance = (SELECT COALESCE(SUM(json_extract(value, '$[2]')), 0) FROM json_each(edits_json));

INSERT INTO pilot_section_edits(encounter_id, section, clinician, scribe, first_approved_at, draft_chars, distance)
SELECT s.encounter_id, json_extract(j.value, '$[0]'), s.clinician, s.scribe, s.first_approved_at,
       json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]')
FROM pilot_note_stats s, json_each(s.edits_json) j;
