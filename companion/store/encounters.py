"""Encounters and what hangs off them: transcript segments, note revisions, approvals, write-back results."""

import json
import sqlite3

from companion.store import audit, maps, pilot, states
from companion.store.db import Database, utc_now
from companion.store.errors import Conflict, NotFound
from companion.store.ids import new_id, request_hash


def _load(conn: sqlite3.Connection, encounter_id: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM encounters WHERE id = ?", (encounter_id,)).fetchone()
    if row is None:
        raise NotFound(f"no encounter with id '{encounter_id}'")
    return row


def _set_state(conn: sqlite3.Connection, encounter_id: str, state: str, now: str) -> None:
    conn.execute("UPDATE encounters SET state = ?, updated_at = ? WHERE id = ?", (state, now, encounter_id))


def create(db: Database, actor: str, *, patient_id: str, pims: str, map_id: str | None = None,
           map_version: str | None = None, context: dict | None = None, clinician: str | None = None) -> dict:
    """Open a new encounter in state `created`."""
    encounter_id, now = new_id("enc"), utc_now()
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO encounters(id, patient_id, pims, map_id, map_version, context_json, clinician, state,"
            " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'created', ?, ?, ?)",
            (encounter_id, patient_id, pims, map_id, map_version,
             json.dumps(context) if context is not None else None, clinician, actor, now, now),
        )
        audit.append(conn, actor, "encounter.created", "encounter", encounter_id, {"pims": pims, "map_id": map_id})
    return get(db, encounter_id)


def _revision(row: sqlite3.Row | None) -> dict | None:
    if row is None:
        return None
    return {
        "revision_id": row["id"], "seq": row["seq"], "kind": row["kind"],
        "base_revision_id": row["base_revision_id"], "sections": json.loads(row["sections_json"]),
        "created_at": row["created_at"],
    }


def _full(conn: sqlite3.Connection, row: sqlite3.Row) -> dict:
    encounter_id = row["id"]
    segments = conn.execute(
        "SELECT id, seq, speaker, text, start_ms, end_ms FROM transcript_segments WHERE encounter_id = ? ORDER BY seq",
        (encounter_id,),
    ).fetchall()
    latest = conn.execute(
        "SELECT * FROM note_revisions WHERE encounter_id = ? ORDER BY seq DESC LIMIT 1", (encounter_id,)
    ).fetchone()
    approvals = conn.execute(
        "SELECT id, revision_id, error_tags_json, created_at FROM approvals WHERE encounter_id = ? ORDER BY created_at",
        (encounter_id,),
    ).fetchall()
    results = conn.execute(
        "SELECT r.* FROM writeback_results r JOIN approvals a ON a.id = r.approval_id"
        " WHERE a.encounter_id = ? ORDER BY r.id",
        (encounter_id,),
    ).fetchall()
    return {
        "id": encounter_id, "patient_id": row["patient_id"], "pims": row["pims"], "map_id": row["map_id"],
        "map_version": row["map_version"], "clinician": row["clinician"], "state": row["state"],
        "context": json.loads(row["context_json"]) if row["context_json"] else None,
        "created_at": row["created_at"], "updated_at": row["updated_at"],
        "transcript": [{"segment_id": s["id"], "seq": s["seq"], "speaker": s["speaker"], "text": s["text"],
                        "start_ms": s["start_ms"], "end_ms": s["end_ms"]} for s in segments],
        "latest_revision": _revision(latest),
        "approvals": [
            {"approval_id": a["id"], "revision_id": a["revision_id"],
             "error_tags": json.loads(a["error_tags_json"]), "created_at": a["created_at"]}
            for a in approvals
        ],
        "writeback_results": [
            {key: r[key] for key in ("approval_id", "section", "field", "outcome", "writer", "strategy", "detail",
                                     "created_at")}
            for r in results
        ],
    }


def get(db: Database, encounter_id: str) -> dict:
    """The encounter with its transcript, latest revision, approvals and write-back results."""
    with db.reading() as conn:
        return _full(conn, _load(conn, encounter_id))


def list_for_patient(db: Database, patient_id: str, limit: int = 50) -> list[dict]:
    """The patient's encounters, newest first."""
    with db.reading() as conn:
        rows = conn.execute(
            "SELECT * FROM encounters WHERE patient_id = ? ORDER BY created_at DESC LIMIT ?", (patient_id, limit)
        ).fetchall()
        return [_full(conn, row) for row in rows]


def append_transcript(db: Database, actor: str, encounter_id: str, segments: list[dict],
                      idempotency_key: str | None = None) -> tuple[list[int], str]:
    """Append segments in order; moves the encounter to `transcript`. Returns (segment ids, new state).

    With an idempotency_key, a retry of the same append returns the first answer and appends nothing.
    """
    now = utc_now()
    digest = request_hash({"segments": segments})
    with db.transaction() as conn:
        row = _load(conn, encounter_id)
        if idempotency_key is not None:
            first = conn.execute(
                "SELECT request_hash, segment_ids_json, state FROM transcript_appends"
                " WHERE encounter_id = ? AND idempotency_key = ?", (encounter_id, idempotency_key),
            ).fetchone()
            if first is not None:
                _replay(first, digest, "transcript append")
                return json.loads(first["segment_ids_json"]), first["state"]
        state = states.next_state("append_transcript", row["state"])
        pilot.require_consent(conn, encounter_id)  # all-party states: no transcript before the client consents
        last = conn.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM transcript_segments WHERE encounter_id = ?", (encounter_id,)
        ).fetchone()[0]
        ids = []
        for offset, segment in enumerate(segments, start=1):
            cursor = conn.execute(
                "INSERT INTO transcript_segments(encounter_id, seq, speaker, text, start_ms, end_ms, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (encounter_id, last + offset, segment["speaker"], segment["text"], segment.get("start_ms"),
                 segment.get("end_ms"), now),
            )
            ids.append(cursor.lastrowid)
        _set_state(conn, encounter_id, state, now)
        if idempotency_key is not None:
            conn.execute(
                "INSERT INTO transcript_appends(encounter_id, idempotency_key, request_hash, segment_ids_json, state,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (encounter_id, idempotency_key, digest, json.dumps(ids), state.value, now),
            )
        audit.append(conn, actor, "transcript.appended", "encounter", encounter_id, {"segments": len(ids)})
    return ids, state.value


