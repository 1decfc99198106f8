"""Issue 8 item 4: failure drills through the real panel, fill engine and companion on the Pulse replica (four SOAP
fields: CKEditor 5 and Quill). "Mid-fill" is made deterministic by the panel's test-only fill gate (content/
testhook.js `fillGate`: testMode plus `testFillGate` in extension storage pause the fill after a named field), never
by a timed race. After each drill every field holds either its previous content or the approved text, never a mix,
and the companion's record of what was written matches the page."""

from __future__ import annotations

import pytest

from tests.extension.harness import ExtensionBrowser, Panel, _launch, poll
from tests.security.helpers import approve_and_wait, generate, normalize, open_pims, read_field, section_names

FIELDS = ("subjective", "objective", "assessment", "plan")
TRANSCRIPT = """Vet: He has been limping on the left front leg for three days.
Vet: Temperature 101.5, heart rate 100. Mild pain on flexion of the left elbow.
Vet: This looks like an osteoarthritis flare. Continue carprofen 75 mg twice daily and recheck in two weeks."""
OK = {"written", "appended", "unchanged"}


def approved_text(field: str) -> str:
    return f"Drill {field}: first paragraph.\nDrill {field}: second paragraph."


def drafted_pulse(paired, replicas, patient="p-501", edit=True):
    """A Pulse visit with a draft whose SOAP sections the clinician set to known text (when `edit`)."""
    page, panel = open_pims(paired, replicas, "pulse", f"/patients/{patient}/visit")
    snap = generate(panel, TRANSCRIPT)
    assert set(FIELDS) <= set(section_names(snap)), section_names(snap)
    for name in section_names(snap) if edit else ():  # every section, so each field's approved text is known
        panel.type(f"scribe-section-{name}", approved_text(name))
    names = section_names(snap)
    return page, panel, snap["encounterId"], names


class Gate:
    """The test-only fill gate: pause the fill after one field, act, release."""

    def __init__(self, ext: ExtensionBrowser):
        self.ext = ext

    def set(self, after: str) -> None:
        self.ext.eval("(f) => chrome.storage.local.set({testFillGate: {after: f}})", after)

    def wait_paused(self) -> str:
        return poll(lambda: (self.ext.storage("testFillPaused").get("testFillPaused") or {}).get("field"),
                    message="fill paused at the gate")

    def release(self) -> None:
        self.ext.eval("() => chrome.storage.local.remove('testFillGate')")

    def clear(self) -> None:
        self.ext.eval("() => chrome.storage.local.remove(['testFillGate', 'testFillPaused'])")


@pytest.fixture()
def gate(paired):
    g = Gate(paired)
    yield g
    g.clear()


def records(companion, encounter_id) -> list[dict]:
    return companion.api("GET", f"/v1/encounters/{encounter_id}")["writeback_results"]


def assert_no_mix_and_record_matches(page, results: list[dict], before: dict[str, str]) -> None:
    """Each field holds its previous content or exactly the approved text; the record says which."""
    outcomes = {r["field"]: r["outcome"] for r in results}
    assert len(outcomes) == len(results), f"a field was reported twice: {results}"
    for field in before:
        now = normalize(read_field(page, field))
        assert now in (normalize(before[field]), normalize(approved_text(field))), (field, now)
        if outcomes.get(field) in OK:
            assert now == normalize(approved_text(field)), (field, outcomes[field], now)
        else:
            assert now == normalize(before[field]), (field, outcomes.get(field), now)


