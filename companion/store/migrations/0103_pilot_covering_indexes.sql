-- Pilot: covering indexes for the two dashboard scans (per-note rows of a window, per-section sums), so SQLite
-- answers them from the index alone (no table lookups, no sort for the GROUP BY).

DROP INDEX pilot_note_stats_by_day;
CREATE INDEX pilot_note_stats_window ON pilot_note_stats (first_approved_at, clinician, created_at, scribe,
    first_transcript_at, draft_chars, edit_distance, error_tags_json);

DROP INDEX pilot_section_edits_by_day;
CREATE INDEX pilot_section_edits_sums ON pilot_section_edits (scribe, clinician, section, first_approved_at,
    draft_chars, distance);