def transcript(db: Database, encounter_id: str) -> list[dict]:
    """All transcript segments of an encounter in order."""
    with db.reading() as conn:
        _load(conn, encounter_id)
        rows = conn.execute(
            "SELECT speaker, text, start_ms, end_ms FROM transcript_segments WHERE encounter_id = ? ORDER BY seq",
            (encounter_id,),
        ).fetchall()
    return [dict(r) for r in rows]


def add_revision(db: Database, actor: str, encounter_id: str, sections: dict[str, str], *, kind: str = "edit",
                 base_revision_id: str | None = None, engine_output: dict | None = None) -> dict:
    """Keep a new note revision (engine draft or clinician edit); the encounter becomes `drafted`."""
    with db.transaction() as conn:
        return _insert_revision(conn, actor, _load(conn, encounter_id), sections, kind=kind,
                                base_revision_id=base_revision_id, engine_output=engine_output)


def _insert_revision(conn: sqlite3.Connection, actor: str, row: sqlite3.Row, sections: dict[str, str], *,
                     kind: str, base_revision_id: str | None, engine_output: dict | None = None) -> dict:
    encounter_id, now, revision_id = row["id"], utc_now(), new_id("rev")
    state = states.next_state("draft" if kind == "draft" else "revise", row["state"])
    latest = conn.execute(
        "SELECT id, seq FROM note_revisions WHERE encounter_id = ? ORDER BY seq DESC LIMIT 1", (encounter_id,)
    ).fetchone()
    if base_revision_id is not None and (latest is None or latest["id"] != base_revision_id):
        raise Conflict("base_revision_id is not the latest revision; reload the note and edit again")
    seq = (latest["seq"] if latest else 0) + 1
    conn.execute(
        "INSERT INTO note_revisions(id, encounter_id, seq, kind, base_revision_id, sections_json, engine_json,"
        " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (revision_id, encounter_id, seq, kind, base_revision_id, json.dumps(sections),
         json.dumps(engine_output) if engine_output is not None else None, actor, now),
    )
    _set_state(conn, encounter_id, state, now)
    audit.append(conn, actor, f"note.{'drafted' if kind == 'draft' else 'revised'}", "encounter", encounter_id,
                 {"revision_id": revision_id, "sections": sorted(sections)})
    return {"revision_id": revision_id, "encounter_id": encounter_id, "seq": seq, "kind": kind,
            "state": state.value, "created_at": now}


def _replay(existing: sqlite3.Row, digest: str, what: str) -> None:
    if existing["request_hash"] != digest:
        raise Conflict(f"idempotency_key was already used for a different {what}")


