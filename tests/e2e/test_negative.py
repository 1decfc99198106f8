"""What must not happen, end to end on the replicas: with the companion stopped nothing is written and the
draft (with the clinician's edit) is kept and fills once it is back; a patient switched between draft and approve
gets nothing; a field removed from the page is offered for copying while the others fill; a double click on
Approve writes once; text the clinician already typed into a field is never lost.

Already covered in tests/extension and not repeated here: approval queued while the companion is down and sent
once (test_resilience), transcript kept while down (test_resilience), a map locator that no longer matches
(test_resilience), the switch at the approve click and parking on ezyVet (test_flow), append on ezyVet's popup
textarea (test_resilience)."""

import signal

import pytest

from tests.e2e.flows import (
    CLINICIAN_TEXT, actions, approve, audit_rows, clipboard_via_paste, draft, edit_section, encounter,
    expected_fill, open_record, read, read_all, section_names, write_fields, writeback,
)
from tests.extension.harness import poll

pytestmark = pytest.mark.browser


def test_companion_stopped_nothing_written_draft_kept_then_filled(paired, companion, replicas):
    page, panel = open_record(paired, replicas, "pulse", "/patients/p-502/visit")
    try:
        snap = draft(panel)
        fields = write_fields(companion, snap)
        before = read_all(page, fields)
        companion.stop()
        try:
            edited = edit_section(panel, "plan")
            status = approve(panel)
            assert "not reachable" in status, status
            panel.wait_for("scribe-approve", lambda i: not i["disabled"], message="approve usable again")
            assert "not reachable" in panel.status(), panel.status()
            assert read_all(page, fields) == before, "something was written while the companion was down"
            assert panel.value("scribe-section-plan") == edited, "the clinician's edit was not kept"
        finally:
            companion.start()
        status = approve(panel)
        assert status.startswith("Filled and verified"), status
        enc = encounter(companion, snap["encounterId"])
        assert enc["latest_revision"]["sections"]["plan"] == edited and len(enc["approvals"]) == 1
        expected, _ = expected_fill(enc["latest_revision"]["sections"], fields)
        assert {f: read(page, f) for f in expected} == expected
    finally:
        page.close()


SWITCH = [  # (replica, record, the other patient the PIMS switches to)
    ("pulse", "/patients/p-503/visit", "/patients/p-504/visit"),
    ("shepherd", "/patients/sh-71/chart", "/patients/sh-73/chart"),
]


@pytest.mark.parametrize(("pims", "path", "other"), SWITCH, ids=[s[0] for s in SWITCH])
def test_patient_switched_between_draft_and_approve(paired, companion, replicas, pims, path, other):
    page, panel = open_record(paired, replicas, pims, path)
    try:
        snap = draft(panel)
        fields = write_fields(companion, snap)
        first = page.evaluate("() => window.__replica.patient()")["id"]
        # the PIMS switches patient at the moment Approve is clicked (its click listener sees only our host element)
        page.evaluate("""(to) => document.addEventListener('click', (e) => {
            if (e.target.tagName === 'VETSCRIBE-PANEL') window.__replica.navigate(to);
        }, {once: true})""", other)
        status = approve(panel, done=("Filled", "Nothing", "Not ", "Another patient"))
        assert "Nothing was filled" in status or "parked" in status, status
        now = poll(lambda: page.evaluate("() => window.__replica.patient()"), message="other patient shown")
        assert now["id"] != first
        poll(lambda: page.evaluate("() => window.__replica.isReady()"), message="other patient's form")
        assert read_all(page, fields) == dict.fromkeys(fields, ""), "text written into another patient's record"
        results = writeback(companion, snap["encounterId"])
        assert {r["outcome"] for r in results} == {"refused"}, results
        assert encounter(companion, snap["encounterId"])["state"] == "approved"
        assert page.evaluate("() => window.__replica.saveClicks()") == 0
    finally:
        page.close()


def test_field_removed_from_page_offered_for_copy_others_filled(paired, companion, replicas):
    page, panel = open_record(paired, replicas, "pulse", "/patients/p-504/visit")
    try:
        snap = draft(panel)
        fields = write_fields(companion, snap)
        assert page.evaluate("() => window.__replica.hideField('objective')")
        poll(lambda: page.evaluate("() => window.__replica.read('objective')") is None, message="objective gone")
        status = approve(panel)
        assert "need attention" in status, status
        approved = encounter(companion, snap["encounterId"])["latest_revision"]["sections"]
        expected, _ = expected_fill(approved, fields)
        results = {r["field"]: r["outcome"] for r in writeback(companion, snap["encounterId"])}
        assert results.pop("objective") == "missing"
        assert set(results.values()) == {"written"}
        on_page = read_all(page, fields)
        for field in results:
            assert on_page[field] == expected[field], field
        assert not [f for f, held in on_page.items() if approved["objective"] in held], "objective landed elsewhere"
        assert 'PIMS field "objective" is not on the page' in panel.text("scribe-result-objective")
        assert [i["testid"] for i in panel.snapshot()["items"] if i["testid"].startswith("scribe-copy-")] == \
            ["scribe-copy-objective"]
        assert panel.text("scribe-copy-objective") == "Copy Objective"
        panel.click("scribe-copy-objective")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith("Copied Objective"), message="copied")
        assert clipboard_via_paste(page) == approved["objective"]
    finally:
        page.close()


