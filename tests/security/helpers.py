"""Shared helpers for the browser-side security tests: open a replica with the real extension, read what the page
holds, scan for live elements a payload could have created, and evaluate in the extension's isolated world."""

from __future__ import annotations

import json
from pathlib import Path

from tests.extension.harness import Panel, consent_if_asked, generate_draft, poll, section_names  # noqa: F401 - re-exported

CORPUS = json.loads((Path(__file__).resolve().parent / "corpus" / "payloads.json").read_text())
TRIPWIRE = CORPUS["tripwire"]
MARKER = CORPUS["marker"]
PAYLOADS = CORPUS["payloads"]

# Every document of the page (main, same-origin frames, open shadow roots): elements a payload turned live carry
# the marker in an attribute (handlers, hrefs, styles) or in a <script>/<style> body. Text nodes may hold it: inert.
LIVE_SCAN_JS = """(marker) => {
  const hits = [];
  const roots = [document];
  for (let i = 0; i < window.frames.length; i++) { try { roots.push(window.frames[i].document); } catch {} }
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.tagName === 'VETSCRIBE-PANEL') continue;
      for (const a of el.attributes) if (a.value.includes(marker) || a.name.includes(marker)) hits.push(el.tagName + '@' + a.name);
      if (/^(SCRIPT|STYLE)$/i.test(el.tagName) && el.textContent.includes(marker)) hits.push(el.tagName);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  roots.forEach(visit);
  return hits;
}"""

# The same scan for an editor's own HTML (getData/getContent), parsed inertly: tags outside a text allow-list count.
HTML_SCAN_JS = """([html, marker]) => {
  const doc = new DOMParser().parseFromString('<body>' + (html || '') + '</body>', 'text/html');
  const allowed = /^(P|BR|SPAN|STRONG|EM|B|I|U|UL|OL|LI|DIV)$/;
  const hits = [];
  for (const el of doc.body.querySelectorAll('*')) {
    if (!allowed.test(el.tagName)) hits.push(el.tagName);
    for (const a of el.attributes) if (/^on/i.test(a.name) || a.value.includes(marker)) hits.push(el.tagName + '@' + a.name);
  }
  return hits;
}"""


def open_pims(ext, replicas, pims, path=None, drift=False, url=None, ready_timeout: float = 10):
    """A new tab on a replica page with the panel mounted and the chart read; → (page, panel)."""
    page = ext.context.new_page()
    page.goto(url or replicas.url(pims, path, drift=drift))
    panel = Panel(ext, page)
    panel.wait_mounted()
    panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Ready", "Confirm")), message="context read")
    poll(lambda: page.evaluate("() => Boolean(window.__replica && window.__replica.isReady())"), timeout=ready_timeout,
         message="replica ready")
    return page, panel


# one flow for every suite: the harness's (kept under this module's names, which the tests use)
generate = generate_draft


def approve_and_wait(panel, prefixes=("Filled", "Nothing", "Not ", "Your edits", "Something")) -> str:
    """Click Approve and wait for the fill's final status."""
    panel.click("scribe-approve")
    panel.wait_for("scribe-status", lambda i: i["text"].startswith(prefixes), timeout=40, message="fill finished")
    return panel.status()


def writeback(companion, encounter_id: str, approval_count: int = 1) -> list[dict]:
    """The companion's record of what was written (waits until some rows exist)."""
    return poll(lambda: companion.api("GET", f"/v1/encounters/{encounter_id}")["writeback_results"],
                message="write-back recorded")


def read_field(page, field: str):
    """The field's text through the editor's own API (window.__replica.read)."""
    return page.evaluate("(f) => window.__replica.read(f)", field)


def normalize(text) -> str:
    """The fill engine's comparison: CRLF, NBSP, BOM and trailing newlines do not count."""
    lines = str(text or "").replace("\r\n", "\n").replace("\u00a0", " ").replace("\ufeff", "").split("\n")
    return "\n".join("" if not line.strip() else line for line in lines).rstrip("\n")


def tripwire_after_canary(page) -> object:
    """Prove the page would have run a payload by now (a canary <img onerror> the test plants itself fires), then
    return the tripwire: anything but None means a payload ran."""
    page.evaluate("""() => { const d = document.createElement('div'); d.hidden = true;
        d.innerHTML = '<img src="data:," onerror="window.__vsCanary = 1">'; document.body.append(d); }""")
    poll(lambda: page.evaluate("() => window.__vsCanary === 1"), message="the canary payload fired")
    return page.evaluate(f"() => window.{TRIPWIRE}")


class Isolated:
    """Evaluate in the extension's content-script (isolated) world of a tab's main frame, over CDP (test only)."""

    def __init__(self, page, world_name: str = "VetScribe Bridge"):
        self.cdp = page.context.new_cdp_session(page)
        contexts = []
        self.cdp.on("Runtime.executionContextCreated", lambda e: contexts.append(e["context"]))
        self.cdp.send("Runtime.enable")
        frame_id = self.cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        mine = [c for c in contexts if c["name"] == world_name and c["auxData"].get("frameId") == frame_id]
        assert mine, f"no isolated world named {world_name!r}: {[c['name'] for c in contexts]}"
        self.context_id = mine[-1]["id"]

    def eval(self, expression: str):
        res = self.cdp.send("Runtime.evaluate", {"expression": expression, "contextId": self.context_id,
                                                 "awaitPromise": True, "returnByValue": True})
        assert "exceptionDetails" not in res, res["exceptionDetails"]
        return res["result"].get("value")

    def panel_live_elements(self, marker: str) -> list[str]:
        """Elements inside the closed-shadow panel carrying the marker in an attribute or a script/style body."""
        return self.eval(f"""(() => {{
          const root = VetScribe.content.current.frame.shadow, hits = [];
          for (const el of root.querySelectorAll('*')) {{
            for (const a of el.attributes) if (a.value.includes({json.dumps(marker)})) hits.push(el.tagName + '@' + a.name);
            if (/^(SCRIPT|STYLE|IMG|SVG|MATH|IFRAME|A|VIDEO|LINK|DETAILS|INPUT)$/i.test(el.tagName) && el.closest('.sentences, .provenance, .result')) hits.push(el.tagName);
          }}
          return hits;
        }})()""")
