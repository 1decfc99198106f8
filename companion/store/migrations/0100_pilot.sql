-- Pilot and governance: practice settings, client consent per encounter, daily satisfaction, per-note pilot
-- statistics (kept after transcripts are purged), blind reviews and their ratings.

CREATE TABLE pilot_settings (
    key           TEXT PRIMARY KEY,
    value_json    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Who confirmed the client's consent to recording, and when; one row per encounter.
CREATE TABLE pilot_consents (
    encounter_id  TEXT PRIMARY KEY REFERENCES encounters (id),
    rule          TEXT NOT NULL CHECK (rule IN ('one_party', 'all_party')),
    confirmed_by  TEXT NOT NULL,
    method        TEXT NOT NULL,
    confirmed_at  TEXT NOT NULL,
    recorded_by   TEXT NOT NULL
);

CREATE TABLE pilot_satisfaction (
    clinician     TEXT NOT NULL,
    day           TEXT NOT NULL,
    score         INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    recorded_by   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (clinician, day)
);

-- One row per approved encounter, refreshed from the latest approval; times are POSIX seconds. Derived data:
-- it holds lengths and distances, never note or transcript text.
CREATE TABLE pilot_note_stats (
    encounter_id        TEXT PRIMARY KEY REFERENCES encounters (id),
    approval_id         TEXT NOT NULL,
    clinician           TEXT NOT NULL,
    pims                TEXT NOT NULL,
    map_id              TEXT,
    map_version         TEXT,
    scribe              INTEGER NOT NULL,
    created_at          REAL NOT NULL,
    first_transcript_at REAL,
    first_approved_at   REAL NOT NULL,
    edits_json          TEXT NOT NULL,
    error_tags_json     TEXT NOT NULL
);
CREATE INDEX pilot_note_stats_by_day ON pilot_note_stats (first_approved_at);

CREATE TABLE pilot_blind_reviews (
    id            TEXT PRIMARY KEY,
    key_json      TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE pilot_blind_ratings (
    review_id       TEXT NOT NULL REFERENCES pilot_blind_reviews (id),
    code            TEXT NOT NULL,
    completeness    INTEGER NOT NULL CHECK (completeness BETWEEN 1 AND 10),
    accuracy        INTEGER NOT NULL CHECK (accuracy BETWEEN 1 AND 10),
    professionalism INTEGER NOT NULL CHECK (professionalism BETWEEN 1 AND 10),
    rated_by        TEXT NOT NULL,
    rated_at        TEXT NOT NULL,
    PRIMARY KEY (review_id, code)
);
