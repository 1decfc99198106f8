"""Recording consent: the shipped table, tighten-never-loosen, and no transcript without required consent."""

import pytest

from companion.api.app import create_app
from companion.config import Settings
from companion.pilot.consent import ConsentLoosenError, ConsentPolicy, ConsentRule, decide, rules_table, validate_policy
from companion.store import Database, pairing

ALL_PARTY = {"CA", "FL", "IL", "MD", "MA", "MT", "NH", "PA", "WA"}
DISPUTED = {"NV", "CT", "MI", "DE"}


def test_table_matches_the_brief_and_every_row_has_sources():
    states = rules_table()["states"]
    assert len(states) == 51  # 50 states + DC
    assert {c for c, r in states.items() if r["rule"] == "all_party" and r["status"] == "settled"} == ALL_PARTY
    assert {c for c, r in states.items() if r["status"] == "disputed"} == DISPUTED
    assert all(states[c]["rule"] == "all_party" for c in DISPUTED)
    assert states["OR"]["rule"] == "all_party" and states["OR"]["status"] == "in_person_all_party"
    others = set(states) - ALL_PARTY - DISPUTED - {"OR"}
    assert all(states[c]["rule"] == "one_party" for c in others) and "TX" in others
    for row in states.values():
        assert row["sources"] and all(s.startswith("http") for s in row["sources"]) and row["citation"]


@pytest.mark.parametrize("state,expected", [("ca", "all_party"), ("NV", "all_party"), ("OR", "all_party"),
                                            ("TX", "one_party"), ("other", "all_party"), ("ZZ", "all_party")])
def test_effective_rule(state, expected):
    assert decide(ConsentPolicy(state=state)).effective_rule == expected


def test_clinic_may_tighten_never_loosen():
    tightened = decide(validate_policy(ConsentPolicy(state="TX", clinic_rule=ConsentRule.all_party)))
    assert tightened.effective_rule == "all_party" and tightened.requires_client_consent
    with pytest.raises(ConsentLoosenError):
        validate_policy(ConsentPolicy(state="CA", clinic_rule=ConsentRule.one_party))
    with pytest.raises(ConsentLoosenError):
        validate_policy(ConsentPolicy(state="other", clinic_rule=ConsentRule.one_party))


