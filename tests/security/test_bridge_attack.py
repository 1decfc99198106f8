"""Issue 8 item 2: a hostile script on a replica page (Pulse: CKEditor 5 and Quill, written through the sealed
page-world bridge) attacks the real extension. It runs during page parse (injected into the served HTML, like any
PIMS script), wraps every messaging primitive, forces shadow roots open, then tries to read the panel, post fake
fill commands in every message shape, forge and replay the bridge handshake and target tokens, click the panel
with synthetic events, and call the companion. Every attack gets nothing and nothing is written; afterwards the
clinician's own Approve still fills through the bridge, unseen by the page, and replaying its tokens does nothing."""

import urllib.parse
import urllib.request
from pathlib import Path

from tests.security.helpers import (
    approve_and_wait, generate, normalize, open_pims, read_field, writeback,
)

HERE = Path(__file__).resolve().parent
EARLY = (HERE / "attack_early.js").read_text()
ACTIVE = (HERE / "attack_active.js").read_text()
TRANSCRIPT = """Vet: He has been limping on the left front leg for three days.
Vet: Temperature 101.5, heart rate 100. Mild pain on flexion of the left elbow.
Vet: This looks like an osteoarthritis flare. Continue carprofen 75 mg twice daily and recheck in two weeks."""
FIELDS = ("subjective", "objective", "assessment", "plan")
LOG_JS = """() => ({traffic: window.__attack.traffic, fake: window.__attack.fakePort, events: window.__attack.bridgeEvents,
                  tokens: window.__attack.tokens})"""


def test_page_script_attacks_get_nothing_and_write_nothing(paired, companion, replicas):
    bundle = "**/_replica/assets/pulse/main.js"
    paired.context.route(bundle, _inject)
    try:
        page, panel = open_pims(paired, replicas, "pulse", "/patients/p-501/visit")
    finally:
        paired.context.unroute(bundle, _inject)
    try:
        assert page.evaluate("() => typeof window.__attack") == "object", "the hostile script did not run"
        snap = generate(panel, TRANSCRIPT)
        encounter_id = snap["encounterId"]
        before = {f: read_field(page, f) or "" for f in FIELDS}
        status_before = panel.status()
        panel.hover("scribe-approve")  # scrolled into view: the page aims its fake clicks where a user would click
        approve_rect = panel.get("scribe-approve")["rect"]
        out = page.evaluate(ACTIVE, {"encounterId": encounter_id, "companionUrl": companion.url, "rect": approve_rect,
                                     "tokens": []})
        panel.snapshot()  # a round trip through the content script: every event queued before it was handled
        # 1. the panel cannot be read
        assert out["hostFound"] and out["shadowRoot"] is False and out["capturedPanelRoot"] is False
        assert out["testids"] == 0 and out["namespace"] == "undefined"
        for text in (status_before, panel.value("scribe-section-subjective")[:40]):
            assert text not in out["bodyText"] and text not in out["selectionText"]
        # 2. no runtime messaging from the page
        assert out["runtime"] == "undefined" and out["connect"] == "undefined"
        # 3.-5. no fake command, forged handshake or synthetic click did anything
        assert out["shapesPosted"] == 12 and out["elementAtApprove"] == "VETSCRIBE-PANEL"
        log = page.evaluate(LOG_JS)
        assert log["fake"] == [] and log["traffic"] == [], log
        # the forged hellos are the page's own (its one port, and one with none): nobody answered them
        assert log["events"] == [{"type": "vetscribe:bridge-ready", "ports": 0},
                                 {"type": "vetscribe:bridge-hello", "ports": 1},
                                 {"type": "vetscribe:bridge-hello", "ports": 0}], log["events"]
        # 6. the companion does not answer the page
        assert all(r.endswith(("blocked", " 401", " 403")) for r in out["companion"]), out["companion"]
        # nothing written, nothing approved, nothing recorded; the panel did not move
        assert {f: read_field(page, f) or "" for f in FIELDS} == before
        encounter = companion.api("GET", f"/v1/encounters/{encounter_id}")
        assert encounter["approvals"] == [] and encounter["writeback_results"] == []
        assert panel.status() == status_before and panel.get("scribe-approve")["disabled"] is False

        # the clinician's own Approve still fills through the bridge, and the page saw none of its traffic
        status = approve_and_wait(panel)
        assert status.startswith("Filled and verified"), status
        rows = writeback(companion, encounter_id)
        writers = {r["field"]: r["writer"] for r in rows}
        assert writers["subjective"] == "ckeditor5" and writers["objective"] == "quill", writers
        filled = {f: read_field(page, f) for f in FIELDS}
        log = page.evaluate(LOG_JS)
        assert log["traffic"] == [] and log["fake"] == [], log
        # replaying the target tokens it glimpsed (one-shot, already spent) writes nothing
        assert log["tokens"], "the page saw no target token (the replay below would prove nothing)"
        again = page.evaluate(ACTIVE, {"encounterId": encounter_id, "companionUrl": companion.url, "rect": approve_rect,
                                       "tokens": log["tokens"]})
        panel.snapshot()
        assert again["shapesPosted"] == 12 + len(log["tokens"])
        assert {f: read_field(page, f) for f in FIELDS} == filled
        assert all("replayed" not in normalize(v) and "forged" not in normalize(v) for v in filled.values())
        assert len(companion.api("GET", f"/v1/encounters/{encounter_id}")["writeback_results"]) == len(rows)
        assert len(companion.api("GET", f"/v1/encounters/{encounter_id}")["approvals"]) == 1
        assert page.evaluate("() => window.__attack.fakePort") == []
    finally:
        page.close()


def _inject(route):
    """Serve the replica's app bundle with the hostile script in front of it: it runs as a page script during parse,
    before the app and before the panel mounts. (The bundle, not the document, is rewritten: a document fulfilled
    by Playwright would count as a public address and Chromium would block its loopback assets.)"""
    parts = urllib.parse.urlsplit(route.request.url)
    req = urllib.request.Request(f"http://127.0.0.1:{parts.port}{parts.path}", headers={"Host": parts.netloc})
    with urllib.request.urlopen(req, timeout=10) as res:
        bundle = res.read().decode()
    route.fulfill(status=200, content_type="text/javascript", body=EARLY + "\n" + bundle)
