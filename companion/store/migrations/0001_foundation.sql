-- Foundation schema: encounters and everything hanging off them, selector maps, pairing, drift, audit log.

CREATE TABLE encounters (
    id            TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL,
    pims          TEXT NOT NULL,
    map_id        TEXT,
    map_version   INTEGER,
    context_json  TEXT,
    clinician     TEXT,
    state         TEXT NOT NULL CHECK (state IN ('created', 'transcript', 'drafted', 'approved', 'written',
                                                  'partially_written', 'closed')),
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX encounters_by_patient ON encounters (patient_id, created_at);

CREATE TABLE transcript_segments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    encounter_id  TEXT NOT NULL REFERENCES encounters (id),
    seq           INTEGER NOT NULL,
    speaker       TEXT NOT NULL CHECK (speaker IN ('vet', 'tech', 'client', 'other')),
    text          TEXT NOT NULL,
    start_ms      INTEGER,
    end_ms        INTEGER,
    created_at    TEXT NOT NULL,
    UNIQUE (encounter_id, seq)
);

-- Every engine draft and every clinician edit is a new row; nothing is updated in place.
CREATE TABLE note_revisions (
    id                TEXT PRIMARY KEY,
    encounter_id      TEXT NOT NULL REFERENCES encounters (id),
    seq               INTEGER NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('draft', 'edit')),
    base_revision_id  TEXT REFERENCES note_revisions (id),
    sections_json     TEXT NOT NULL,
    engine_json       TEXT,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    UNIQUE (encounter_id, seq)
);

CREATE TABLE approvals (
    id                TEXT PRIMARY KEY,
    encounter_id      TEXT NOT NULL REFERENCES encounters (id),
    revision_id       TEXT NOT NULL REFERENCES note_revisions (id),
    idempotency_key   TEXT NOT NULL,
    request_hash      TEXT NOT NULL,
    error_tags_json   TEXT NOT NULL,
    fill_plan_json    TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    UNIQUE (encounter_id, idempotency_key)
);

CREATE TABLE writeback_reports (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    encounter_id      TEXT NOT NULL REFERENCES encounters (id),
    approval_id       TEXT NOT NULL REFERENCES approvals (id),
    idempotency_key   TEXT NOT NULL,
    request_hash      TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    UNIQUE (encounter_id, idempotency_key)
);

CREATE TABLE writeback_results (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id     INTEGER NOT NULL REFERENCES writeback_reports (id),
    approval_id   TEXT NOT NULL REFERENCES approvals (id),
    section       TEXT NOT NULL,
    field         TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    writer        TEXT,
    strategy      TEXT,
    detail        TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX writeback_results_by_approval ON writeback_results (approval_id);

CREATE TABLE selector_maps (
    map_id        TEXT NOT NULL,
    version       INTEGER NOT NULL,
    display_name  TEXT NOT NULL,
    body_json     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('shipped', 'admin')),
    installed_by  TEXT NOT NULL,
    installed_at  TEXT NOT NULL,
    PRIMARY KEY (map_id, version)
);

CREATE TABLE active_maps (
    map_id        TEXT PRIMARY KEY,
    version       INTEGER NOT NULL,
    chosen_by     TEXT NOT NULL CHECK (chosen_by IN ('system', 'admin')),
    activated_at  TEXT NOT NULL,
    FOREIGN KEY (map_id, version) REFERENCES selector_maps (map_id, version)
);

CREATE TABLE pairing_codes (
    code_hash     TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('clinician', 'admin')),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
);

CREATE TABLE tokens (
    id            TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('clinician', 'admin')),
    created_at    TEXT NOT NULL,
    revoked_at    TEXT
);

CREATE TABLE drift_reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    map_id        TEXT NOT NULL,
    map_version   INTEGER NOT NULL,
    page_kind     TEXT NOT NULL,
    field         TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    strategy      TEXT,
    score         REAL,
    reported_by   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX drift_by_field ON drift_reports (map_id, field, outcome);

-- Append-only, hash-chained: row_hash = sha256(prev_hash || canonical content). audit_head remembers the last
-- row so that deleting rows from the end is detected too.
CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    details_json  TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    row_hash      TEXT NOT NULL
);

CREATE TABLE audit_head (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    seq           INTEGER NOT NULL,
    row_hash      TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
