"""The clinician's flow on the ezyVet replica, end to end through the real panel, companion and fill engine:
consent → transcript → Generate → provenance → Approve → filled and verified → write-back recorded → Undo;
plus the patient guard (refuse on mismatch, park on patient change) and idempotent approval."""

import pytest

from tests.extension.harness import Panel, generate_draft, poll

try:  # the replica area's decision about which fields a drift variant must make the map refuse
    from tests.replicas.test_maps import REFUSED_ON_DRIFT
except ImportError:  # pragma: no cover - replica tests not present
    REFUSED_ON_DRIFT = {}

TRANSCRIPT = """Vet: He is here because he has been limping on the left front leg for three days.
Client: He has been eating normally.
Vet: Temperature 101.5, heart rate 100. Mild pain on flexion of the left elbow.
Vet: This looks like an osteoarthritis flare. Continue carprofen 75 mg twice daily and recheck in two weeks."""


@pytest.fixture()
def ezyvet(paired, replicas):
    page = paired.context.new_page()
    page.goto(replicas.url("ezyvet"))
    panel = Panel(paired, page)
    panel.wait_mounted()
    panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Ready", "Confirm")), message="context read")
    yield page, panel
    page.close()


def draft(panel: Panel, transcript: str = TRANSCRIPT) -> dict:
    """The shared harness flow with this module's transcript."""
    return generate_draft(panel, transcript)


def test_consent_then_draft_then_fill_verified_then_undo(ezyvet, companion):
    page, panel = ezyvet
    before = page.evaluate("() => window.__replica.read('note')")
    snap = draft(panel)
    assert panel.get("scribe-approve")["disabled"] is False
    enc_id = snap["encounterId"]
    # provenance: hovering a sentence shows its transcript source
    panel.hover("scribe-sentences-subjective", first_line=True)
    poll(lambda: panel.get("scribe-provenance")["visible"], message="provenance shown")
    assert "limping" in panel.text("scribe-provenance")
    panel.click("scribe-approve")
    panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Filled", "Nothing", "Not")), message="fill")
    assert panel.status().startswith("Filled and verified"), panel.status()
    written = page.evaluate("() => window.__replica.read('note')")
    assert "limping on the left front leg" in written and "osteoarthritis flare" in written
    assert page.evaluate("() => window.__replica.saveClicks()") == 0  # never presses Save
    encounter = poll(lambda: (e := companion.api("GET", f"/v1/encounters/{enc_id}"))["writeback_results"] and e,
                     message="write-back recorded")
    assert [r["outcome"] for r in encounter["writeback_results"]] == ["written"]
    assert encounter["state"] == "written"
    # a second Approve click does not fill again or create a second approval
    panel.click("scribe-approve")
    poll(lambda: "already filled" in panel.status(), message="idempotent approve")
    assert len(companion.api("GET", f"/v1/encounters/{enc_id}")["approvals"]) == 1
    panel.click("scribe-undo")
    panel.wait_for("scribe-status", lambda i: i["text"].startswith("Undo"), message="undo")
    assert (page.evaluate("() => window.__replica.read('note')") or "") == (before or "")


def test_fill_refused_when_patient_changes_at_approve(ezyvet, companion):
    page, panel = ezyvet
    snap = draft(panel)
    # the PIMS switches patient at the moment Approve is clicked (its click listener sees only our host element)
    page.evaluate("""() => document.addEventListener('click', (e) => {
        if (e.target.tagName === 'VETSCRIBE-PANEL') window.__replica.navigate('/patient/10232');
    }, {once: true})""")
    panel.click("scribe-approve")
    panel.wait_for("scribe-status", lambda i: "Nothing was filled" in i["text"] or "parked" in i["text"], message="refusal")
    assert page.evaluate("() => window.__replica.patient()")["id"] == "10232"
    assert not page.evaluate("() => window.__replica.read('note')")
    results = companion.api("GET", f"/v1/encounters/{snap['encounterId']}")["writeback_results"]
    assert results and {r["outcome"] for r in results} == {"refused"}


