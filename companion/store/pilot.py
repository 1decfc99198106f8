"""Pilot and governance storage: settings, client consent, satisfaction, per-note pilot statistics, blind reviews."""

import json
import sqlite3
from datetime import date, datetime, time, timedelta

from companion.pilot import consent as consent_rules
from companion.pilot.blind_review import CandidateNote, Rating
from companion.pilot.records import EncounterRecord, PilotData, SatisfactionRecord
from companion.pilot.records import parse_error_tag, section_edits
from companion.pilot.settings import PilotSettings, SettingsPatch, apply_patch
from companion.store import audit
from companion.store import db as dbmod
from companion.store.db import Database
from companion.store.errors import Conflict, InvalidInput, NotFound

SETTINGS_KEY = "settings"
WATERMARK_KEY = "stats_watermark"  # highest approvals.rowid already folded into pilot_note_stats
WRITEBACK_WATERMARK_KEY = "writeback_watermark"  # highest writeback_results.id folded into pilot_writeback_counts


class ConsentRequired(Conflict):
    """All-party consent applies and nobody has confirmed the client's consent for this encounter (409)."""

    code = "consent_required"


def epoch(iso: str | None) -> float | None:
    """POSIX seconds of a store timestamp."""
    return datetime.fromisoformat(iso).timestamp() if iso else None


# ---- settings -------------------------------------------------------------------------------------------------

def _get_json(conn: sqlite3.Connection, key: str):
    row = conn.execute("SELECT value_json FROM pilot_settings WHERE key = ?", (key,)).fetchone()
    return json.loads(row["value_json"]) if row else None


def _put_json(conn: sqlite3.Connection, key: str, value, actor: str) -> None:
    conn.execute(
        "INSERT INTO pilot_settings(key, value_json, updated_by, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_by = excluded.updated_by,"
        " updated_at = excluded.updated_at",
        (key, json.dumps(value), actor, dbmod.utc_now()),
    )


def read_settings(conn: sqlite3.Connection) -> PilotSettings:
    """Settings inside an open transaction (defaults when never set)."""
    stored = _get_json(conn, SETTINGS_KEY)
    return PilotSettings.model_validate(stored) if stored else PilotSettings()


def get_settings(db: Database) -> PilotSettings:
    """The practice's pilot settings."""
    with db.reading() as conn:
        return read_settings(conn)


# When the automatic purge last ran; a retention change clears it so the new limit applies at the next check.
LAST_AUTOPURGE_KEY = "last_autopurge"


def update_settings(db: Database, actor: str, patch: SettingsPatch) -> PilotSettings:
    """Apply a partial update; a consent rule looser than the state's is refused. Audited."""
    with db.transaction() as conn:
        current = read_settings(conn)
        try:
            updated = apply_patch(current, patch)
            consent_rules.validate_policy(updated.consent)
        except (ValueError, consent_rules.ConsentLoosenError) as exc:
            raise InvalidInput(str(exc)) from exc
        _put_json(conn, SETTINGS_KEY, updated.model_dump(mode="json"), actor)
        changed = sorted(k for k, v in updated.model_dump().items() if current.model_dump().get(k) != v)
        if {"retention_days", "auto_purge"} & set(changed):
            conn.execute("DELETE FROM pilot_settings WHERE key = ?", (LAST_AUTOPURGE_KEY,))
        audit.append(conn, actor, "pilot.settings_changed", "settings", "pilot", {"changed": changed})
    return updated


# ---- consent --------------------------------------------------------------------------------------------------

def consent_decision(db: Database) -> tuple[consent_rules.ConsentDecision, bool]:
    """The consent rule in force and whether the practice has configured its policy."""
    settings = get_settings(db)
    return consent_rules.decide(settings.consent), settings.consent_configured


