"""The fill engine from a real extension: content scripts in the isolated world, the editor bridge in the page
world (world MAIN), a strict-CSP/Trusted-Types page, and a page script attacking the bridge."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import BASE_ARGS, CHROMIUM, EXTENSION, LABS

pytestmark = pytest.mark.browser

HARNESS = EXTENSION.parent / "tests" / "fill" / "ext-harness"
TARGET = {
    "ckeditor5": ".ck-editor__editable", "tinymce": ".tox-tinymce iframe", "quill": ".ql-editor",
    "lexical": "[data-lexical-editor]", "tiptap": ".ProseMirror",
}
API_WRITER = {"ckeditor5": "ckeditor5", "tinymce": "tinymce", "quill": "quill", "lexical": "lexical", "tiptap": "prosemirror"}
NOTE = "History: coughing for 3 days.\n\nPlan: doxycycline; recheck in 10 days."


@pytest.fixture(scope="module")
def ext_context(playwright, tmp_path_factory):
    """A persistent Chromium with the harness extension (manifest + copies of extension/fill and extension/page)."""
    ext = tmp_path_factory.mktemp("fill-ext")
    shutil.copy(HARNESS / "manifest.json", ext / "manifest.json")
    shutil.copytree(EXTENSION / "fill", ext / "fill")
    shutil.copytree(EXTENSION / "page", ext / "page")
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("fill-profile")), executable_path=CHROMIUM, headless=True,
        args=[f"--disable-extensions-except={ext}", f"--load-extension={ext}", *BASE_ARGS],
    )
    yield context
    context.close()


class Isolated:
    """Evaluates in the harness content script's isolated world of a page's main frame (over CDP)."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        contexts = []
        self.cdp.on("Runtime.executionContextCreated", lambda e: contexts.append(e["context"]))
        self.cdp.send("Runtime.enable")
        frame_id = self.cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        mine = [c for c in contexts if c["name"] == "VetScribe fill harness" and c["auxData"].get("frameId") == frame_id]
        assert mine, "the harness content scripts did not load"
        self.context_id = mine[-1]["id"]

    def eval(self, expression: str):
        res = self.cdp.send("Runtime.evaluate", {
            "expression": expression, "contextId": self.context_id, "awaitPromise": True, "returnByValue": True,
        })
        assert "exceptionDetails" not in res, res["exceptionDetails"]
        return res["result"].get("value")


def open_lab(ext_context, lab_url, path):
    page = ext_context.new_page()
    page.goto(f"{lab_url}/{path}")
    page.wait_for_selector("body[data-lab-ready]", state="attached")
    isolated = Isolated(page)
    isolated.eval("new Promise((r) => { const t = () => (globalThis.VetScribe?.fill?.writeField ? r() : setTimeout(t, 20)); t(); })")
    return page, isolated


def fill(isolated, selector, text, **opts):
    return isolated.eval(
        f"VetScribe.fill.writeField(document.querySelector({json.dumps(selector)}), {json.dumps(text)}, {json.dumps(opts)})"
    )


def test_harness_manifest_loads_the_engine_in_files_json_order():
    manifest = json.loads((HARNESS / "manifest.json").read_text())
    isolated = [f for entry in manifest["content_scripts"] if entry.get("world") != "MAIN" for f in entry["js"]]
    assert isolated == json.loads((EXTENSION / "fill" / "files.json").read_text())
    main = [entry for entry in manifest["content_scripts"] if entry.get("world") == "MAIN"]
    assert main[0]["js"] == ["page/editor-bridge.js"] and main[0]["run_at"] == "document_start"


@pytest.mark.parametrize("name", LABS)
def test_fills_each_editor_through_the_page_world_bridge(ext_context, lab_url, name):
    page, isolated = open_lab(ext_context, lab_url, f"{name}.html")
    assert isolated.eval("VetScribe.fill.bridge.available()") is True
    result = fill(isolated, TARGET[name], NOTE)
    assert result["outcome"] == "written" and result["writer"] == API_WRITER[name], result
    assert page.evaluate("window.__lab.read().text") == NOTE
    assert page.evaluate("document.querySelectorAll('[data-vs-fill-target]').length") == 0
    page.close()


