"""The store on a real SQLite file: durability pragmas, migrations, state machine, idempotency, audit chain."""

import sqlite3

import pytest

from companion.store import Database, audit, encounters, maps, pairing, states
from companion.store.db import known_migrations
from companion.store.errors import Conflict, IllegalTransition, NotFound, PairingRefused, SchemaTooNew
from conftest import map_doc


def new_encounter(db):
    return encounters.create(db, "tok_test", patient_id="P-1", pims="ezyvet", map_id="testpims")


def test_durable_pragmas(db):
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_migrations_recorded_and_reopen_is_idempotent(settings, db):
    numbers = [number for number, _, _ in known_migrations()]
    assert db.schema_version == numbers[-1]
    again = Database(settings.db_path)
    with again.reading() as conn:
        applied = [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    again.close()
    assert applied == numbers


def test_newer_schema_is_refused_with_message_and_untouched(settings, db):
    with db.transaction() as conn:
        conn.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (9999, '9999_future.sql', 'x')")
    before = settings.db_path.read_bytes()
    with pytest.raises(SchemaTooNew, match=r"schema version 9999.*Upgrade vetscribe"):
        Database(settings.db_path)
    assert settings.db_path.read_bytes() == before


@pytest.mark.parametrize("action", sorted(states.ALLOWED_FROM))
@pytest.mark.parametrize("state", [s.value for s in states.State])
def test_state_machine_allows_only_listed_transitions(action, state):
    allowed = states.State(state) in states.ALLOWED_FROM[action]
    if allowed:
        states.check(action, state)
    else:
        with pytest.raises(IllegalTransition):
            states.check(action, state)


@pytest.mark.parametrize(("outcomes", "expected"), [
    (["written", "appended"], "written"),
    (["written", "skipped"], "written"),
    (["written", "verify_failed"], "partially_written"),
    (["missing", "refused"], "approved"),
])
def test_writeback_outcome_decides_state(outcomes, expected):
    assert states.after_writeback("approved", outcomes) == expected


def test_every_revision_is_kept_and_stale_base_conflicts(db):
    enc = new_encounter(db)
    first = encounters.add_revision(db, "t", enc["id"], {"plan": "one"})
    second = encounters.add_revision(db, "t", enc["id"], {"plan": "two"}, base_revision_id=first["revision_id"])
    with pytest.raises(Conflict):
        encounters.add_revision(db, "t", enc["id"], {"plan": "three"}, base_revision_id=first["revision_id"])
    with db.reading() as conn:
        kept = [r[0] for r in conn.execute("SELECT sections_json FROM note_revisions ORDER BY seq")]
    assert kept == ['{"plan": "one"}', '{"plan": "two"}']
    assert encounters.get(db, enc["id"])["latest_revision"]["revision_id"] == second["revision_id"]


def test_approval_is_idempotent_per_key(db):
    enc = new_encounter(db)
    rev = encounters.add_revision(db, "t", enc["id"], {"note": "text"})
    plan = encounters.approve(db, "t", enc["id"], revision_id=rev["revision_id"], idempotency_key="k1", error_tags=[])
    again = encounters.approve(db, "t", enc["id"], revision_id=rev["revision_id"], idempotency_key="k1", error_tags=[])
    assert again == plan
    with pytest.raises(Conflict):
        encounters.approve(db, "t", enc["id"], revision_id=rev["revision_id"], idempotency_key="k1",
                           error_tags=["other"])
    with pytest.raises(IllegalTransition):  # a new key on an approved encounter needs a new revision first
        encounters.approve(db, "t", enc["id"], revision_id=rev["revision_id"], idempotency_key="k2", error_tags=[])


def test_failed_transaction_writes_nothing(db):
    enc = new_encounter(db)
    encounters.add_revision(db, "t", enc["id"], {"note": "text"})
    rows = audit.verify(db).rows
    with pytest.raises(NotFound):
        encounters.approve(db, "t", enc["id"], revision_id="rev_missing", idempotency_key="k", error_tags=[])
    assert audit.verify(db).rows == rows
    assert encounters.get(db, enc["id"])["state"] == "drafted"
    assert encounters.get(db, enc["id"])["approvals"] == []


def test_pairing_code_is_one_time_and_secrets_are_stored_hashed(settings, db):
    code, _ = pairing.issue_code(db, "admin")
    token, token_id, role = pairing.redeem_code(db, code.lower())
    assert role == "admin" and pairing.lookup_token(db, token) == (token_id, "admin")
    with pytest.raises(PairingRefused):
        pairing.redeem_code(db, code)
    db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    raw = settings.db_path.read_bytes()
    assert token.encode() not in raw and code.replace("-", "").encode() not in raw


def test_expired_code_is_refused(db):
    code, _ = pairing.issue_code(db, "clinician")
    with db.transaction() as conn:
        conn.execute("UPDATE pairing_codes SET expires_at = '2000-01-01T00:00:00.000Z'")
    with pytest.raises(PairingRefused):
        pairing.redeem_code(db, code)


def test_map_versions_install_rollback_and_seed(db):
    maps.seed_shipped(db, [map_doc(1)])
    maps.install(db, "admin", map_doc(2, display_name="Test PIMS v2"))
    assert maps.list_maps(db) == [{"id": "testpims", "display_name": "Test PIMS v2", "version": 2, "active": True}]
    with pytest.raises(Conflict):
        maps.install(db, "admin", map_doc(2, display_name="different content"))
    maps.rollback(db, "admin", "testpims", 1)
    assert maps.get_map(db, "testpims")["version"] == 1
    assert [v["version"] for v in maps.versions(db, "testpims")] == [2, 1]
    maps.seed_shipped(db, [map_doc(3)])  # admin chose the active version: a new shipped one does not override it
    assert maps.get_map(db, "testpims")["version"] == 1


def _write_some_audit_rows(db, count=4):
    for _ in range(count):
        new_encounter(db)


def _tamper(path, sql, params=()):
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_audit_log_refuses_update_and_delete(db):
    _write_some_audit_rows(db, 1)
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("UPDATE audit_log SET actor = 'x'")
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("DELETE FROM audit_log")


@pytest.mark.parametrize(("sql", "bad_seq", "words"), [
    ("UPDATE audit_log SET details_json = '{}' WHERE seq = 3", 3, "modified"),
    ("DELETE FROM audit_log WHERE seq = 2", 2, "missing"),
    ("DELETE FROM audit_log WHERE seq = 4", 4, "missing"),
])
def test_audit_verify_names_first_bad_row(settings, db, sql, bad_seq, words):
    _write_some_audit_rows(db)
    assert audit.verify(db).ok
    _tamper(settings.db_path, sql)
    report = audit.verify(db)
    assert (report.ok, report.bad_seq) == (False, bad_seq) and words in report.problem


def test_audit_chain_stays_linear_across_two_connections(settings, db):
    before = audit.verify(db).rows
    other = Database(settings.db_path)  # e.g. `vetscribe pair` while `serve` runs
    for index in range(6):
        pairing.issue_code(other if index % 2 else db, "clinician")
    other.close()
    assert audit.verify(db).ok and audit.verify(db).rows == before + 6


def test_group_commit_isolates_failing_jobs_and_acknowledges_after_commit(settings, db):
    from companion.store.writer import Writer

    before = audit.verify(db).rows
    writer = Writer(db)
    try:
        ok_futures = [writer.submit(encounters.create, "t", patient_id=f"G-{i}", pims="x") for i in range(20)]
        bad = writer.submit(encounters.approve, "t", "enc_missing", revision_id="r", idempotency_key="k",
                            error_tags=[])
        created = [future.result(timeout=10) for future in ok_futures]
        with pytest.raises(NotFound):
            bad.result(timeout=10)
    finally:
        writer.close()
    other = Database(settings.db_path)  # a fresh process-like connection sees every acknowledged write
    try:
        assert [encounters.get(other, enc["id"])["patient_id"] for enc in created] == [f"G-{i}" for i in range(20)]
        assert audit.verify(other).ok and audit.verify(other).rows == before + 20
    finally:
        other.close()
