"""Resilience of the fill flow: companion down at approval (kept, sent once, same approval), a field the map
cannot find (copy button naming the field, paste works), a field that already holds the vet's text (ask mode:
Append keeps it), drift reported to the companion."""

import copy

import pytest

from tests.extension.harness import Panel, poll
from tests.extension.test_flow import draft


def open_pims(paired, replicas, pims, path=None):
    page = paired.context.new_page()
    page.goto(replicas.url(pims, path))
    panel = Panel(paired, page)
    panel.wait_mounted()
    panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Ready", "Confirm")), message="context read")
    return page, panel


def test_approval_while_companion_down_is_kept_and_sent_once(paired, companion, replicas):
    page, panel = open_pims(paired, replicas, "ezyvet")
    try:
        snap = draft(panel)
        companion.stop()
        try:
            panel.click("scribe-approve")
            panel.wait_for("scribe-status", lambda i: "not reachable" in i["text"], message="queued status")
            assert "Nothing was filled" in panel.status()
            assert [i["kind"] for i in paired.message({"type": "outbox.list"})["data"]] == ["approve"]
            assert not page.evaluate("() => window.__replica.read('note')")
        finally:
            companion.start()
        paired.message({"type": "outbox.flush"})
        panel.wait_for("scribe-status", lambda i: "recorded your approval" in i["text"], message="sent notice")
        panel.click("scribe-approve")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith("Filled"), message="filled after outage")
        encounter = companion.api("GET", f"/v1/encounters/{snap['encounterId']}")
        assert len(encounter["approvals"]) == 1  # the resend and the second click reused one approval
        assert "limping" in page.evaluate("() => window.__replica.read('note')")
    finally:
        page.close()


@pytest.fixture()
def pulse_without_plan_field(companion):
    """A Pulse map version whose Plan locator matches nothing (as after a vendor rename with no fingerprint)."""
    current = companion.api("GET", "/v1/maps/covetrus-pulse")
    highest = max(v["version"] for v in companion.api("GET", "/v1/admin/maps/covetrus-pulse/versions")["items"])
    broken = copy.deepcopy(current)
    broken["version"] = highest + 1
    plan = broken["page_kinds"]["visit"]["write"]["plan"]
    plan["locators"] = [{"css": "#renamed-by-vendor-plan"}]
    plan.pop("fingerprint", None)
    companion.api("POST", "/v1/admin/maps", body={"map": broken})
    yield
    companion.api("POST", "/v1/admin/maps/covetrus-pulse/rollback", body={"version": current["version"]})


def test_missing_field_gets_copy_button_naming_it(paired, companion, replicas, pulse_without_plan_field):
    page, panel = open_pims(paired, replicas, "pulse")
    try:
        snap = draft(panel)
        panel.click("scribe-approve")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith("Filled"), message="fill done")
        assert "need attention" in panel.status()
        assert 'PIMS field "plan" is not on the page' in panel.text("scribe-result-plan")
        assert panel.get("scribe-copy-plan") and not panel.get("scribe-copy-subjective")
        panel.click("scribe-copy-plan")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith("Copied"), message="copied")
        # the clinician pastes it by hand: the clipboard holds exactly the plan section
        page.evaluate("() => { const t = document.createElement('textarea'); t.id = 'paste-here'; document.body.append(t); }")
        page.focus("#paste-here")
        page.keyboard.press("Control+V")
        assert page.input_value("#paste-here") == panel.value("scribe-section-plan")
        results = {r["section"]: r["outcome"] for r in
                   companion.api("GET", f"/v1/encounters/{snap['encounterId']}")["writeback_results"]}
        assert results["plan"] == "missing" and results["subjective"] == "written"
        drift = companion.api("GET", "/v1/admin/drift")["items"]
        assert any(r["map_id"] == "covetrus-pulse" and r["field"] == "plan" and r["outcome"] == "missing" for r in drift)
    finally:
        page.close()


def test_field_with_vet_text_asks_then_appends(paired, replicas):
    page, panel = open_pims(paired, replicas, "ezyvet")
    try:
        draft(panel)
        page.click('[data-testid="AddHistory"]')
        box = page.locator('textarea[id^="visithistorydata_comments"]')
        box.fill("Owner called earlier about appetite.")
        panel.click("scribe-approve")
        panel.wait_for("scribe-append-note", message="append/replace offered")
        assert "already has text" in panel.text("scribe-result-subjective")
        assert page.evaluate("() => window.__replica.read('note')") == "Owner called earlier about appetite."
        panel.click("scribe-append-note")
        poll(lambda: "limping" in (page.evaluate("() => window.__replica.read('note')") or ""), message="appended")
        text = page.evaluate("() => window.__replica.read('note')")
        assert text.startswith("Owner called earlier about appetite.")
    finally:
        page.close()


def test_transcript_sent_while_down_is_kept_and_drafted_once(paired, companion, replicas):
    from tests.extension.test_flow import TRANSCRIPT

    page, panel = open_pims(paired, replicas, "shepherd")
    try:
        if panel.get("scribe-consent")["visible"]:  # creates the encounter while the companion is up
            panel.click("scribe-consent-check")
            panel.click("scribe-consent-confirm")
            panel.wait_for("scribe-status", lambda i: i["text"].startswith("Consent recorded"), message="consent")
        companion.stop()
        try:
            panel.type("scribe-transcript", TRANSCRIPT)
            panel.click("scribe-generate")
            panel.wait_for("scribe-status", lambda i: "saved" in i["text"], message="transcript kept")
            assert [i["kind"] for i in paired.message({"type": "outbox.list"})["data"]] == ["transcript"]
        finally:
            companion.start()
        panel.click("scribe-generate")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Draft ready", "No draft")), timeout=60,
                       message="draft after outage")
        assert panel.status().startswith("Draft ready"), panel.status()
        encounter = companion.api("GET", f"/v1/encounters/{panel.snapshot()['encounterId']}")
        assert len(encounter["transcript"]) == len(TRANSCRIPT.splitlines())  # sent once, not twice
    finally:
        page.close()