def test_companion_killed_mid_fill(paired, companion, replicas, gate):
    """The companion dies between two writes: the fill finishes (it needs no companion), the write-back is kept in
    the outbox and recorded exactly once when the companion is back, and it matches the page."""
    page, panel, encounter_id, names = drafted_pulse(paired, replicas)
    try:
        before = {f: read_field(page, f) or "" for f in names}
        gate.set("subjective")
        panel.click("scribe-approve")
        assert gate.wait_paused() == "subjective"
        companion.proc.kill()  # SIGKILL: no graceful shutdown
        companion.proc.wait(timeout=10)
        companion.proc = None
        try:
            gate.release()
            panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Filled", "Companion")), timeout=30,
                           message="fill finished with the companion down")
            poll(lambda: [i["kind"] for i in paired.message({"type": "outbox.list"})["data"]] == ["writeback"],
                 message="write-back kept in the outbox")
            for field in names:
                assert normalize(read_field(page, field)) == normalize(approved_text(field)), field
        finally:
            companion.start()
        paired.message({"type": "outbox.flush"})
        paired.message({"type": "outbox.flush"})  # a second flush must not send it again
        results = poll(lambda: records(companion, encounter_id), message="write-back recorded after restart")
        assert paired.message({"type": "outbox.list"})["data"] == []
        assert sorted(r["field"] for r in records(companion, encounter_id)) == sorted(names)
        assert_no_mix_and_record_matches(page, results, before)
        assert all(r["outcome"] == "written" for r in results), results
    finally:
        page.close()


def test_patient_changes_between_two_field_writes(paired, companion, replicas, gate):
    """The PIMS switches to another patient after the first field: the fill is abandoned (not redirected into
    the new patient), the clinician is told which fields were written, the record says the same."""
    page, panel, encounter_id, names = drafted_pulse(paired, replicas)
    try:
        gate.set("subjective")
        panel.click("scribe-approve")
        gate.wait_paused()
        page.evaluate("() => window.__replica.navigate('/patients/p-502/visit')")
        poll(lambda: page.evaluate("() => window.__replica.patient()?.id === 'p-502' && window.__replica.isReady()"),
             message="the other patient's visit is showing")
        before = {f: read_field(page, f) or "" for f in names}
        gate.release()
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Filled", "Another patient")), timeout=30,
                       message="fill ended")
        results = poll(lambda: records(companion, encounter_id), message="write-back recorded")
        outcomes = {r["field"]: r["outcome"] for r in results}
        assert outcomes == {name: "written" if name == "subjective" else "refused" for name in names}, outcomes
        # nothing went into the other patient's record
        for field in names:
            assert normalize(read_field(page, field)) == normalize(before[field]), field
        # the panel names what was written and what was not, even after it moved on to the new patient
        status = poll(lambda: (s := panel.status()) and "parked" in s and s, message="parked after the fill")
        assert "written Subjective; not written Objective" in status, status
    finally:
        page.close()


def test_editor_that_throws_on_write(paired, companion, replicas):
    """Quill (Objective) applies half of every API write and then throws, like a plugin crashing mid-change: the
    field ends up with its previous content or exactly the approved text, and the record says which."""
    page, panel, encounter_id, names = drafted_pulse(paired, replicas)
    try:
        page.evaluate("""() => {
          const q = window.__replica.editor('objective');
          const insert = q.insertText.bind(q);
          window.__vsThrows = 0;
          const crash = () => {
            window.__vsThrows += 1;
            insert(0, 'half-written ', 'user');  // a partial change reaches the document...
            throw new Error('replica editor crashed mid-write');  // ...then the editor throws
          };
          for (const name of ['setContents', 'insertText', 'updateContents', 'setText']) q[name] = crash;
        }""")
        before = {f: read_field(page, f) or "" for f in names}
        status = approve_and_wait(panel)
        assert page.evaluate("() => window.__vsThrows") > 0, "the broken editor was never called"
        results = poll(lambda: records(companion, encounter_id), message="write-back recorded")
        assert_no_mix_and_record_matches(page, results, before)
        outcome = {r["field"]: r for r in results}["objective"]
        # the crashing editor API is reported, and a DOM-level writer of the fill engine got the exact text in
        assert outcome["outcome"] == "written" and outcome["writer"] not in (None, "quill"), outcome
        assert "quill:error" in outcome["detail"], outcome
        assert "half-written" not in read_field(page, "objective")
        others = {r["field"]: r["outcome"] for r in results if r["field"] != "objective"}
        assert set(others.values()) == {"written"} and {"subjective", "assessment", "plan"} <= set(others), results
        assert status.startswith("Filled and verified"), status
    finally:
        page.close()


