"""Shared fixtures and helpers for driving the real extension in real Chromium against a real companion.

Use from any test area:

    from tests.extension.harness import *  # noqa: F401,F403  (fixtures: companion, extension, paired, replicas)

What it gives you:
- `companion` (session): a real `vetscribe serve` subprocess on a free port with a temp data dir
  (`.url`, `.pair(role)`, `.api(method, path, token=..., body=...)`, `.stop()`, `.start()` on the same port).
- `extension` (session): Chromium (persistent context, new headless) with the unpacked extension loaded and the
  replica hosts mapped to 127.0.0.1; `.sw` is the service worker, `.id` the extension id; testMode is on.
- `paired` (session): the extension paired with the companion as an admin through the options page.
- `replicas` (session): the PIMS replica server (tests/replicas/server.py), skipped when it is not available.
- `Panel(extension, page)`: reads the closed-shadow-root panel through the test hook and drives it with real
  mouse clicks and keyboard input (see extension/content/DESIGN.md).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXTENSION_DIR = REPO / "extension"
CHROMIUM = "/usr/bin/chromium"
HOST_RULES = "MAP *.ezyvet.com 127.0.0.1, MAP *.shepherd.vet 127.0.0.1, MAP *.covetrus.com 127.0.0.1"
CHROMIUM_ARGS = [
    f"--disable-extensions-except={EXTENSION_DIR}",
    f"--load-extension={EXTENSION_DIR}",
    f"--host-resolver-rules={HOST_RULES}",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LISTEN_RE = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")
CODE_RE = re.compile(r"Pairing code \((\w+)\):\s*(\S+)")

__all__ = [
    "Companion", "ExtensionBrowser", "Panel", "companion", "extension", "paired", "replicas", "poll",

]


def poll(fn, timeout: float = 10.0, interval: float = 0.05, message: str = "condition"):
    """Call fn until it returns something truthy; raise AssertionError with `message` on timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}; last value: {last!r}")