DOUBLE = [("ezyvet", "/patient/10233"), ("pulse", "/patients/p-502/visit")]


@pytest.mark.parametrize(("pims", "path"), DOUBLE, ids=[d[0] for d in DOUBLE])
def test_approve_double_click_writes_once(paired, companion, replicas, pims, path):
    page, panel = open_record(paired, replicas, pims, path)
    try:
        snap = draft(panel)
        fields = write_fields(companion, snap)
        x, y = panel._center("scribe-approve")
        page.mouse.dblclick(x, y)  # two clicks 0 ms apart, the second while the first is still approving
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Filled", "Nothing", "Not ")), timeout=30,
                       message="fill")
        assert panel.status().startswith("Filled and verified"), panel.status()
        enc_id = snap["encounterId"]
        enc = encounter(companion, enc_id)
        expected, _ = expected_fill(enc["latest_revision"]["sections"], fields)
        assert {f: read(page, f) for f in expected} == expected  # exactly once: no doubled text
        if pims == "ezyvet":  # the map's steps (open the history popup) ran once too
            assert page.locator('[id^="popupForm-"]').count() == 1
        assert len(enc["approvals"]) == 1
        assert sorted(r["field"] for r in enc["writeback_results"]) == sorted(expected)
        rows = actions(audit_rows(companion, enc_id))
        assert rows.count("note.approved") == 1 and rows.count("writeback.reported") == 1
    finally:
        page.close()


KEEP = [  # (replica, record, field the clinician already typed into, their choice)
    ("pulse", "/patients/p-503/visit", "subjective", "append"),  # CKEditor 5
    ("shepherd", "/patients/sh-72/chart", "note", "replace"),  # TipTap/ProseMirror
    ("ezyvet", "/patient/10234", "note", "replace"),  # popup textarea (append there: tests/extension)
]


@pytest.mark.parametrize(("pims", "path", "field", "choice"), KEEP, ids=[f"{k[0]}-{k[3]}" for k in KEEP])
def test_field_with_clinician_text_is_not_lost(paired, companion, replicas, pims, path, field, choice):
    page, panel = open_record(paired, replicas, pims, path)
    try:
        snap = draft(panel)
        fields = write_fields(companion, snap)
        if pims == "ezyvet":
            page.click('[data-testid="AddHistory"]')  # the vet opened the history popup and typed first
        element = poll(lambda: page.evaluate_handle("(f) => window.__replica.element(f)", field).as_element(),
                       message=f"{field} on the page")
        element.click()
        page.keyboard.insert_text(CLINICIAN_TEXT)
        poll(lambda: read(page, field) == CLINICIAN_TEXT, message="clinician text in the editor")
        before = read_all(page, fields)

        status = approve(panel)
        assert panel.get(f"scribe-append-{field}") and panel.get(f"scribe-replace-{field}"), status
        shown = section_names(snap)  # a one-box PIMS shows the note field's outcome under every section
        assert "already has text" in panel.text(f"scribe-result-{field if field in shown else shown[0]}")
        assert read(page, field) == CLINICIAN_TEXT, "the clinician's text changed before they chose"
        enc_id = snap["encounterId"]
        approved = encounter(companion, enc_id)["latest_revision"]["sections"]
        expected, _ = expected_fill(approved, fields)
        first = {r["field"]: r["outcome"] for r in writeback(companion, enc_id)}
        assert first[field] == "skipped"
        assert {f: o for f, o in first.items() if f != field} == {f: "written" for f in expected if f != field}

        panel.click(f"scribe-{choice}-{field}")
        want = CLINICIAN_TEXT + "\n\n" + expected[field] if choice == "append" else expected[field]
        poll(lambda: read(page, field) == want, message=f"{choice} honoured")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Appended", "Replaced")), message="confirmed")
        latest = [r for r in encounter(companion, enc_id)["writeback_results"] if r["field"] == field][-1]
        assert latest["outcome"] == ("appended" if choice == "append" else "written"), latest

        panel.click("scribe-undo")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith("Undo"), message="undo")
        assert read_all(page, fields) == before  # the clinician's own text is back, exactly
    finally:
        page.close()



def test_patient_switched_while_the_approval_is_in_flight(paired, companion, replicas):
    """The companion is busy: the next patient's record is fully on screen before the approval is answered."""
    page, panel = open_record(paired, replicas, "pulse", "/patients/p-501/visit")
    try:
        snap = draft(panel)
        fields = write_fields(companion, snap)
        page.evaluate("""(to) => document.addEventListener('click', (e) => {
            if (e.target.tagName === 'VETSCRIBE-PANEL') window.__replica.navigate(to);
        }, {once: true})""", "/patients/p-502/visit")
        companion.proc.send_signal(signal.SIGSTOP)  # the approval is accepted by the socket but not answered yet
        try:
            panel.click("scribe-approve")
            poll(lambda: page.evaluate("() => window.__replica.patient()")["id"] == "p-502", message="switched")
            poll(lambda: page.evaluate("() => window.__replica.isReady()"), message="next patient's form")
            assert panel.status().startswith("Approving"), panel.status()
        finally:
            companion.proc.send_signal(signal.SIGCONT)
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Nothing", "Another", "Filled")),
                       message="approval answered")
        assert read_all(page, fields) == dict.fromkeys(fields, ""), "the approved note went into another patient"
        results = writeback(companion, snap["encounterId"])
        assert {r["outcome"] for r in results} == {"refused"}, results
    finally:
        page.close()
