"""Retention: old transcripts are purged from the SQLite file itself; approved notes and the audit log stay."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from companion.api.app import create_app
from companion.cli import main as cli_main
from companion.config import Settings
from companion.store import Database, audit, encounters, pairing
from tests.companion.companion_live import one_party_practice
from tests.pilot.seed import Clock, store_clock

OLD_PHRASE = "zebra quartz marmalade"
NEW_PHRASE = "copper tangerine lighthouse"
NOTE_PHRASE = "lavender obelisk plan"


def file_bytes(data_dir) -> bytes:
    """Every byte SQLite keeps for the store: the main file, the WAL and the shared-memory index."""
    return b"".join(p.read_bytes() for p in data_dir.glob("companion.sqlite3*"))


@pytest.fixture
async def api(aiohttp_client, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", shipped_maps_dir=None)
    db = Database(settings.db_path)
    one_party_practice(db)  # retention, not consent, is under test here
    client = await aiohttp_client(create_app(settings, db))
    tokens = {}
    for role in ("admin", "clinician"):
        code, _ = pairing.issue_code(db, role)
        body = await (await client.post("/v1/pair", json={"code": code})).json()
        tokens[role] = {"Authorization": f"Bearer {body['token']}"}
    yield client, db, tokens, settings.data_dir
    db.close()


async def consult(client, db, tokens, clock, when: datetime, phrase: str, approve: bool) -> str:
    """One encounter at `when` whose transcript holds `phrase`; optionally edited and approved."""
    clock.now = when
    eid = (await (await client.post("/v1/encounters", json={"patient_id": "p-9", "pims": "ezyvet"},
                                    headers=tokens["clinician"])).json())["id"]
    response = await client.post(f"/v1/encounters/{eid}/transcript", headers=tokens["clinician"],
                                 json={"segments": [{"speaker": "client", "text": f"She said {phrase} twice."}]})
    assert response.status == 200
    if approve:
        clock.now = when + timedelta(minutes=4)
        # an engine draft whose provenance quotes the transcript (stored as the /draft route stores it)
        draft = encounters.add_revision(db, "engine", eid, {"plan": "Recheck."}, kind="draft",
                                        engine_output={"provenance": [{"quote": f"She said {phrase} twice."}]})
        clock.now = when + timedelta(minutes=5)
        revision = await (await client.post(f"/v1/encounters/{eid}/revisions", headers=tokens["clinician"],
                                            json={"sections": {"plan": NOTE_PHRASE},
                                                  "base_revision_id": draft["revision_id"]})).json()
        approved = await client.post(f"/v1/encounters/{eid}/approve", headers=tokens["clinician"],
                                     json={"revision_id": revision["revision_id"], "idempotency_key": f"a-{eid}"})
        assert approved.status == 200
    return eid


async def seed_old_and_new(client, db, tokens):
    clock = Clock()
    now = datetime.now(UTC)
    with store_clock(clock):
        old = await consult(client, db, tokens, clock, now - timedelta(days=40), OLD_PHRASE, approve=True)
        new = await consult(client, db, tokens, clock, now - timedelta(days=2), NEW_PHRASE, approve=False)
    return old, new


async def test_purge_removes_old_transcript_bytes_and_keeps_notes_and_audit(api):
    client, db, tokens, data_dir = api
    old, new = await seed_old_and_new(client, db, tokens)
    assert OLD_PHRASE.encode() in file_bytes(data_dir)  # the check below could fail
    response = await client.post("/v1/admin/pilot/purge", json={}, headers=tokens["admin"])
    assert response.status == 200
    result = await response.json()
    assert result["segments"] == 1 and result["encounters"] == 1 and result["retention_days"] == 30
    assert result["engine_outputs"] == 1
    raw = file_bytes(data_dir)
    assert OLD_PHRASE.encode() not in raw
    assert NEW_PHRASE.encode() in raw
    assert NOTE_PHRASE.encode() in raw
    old_enc = await (await client.get(f"/v1/encounters/{old}", headers=tokens["clinician"])).json()
    assert old_enc["transcript"] == [] and old_enc["latest_revision"]["sections"] == {"plan": NOTE_PHRASE}
    assert old_enc["approvals"]
    new_enc = await (await client.get(f"/v1/encounters/{new}", headers=tokens["clinician"])).json()
    assert len(new_enc["transcript"]) == 1
    rows = [r for r in audit.recent(db, 5) if r["action"] == "retention.purged"]
    assert rows and '"segments":1' in rows[0]["details_json"]
    assert audit.verify(db).ok
    with db.reading() as conn:
        kept = conn.execute("SELECT first_transcript_at FROM pilot_note_stats WHERE encounter_id = ?",
                            (old,)).fetchone()
    assert kept is not None and kept[0] is not None  # the pilot's timing outlives the transcript


async def test_retention_setting_and_automatic_purge(api):
    client, db, tokens, data_dir = api
    await seed_old_and_new(client, db, tokens)
    changed = await client.post("/v1/admin/pilot/settings", json={"retention_days": 1}, headers=tokens["admin"])
    assert changed.status == 200 and (await changed.json())["retention_days"] == 1
    invalid = await client.post("/v1/admin/pilot/settings", json={"retention_days": 0}, headers=tokens["admin"])
    assert invalid.status == 422
    # the start-up check already ran (and was audited); changing the retention makes the purge due again, and the
    # panel asks for the consent rule at every encounter, which checks the hourly automatic purge too
    before = purges(db)
    assert (await client.get("/v1/consent", headers=tokens["clinician"])).status == 200
    await wait_for_purges(db, before + 1)  # it runs right after the response: delete, then compact the file
    await wait_until_gone(data_dir, [OLD_PHRASE, NEW_PHRASE])
    await client.get("/v1/consent", headers=tokens["clinician"])
    await client.get("/v1/whoami", headers=tokens["clinician"])  # queued behind any second purge
    assert purges(db) == before + 1  # not again within the hour


def purges(db) -> int:
    with db.reading() as conn:
        return conn.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'retention.purged'").fetchone()[0]


async def wait_until_gone(data_dir, phrases, timeout: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while any(p.encode() in file_bytes(data_dir) for p in phrases):
        assert asyncio.get_running_loop().time() < deadline, "purged text is still in the database file"
        await asyncio.sleep(0.05)


async def wait_for_purges(db, expected: int, timeout: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while purges(db) < expected:
        assert asyncio.get_running_loop().time() < deadline, "automatic purge did not run"
        await asyncio.sleep(0.02)


async def test_cli_purge(api):
    client, db, tokens, data_dir = api
    await seed_old_and_new(client, db, tokens)
    result = CliRunner().invoke(cli_main, ["purge", "--data-dir", str(data_dir), "--retention-days", "10"])
    assert result.exit_code == 0, result.output
    assert "purged 1 transcript segments from 1 encounters" in result.output
    assert OLD_PHRASE.encode() not in file_bytes(data_dir)
    refused = CliRunner().invoke(cli_main, ["purge", "--data-dir", str(data_dir), "--retention-days", "0"])
    assert refused.exit_code != 0


async def test_purge_is_checked_at_start_up_without_any_request(api):
    """`vetscribe serve` checks retention on its own timer, so a companion nobody talks to still purges."""
    client, db, tokens, data_dir = api
    await wait_for_purges(db, 1)
