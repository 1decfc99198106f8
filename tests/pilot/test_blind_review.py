"""Blind review on the generated pilot: 5 AI + 5 manual notes, de-identified and shuffled; ratings compared."""

import json
import random
from statistics import fmean

import pytest

from companion.api.app import create_app
from companion.config import Settings
from companion.pilot.blind_review import CandidateNote, NotEnoughNotes, build_review, redact
from companion.store import Database
from tests.pilot.conftest import copy_pilot
from tests.pilot.seed import CLINICIANS, PET_NAMES


@pytest.fixture
async def api(aiohttp_client, seeded_pilot, tmp_path):
    data_dir, truth = copy_pilot(seeded_pilot, tmp_path)
    settings = Settings(data_dir=data_dir, shipped_maps_dir=None)
    db = Database(settings.db_path)
    client = await aiohttp_client(create_app(settings, db))
    yield client, db, truth, {"Authorization": f"Bearer {truth.admin_token}"}
    db.close()


async def test_export_is_de_identified_shuffled_and_balanced(api):
    client, db, truth, admin = api
    response = await client.post("/v1/admin/pilot/blind-reviews", json={}, headers=admin)
    assert response.status == 201
    exported = await response.json()
    items = exported["items"]
    assert len(items) == 10 and len({i["code"] for i in items}) == 10
    text = json.dumps(items)
    for name in (*CLINICIANS, *PET_NAMES):
        assert name.lower() not in text.lower(), "identity left in the export"
    assert "enc_" not in text and "P0" not in text
    with db.reading() as conn:
        key = json.loads(conn.execute("SELECT key_json FROM pilot_blind_reviews WHERE id = ?",
                                      (exported["review_id"],)).fetchone()[0])
    kinds = [key[i["code"]][1] for i in items]
    assert sorted(kinds) == ["ai"] * 5 + ["manual"] * 5
    by_id = {n.encounter_id: n for n in truth.notes}
    for item in items:
        note = by_id[key[item["code"]][0]]
        assert note.scribe == (key[item["code"]][1] == "ai")
        assert set(item["sections"]) == set(note.approved_sections)  # the approved text, redacted


async def test_ratings_import_and_comparison(api):
    client, db, truth, admin = api
    exported = await (await client.post("/v1/admin/pilot/blind-reviews", json={}, headers=admin)).json()
    with db.reading() as conn:
        key = json.loads(conn.execute("SELECT key_json FROM pilot_blind_reviews WHERE id = ?",
                                      (exported["review_id"],)).fetchone()[0])
    rng = random.Random(3)
    ratings = [{"code": item["code"], "completeness": rng.randint(1, 10), "accuracy": rng.randint(1, 10),
                "professionalism": rng.randint(1, 10)} for item in exported["items"]]
    path = f"/v1/admin/pilot/blind-reviews/{exported['review_id']}"
    response = await client.post(f"{path}/ratings", json={"ratings": ratings}, headers=admin)
    assert response.status == 200, await response.text()
    comparison = await response.json()
    for kind in ("ai", "manual"):
        mine = [r for r in ratings if key[r["code"]][1] == kind]
        for criterion in ("completeness", "accuracy", "professionalism"):
            assert comparison[kind][criterion] == pytest.approx(fmean(r[criterion] for r in mine))
        expected_overall = fmean(fmean(r[c] for r in mine) for c in ("completeness", "accuracy", "professionalism"))
        assert comparison[kind]["overall"] == pytest.approx(expected_overall)
    assert comparison["difference"]["overall"] == pytest.approx(comparison["ai"]["overall"]
                                                                - comparison["manual"]["overall"])
    assert comparison["rated"] == comparison["expected"] == 10
    assert (await (await client.get(path, headers=admin)).json()) == comparison
    unknown = await client.post(f"{path}/ratings", headers=admin, json={"ratings": [
        {"code": "N000", "completeness": 5, "accuracy": 5, "professionalism": 5}]})
    assert unknown.status == 422
    out_of_range = await client.post(f"{path}/ratings", headers=admin, json={"ratings": [
        {"code": ratings[0]["code"], "completeness": 11, "accuracy": 5, "professionalism": 5}]})
    assert out_of_range.status == 422
    assert (await (await client.get(path, headers=admin)).json()) == comparison  # rejected requests wrote nothing


def test_redaction_and_not_enough_notes():
    assert redact("Biscuit ate. BISCUIT slept. Biscuits everywhere.", ("Biscuit",)) == \
        "[redacted] ate. [redacted] slept. Biscuits everywhere."
    few = [CandidateNote("e1", "ai", {"plan": "x"}), CandidateNote("e2", "manual", {"plan": "y"})]
    with pytest.raises(NotEnoughNotes):
        build_review(few)
