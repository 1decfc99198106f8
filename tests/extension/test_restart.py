"""A browser restarted with an unsent approval sends it once when it starts, not twice."""

from tests.extension.harness import ExtensionBrowser, _launch, poll


def test_unsent_approval_survives_browser_restart_and_is_sent_once(playwright, companion, tmp_path):
    enc = companion.api("POST", "/v1/encounters", body={"patient_id": "restart-1", "pims": "ezyvet"})
    companion.api("POST", f"/v1/encounters/{enc['id']}/consent", body={"confirmed_by": "test", "method": "verbal"})
    companion.api("POST", f"/v1/encounters/{enc['id']}/transcript",
                  body={"text": "Vet: He has been limping on the left front leg for three days."})
    revision = companion.api("POST", f"/v1/encounters/{enc['id']}/revisions",
                             body={"sections": {"subjective": "Limping on the left front leg for three days."}})
    approve = {"type": "encounter.approve", "encounterId": enc["id"],
               "body": {"revision_id": revision["revision_id"], "idempotency_key": "restart-test-key-1"}}
    profile = tmp_path / "profile"
    context = _launch(playwright, profile)
    ext = ExtensionBrowser(context)
    assert ext.pair_via_options(companion.url, companion.pair_code("clinician")).startswith("Paired")
    companion.stop()
    try:
        assert ext.message(approve)["queued"] is True
    finally:
        context.close()
        companion.start()
    context = _launch(playwright, profile)
    try:
        ext = ExtensionBrowser(context)
        poll(lambda: companion.api("GET", f"/v1/encounters/{enc['id']}")["approvals"], timeout=20,
             message="approval sent after restart")
        poll(lambda: ext.storage("outbox").get("outbox") == [], message="outbox emptied")
        again = ext.message(approve)  # the same click replayed: same approval, not a second one
        assert again["ok"] is True
        approvals = companion.api("GET", f"/v1/encounters/{enc['id']}")["approvals"]
        assert len(approvals) == 1 and again["data"]["approval_id"] == approvals[0]["approval_id"]
    finally:
        context.close()