@dataclass
class Companion:
    """A real `vetscribe serve` process with its own data dir."""

    data_dir: Path
    port: int = 0
    proc: subprocess.Popen | None = None
    url: str = ""
    tokens: dict[str, str] = field(default_factory=dict)

    def start(self) -> "Companion":
        """Start (or restart on the same port) and wait until /v1/health answers."""
        cmd = [sys.executable, "-m", "companion", "serve", "--port", str(self.port), "--data-dir", str(self.data_dir)]
        self.proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            match = LISTEN_RE.search(line)
            if match:
                self.url = match.group(1)
                self.port = int(self.url.rsplit(":", 1)[1])
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"vetscribe serve exited: {line}{self.proc.stdout.read()}")
        else:
            raise RuntimeError("vetscribe serve did not report its address")
        # keep draining output so the pipe never blocks the server
        import threading

        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()
        poll(lambda: self._health_ok(), timeout=15, message="companion health")
        return self

    def _health_ok(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/v1/health", timeout=2) as res:
                return res.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        """Terminate gracefully (SIGTERM), then wait."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None

    def pair_code(self, role: str = "clinician") -> str:
        """A fresh one-time pairing code from `vetscribe pair`."""
        out = subprocess.run([sys.executable, "-m", "companion", "pair", "--role", role, "--data-dir",
                              str(self.data_dir)], capture_output=True, text=True, timeout=60, cwd=REPO, check=True)
        match = CODE_RE.search(out.stdout)
        assert match, f"no pairing code in: {out.stdout!r}"
        return match.group(2)

    def token(self, role: str = "admin") -> str:
        """A token for direct API calls from the test (paired through the API, like the CLI user would)."""
        if role not in self.tokens:
            self.tokens[role] = self.api("POST", "/v1/pair", body={"code": self.pair_code(role)}, auth=False)["token"]
        return self.tokens[role]

    def api(self, method: str, path: str, body=None, auth: bool = True, role: str = "admin"):
        """Call the companion from the test; returns parsed JSON (None for 204); raises on HTTP errors."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if auth:
            req.add_header("Authorization", f"Bearer {self.token(role)}")
        with urllib.request.urlopen(req, timeout=10) as res:
            text = res.read().decode()
        return json.loads(text) if text else None


class ExtensionBrowser:
    """Chromium with the unpacked extension; helpers to talk to its service worker and pages."""

    def __init__(self, context):
        self.context = context
        self.sw = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker", timeout=20000)
        self.id = self.sw.url.split("/")[2]

    def url(self, path: str) -> str:
        """chrome-extension://<id>/<path>"""
        return f"chrome-extension://{self.id}/{path}"

    def eval(self, expression: str, arg=None):
        """Evaluate in the service worker (async function source or expression)."""
        return self.sw.evaluate(expression, arg)

    def storage(self, *keys: str) -> dict:
        """chrome.storage.local contents for the given keys (all when none)."""
        return self.eval("(keys) => chrome.storage.local.get(keys.length ? keys : null)", list(keys))

    def sync_storage(self) -> dict:
        """chrome.storage.sync contents (must never hold the token)."""
        return self.eval("() => chrome.storage.sync.get(null)")

    def message(self, msg: dict):
        """Send a runtime message as an extension page would (from the options page), return the answer."""
        page = self._extension_page()
        return page.evaluate("(msg) => chrome.runtime.sendMessage(msg)", msg)

    def _extension_page(self):
        for page in self.context.pages:
            if page.url.startswith(self.url("options/")):
                return page
        page = self.context.new_page()
        page.goto(self.url("options/options.html"))
        return page

    def set_test_mode(self, on: bool = True) -> None:
        """Turn the panel test hook on (only the extension can: storage.local is not reachable from pages)."""
        self.eval("(on) => chrome.storage.local.set({testMode: on})", on)

    def pair_via_options(self, companion_url: str, code: str) -> str:
        """Drive the options page like a user; returns the result text shown."""
        page = self._extension_page()
        page.reload()
        page.get_by_test_id("options-url").fill(companion_url)
        page.get_by_test_id("options-code").fill(code)
        page.get_by_test_id("options-pair").click()
        result = page.get_by_test_id("options-result")
        poll(lambda: result.text_content() not in ("", "Pairing…"), message="pairing result")
        return result.text_content()

    def tab_id(self, page) -> int:
        """The chrome.tabs id of a Playwright page (matched by URL)."""
        url = page.url
        return poll(lambda: self.eval(
            "async (url) => { const tabs = await chrome.tabs.query({}); const t = tabs.find((t) => t.url === url); return t ? t.id : 0; }",
            url), message=f"tab for {url}")


class Panel:
    """The scribe panel in one tab, read through the testMode hook and driven with real input events."""

    def __init__(self, ext: ExtensionBrowser, page, target: str = "panel"):
        self.ext = ext
        self.page = page
        self.target = target  # "panel", or "picker" for the admin picker's own closed shadow root
        self.tab = ext.tab_id(page)

    def _op(self, op: dict):
        return self.ext.eval("([tab, op]) => self.VetScribeBg.test.panel(tab, op)", [self.tab, {**op, "target": self.target}])

    def select(self, testid: str, value: str) -> None:
        """Choose an option of a <select> (set + change event, as Playwright's select_option does)."""
        res = self._op({"action": "selectOption", "testid": testid, "value": value})
        assert res and res.get("ok"), res

    def snapshot(self) -> dict:
        """{ok, items: [{testid, text, value, disabled, visible, rect...}], mapId, mapVersion, pageKind}"""
        return self._op({"action": "snapshot"})

    def wait_mounted(self, timeout: float = 20) -> dict:
        """Wait until the panel exists in this tab."""
        return poll(lambda: (s := self.snapshot()) and s.get("ok") and s, timeout=timeout, message="panel mounted")

    def get(self, testid: str) -> dict | None:
        """One element's description, or None when absent."""
        res = self._op({"action": "get", "testid": testid})
        return res["item"] if res and res.get("ok") else None

    def text(self, testid: str) -> str:
        item = self.get(testid)
        return item["text"] if item else ""

    def value(self, testid: str) -> str | None:
        item = self.get(testid)
        return item["value"] if item else None

    def wait_for(self, testid: str, predicate=lambda item: True, timeout: float = 20, message: str | None = None):
        """Wait until the element exists and predicate(item) holds."""
        return poll(lambda: (item := self.get(testid)) and predicate(item) and item, timeout=timeout,
                    message=message or f"{testid}")

    def status(self) -> str:
        return self.text("scribe-status")

    def _center(self, testid: str):
        res = self._op({"action": "scrollIntoView", "testid": testid})
        assert res and res.get("ok"), f"{testid} not in panel: {res}"
        rect = res["item"]["rect"]
        return rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2

    def click(self, testid: str) -> None:
        """A real mouse click at the element's centre (reaches into the closed shadow root like a user)."""
        self.page.mouse.click(*self._center(testid))

    def click_checkbox_in(self, testid: str) -> None:
        """Click the checkbox inside a list item (picker proposals)."""
        res = self._op({"action": "setChecked", "testid": testid})
        assert res and res.get("ok"), res
        rect = res["item"]["rect"]
        self.page.mouse.click(rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)

    def hover(self, testid: str, first_line: bool = False) -> None:
        """Move the mouse over the element (its first line's start when first_line, e.g. the first sentence)."""
        if not first_line:
            self.page.mouse.move(*self._center(testid))
            return
        res = self._op({"action": "scrollIntoView", "testid": testid})
        rect = res["item"]["rect"]
        self.page.mouse.move(rect["x"] + 4, rect["y"] + 6)

    def type(self, testid: str, text: str, replace: bool = True) -> None:
        """Focus a text field by clicking it, then type (insert_text: one input event, like a paste)."""
        self.click(testid)
        if replace:
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Delete")
        self.page.keyboard.insert_text(text)



def consent_if_asked(panel: Panel) -> None:
    """Tick the consent step when the clinic's rule shows it."""
    if panel.get("scribe-consent")["visible"]:
        panel.click("scribe-consent-check")
        panel.click("scribe-consent-confirm")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith("Consent recorded"), message="consent")


