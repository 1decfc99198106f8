-- Transcript appends may be retried by the extension's outbox: an optional idempotency key makes a retry
-- return the first answer instead of appending the segments twice.
CREATE TABLE transcript_appends (
    encounter_id     TEXT NOT NULL REFERENCES encounters (id),
    idempotency_key  TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    segment_ids_json TEXT NOT NULL,
    state            TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (encounter_id, idempotency_key)
);
