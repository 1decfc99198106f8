"""The HTTP API through aiohttp's test client: pairing, roles, validation, the encounter lifecycle, maps, drift."""

import importlib
import json


from companion.api.app import create_app
from companion.api.keys import DB
from companion.store import pairing
from conftest import audit_rows, map_doc, pair_token, table_count

PROBLEM = "application/problem+json"


def has_callable(module: str, name: str) -> bool:
    try:
        return callable(getattr(importlib.import_module(module), name, None))
    except ImportError:
        return False


async def problem(response, status: int, code: str) -> dict:
    assert response.status == status, await response.text()
    assert response.content_type == PROBLEM
    body = await response.json()
    assert body["code"] == code and body["status"] == status and body["detail"] and body["title"]
    return body


async def ok(response, status: int = 200) -> dict:
    assert response.status == status, await response.text()
    return await response.json()


async def test_health_is_public_and_reports_versions(client, db):
    body = await ok(await client.get("/v1/health"))
    assert body == {"status": "ok", "version": "0.1.0", "schema_version": db.schema_version}


async def test_pairing_token_roles_and_refusals(client, db):
    await problem(await client.get("/v1/whoami"), 401, "unauthenticated")
    await problem(await client.get("/v1/whoami", headers={"Authorization": "Bearer nope"}), 401, "unauthenticated")
    code, _ = pairing.issue_code(db, "clinician")
    paired = await ok(await client.post("/v1/pair", json={"code": code.lower().replace("-", " ")}))
    assert paired["role"] == "clinician" and len(paired["token"]) >= 40
    await problem(await client.post("/v1/pair", json={"code": code}), 401, "pairing_refused")  # one-time
    headers = {"Authorization": f"Bearer {paired['token']}"}
    assert (await ok(await client.get("/v1/whoami", headers=headers)))["role"] == "clinician"
    await problem(await client.get("/v1/admin/drift", headers=headers), 403, "forbidden")
    admin = await pair_token(client, db, "admin")
    assert (await ok(await client.get("/v1/admin/drift", headers=admin))) == {"items": []}
    assert (await ok(await client.get("/v1/maps", headers=admin))) == {"items": []}  # admin may do clinical too


