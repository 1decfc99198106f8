"""Issue 8 item 1: the hostile corpus (tests/security/corpus/payloads.json) through the whole flow — transcript →
draft → clinician edit → Approve → fill — on every replica with the real extension. The editors end up holding the
payloads as inert text (read back through the editor's own API), no element is created from a payload, the page's
tripwire global is never set (checked after a canary payload planted by the test itself has fired), and the panel
shows the payloads as literal text."""

import pytest

from tests.security.helpers import (
    HTML_SCAN_JS, LIVE_SCAN_JS, MARKER, PAYLOADS, Isolated, approve_and_wait, generate, normalize,
    open_pims, read_field, section_names, tripwire_after_canary, writeback,
)

CLINICAL = "Vet: He has been limping on the left front leg for three days. Recheck in two weeks."
TRANSCRIPT = "\n".join([CLINICAL, *(f"Vet: {p['text']}" for p in PAYLOADS)])
BLOCK = "\n".join(p["text"] for p in PAYLOADS)

# one flow per replica page; every editor family the shipped maps write is covered
TARGETS = [
    pytest.param("ezyvet", None, id="ezyvet-textarea"),
    pytest.param("pulse", None, id="pulse-ckeditor-quill-react"),
    pytest.param("shepherd", None, id="shepherd-tiptap"),
    pytest.param("shepherd", "/patients/sh-72/discharge", id="shepherd-tinymce-iframe"),
]


def section_text(name: str) -> str:
    return f"{name} section:\n{BLOCK}"


@pytest.mark.parametrize("pims,path", TARGETS)
def test_hostile_corpus_fills_as_inert_text(paired, companion, replicas, pims, path):
    page, panel = open_pims(paired, replicas, pims, path)
    try:
        snap = generate(panel, TRANSCRIPT)
        names = section_names(snap)
        # the panel renders what the engine kept of the payloads as literal text, never as markup
        shown = " ".join(panel.text(f"scribe-sentences-{n}") for n in names)
        assert "<" in shown and MARKER in shown, shown[:300]
        isolated = Isolated(page)
        assert isolated.panel_live_elements(MARKER) == []
        # the clinician's edit carries the full corpus, verbatim, into every section
        for name in names:
            panel.type(f"scribe-section-{name}", section_text(name))
        status = approve_and_wait(panel)
        results = writeback(companion, snap["encounterId"])
        write_fields = companion.api("GET", f"/v1/maps/{snap['mapId']}")["page_kinds"][snap["pageKind"]]["write"]
        written = {r["field"] for r in results if r["outcome"] == "written"}
        assert written == {r["field"] for r in results if r["field"] in write_fields}, (results, status)
        assert written, results
        for field in written:
            text = normalize(read_field(page, field))
            kind = page.evaluate("(f) => window.__replica.kind(f)", field)
            if field in names:  # a field of its own: exactly the approved text
                assert text == normalize(section_text(field)), (field, text[:300])
            else:  # one combined box (`note`): every payload line is in it, verbatim
                assert all(p["text"] in text for p in PAYLOADS), field
            if kind not in ("textarea", "react-textarea"):
                html = page.evaluate("(f) => window.__replica.readHtml(f)", field)
                assert page.evaluate(HTML_SCAN_JS, [html, MARKER]) == [], (field, html[:300])
        assert page.evaluate(LIVE_SCAN_JS, MARKER) == []
        assert tripwire_after_canary(page) is None
        assert isolated.panel_live_elements(MARKER) == []
        assert page.evaluate("() => window.__replica.saveClicks()") == 0
    finally:
        page.close()


def test_one_megabyte_hostile_line_is_refused_clearly_and_nothing_is_lost(paired, companion, replicas):
    """A 1 MB line of payloads: the companion's limit (500,000 characters of transcript, 100,000 per section)
    refuses it with a clear message; the panel keeps it, nothing is stored or filled, and nothing runs."""
    line = "Vet: " + " ".join(p["text"] for p in PAYLOADS)
    line = (line * (1_048_576 // len(line) + 1))[:1_048_576]
    page, panel = open_pims(paired, replicas, "ezyvet")
    try:
        snap = generate(panel, CLINICAL)
        encounter_id = snap["encounterId"]
        segments = len(companion.api("GET", f"/v1/encounters/{encounter_id}")["transcript"])
        panel.type("scribe-transcript", f"{CLINICAL}\n{line}")
        panel.click("scribe-generate")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith("Transcript not accepted"), message="refusal")
        assert "text: String should have at most 500000 characters" in panel.status(), panel.status()
        isolated = Isolated(page)
        kept = isolated.eval("VetScribe.content.current.session.view.transcriptText().length")
        assert kept == len(CLINICAL) + 1 + len(line)
        assert len(companion.api("GET", f"/v1/encounters/{encounter_id}")["transcript"]) == segments
        # the same line pasted into a section: the edit is refused, nothing is approved or filled
        name = section_names(snap)[0]
        panel.type(f"scribe-section-{name}", line)
        status = approve_and_wait(panel)
        assert status.startswith("Not approved") and "at most 100000 characters" in status, status
        encounter = companion.api("GET", f"/v1/encounters/{encounter_id}")
        assert encounter["approvals"] == [] and encounter["writeback_results"] == []
        assert not read_field(page, "note")
        assert page.evaluate(LIVE_SCAN_JS, MARKER) == []
        assert tripwire_after_canary(page) is None
        # the scanner itself sees a live payload when there is one (so the empty results above can fail)
        page.evaluate("(m) => document.body.insertAdjacentHTML('beforeend', `<i hidden title='${m}'></i>`)", MARKER)
        assert page.evaluate(LIVE_SCAN_JS, MARKER) == ["I@title"]
    finally:
        page.close()