def test_patient_change_parks_draft_and_offers_it_back(ezyvet):
    page, panel = ezyvet
    draft(panel)
    page.evaluate("() => window.__replica.navigate('/patient/10232')")
    panel.wait_for("scribe-status", lambda i: "parked" in i["text"], message=f"parked (status: {panel.status()!r})")
    assert not [i for i in panel.snapshot()["items"] if i["testid"].startswith("scribe-section-")]
    assert panel.get("scribe-approve")["disabled"] is True
    assert panel.get("scribe-parked")["visible"] is False  # not offered for another patient
    page.evaluate("() => window.__replica.navigate('/patient/10231')")
    panel.wait_for("scribe-parked", lambda i: i["visible"], message="parked draft offered")
    panel.click("scribe-resume")
    panel.wait_for("scribe-status", lambda i: i["text"].startswith("Parked draft restored"), message="resumed")
    assert "limping" in panel.value("scribe-section-subjective")


@pytest.mark.parametrize("pims,drift,path", [
    ("ezyvet", False, None), ("shepherd", False, None), ("pulse", False, None),
    ("ezyvet", True, None), ("shepherd", True, None), ("pulse", True, None),
    ("shepherd", False, "/patients/sh-73/discharge"),  # TinyMCE in an iframe, inside a react-modal step
])
def test_every_replica_fills_and_verifies(paired, companion, replicas, pims, drift, path):
    page = paired.context.new_page()
    try:
        page.goto(replicas.url(pims, path, drift=drift))
        panel = Panel(paired, page)
        panel.wait_mounted()
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Ready", "Confirm")), message="context read")
        snap = draft(panel)
        panel.click("scribe-approve")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Filled", "Nothing")), message="fill")
        results = poll(lambda: companion.api("GET", f"/v1/encounters/{snap['encounterId']}")["writeback_results"],
                       message="write-back recorded")
        outcomes = {r["field"]: r["outcome"] for r in results}
        map_id = snap["mapId"]
        refused = REFUSED_ON_DRIFT.get(map_id, set()) if drift else set()
        write_fields = companion.api("GET", f"/v1/maps/{map_id}")["page_kinds"][snap["pageKind"]]["write"]
        for field, outcome in outcomes.items():
            if field not in write_fields:  # e.g. a discharge page has only Plan: the rest is offered for copying
                assert outcome == "missing" and panel.get(f"scribe-copy-{field}"), (field, outcome)
            elif field in refused:  # reworded with no safe fallback: not touched, offered for copying
                assert outcome in ("missing", "ambiguous"), (field, outcome)
                assert panel.get(f"scribe-copy-{field}"), f"no copy button for {field}"
                assert not page.evaluate("(f) => window.__replica.read(f)", field)
            else:
                assert outcome == "written", (field, outcome, panel.status())
                assert page.evaluate("(f) => window.__replica.read(f)", field), f"{field} empty on the page"
        if not refused and set(outcomes) <= set(write_fields):
            assert panel.status().startswith("Filled and verified"), (panel.status(), outcomes)
        assert any(outcome == "written" for outcome in outcomes.values())
        assert page.evaluate("() => window.__replica.saveClicks()") == 0
    finally:
        page.close()


def test_clinician_edit_is_what_gets_filled(paired, companion, replicas):
    page = paired.context.new_page()
    try:
        page.goto(replicas.url("pulse"))
        panel = Panel(paired, page)
        panel.wait_mounted()
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Ready", "Confirm")), message="context read")
        snap = draft(panel)
        edited = panel.value("scribe-section-plan") + "\nRecheck sooner if lameness worsens."
        panel.type("scribe-section-plan", edited)
        panel.click("scribe-approve")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Filled", "Nothing", "Your edits")), message="fill")
        assert "Recheck sooner if lameness worsens." in page.evaluate("() => window.__replica.read('plan')")
        encounter = companion.api("GET", f"/v1/encounters/{snap['encounterId']}")
        assert encounter["latest_revision"]["kind"] == "edit"
        assert encounter["latest_revision"]["sections"]["plan"].endswith("Recheck sooner if lameness worsens.")
    finally:
        page.close()