async def test_wrong_pairing_codes_lock_out(client, db):
    for _ in range(5):
        await problem(await client.post("/v1/pair", json={"code": "WRONG-CODE"}), 401, "pairing_refused")
    code, _ = pairing.issue_code(db, "clinician")
    response = await client.post("/v1/pair", json={"code": code})
    await problem(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0


async def test_encounter_lifecycle(client, clinician):
    enc = await ok(await client.post("/v1/encounters", headers=clinician, json={
        "patient_id": "P-77", "pims": "ezyvet", "map_id": "testpims", "map_version": 1,
        "context": {"species": "canine", "weight": {"kg": 12.5}}}), 201)
    assert enc["state"] == "created" and enc["context"]["weight"]["kg"] == 12.5
    url = f"/v1/encounters/{enc['id']}"
    appended = await ok(await client.post(f"{url}/transcript", headers=clinician, json={
        "segments": [{"speaker": "vet", "text": "Any vomiting?", "start_ms": 0, "end_ms": 900}]}))
    assert appended["state"] == "transcript" and len(appended["segment_ids"]) == 1
    tagged = await ok(await client.post(f"{url}/transcript", headers=clinician,
                                        json={"text": "Owner: twice yesterday\nVet: ok, eating?"}))
    assert len(tagged["segment_ids"]) == 2
    first = await ok(await client.post(f"{url}/revisions", headers=clinician,
                                       json={"sections": {"subjective": "V x2", "plan": "Recheck"}}), 201)
    rev = await ok(await client.post(f"{url}/revisions", headers=clinician, json={
        "sections": {"subjective": "Vomiting x2", "plan": "Recheck"}, "base_revision_id": first["revision_id"]}), 201)
    approve = {"revision_id": rev["revision_id"], "idempotency_key": "apr-1", "error_tags": ["omission"]}
    plan = await ok(await client.post(f"{url}/approve", headers=clinician, json=approve))
    assert plan["sections"] == {"subjective": "Vomiting x2", "plan": "Recheck"}
    assert (plan["patient_id"], plan["map_id"], plan["map_version"]) == ("P-77", "testpims", 1)
    assert await ok(await client.post(f"{url}/approve", headers=clinician, json=approve)) == plan  # retry
    report = {"approval_id": plan["approval_id"], "idempotency_key": "wb-1", "results": [
        {"section": "subjective", "field": "history", "outcome": "written", "writer": "native"},
        {"section": "plan", "field": "plan", "outcome": "verify_failed", "detail": "read-back differed"}]}
    partial = await ok(await client.post(f"{url}/writeback", headers=clinician, json=report))
    assert partial["state"] == "partially_written" and len(partial["writeback_results"]) == 2
    assert (await ok(await client.post(f"{url}/writeback", headers=clinician, json=report)))["state"] == \
        "partially_written"  # idempotent retry adds nothing
    retry = {"approval_id": plan["approval_id"], "idempotency_key": "wb-2",
             "results": [{"section": "plan", "field": "plan", "outcome": "written"}]}
    written = await ok(await client.post(f"{url}/writeback", headers=clinician, json=retry))
    assert written["state"] == "written" and len(written["writeback_results"]) == 3
    closed = await ok(await client.post(f"{url}/close", headers=clinician))
    assert closed["state"] == "closed" and closed["latest_revision"]["revision_id"] == rev["revision_id"]
    await problem(await client.post(f"{url}/transcript", headers=clinician, json={"text": "Vet: more"}),
                  409, "illegal_transition")
    listed = await ok(await client.get("/v1/encounters", headers=clinician, params={"patient_id": "P-77"}))
    assert [item["id"] for item in listed["items"]] == [enc["id"]]
    got = await ok(await client.get(url, headers=clinician))
    assert [s["speaker"] for s in got["transcript"]] == ["vet", "client", "vet"]


async def test_illegal_transition_and_conflicts(client, clinician):
    enc = await ok(await client.post("/v1/encounters", headers=clinician, json={"patient_id": "P", "pims": "x"}), 201)
    url = f"/v1/encounters/{enc['id']}"
    await problem(await client.post(f"{url}/approve", headers=clinician,
                                    json={"revision_id": "rev_x", "idempotency_key": "k"}), 409, "illegal_transition")
    await ok(await client.post(f"{url}/revisions", headers=clinician, json={"sections": {"note": "a"}}), 201)
    await problem(await client.post(f"{url}/revisions", headers=clinician,
                                    json={"sections": {"note": "b"}, "base_revision_id": "rev_old"}), 409, "conflict")
    await problem(await client.get("/v1/encounters/enc_missing", headers=clinician), 404, "not_found")


async def test_validation_errors_name_fields_and_write_nothing(client, clinician, db):
    rows, encounters = audit_rows(db), table_count(db, "encounters")
    body = await problem(await client.post("/v1/encounters", headers=clinician, json={
        "patient_id": "P", "pims": "Not A Slug", "surprise": 1, "context": {"weight": {"kg": -1}}}),
        422, "validation_error")
    locs = {tuple(err["loc"]) for err in body["errors"]}
    assert {("body", "surprise"), ("body", "pims"), ("body", "context", "weight", "kg")} <= locs
    await problem(await client.post("/v1/encounters", data=b"{not json",
                                    headers=clinician | {"Content-Type": "application/json"}), 400, "invalid_json")
    await problem(await client.post("/v1/encounters", data=b"patient_id=P",
                                    headers=clinician | {"Content-Type": "application/x-www-form-urlencoded"}),
                  415, "unsupported_media_type")
    await problem(await client.post("/v1/encounters", data=b"x" * (65 * 1024),
                                    headers=clinician | {"Content-Type": "application/json"}),
                  413, "payload_too_large")
    await problem(await client.get("/v1/encounters", headers=clinician), 422, "validation_error")
    await problem(await client.get("/v1/maps?bogus=1", headers=clinician), 422, "validation_error")
    assert (audit_rows(db), table_count(db, "encounters")) == (rows, encounters)


async def test_transcript_takes_exactly_one_form(client, clinician):
    enc = await ok(await client.post("/v1/encounters", headers=clinician, json={"patient_id": "P", "pims": "x"}), 201)
    url = f"/v1/encounters/{enc['id']}/transcript"
    await problem(await client.post(url, headers=clinician, json={}), 422, "validation_error")
    await problem(await client.post(url, headers=clinician, json={
        "text": "Vet: hi", "segments": [{"speaker": "vet", "text": "hi"}]}), 422, "validation_error")
    await problem(await client.post(url, headers=clinician, json={
        "segments": [{"speaker": "dog", "text": "woof"}]}), 422, "validation_error")


async def test_draft_uses_engine_or_says_unavailable(client, clinician):
    enc = await ok(await client.post("/v1/encounters", headers=clinician, json={"patient_id": "P", "pims": "x"}), 201)
    url = f"/v1/encounters/{enc['id']}"
    await problem(await client.post(f"{url}/draft", headers=clinician, json={}), 409, "illegal_transition")
    await ok(await client.post(f"{url}/transcript", headers=clinician, json={"text": "Vet: hi"}))
    response = await client.post(f"{url}/draft", headers=clinician, json={})
    if not has_callable("companion.notes", "draft_note"):
        await problem(response, 501, "engine_unavailable")
        assert (await ok(await client.get(url, headers=clinician)))["state"] == "transcript"
        return
    await problem(response, 422, "empty_transcript")  # the engine refuses; nothing is kept
    assert (await ok(await client.get(url, headers=clinician)))["latest_revision"] is None
    await problem(await client.post(f"{url}/draft", headers=clinician, json={"template": "../../etc/passwd"}),
                  422, "validation_error")
    await ok(await client.post(f"{url}/transcript", headers=clinician, json={
        "text": "Vet: What brings him in today?\nOwner: He has been scratching his ears for a week."}))
    draft = await ok(await client.post(f"{url}/draft", headers=clinician, json={}))
    assert draft["state"] == "drafted" and "scratching" in draft["sections"]["subjective"]
    assert draft["note"]["engine"] and isinstance(draft["note"]["flags"], list)
    kept = (await ok(await client.get(url, headers=clinician)))["latest_revision"]
    assert (kept["revision_id"], kept["kind"], kept["sections"]) == (draft["revision_id"], "draft", draft["sections"])


async def test_context_parse_uses_parser_or_says_unavailable(client, clinician):
    response = await client.post("/v1/context/parse", headers=clinician, json={
        "map_id": "testpims", "fragments": {"name": ["<span>Rex</span>"], "weight": ["<td>12.5 kg</td>"]}})
    if not has_callable("companion.context.parser", "parse_context"):
        await problem(response, 501, "not_available")
        return
    context = await ok(response)
    assert context["name"] == "Rex" and context["weight"]["kg"] == 12.5


async def test_maps_install_list_get_rollback(client, clinician, admin, db):
    await problem(await client.post("/v1/admin/maps", headers=clinician, json={"map": map_doc()}), 403, "forbidden")
    assert await ok(await client.post("/v1/admin/maps", headers=admin, json={"map": map_doc(1)}), 201) == \
        {"id": "testpims", "version": 1}
    await ok(await client.post("/v1/admin/maps", headers=admin, json={"map": map_doc(2)}), 201)
    rows = audit_rows(db)
    bad = await problem(await client.post("/v1/admin/maps", headers=admin,
                                          json={"map": map_doc(3, page_kinds={})}), 422, "validation_error")
    assert any(err["loc"][:3] == ["body", "map", "page_kinds"] for err in bad["errors"])
    await problem(await client.post("/v1/admin/maps", headers=admin, json={"map": map_doc(2, notes="changed")}),
                  409, "conflict")
    assert audit_rows(db) == rows
    assert (await ok(await client.get("/v1/maps", headers=clinician)))["items"] == [
        {"id": "testpims", "display_name": "Test PIMS", "version": 2, "active": True}]
    assert (await ok(await client.get("/v1/maps/testpims", headers=clinician)))["version"] == 2
    assert (await ok(await client.get("/v1/maps/testpims?version=1", headers=clinician)))["version"] == 1
    await ok(await client.post("/v1/admin/maps/testpims/rollback", headers=admin, json={"version": 1}))
    versions = await ok(await client.get("/v1/admin/maps/testpims/versions", headers=admin))
    assert [(v["version"], v["active"]) for v in versions["items"]] == [(2, False), (1, True)]
    await problem(await client.post("/v1/admin/maps/testpims/rollback", headers=admin, json={"version": 9}),
                  404, "not_found")


async def test_drift_reports_are_counted(client, clinician, admin):
    report = {"map_id": "testpims", "map_version": 1, "page_kind": "consult", "field": "plan", "outcome": "missing"}
    for _ in range(2):
        response = await client.post("/v1/drift", headers=clinician, json=report)
        assert response.status == 204
    items = (await ok(await client.get("/v1/admin/drift", headers=admin)))["items"]
    assert [(i["field"], i["outcome"], i["count"]) for i in items] == [("plan", "missing", 2)]


async def test_openapi_is_generated_from_routes(client, clinician):
    doc = await ok(await client.get("/v1/openapi.json", headers=clinician))
    assert doc["openapi"].startswith("3.1")
    served = {(r.method.lower(), r.resource.canonical) for r in client.app.router.routes() if r.method != "HEAD"}
    documented = {(method, path) for path, ops in doc["paths"].items() for method in ops}
    assert served == documented
    schemas = doc["components"]["schemas"]
    assert schemas["EncounterCreate"]["additionalProperties"] is False
    assert "PatientContext" in schemas and "Problem" in schemas


async def test_unknown_route_and_method_are_problems(client, clinician):
    await problem(await client.get("/v1/nothing", headers=clinician), 404, "not_found")
    response = await client.delete("/v1/health")
    await problem(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


async def test_shipped_maps_are_seeded_on_first_start(aiohttp_client, settings, tmp_path):
    shipped = tmp_path / "selectors"
    shipped.mkdir()
    (shipped / "testpims.json").write_text(json.dumps(map_doc(4)))
    (shipped / "schema.json").write_text("{}")
    (shipped / "broken.json").write_text(json.dumps({"id": "broken"}))
    client = await aiohttp_client(create_app(settings.model_copy(update={"shipped_maps_dir": shipped})))
    db = client.app[DB]
    headers = await pair_token(client, db)
    items = (await ok(await client.get("/v1/maps", headers=headers)))["items"]
    assert [(i["id"], i["version"]) for i in items] == [("testpims", 4)]


async def test_transcript_append_retry_with_key_appends_once(client, clinician):
    enc = await ok(await client.post("/v1/encounters", headers=clinician, json={"patient_id": "P", "pims": "x"}), 201)
    url = f"/v1/encounters/{enc['id']}/transcript"
    body = {"text": "Vet: first line", "idempotency_key": "t-1"}
    first = await ok(await client.post(url, headers=clinician, json=body))
    assert await ok(await client.post(url, headers=clinician, json=body)) == first
    await problem(await client.post(url, headers=clinician, json={"text": "Vet: other", "idempotency_key": "t-1"}),
                  409, "conflict")
    got = await ok(await client.get(f"/v1/encounters/{enc['id']}", headers=clinician))
    assert [s["text"] for s in got["transcript"]] == ["first line"]


async def test_approve_with_edited_sections_keeps_the_edit_and_replays(client, clinician, db):
    """An approval that carries the clinician's edit keeps it as a new revision in the same step (what an approval
    queued offline relies on); the same request again replays; a stale base revision is refused and writes nothing."""
    enc = await ok(await client.post("/v1/encounters", headers=clinician, json={"patient_id": "P-5", "pims": "ezyvet"}),
                   201)
    url = f"/v1/encounters/{enc['id']}"
    draft = await ok(await client.post(f"{url}/revisions", headers=clinician,
                                       json={"sections": {"subjective": "V x2", "plan": "Recheck"}}), 201)
    edited = {"subjective": "Vomiting twice", "plan": "Recheck in 2 days"}
    approve = {"revision_id": draft["revision_id"], "idempotency_key": "apr-edit", "sections": edited}
    plan = await ok(await client.post(f"{url}/approve", headers=clinician, json=approve))
    assert plan["sections"] == edited and plan["revision_id"] != draft["revision_id"]
    assert await ok(await client.post(f"{url}/approve", headers=clinician, json=approve)) == plan
    kept = await ok(await client.get(url, headers=clinician))
    assert kept["latest_revision"]["sections"] == edited and len(kept["approvals"]) == 1
    assert kept["latest_revision"]["base_revision_id"] == draft["revision_id"]
    before = (audit_rows(db), table_count(db, "note_revisions"))
    stale = {"revision_id": draft["revision_id"], "idempotency_key": "apr-stale", "sections": {"plan": "Other"}}
    refused = await client.post(f"{url}/approve", headers=clinician, json=stale)
    assert refused.status == 409
    assert (audit_rows(db), table_count(db, "note_revisions")) == before