def approve(db: Database, actor: str, encounter_id: str, *, revision_id: str, idempotency_key: str,
            error_tags: list[str], sections: dict[str, str] | None = None) -> dict:
    """Approve the latest revision and return the fill plan; a retry with the same key returns the same plan.

    With `sections` (the clinician's final text, edited on top of `revision_id`), the edit is kept as a new revision
    and approved in the same transaction, so an approval queued while the companion was away needs no earlier call.
    """
    digest = request_hash({"revision_id": revision_id, "error_tags": error_tags, "sections": sections})
    now, approval_id = utc_now(), new_id("apr")
    with db.transaction() as conn:
        row = _load(conn, encounter_id)
        existing = conn.execute(
            "SELECT request_hash, fill_plan_json FROM approvals WHERE encounter_id = ? AND idempotency_key = ?",
            (encounter_id, idempotency_key),
        ).fetchone()
        if existing is not None:
            _replay(existing, digest, "approval")
            return json.loads(existing["fill_plan_json"])
        if sections is not None and sections != _revision_sections(conn, encounter_id, revision_id):
            revision_id = _insert_revision(conn, actor, row, sections, kind="edit",
                                           base_revision_id=revision_id)["revision_id"]
            row = _load(conn, encounter_id)
        state = states.next_state("approve", row["state"])
        revision = conn.execute(
            "SELECT * FROM note_revisions WHERE id = ? AND encounter_id = ?", (revision_id, encounter_id)
        ).fetchone()
        if revision is None:
            raise NotFound(f"no revision '{revision_id}' in this encounter")
        latest = conn.execute(
            "SELECT id FROM note_revisions WHERE encounter_id = ? ORDER BY seq DESC LIMIT 1", (encounter_id,)
        ).fetchone()
        if latest["id"] != revision_id:
            raise Conflict("only the latest revision can be approved; reload the note")
        map_version = row["map_version"]
        if row["map_id"] and not map_version:
            map_version = maps.active_version(conn, row["map_id"])
        plan = {
            "approval_id": approval_id, "encounter_id": encounter_id, "patient_id": row["patient_id"],
            "revision_id": revision_id, "map_id": row["map_id"], "map_version": map_version,
            "sections": json.loads(revision["sections_json"]),
        }
        conn.execute(
            "INSERT INTO approvals(id, encounter_id, revision_id, idempotency_key, request_hash, error_tags_json,"
            " fill_plan_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (approval_id, encounter_id, revision_id, idempotency_key, digest, json.dumps(error_tags),
             json.dumps(plan), actor, now),
        )
        _set_state(conn, encounter_id, state, now)
        audit.append(conn, actor, "note.approved", "encounter", encounter_id,
                     {"approval_id": approval_id, "revision_id": revision_id})
    return plan


def _revision_sections(conn: sqlite3.Connection, encounter_id: str, revision_id: str) -> dict[str, str]:
    revision = conn.execute(
        "SELECT sections_json FROM note_revisions WHERE id = ? AND encounter_id = ?", (revision_id, encounter_id)
    ).fetchone()
    if revision is None:
        raise NotFound(f"no revision '{revision_id}' in this encounter")
    return json.loads(revision["sections_json"])


def record_writeback(db: Database, actor: str, encounter_id: str, *, approval_id: str, idempotency_key: str,
                     results: list[dict]) -> dict:
    """Store per-field write-back outcomes and move to written / partially_written; retries are idempotent."""
    digest = request_hash({"approval_id": approval_id, "results": results})
    now = utc_now()
    with db.transaction() as conn:
        row = _load(conn, encounter_id)
        existing = conn.execute(
            "SELECT request_hash FROM writeback_reports WHERE encounter_id = ? AND idempotency_key = ?",
            (encounter_id, idempotency_key),
        ).fetchone()
        if existing is not None:
            _replay(existing, digest, "write-back report")
            return _full(conn, row)
        approval = conn.execute(
            "SELECT id FROM approvals WHERE id = ? AND encounter_id = ?", (approval_id, encounter_id)
        ).fetchone()
        if approval is None:
            raise NotFound(f"no approval '{approval_id}' in this encounter")
        latest = conn.execute(
            "SELECT id FROM approvals WHERE encounter_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
            (encounter_id,),
        ).fetchone()
        if latest["id"] != approval_id:
            raise Conflict("this approval was superseded by a newer one")
        state = states.after_writeback(row["state"], [r["outcome"] for r in results])
        report_id = conn.execute(
            "INSERT INTO writeback_reports(encounter_id, approval_id, idempotency_key, request_hash, created_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (encounter_id, approval_id, idempotency_key, digest, actor, now),
        ).lastrowid
        conn.executemany(
            "INSERT INTO writeback_results(report_id, approval_id, section, field, outcome, writer, strategy, detail,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(report_id, approval_id, r["section"], r["field"], r["outcome"], r.get("writer"), r.get("strategy"),
              r.get("detail"), now) for r in results],
        )
        _set_state(conn, encounter_id, state, now)
        audit.append(conn, actor, "writeback.reported", "encounter", encounter_id,
                     {"approval_id": approval_id, "outcomes": sorted(r["outcome"] for r in results),
                      "state": state.value})
        return _full(conn, _load(conn, encounter_id))


def close(db: Database, actor: str, encounter_id: str) -> dict:
    """Close the encounter; nothing more can be appended, drafted or written."""
    now = utc_now()
    with db.transaction() as conn:
        row = _load(conn, encounter_id)
        state = states.next_state("close", row["state"])
        _set_state(conn, encounter_id, state, now)
        audit.append(conn, actor, "encounter.closed", "encounter", encounter_id, {"from": row["state"]})
        return _full(conn, _load(conn, encounter_id))