def record_consent(db: Database, actor: str, encounter_id: str, *, confirmed_by: str, method: str) -> dict:
    """Record that `confirmed_by` confirmed the client's consent to recording; once per encounter. Audited."""
    now = dbmod.utc_now()
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM encounters WHERE id = ?", (encounter_id,)).fetchone() is None:
            raise NotFound(f"no encounter with id '{encounter_id}'")
        existing = conn.execute("SELECT * FROM pilot_consents WHERE encounter_id = ?", (encounter_id,)).fetchone()
        if existing is not None:
            return _consent_row(existing)
        rule = consent_rules.decide(read_settings(conn).consent).effective_rule.value
        conn.execute(
            "INSERT INTO pilot_consents(encounter_id, rule, confirmed_by, method, confirmed_at, recorded_by)"
            " VALUES (?, ?, ?, ?, ?, ?)", (encounter_id, rule, confirmed_by, method, now, actor))
        audit.append(conn, actor, "consent.confirmed", "encounter", encounter_id, {"rule": rule, "method": method})
        row = conn.execute("SELECT * FROM pilot_consents WHERE encounter_id = ?", (encounter_id,)).fetchone()
    return _consent_row(row)


def get_consent(db: Database, encounter_id: str) -> dict | None:
    """The consent record of an encounter, if any."""
    with db.reading() as conn:
        row = conn.execute("SELECT * FROM pilot_consents WHERE encounter_id = ?", (encounter_id,)).fetchone()
    return _consent_row(row) if row else None


def _consent_row(row: sqlite3.Row) -> dict:
    return {k: row[k] for k in ("encounter_id", "rule", "confirmed_by", "method", "confirmed_at")}


def require_consent(conn: sqlite3.Connection, encounter_id: str) -> None:
    """Raise ConsentRequired when the practice's rule needs the client's consent and none is recorded.

    Called inside the transcript-append transaction. A practice that has not set its state yet is in an unknown
    jurisdiction, which counts as all-party (the safe default), like disputed states.
    """
    settings = read_settings(conn)
    decision = consent_rules.decide(settings.consent)
    if not decision.requires_client_consent:
        return
    if conn.execute("SELECT 1 FROM pilot_consents WHERE encounter_id = ?", (encounter_id,)).fetchone() is None:
        where = (decision.state if decision.state_status != "unknown"
                 else "A practice whose US state is not set (the safe default)")
        raise ConsentRequired(
            f"{where} requires every party's consent before recording: confirm the client's consent "
            f"(POST /v1/encounters/{encounter_id}/consent) before sending transcript; an admin sets the practice's "
            f"state with `vetscribe pilot settings --state XX`"
        )


# ---- satisfaction ---------------------------------------------------------------------------------------------

def clinic_today(settings: PilotSettings) -> date:
    """Today's date in the clinic's time zone (by the store's clock)."""
    return datetime.fromisoformat(dbmod.utc_now()).astimezone(settings.tz()).date()


def satisfaction_due(db: Database, clinician: str) -> bool:
    """True when the clinician has not answered today."""
    with db.reading() as conn:
        today = clinic_today(read_settings(conn)).isoformat()
        row = conn.execute("SELECT 1 FROM pilot_satisfaction WHERE clinician = ? AND day = ?",
                           (clinician, today)).fetchone()
    return row is None


def record_satisfaction(db: Database, actor: str, clinician: str, score: int) -> dict:
    """Keep today's 1-5 answer; a second answer the same day is a conflict."""
    now = dbmod.utc_now()
    with db.transaction() as conn:
        today = clinic_today(read_settings(conn)).isoformat()
        try:
            conn.execute("INSERT INTO pilot_satisfaction(clinician, day, score, recorded_by, created_at)"
                         " VALUES (?, ?, ?, ?, ?)", (clinician, today, score, actor, now))
        except sqlite3.IntegrityError as exc:
            raise Conflict("satisfaction was already recorded today for this clinician") from exc
    return {"clinician": clinician, "day": today, "score": score}


# ---- per-note statistics --------------------------------------------------------------------------------------

def refresh_note_stats(db: Database) -> int:
    """Fold approvals and write-back results recorded since the last refresh; returns how many encounters changed."""
    with db.transaction() as conn:
        mark = _get_json(conn, WATERMARK_KEY) or 0
        rows = conn.execute("SELECT rowid, encounter_id FROM approvals WHERE rowid > ? ORDER BY rowid",
                            (mark,)).fetchall()
        encounters = sorted({r["encounter_id"] for r in rows})
        for encounter_id in encounters:
            _refresh_one(conn, encounter_id)
        if rows:
            _put_json(conn, WATERMARK_KEY, rows[-1]["rowid"], "pilot")
        _fold_writeback(conn)
    return len(encounters)


