"""No patient data in logs: a distinctive patient name and phrase go through every route, then every log is searched."""

import importlib
from urllib.parse import quote

import pytest

from companion.api.routes import MODULES
from companion_live import LiveServer
from conftest import map_doc

NAME = "Zanzibar Quillfeather"
PHRASE = "periwinkle hiccup crescendo"
PATIENT_ID = "PID-Quillfeather-8841"


def foundation_routes():
    """The routes of docs/api.md (areas such as pilot test their own routes' logging)."""
    modules = [importlib.import_module(f"companion.api.routes.{name}") for name in MODULES if name != "pilot"]
    return [route for module in modules for route in module.ROUTES]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("privacy") / "data").start()
    yield live
    live.stop()


def exercise_every_route(server: LiveServer) -> set[str]:
    """Call every documented route with patient data in it; returns the (method, path) pairs exercised."""
    token, admin = server.pair(), server.pair("admin")
    seen, req = set(), server.request

    def call(method, template, path, body=None, tok=token, **kw):
        seen.add((method.lower(), template))
        return req(method, path, body, tok, **kw)

    call("GET", "/v1/health", "/v1/health", tok=None)
    call("POST", "/v1/pair", "/v1/pair", {"code": NAME}, tok=None)
    call("GET", "/v1/whoami", "/v1/whoami")
    call("GET", "/v1/openapi.json", "/v1/openapi.json")
    context = {"patient_id": PATIENT_ID, "name": NAME, "problems": [PHRASE], "medications": [{"text": PHRASE}]}
    _, _, enc = call("POST", "/v1/encounters", "/v1/encounters",
                     {"patient_id": PATIENT_ID, "pims": "ezyvet", "context": context, "clinician": NAME})
    base = f"/v1/encounters/{enc['id']}"
    call("POST", "/v1/encounters", "/v1/encounters", {"patient_id": PATIENT_ID, "pims": NAME})  # 422 path
    call("GET", "/v1/encounters", f"/v1/encounters?patient_id={quote(PATIENT_ID)}")
    call("GET", "/v1/encounters/{id}", base)
    call("POST", "/v1/encounters/{id}/transcript", f"{base}/transcript", {"text": f"Vet: {NAME} has {PHRASE}"})
    call("GET", "/v1/capabilities", "/v1/capabilities")
    call("POST", "/v1/encounters/{id}/audio", f"{base}/audio", f"{NAME} {PHRASE}".encode(),
         headers={"Content-Type": "audio/webm"})
    call("POST", "/v1/encounters/{id}/draft", f"{base}/draft", {"template": PHRASE})
    status, _, rev = call("POST", "/v1/encounters/{id}/revisions", f"{base}/revisions",
                          {"sections": {"subjective": f"{NAME}: {PHRASE}"}})
    revision_id = rev["revision_id"] if status == 201 else None
    _, _, plan = call("POST", "/v1/encounters/{id}/approve", f"{base}/approve",
                      {"revision_id": revision_id, "idempotency_key": "k-1", "error_tags": [PHRASE[:20]]})
    call("POST", "/v1/encounters/{id}/writeback", f"{base}/writeback",
         {"approval_id": plan["approval_id"], "idempotency_key": "w-1",
          "results": [{"section": "subjective", "field": "history", "outcome": "error", "detail": f"{NAME} {PHRASE}"}]})
    call("POST", "/v1/encounters/{id}/close", f"{base}/close")
    call("POST", "/v1/context/parse", "/v1/context/parse",
         {"map_id": "ezyvet", "fragments": {"name": [f"<b>{NAME}</b>"], "problems": [f"<li>{PHRASE}</li>"]}})
    call("GET", "/v1/maps", "/v1/maps")
    call("GET", "/v1/maps/{id}", "/v1/maps/testpims")
    call("POST", "/v1/admin/maps", "/v1/admin/maps", {"map": map_doc(1, notes=f"{NAME} {PHRASE}")}, tok=admin)
    call("GET", "/v1/admin/maps/{id}/versions", "/v1/admin/maps/testpims/versions", tok=admin)
    call("POST", "/v1/admin/maps/{id}/rollback", "/v1/admin/maps/testpims/rollback", {"version": 1}, tok=admin)
    call("POST", "/v1/drift", "/v1/drift", {"map_id": "testpims", "map_version": 1, "page_kind": NAME,
                                            "field": PHRASE, "outcome": "missing"})
    call("GET", "/v1/admin/drift", "/v1/admin/drift", tok=admin)
    return seen


def test_no_patient_data_in_any_log(server):
    seen = exercise_every_route(server)
    documented = {(route.method.lower(), route.path) for route in foundation_routes()}
    assert documented <= seen, f"routes not exercised: {documented - seen}"
    logs = list((server.data_dir / "logs").glob("*"))
    assert logs, "the server wrote no log"
    text = "".join(path.read_text() for path in logs) + server.read_output()
    assert '"route":"/v1/encounters/{id}/writeback"' in text  # the log does record requests
    for secret in (NAME, PHRASE, PATIENT_ID, "Zanzibar", "periwinkle", "Quillfeather"):
        assert secret.lower() not in text.lower()