def test_pims_tab_closed_mid_fill(paired, companion, replicas, gate):
    """The tab is closed after the first field: no write-back claims a field, nothing is left queued to claim one
    later, and the reopened record holds its previous content."""
    page, panel, encounter_id, names = drafted_pulse(paired, replicas, patient="p-503")
    before = {f: read_field(page, f) or "" for f in names}
    gate.set("subjective")
    panel.click("scribe-approve")
    gate.wait_paused()
    page.close()
    gate.release()
    encounter = companion.api("GET", f"/v1/encounters/{encounter_id}")
    assert len(encounter["approvals"]) == 1 and encounter["writeback_results"] == []
    assert encounter["state"] == "approved"
    assert paired.message({"type": "outbox.list"})["data"] == []
    again, _panel = open_pims(paired, replicas, "pulse", "/patients/p-503/visit")
    try:
        assert_no_mix_and_record_matches(again, [], before)
    finally:
        again.close()


def test_browser_restart_with_unsent_approval_from_the_panel(playwright, companion, replicas, tmp_path):
    """Extends tests/extension/test_restart.py (which replays the message) through the real panel: Approve while
    the companion is down, quit the browser, start it again: the approval is sent once, never twice, and
    nothing was filled."""
    profile = tmp_path / "profile"
    ext = ExtensionBrowser(_launch(playwright, profile))
    try:
        ext.set_test_mode(True)
        assert ext.pair_via_options(companion.url, companion.pair_code("clinician")).startswith("Paired")
        page, panel, encounter_id, names = drafted_pulse(ext, replicas, patient="p-504", edit=False)
        companion.stop()
        try:
            panel.click("scribe-approve")
            poll(lambda: [i["kind"] for i in ext.message({"type": "outbox.list"})["data"]] == ["approve"],
                 message="approval kept in the outbox")
            panel.wait_for("scribe-status", lambda i: "not reachable" in i["text"], message="clinician told")
            assert all(not read_field(page, f) for f in FIELDS)
        finally:
            ext.context.close()
            companion.start()
    except BaseException:
        ext.context.close()
        raise
    ext = ExtensionBrowser(_launch(playwright, profile))
    try:
        poll(lambda: companion.api("GET", f"/v1/encounters/{encounter_id}")["approvals"], timeout=20,
             message="approval sent after the restart")
        poll(lambda: ext.storage("outbox").get("outbox") == [], message="outbox emptied")
        ext.message({"type": "outbox.flush"})  # another wake: nothing left to send again
        encounter = companion.api("GET", f"/v1/encounters/{encounter_id}")
        assert len(encounter["approvals"]) == 1 and encounter["writeback_results"] == []
        page = ext.context.new_page()
        page.goto(replicas.url("pulse", "/patients/p-504/visit"))
        Panel(ext, page).wait_mounted()
        poll(lambda: page.evaluate("() => window.__replica.isReady()"), message="visit form")
        assert all(not read_field(page, f) for f in FIELDS)  # an approval alone never fills
        assert len(companion.api("GET", f"/v1/encounters/{encounter_id}")["approvals"]) == 1
    finally:
        ext.context.close()


BREAK_EVERY_CHANGE = """() => {
  const ed = window.__replica.editor('subjective');
  ed.setData('<p>Vet typed this earlier.</p>');
  const model = ed.model;
  window.__vsThrows = 0;
  for (const name of ['change', 'enqueueChange']) {
    const original = model[name].bind(model);
    model[name] = (...args) => {
      window.__vsThrows += 1;
      original((w) => w.insertText('half-written ', model.document.getRoot().getChild(0), 0));
      throw new Error('replica editor crashed mid-change');
    };
  }
}"""