def _fold_writeback(conn: sqlite3.Connection) -> None:
    mark = _get_json(conn, WRITEBACK_WATERMARK_KEY) or 0
    newest = conn.execute("SELECT COALESCE(MAX(id), 0) FROM writeback_results").fetchone()[0]
    if newest <= mark:
        return
    conn.execute(
        "INSERT INTO pilot_writeback_counts(slot, pims, map_id, map_version, field, outcome, count)"
        " SELECT CAST(s.first_approved_at / 900 AS INTEGER), s.pims, COALESCE(s.map_id, ''),"
        " COALESCE(s.map_version, ''), r.field, r.outcome, COUNT(*) FROM writeback_results r"
        " JOIN approvals a ON a.id = r.approval_id JOIN pilot_note_stats s ON s.encounter_id = a.encounter_id"
        " WHERE r.id > ? AND r.id <= ? GROUP BY 1, 2, 3, 4, 5, 6"
        " ON CONFLICT(slot, pims, map_id, map_version, field, outcome) DO UPDATE SET count = count + excluded.count",
        (mark, newest))
    _put_json(conn, WRITEBACK_WATERMARK_KEY, newest, "pilot")


def _refresh_one(conn: sqlite3.Connection, encounter_id: str) -> None:
    enc = conn.execute("SELECT * FROM encounters WHERE id = ?", (encounter_id,)).fetchone()
    approvals = conn.execute("SELECT * FROM approvals WHERE encounter_id = ? ORDER BY created_at, rowid",
                             (encounter_id,)).fetchall()
    latest = approvals[-1]
    approved = conn.execute("SELECT seq, sections_json FROM note_revisions WHERE id = ?",
                            (latest["revision_id"],)).fetchone()
    draft = conn.execute(
        "SELECT sections_json FROM note_revisions WHERE encounter_id = ? AND kind = 'draft' AND seq <= ?"
        " ORDER BY seq DESC LIMIT 1", (encounter_id, approved["seq"])).fetchone()
    first_segment = conn.execute("SELECT MIN(created_at) FROM transcript_segments WHERE encounter_id = ?",
                                 (encounter_id,)).fetchone()[0]
    previous = conn.execute("SELECT first_transcript_at FROM pilot_note_stats WHERE encounter_id = ?",
                            (encounter_id,)).fetchone()
    first_transcript = epoch(first_segment) or (previous["first_transcript_at"] if previous else None)
    edits = section_edits(json.loads(draft["sections_json"]), json.loads(approved["sections_json"])) if draft else ()
    tags = [parse_error_tag(t) for t in json.loads(latest["error_tags_json"])]
    plan = json.loads(latest["fill_plan_json"])
    clinician, approved_at = enc["clinician"] or "unassigned", epoch(approvals[0]["created_at"])
    conn.execute(
        "INSERT OR REPLACE INTO pilot_note_stats(encounter_id, approval_id, clinician, pims, map_id, map_version,"
        " scribe, created_at, first_transcript_at, first_approved_at, edits_json, error_tags_json, draft_chars,"
        " edit_distance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (encounter_id, latest["id"], clinician, enc["pims"], plan.get("map_id"), plan.get("map_version"),
         1 if draft else 0, epoch(enc["created_at"]), first_transcript, approved_at,
         json.dumps([[e.section, e.draft_chars, e.distance] for e in edits]),
         json.dumps([[t.category, t.clinically_significant, t.section] for t in tags]),
         sum(e.draft_chars for e in edits), sum(e.distance for e in edits)),
    )
    conn.execute("DELETE FROM pilot_section_edits WHERE encounter_id = ?", (encounter_id,))
    conn.executemany(
        "INSERT INTO pilot_section_edits(encounter_id, section, clinician, scribe, first_approved_at, draft_chars,"
        " distance) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(encounter_id, e.section, clinician, 1 if draft else 0, approved_at, e.draft_chars, e.distance)
         for e in edits])