@pytest.fixture
async def api(aiohttp_client, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", shipped_maps_dir=None)
    db = Database(settings.db_path)
    client = await aiohttp_client(create_app(settings, db))
    tokens = {}
    for role in ("admin", "clinician"):
        code, _ = pairing.issue_code(db, role)
        tokens[role] = {"Authorization": f"Bearer {(await (await client.post('/v1/pair', json={'code': code})).json())['token']}"}
    yield client, db, tokens
    db.close()


def count(db, sql):
    with db.reading() as conn:
        return conn.execute(sql).fetchone()[0]


async def new_encounter(client, tokens):
    response = await client.post("/v1/encounters", json={"patient_id": "p-1", "pims": "ezyvet"},
                                 headers=tokens["clinician"])
    return (await response.json())["id"]


SEGMENTS = {"segments": [{"speaker": "vet", "text": "Any vomiting at home?"}]}


async def test_all_party_state_blocks_transcript_until_consent(api):
    client, db, tokens = api
    response = await client.post("/v1/admin/pilot/settings", json={"consent": {"state": "CA"}}, headers=tokens["admin"])
    assert response.status == 200
    status = await (await client.get("/v1/consent", headers=tokens["clinician"])).json()
    assert status["configured"] and status["decision"]["requires_client_consent"]
    eid = await new_encounter(client, tokens)
    audit_before = count(db, "SELECT COUNT(*) FROM audit_log")
    refused = await client.post(f"/v1/encounters/{eid}/transcript", json=SEGMENTS, headers=tokens["clinician"])
    assert refused.status == 409
    problem = await refused.json()
    assert problem["code"] == "consent_required" and "consent" in problem["detail"]
    assert refused.content_type == "application/problem+json"
    assert count(db, "SELECT COUNT(*) FROM transcript_segments") == 0
    assert count(db, "SELECT COUNT(*) FROM audit_log") == audit_before  # a rejected request writes nothing
    confirmed = await client.post(f"/v1/encounters/{eid}/consent", json={"confirmed_by": "Dr Avery",
                                  "method": "verbal"}, headers=tokens["clinician"])
    assert confirmed.status == 201
    record = await confirmed.json()
    assert record["confirmed_by"] == "Dr Avery" and record["rule"] == "all_party" and record["confirmed_at"]
    accepted = await client.post(f"/v1/encounters/{eid}/transcript", json=SEGMENTS, headers=tokens["clinician"])
    assert accepted.status == 200
    fetched = await (await client.get(f"/v1/encounters/{eid}/consent", headers=tokens["clinician"])).json()
    assert fetched == record
    assert count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'consent.confirmed'") == 1


async def test_one_party_state_needs_no_client_consent_unless_the_clinic_tightens(api):
    client, db, tokens = api
    await client.post("/v1/admin/pilot/settings", json={"consent": {"state": "TX"}}, headers=tokens["admin"])
    eid = await new_encounter(client, tokens)
    assert (await client.post(f"/v1/encounters/{eid}/transcript", json=SEGMENTS,
                              headers=tokens["clinician"])).status == 200
    await client.post("/v1/admin/pilot/settings", json={"consent": {"state": "TX", "clinic_rule": "all_party"}},
                      headers=tokens["admin"])
    eid2 = await new_encounter(client, tokens)
    blocked = await client.post(f"/v1/encounters/{eid2}/transcript", json=SEGMENTS, headers=tokens["clinician"])
    assert blocked.status == 409 and (await blocked.json())["code"] == "consent_required"


async def test_loosening_is_refused_and_changes_nothing(api):
    client, db, tokens = api
    await client.post("/v1/admin/pilot/settings", json={"consent": {"state": "PA"}}, headers=tokens["admin"])
    loosen = await client.post("/v1/admin/pilot/settings", json={"consent": {"state": "PA", "clinic_rule": "one_party"}},
                               headers=tokens["admin"])
    assert loosen.status == 422 and (await loosen.json())["code"] == "validation_error"
    current = await (await client.get("/v1/admin/pilot/settings", headers=tokens["admin"])).json()
    assert current["consent"] == {"state": "PA", "clinic_rule": None}
    forbidden = await client.post("/v1/admin/pilot/settings", json={"retention_days": 5}, headers=tokens["clinician"])
    assert forbidden.status == 403


async def test_satisfaction_once_a_day(api):
    client, db, tokens = api
    due = await (await client.get("/v1/pilot/satisfaction/due?clinician=Dr%20Chen", headers=tokens["clinician"])).json()
    assert due["due"] is True
    first = await client.post("/v1/pilot/satisfaction", json={"clinician": "Dr Chen", "score": 4},
                              headers=tokens["clinician"])
    assert first.status == 201
    again = await client.post("/v1/pilot/satisfaction", json={"clinician": "Dr Chen", "score": 5},
                              headers=tokens["clinician"])
    assert again.status == 409 and (await again.json())["code"] == "conflict"
    out_of_range = await client.post("/v1/pilot/satisfaction", json={"clinician": "Dr Diaz", "score": 6},
                                     headers=tokens["clinician"])
    assert out_of_range.status == 422
    due = await (await client.get("/v1/pilot/satisfaction/due?clinician=Dr%20Chen", headers=tokens["clinician"])).json()
    assert due["due"] is False
    assert count(db, "SELECT COUNT(*) FROM pilot_satisfaction") == 1


async def test_practice_without_a_state_needs_consent_before_any_transcript(api):
    """Nobody has configured the practice yet: unknown jurisdiction, so all-party (the brief's safe default)."""
    client, db, tokens = api
    status = await (await client.get("/v1/consent", headers=tokens["clinician"])).json()
    assert not status["configured"] and status["decision"]["requires_client_consent"]
    eid = await new_encounter(client, tokens)
    refused = await client.post(f"/v1/encounters/{eid}/transcript", json=SEGMENTS, headers=tokens["clinician"])
    assert refused.status == 409 and (await refused.json())["code"] == "consent_required"
    assert "vetscribe pilot settings --state" in (await refused.json())["detail"]
    assert count(db, "SELECT COUNT(*) FROM transcript_segments") == 0
    await client.post(f"/v1/encounters/{eid}/consent", json={"confirmed_by": "Dr Avery", "method": "verbal"},
                      headers=tokens["clinician"])
    accepted = await client.post(f"/v1/encounters/{eid}/transcript", json=SEGMENTS, headers=tokens["clinician"])
    assert accepted.status == 200