def test_react_controlled_textarea_from_the_isolated_world(ext_context, lab_url):
    page, isolated = open_lab(ext_context, lab_url, "react.html")
    result = fill(isolated, "#notes", NOTE, mode="append")
    assert result["outcome"] == "appended", result
    page.click("#rerender")
    page.wait_for_function("() => window.__lab.state().renders > 0")
    assert page.evaluate("window.__lab.state().notes") == "Existing clinician note\n\n" + NOTE
    page.close()


@pytest.mark.parametrize("name", ["ckeditor5", "quill", "lexical", "tiptap", "react"])
def test_strict_csp_and_trusted_types_page_still_fills_without_html_sinks(ext_context, lab_url, name):
    page, isolated = open_lab(ext_context, lab_url, f"strict/{name}.html")
    enforced = page.evaluate("""() => { document.createElement('div').innerHTML = '<b>probe</b>';
                                       return window.__sinkCalls.some((c) => c.includes('<b>probe</b>')); }""")
    assert enforced, "the strict variant did not enforce Trusted Types"
    selector = "#notes" if name == "react" else TARGET[name]
    result = fill(isolated, selector, NOTE)
    assert result["outcome"] == "written", result
    read = "window.__lab.state().notes" if name == "react" else "window.__lab.read().text"
    assert page.evaluate(read) == NOTE
    # no string carrying the note went through an HTML or script sink in the page
    assert [c for c in page.evaluate("window.__sinkCalls") if "doxycycline" in c] == []
    page.close()


def test_page_script_cannot_reach_the_engine_or_the_bridge(ext_context, lab_url):
    page, isolated = open_lab(ext_context, lab_url, "tiptap.html")
    # A hostile page script: look for the engine, replay the handshake, forge a hello, post fake commands.
    stolen = page.evaluate("""() => {
      window.__stolen = [];
      document.addEventListener('vetscribe:bridge-hello', (e) => window.__stolen.push(e.ports.length), true);
      document.dispatchEvent(new CustomEvent('vetscribe:bridge-ready'));
      const fake = new MessageChannel();
      fake.port1.onmessage = (m) => window.__stolen.push(m.data);
      document.dispatchEvent(new MessageEvent('vetscribe:bridge-hello', {ports: [fake.port2], cancelable: true}));
      window.postMessage({id: 1, op: 'write', token: 'x', args: {family: 'prosemirror', lines: ['forged']}}, '*');
      // wrap the page world's messaging primitives to watch (and could rewrite) bridge traffic
      const post = MessagePort.prototype.postMessage;
      MessagePort.prototype.postMessage = function (m, ...rest) { window.__stolen.push('post'); return post.call(this, m, ...rest); };
      const data = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data').get;
      Object.defineProperty(MessageEvent.prototype, 'data', {get() { window.__stolen.push('data'); return data.call(this); }});
      return {engine: typeof window.VetScribe};
    }""")
    assert stolen["engine"] == "undefined"
    result = fill(isolated, TARGET["tiptap"], NOTE)
    assert result["outcome"] == "written" and result["writer"] == "prosemirror", result
    page.wait_for_timeout(50)
    # the only hello the page saw is its own forged one (1 port); no request reached its fake port
    assert page.evaluate("window.__stolen") == [1]
    assert page.evaluate("window.__lab.read().text") == NOTE
    page.close()


def test_a_late_loaded_bridge_client_refuses_the_handshake(ext_context, lab_url):
    page, isolated = open_lab(ext_context, lab_url, "quill.html")
    files = json.loads((EXTENSION / "fill" / "files.json").read_text())
    source = "\n;\n".join((EXTENSION / f).read_text() for f in files)
    # Load the whole engine afresh after page scripts exist (as a late executeScript would): no handshake.
    state = isolated.eval(f"delete globalThis.VetScribe; {source}; [VetScribe.fill.bridge.available(), VetScribe.fill.bridge.refused()]")
    assert state == [False, True]
    result = fill(isolated, TARGET["quill"], NOTE)
    # the editor-API writer cannot run, the DOM fallbacks still land the text exactly
    assert result["outcome"] == "written" and result["writer"] != "quill", result
    assert "refused" in result["detail"]["attempts"][0]["error"]
    assert page.evaluate("window.__lab.read().text") == NOTE
    page.close()
