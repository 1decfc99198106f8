"""The panel mounts on a replica PIMS page, reads the chart through the shipped map, and stays sealed from the
page (closed shadow root; nothing of it readable by page scripts)."""

import pytest

from tests.extension.harness import Panel, poll


@pytest.fixture()
def ezyvet_page(paired, replicas):
    page = paired.context.new_page()
    page.goto(replicas.url("ezyvet"))
    yield page
    page.close()


def test_panel_mounts_and_reads_context(paired, ezyvet_page):
    panel = Panel(paired, ezyvet_page)
    snap = panel.wait_mounted()
    assert snap["mapId"] == "ezyvet"
    ids = {item["testid"] for item in snap["items"]}
    assert {"scribe-panel", "scribe-context", "scribe-transcript", "scribe-generate", "scribe-approve", "scribe-status",
            "scribe-undo", "scribe-flags", "scribe-consent"} <= ids
    patient = ezyvet_page.evaluate("() => window.__replica.patient()")
    context = panel.wait_for("scribe-context", lambda item: "Patient ID" in item["text"], message="context read")
    assert str(patient["id"]) in context["text"] if isinstance(patient, dict) and "id" in patient else context["text"]
    assert panel.get("scribe-approve")["disabled"] is True


def test_page_cannot_read_the_panel(paired, ezyvet_page):
    panel = Panel(paired, ezyvet_page)
    panel.wait_mounted()
    panel.wait_for("scribe-status", lambda item: item["text"] and item["text"] != "Starting…")
    seen = ezyvet_page.evaluate("""() => {
        const host = document.querySelector('vetscribe-panel');
        return {host: Boolean(host), shadow: host ? host.shadowRoot : 'none', text: document.body.innerText,
                testids: document.querySelectorAll('[data-testid^="scribe-"]').length,
                vs: typeof window.VetScribe, bg: typeof window.VetScribeBg,
                runtime: typeof (window.chrome && window.chrome.runtime && window.chrome.runtime.sendMessage)};
    }""")
    assert seen["host"] is True and seen["shadow"] is None
    assert seen["testids"] == 0 and seen["vs"] == "undefined" and seen["bg"] == "undefined"
    assert seen["runtime"] == "undefined"  # no externally_connectable: the page cannot message the extension
    assert panel.status() not in seen["text"]


def test_panel_collapses_and_moves_by_keyboard(paired, ezyvet_page):
    panel = Panel(paired, ezyvet_page)
    panel.wait_mounted()
    before = panel.get("scribe-panel")["rect"]
    panel.click("scribe-move")
    ezyvet_page.keyboard.press("ArrowLeft")
    ezyvet_page.keyboard.press("ArrowDown")
    after = poll(lambda: (r := panel.get("scribe-panel")["rect"]) != before and r, message="panel moved")
    assert after["x"] < before["x"] and after["y"] > before["y"]
    ezyvet_page.keyboard.press("Tab")  # focus moves within the panel, keyboard only
    panel.click("scribe-collapse")
    collapsed = panel.get("scribe-collapse")
    assert collapsed["attrs"]["aria-expanded"] == "false"
    assert panel.get("scribe-transcript")["visible"] is False
    panel.click("scribe-collapse")
    assert panel.get("scribe-transcript")["visible"] is True


def test_test_hook_is_dead_without_test_mode(paired, ezyvet_page):
    panel = Panel(paired, ezyvet_page)
    panel.wait_mounted()
    paired.set_test_mode(False)
    try:
        # straight to the tab, past the service worker's own check: the content script refuses too
        answer = paired.eval("(tab) => chrome.tabs.sendMessage(tab, {type: 'test.panel', op: {action: 'snapshot'}})",
                             panel.tab)
        assert answer == {"ok": False, "error": "testMode is off"}
    finally:
        paired.set_test_mode(True)
    assert panel.snapshot()["ok"] is True


def test_hostile_transcript_stays_text(paired, replicas):
    """Markup typed into the transcript never becomes live HTML, in the panel or in the PIMS field."""
    from tests.extension.test_flow import draft

    page = paired.context.new_page()
    try:
        page.goto(replicas.url("shepherd"))
        panel = Panel(paired, page)
        panel.wait_mounted()
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Ready", "Confirm")), message="context read")
        hostile = ('Vet: He has been limping <img src=x onerror="window.__pwned=1"> on the left front leg '
                   'for three days <script>window.__pwned=2</script>.\nVet: Recheck in two weeks.')
        draft(panel, hostile)
        panel.click("scribe-approve")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Filled", "Nothing")), message="fill")
        page.wait_for_timeout(300)  # give any injected handler a chance to fire
        assert page.evaluate("() => window.__pwned") is None
        assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    finally:
        page.close()