def replace_into_broken_subjective(paired, companion, replicas, gate):
    """Approve, choose Replace for Subjective (it holds the vet's text) while the fill is still running (paused by
    the gate after Subjective: the click must wait for the fill, not be dropped), wait for the outcome;
    → page, panel, row."""
    page, panel, encounter_id, names = drafted_pulse(paired, replicas, patient="p-502")
    page.evaluate(BREAK_EVERY_CHANGE)
    assert read_field(page, "subjective") == "Vet typed this earlier."
    gate.set("subjective")
    panel.click("scribe-approve")
    gate.wait_paused()
    panel.wait_for("scribe-append-subjective", message="append/replace offered for the field with text")
    panel.click("scribe-replace-subjective")
    gate.release()
    panel.wait_for("scribe-status", lambda i: '"subjective"' in i["text"], timeout=30, message="replace finished")
    assert page.evaluate("() => window.__vsThrows") > 0, "the broken editor was never called"
    rows = poll(lambda: [r for r in records(companion, encounter_id)
                         if r["field"] == "subjective" and r["outcome"] != "skipped"], message="replace recorded")
    return page, panel, rows[-1]


def test_editor_whose_every_change_throws_is_reported_as_not_restored(paired, companion, replicas, gate):
    """CKEditor (Subjective) applies part of every model change and then throws, so typing, paste, the API and
    the restore all fail: the clinician and the record are told the field could not be put back."""
    page, panel, row = replace_into_broken_subjective(paired, companion, replicas, gate)
    try:
        assert row["outcome"] == "verify_failed" and "previous content could not be put back" in row["detail"], row
        assert "check it by hand" in panel.text("scribe-result-subjective"), panel.text("scribe-result-subjective")
        assert panel.get("scribe-copy-subjective")
    finally:
        page.close()


@pytest.mark.xfail(strict=True, reason="an editor that corrupts every change (its own restore included) cannot be "
                   "put back by any writer: CKEditor re-renders the DOM from its broken model, so the field keeps the "
                   "partial text; the fill reports it (see the test above) but cannot undo it")
def test_editor_whose_every_change_throws_keeps_previous_content(paired, companion, replicas, gate):
    page, _panel, _row = replace_into_broken_subjective(paired, companion, replicas, gate)
    try:
        assert normalize(read_field(page, "subjective")) == "Vet typed this earlier."
    finally:
        page.close()


def test_edited_note_approved_while_companion_down_is_kept(paired, companion, replicas):
    """The edit travels with the queued approval; once the companion is back it is kept and approved exactly once,
    and Approve then fills the edited text."""
    page, panel, encounter_id, names = drafted_pulse(paired, replicas, patient="p-504")
    try:
        companion.stop()
        try:
            panel.click("scribe-approve")
            panel.wait_for("scribe-status", lambda i: "not reachable" in i["text"], message="offline answer")
            poll(lambda: [i["kind"] for i in paired.message({"type": "outbox.list"})["data"]] == ["approve"],
                 timeout=1, message="approval of the edited note kept in the outbox")
            assert normalize(read_field(page, "subjective")) != normalize(approved_text("subjective"))
        finally:
            companion.start()
        paired.message({"type": "outbox.flush"})
        poll(lambda: paired.message({"type": "outbox.list"})["data"] == [], message="queued approval sent")
        encounter = companion.api("GET", f"/v1/encounters/{encounter_id}")
        assert len(encounter["approvals"]) == 1
        assert all(encounter["latest_revision"]["sections"][n] == approved_text(n) for n in names)
        panel.click("scribe-approve")  # the same request again: the companion answers with the queued approval
        panel.wait_for("scribe-status", lambda i: i["text"].startswith("Filled"), message="fill")
        assert all(normalize(read_field(page, f)) == normalize(approved_text(f)) for f in FIELDS)
        assert len(companion.api("GET", f"/v1/encounters/{encounter_id}")["approvals"]) == 1
    finally:
        page.close()
