"""Retention: purge transcripts (and transcript-derived engine output) older than the practice's limit.

Approved notes, approvals, write-back results and the audit log are kept. Deleted text must not survive anywhere
in the file: secure_delete zeroes freed pages, the WAL is checkpointed and truncated, and VACUUM rebuilds the file.
"""

from datetime import datetime, timedelta

from companion.store import audit
from companion.store import db as dbmod
from companion.store import pilot as pilot_store
from companion.store.db import Database


def purge(db: Database, actor: str, *, retention_days: int | None = None) -> dict:
    """Delete transcript segments older than the retention limit; audited even when nothing was due."""
    settings = pilot_store.get_settings(db)
    days = retention_days if retention_days is not None else settings.retention_days
    if days < 1:
        raise ValueError("retention must be at least one day")
    now = datetime.fromisoformat(dbmod.utc_now())
    cutoff = (now - timedelta(days=days)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    # fold approvals into the pilot statistics first: the first-transcript time must outlive the transcript
    pilot_store.refresh_note_stats(db)
    with db._lock:  # noqa: SLF001 — secure_delete is per connection and must wrap exactly this delete
        previous = db.conn.execute("PRAGMA secure_delete").fetchone()[0]
        db.conn.execute("PRAGMA secure_delete=ON")
        try:
            result = _delete(db, actor, cutoff, days)
            db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if result["segments"] or result["engine_outputs"]:
                db.conn.execute("VACUUM")
                db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.conn.execute(f"PRAGMA secure_delete={int(previous)}")
    return result


def _delete(db: Database, actor: str, cutoff: str, days: int) -> dict:
    with db.transaction() as conn:
        encounters = conn.execute(
            "SELECT COUNT(DISTINCT encounter_id) FROM transcript_segments WHERE created_at < ?", (cutoff,)
        ).fetchone()[0]
        segments = conn.execute("DELETE FROM transcript_segments WHERE created_at < ?", (cutoff,)).rowcount
        # engine output carries provenance quotes from the transcript; the drafted sections themselves stay
        engine = conn.execute(
            "UPDATE note_revisions SET engine_json = NULL WHERE engine_json IS NOT NULL AND created_at < ?",
            (cutoff,),
        ).rowcount
        result = {"cutoff": cutoff, "retention_days": days, "encounters": encounters, "segments": segments,
                  "engine_outputs": engine}
        audit.append(conn, actor, "retention.purged", "store", "transcripts", result)
    return result


AUTOPURGE_EVERY_S = 3600
LAST_AUTOPURGE_KEY = "last_autopurge"


def maybe_autopurge(db: Database) -> dict | None:
    """Purge when automatic purging is on and the last automatic run is over an hour old; cheap otherwise."""
    settings = pilot_store.get_settings(db)
    if not settings.auto_purge:
        return None
    now = datetime.fromisoformat(dbmod.utc_now())
    with db.reading() as conn:
        row = conn.execute("SELECT value_json FROM pilot_settings WHERE key = ?", (LAST_AUTOPURGE_KEY,)).fetchone()
    if row is not None and (now - datetime.fromisoformat(row["value_json"].strip('"'))).total_seconds() < AUTOPURGE_EVERY_S:
        return None
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO pilot_settings(key, value_json, updated_by, updated_at) VALUES (?, ?, 'auto', ?)"
            " ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at",
            (LAST_AUTOPURGE_KEY, f'"{now.isoformat()}"', now.isoformat()),
        )
    return purge(db, "auto")