def data_version(db: Database) -> tuple:
    """Counters that change whenever a pilot number can change (folded approvals and write-backs, settings,
    satisfaction answers); equal versions mean equal reports."""
    with db.reading() as conn:
        return tuple(conn.execute(
            "SELECT (SELECT value_json FROM pilot_settings WHERE key = ?), (SELECT value_json FROM pilot_settings"
            " WHERE key = ?), (SELECT updated_at FROM pilot_settings WHERE key = ?),"
            " (SELECT COUNT(*) FROM pilot_satisfaction), (SELECT MAX(created_at) FROM pilot_satisfaction)",
            (WATERMARK_KEY, WRITEBACK_WATERMARK_KEY, SETTINGS_KEY)).fetchone())


def _slot(ts: float) -> int:
    """The 15-minute slot of a window bound (open bounds clamp to SQLite's integer range)."""
    if ts == float("inf"):
        return 2**62
    if ts == float("-inf"):
        return -(2**62)
    return int(ts // 900)


def _day_bounds(settings: PilotSettings, date_from: date | None, date_to: date | None) -> tuple[float, float]:
    """POSIX bounds [low, high) of an inclusive window of clinic days; open ends (and dates at the edge of the
    calendar) become infinities."""
    tz = settings.tz()
    return _day_start(date_from, tz, 0, float("-inf")), _day_start(date_to, tz, 1, float("inf"))


def _day_start(day: date | None, tz, shift: int, unbounded: float) -> float:
    if day is None:
        return unbounded
    try:
        return datetime.combine(day + timedelta(days=shift), time.min, tz).timestamp()
    except (OverflowError, ValueError, OSError):
        return unbounded


_STATS_COLUMNS = ("clinician, created_at, first_approved_at, scribe, first_transcript_at, draft_chars, edit_distance,"
                  " error_tags_json")


def _records(conn: sqlite3.Connection, where: str, params: tuple) -> list[EncounterRecord]:
    """Records from pilot_note_stats with only what compute_metrics reads: edit totals as columns (per-section sums
    and write-back come pre-aggregated), error tags decoded in one call for the few notes that have any."""
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: several times faster than sqlite3.Row for 100,000 rows
    rows = cursor.execute(f"SELECT {_STATS_COLUMNS} FROM pilot_note_stats WHERE {where}", params).fetchall()
    tagged = [row[7] for row in rows if row[7] != "[]"]
    tags = iter(json.loads("[" + ",".join(tagged) + "]"))
    return [
        EncounterRecord("", clinician, "", created, approved, scribe == 1, created, transcript, None, None, (),
                        next(tags) if row_tags != "[]" else (), (), chars, distance)
        for clinician, created, approved, scribe, transcript, chars, distance, row_tags in rows
    ]


def load_pilot_data(db: Database, date_from: date | None = None, date_to: date | None = None, *,
                    refresh: bool = True) -> PilotData:
    """Everything compute_metrics needs for a window (the panel opening is the encounter's creation).

    refresh=False when the caller already folded new approvals on the writer and now reads on the reader.
    """
    if refresh:
        refresh_note_stats(db)
    with db.reading() as conn:
        settings = read_settings(conn)
        low, high = _day_bounds(settings, date_from, date_to)
        records = _records(conn, "first_approved_at >= ? AND first_approved_at < ?", (low, high))
        manual = _records(conn, "scribe = 0", ())
        counts = conn.execute(
            "SELECT pims, NULLIF(map_id, ''), NULLIF(map_version, ''), field, outcome, SUM(count)"
            " FROM pilot_writeback_counts WHERE slot >= ? AND slot < ? GROUP BY 1, 2, 3, 4, 5",
            (_slot(low), _slot(high))).fetchall()
        sections = conn.execute(
            "SELECT clinician, section, SUM(draft_chars), SUM(distance) FROM pilot_section_edits"
            " WHERE first_approved_at >= ? AND first_approved_at < ? AND scribe = 1 GROUP BY 1, 2",
            (low, high)).fetchall()
        satisfaction = conn.execute("SELECT clinician, day, score FROM pilot_satisfaction").fetchall()
    return PilotData(
        encounters=records,
        satisfaction=[SatisfactionRecord(r[0], date.fromisoformat(r[1]), r[2]) for r in satisfaction],
        baseline_encounters=manual,
        writeback_counts=[tuple(r) for r in counts],
        section_edit_counts=[tuple(r) for r in sections],
    )


# ---- blind review ---------------------------------------------------------------------------------------------

def blind_candidates(db: Database, date_from: date | None = None, date_to: date | None = None) -> list[CandidateNote]:
    """Approved notes of the window (latest approval's text) with the identities to strip from them."""
    refresh_note_stats(db)
    with db.reading() as conn:
        low, high = _day_bounds(read_settings(conn), date_from, date_to)
        rows = conn.execute(
            "SELECT s.encounter_id, s.scribe, s.clinician, e.patient_id, e.context_json, r.sections_json"
            " FROM pilot_note_stats s JOIN encounters e ON e.id = s.encounter_id"
            " JOIN approvals a ON a.id = s.approval_id JOIN note_revisions r ON r.id = a.revision_id"
            " WHERE s.first_approved_at >= ? AND s.first_approved_at < ?", (low, high)).fetchall()
    notes = []
    for row in rows:
        context = json.loads(row["context_json"]) if row["context_json"] else {}
        identities = (row["clinician"], row["patient_id"], context.get("name") or "", context.get("patient_id") or "")
        notes.append(CandidateNote(row["encounter_id"], "ai" if row["scribe"] else "manual",
                                   json.loads(row["sections_json"]), tuple(i for i in identities if i)))
    return notes


def save_blind_review(db: Database, actor: str, review_id: str, key: dict[str, tuple[str, str]]) -> None:
    """Keep the code → (encounter, kind) key of an exported review. Audited."""
    with db.transaction() as conn:
        conn.execute("INSERT INTO pilot_blind_reviews(id, key_json, created_by, created_at) VALUES (?, ?, ?, ?)",
                     (review_id, json.dumps(key), actor, dbmod.utc_now()))
        audit.append(conn, actor, "pilot.blind_review_exported", "blind_review", review_id, {"notes": len(key)})


def blind_review_key(db: Database, review_id: str) -> dict[str, str]:
    """code → kind for a review."""
    with db.reading() as conn:
        row = conn.execute("SELECT key_json FROM pilot_blind_reviews WHERE id = ?", (review_id,)).fetchone()
    if row is None:
        raise NotFound(f"no blind review with id '{review_id}'")
    return {code: kind for code, (_, kind) in json.loads(row["key_json"]).items()}


def save_ratings(db: Database, actor: str, review_id: str, ratings: list[Rating]) -> None:
    """Store (or replace) the reviewer's ratings; codes must belong to the review. Audited."""
    key = blind_review_key(db, review_id)
    unknown = sorted({r.code for r in ratings} - set(key))
    if unknown:
        raise InvalidInput(f"codes not in this review: {', '.join(unknown)}")
    now = dbmod.utc_now()
    with db.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO pilot_blind_ratings(review_id, code, completeness, accuracy, professionalism,"
            " rated_by, rated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(review_id, r.code, r.completeness, r.accuracy, r.professionalism, actor, now) for r in ratings])
        audit.append(conn, actor, "pilot.blind_review_rated", "blind_review", review_id, {"ratings": len(ratings)})


def ratings(db: Database, review_id: str) -> list[Rating]:
    """Stored ratings of a review."""
    with db.reading() as conn:
        rows = conn.execute("SELECT code, completeness, accuracy, professionalism FROM pilot_blind_ratings"
                            " WHERE review_id = ? ORDER BY code", (review_id,)).fetchall()
    return [Rating(**dict(r)) for r in rows]


def list_blind_reviews(db: Database) -> list[dict]:
    """Reviews, newest first, with how many notes are rated."""
    with db.reading() as conn:
        rows = conn.execute(
            "SELECT b.id, b.created_at, (SELECT COUNT(*) FROM pilot_blind_ratings r WHERE r.review_id = b.id)"
            " AS rated FROM pilot_blind_reviews b ORDER BY b.created_at DESC").fetchall()
    return [dict(r) for r in rows]
