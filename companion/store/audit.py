"""Append-only, hash-chained audit log: each row stores the previous row's digest and its own."""

import hashlib
import json
import sqlite3
from dataclasses import dataclass

from companion.store.db import Database, utc_now

GENESIS_HASH = "0" * 64


def canonical(row: dict) -> str:
    """The exact bytes hashed for a row: sorted keys, no whitespace, so any edit changes the digest."""
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_digest(prev_hash: str, content: dict) -> str:
    """sha256 over the previous digest and this row's canonical content."""
    return hashlib.sha256((prev_hash + canonical(content)).encode("utf-8")).hexdigest()


def _content(seq: int, at: str, actor: str, action: str, entity_type: str, entity_id: str, details_json: str) -> dict:
    return {
        "seq": seq, "at": at, "actor": actor, "action": action,
        "entity_type": entity_type, "entity_id": entity_id, "details": details_json,
    }


def append(conn: sqlite3.Connection, actor: str, action: str, entity_type: str, entity_id: str,
           details: dict | None = None) -> int:
    """Append one row inside the caller's transaction (which holds the write lock, so the chain stays linear)."""
    head = conn.execute("SELECT seq, row_hash FROM audit_head WHERE id = 1").fetchone()
    prev_seq, prev_hash = (head["seq"], head["row_hash"]) if head else (0, GENESIS_HASH)
    seq, at = prev_seq + 1, utc_now()
    details_json = canonical(details or {})
    digest = row_digest(prev_hash, _content(seq, at, actor, action, entity_type, entity_id, details_json))
    conn.execute(
        "INSERT INTO audit_log(seq, at, actor, action, entity_type, entity_id, details_json, prev_hash, row_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, entity_type, entity_id, details_json, prev_hash, digest),
    )
    conn.execute(
        "INSERT INTO audit_head(id, seq, row_hash) VALUES (1, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, row_hash = excluded.row_hash",
        (seq, digest),
    )
    return seq


@dataclass
class VerifyReport:
    """Outcome of `verify`: ok, or the first bad row and what is wrong with it."""

    ok: bool
    rows: int
    bad_seq: int | None = None
    problem: str | None = None


def verify(db: Database) -> VerifyReport:
    """Walk the chain from the first row; report the first tampered, missing or re-linked row."""
    with db.reading() as conn:
        return verify_connection(conn)


def verify_connection(conn: sqlite3.Connection) -> VerifyReport:
    """`verify` on an open connection (rows as sqlite3.Row), e.g. a read-only backup file."""
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
    head = conn.execute("SELECT seq, row_hash FROM audit_head WHERE id = 1").fetchone()
    for row in conn.execute("SELECT * FROM audit_log ORDER BY seq"):
        if row["seq"] != expected_seq:
            return VerifyReport(False, count, expected_seq, f"row {expected_seq} is missing")
        if row["prev_hash"] != expected_prev:
            return VerifyReport(False, count, row["seq"], f"row {row['seq']} does not link to row {row['seq'] - 1}")
        content = _content(row["seq"], row["at"], row["actor"], row["action"], row["entity_type"],
                           row["entity_id"], row["details_json"])
        if row_digest(row["prev_hash"], content) != row["row_hash"]:
            return VerifyReport(False, count, row["seq"], f"row {row['seq']} was modified")
        expected_prev, expected_seq, count = row["row_hash"], expected_seq + 1, count + 1
    head_seq = head["seq"] if head else 0
    if head_seq > count:
        return VerifyReport(False, count, count + 1,
                            f"row {count + 1} is missing (the log ends early; head is {head_seq})")
    if head_seq < count:
        return VerifyReport(False, count, head_seq + 1, f"row {head_seq + 1} was added outside the chain head")
    if head and head["row_hash"] != expected_prev:
        return VerifyReport(False, count, head_seq, f"row {head_seq} does not match the chain head")
    return VerifyReport(True, count)


def recent(db: Database, limit: int = 50) -> list[dict]:
    """The newest audit rows, newest first (for `vetscribe audit show`)."""
    with db.reading() as conn:
        rows = conn.execute("SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?", (limit,)).fetchall()
    return [dict(row) for row in rows]