def section_names(snap: dict) -> list[str]:
    """The note sections the panel shows (scribe-section-<name>), in panel order."""
    prefix = "scribe-section-"
    return [i["testid"].removeprefix(prefix) for i in snap["items"] if i["testid"].startswith(prefix)]


def generate_draft(panel: Panel, transcript: str) -> dict:
    """Consent when asked, type the transcript, Generate; the panel snapshot once a draft with sections shows."""
    consent_if_asked(panel)
    panel.type("scribe-transcript", transcript)
    panel.click("scribe-generate")
    panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Draft ready", "No draft", "Transcript not")),
                   timeout=60, message="draft")
    assert panel.status().startswith("Draft ready"), panel.status()
    snap = panel.snapshot()
    assert section_names(snap), "the draft has no sections"
    return snap

def _launch(playwright, user_data_dir: Path, extra_args: tuple[str, ...] = ()):
    """Chromium with the extension; `extra_args` opt a test module into more flags (e.g. a fake microphone)."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + list(extra_args),
        permissions=["clipboard-read", "clipboard-write"])


@pytest.fixture(scope="session")
def companion(tmp_path_factory):
    """A real companion process for the whole session."""
    comp = Companion(data_dir=tmp_path_factory.mktemp("companion-data")).start()
    yield comp
    comp.stop()


@pytest.fixture(scope="session")
def extension(playwright, tmp_path_factory):
    """Chromium with the extension loaded; testMode on."""
    context = _launch(playwright, tmp_path_factory.mktemp("chromium-profile"))
    ext = ExtensionBrowser(context)
    ext.set_test_mode(True)
    yield ext
    context.close()


@pytest.fixture(scope="session")
def paired(extension, companion):
    """The extension paired as admin with the session companion through the options page."""
    text = extension.pair_via_options(companion.url, companion.pair_code("admin"))
    assert text.startswith("Paired as admin"), text
    return extension


@pytest.fixture(scope="session")
def replicas():
    """The PIMS replica server (bundles built by `npm run build`)."""
    from tests.replicas.server import ReplicaServer

    server = ReplicaServer(port=0).start()
    yield server
    server.stop()
