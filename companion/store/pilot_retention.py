"""Retention: purge transcripts (and transcript-derived engine output) older than the practice's limit.

Approved notes, approvals, write-back results and the audit log are kept. Deleted text must not survive anywhere
in the file: secure_delete zeroes freed pages, the WAL is checkpointed and truncated, and VACUUM rebuilds the file.
"""

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from companion.store import audit
from companion.store import db as dbmod
from companion.store import pilot as pilot_store
from companion.store.db import Database


def purge(db: Database, actor: str, *, retention_days: int | None = None) -> dict:
    """Delete expired transcripts, then compact the file so no deleted byte survives (CLI and direct use)."""
    result = delete_expired(db, actor, retention_days=retention_days)
    compact(db.path)
    return result


def delete_expired(db: Database, actor: str, *, retention_days: int | None = None) -> dict:
    """The transactional half of a purge (safe inside the server's group-commit batch); audited even when empty."""
    settings = pilot_store.get_settings(db)
    days = retention_days if retention_days is not None else settings.retention_days
    if days < 1:
        raise ValueError("retention must be at least one day")
    now = datetime.fromisoformat(dbmod.utc_now())
    cutoff = (now - timedelta(days=days)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    # fold approvals into the pilot statistics first: the first-transcript time must outlive the transcript
    pilot_store.refresh_note_stats(db)
    with db.transaction() as conn:
        previous = conn.execute("PRAGMA secure_delete").fetchone()[0]
        conn.execute("PRAGMA secure_delete=ON")  # zero the deleted cells and freed pages as they are written
        try:
            result = _delete(conn, actor, cutoff, days)
        finally:
            conn.execute(f"PRAGMA secure_delete={int(previous)}")
    return result


def compact(path: Path) -> None:
    """Checkpoint and truncate the WAL, VACUUM, and truncate again, on a connection of its own.

    VACUUM and a truncating checkpoint cannot run inside a transaction, and the server's writer connection is
    always inside its group-commit batch; SQLite's locks (with a busy timeout) serialise this with the writer.
    """
    conn = sqlite3.connect(path, isolation_level=None, timeout=30.0)
    try:
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _delete(conn: sqlite3.Connection, actor: str, cutoff: str, days: int) -> dict:
    encounters = conn.execute(
        "SELECT COUNT(DISTINCT encounter_id) FROM transcript_segments WHERE created_at < ?", (cutoff,)
    ).fetchone()[0]
    segments = conn.execute("DELETE FROM transcript_segments WHERE created_at < ?", (cutoff,)).rowcount
    # engine output carries provenance quotes from the transcript; the drafted sections themselves stay
    engine = conn.execute(
        "UPDATE note_revisions SET engine_json = NULL WHERE engine_json IS NOT NULL AND created_at < ?", (cutoff,)
    ).rowcount
    result = {"cutoff": cutoff, "retention_days": days, "encounters": encounters, "segments": segments,
              "engine_outputs": engine}
    audit.append(conn, actor, "retention.purged", "store", "transcripts", result)
    return result


AUTOPURGE_EVERY_S = 3600
LAST_AUTOPURGE_KEY = pilot_store.LAST_AUTOPURGE_KEY


def autopurge_delete(db: Database) -> dict | None:
    """The hourly automatic purge's delete (None when switched off or not due); the caller then compacts."""
    settings = pilot_store.get_settings(db)
    if not settings.auto_purge:
        return None
    now = datetime.fromisoformat(dbmod.utc_now())
    with db.transaction() as conn:
        row = conn.execute("SELECT value_json FROM pilot_settings WHERE key = ?", (LAST_AUTOPURGE_KEY,)).fetchone()
        if row is not None and (now - datetime.fromisoformat(json.loads(row[0]))).total_seconds() < AUTOPURGE_EVERY_S:
            return None
        conn.execute(
            "INSERT INTO pilot_settings(key, value_json, updated_by, updated_at) VALUES (?, ?, 'auto', ?)"
            " ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at",
            (LAST_AUTOPURGE_KEY, json.dumps(now.isoformat()), now.isoformat()),
        )
    return delete_expired(db, "auto")


def needs_compaction(result: dict | None) -> bool:
    """True when a delete removed something the file may still hold."""
    return bool(result and (result["segments"] or result["engine_outputs"]))
