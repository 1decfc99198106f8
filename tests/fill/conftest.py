"""Fixtures for the fill engine's browser tests: built editor labs, a static server, a Chromium per module."""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(__file__).resolve().parent / "dist"
EXTENSION = ROOT / "extension"
CHROMIUM = "/usr/bin/chromium"
BASE_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The page world would not allow this in production (strict pages): it is the strict lab variant's policy.
STRICT_CSP = "script-src 'self'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'"
LABS = ("ckeditor5", "tinymce", "quill", "lexical", "tiptap")


def fill_files() -> list[Path]:
    """The page-world bridge first (so the handshake completes synchronously), then the engine in its order."""
    order = json.loads((EXTENSION / "fill" / "files.json").read_text())
    return [EXTENSION / "page" / "editor-bridge.js", *(EXTENSION / f for f in order)]


class _LabHandler(http.server.SimpleHTTPRequestHandler):
    """Serves tests/fill/dist; /strict/<page> is the same page under a strict CSP with Trusted Types enforced."""

    def translate_path(self, path: str) -> str:
        self._strict = path.startswith("/strict/")
        return super().translate_path(path[len("/strict"):] if self._strict else path)

    def end_headers(self) -> None:
        if getattr(self, "_strict", False):
            self.send_header("Content-Security-Policy", STRICT_CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


@pytest.fixture(scope="session")
def lab_url() -> str:
    """Base URL of the editor labs (built on demand when `npm run build` has not run)."""
    if not (DIST / "tiptap.js").exists():
        subprocess.run(["node", str(DIST.parent / "build.mjs")], cwd=ROOT, check=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_LabHandler, directory=str(DIST)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def chromium(playwright):
    """One plain Chromium per test module."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=BASE_ARGS)
    yield browser
    browser.close()


def _opener(chromium, lab_url, pages):
    def open_lab(name: str, *, engine: bool = True, extra: tuple[Path, ...] = ()):
        page = chromium.new_page()
        pages.append(page)
        page.goto(f"{lab_url}/{name}.html")
        page.wait_for_selector("body[data-lab-ready]" if name != "plain" else "body", state="attached")
        # one script tag for everything: classic scripts concatenated behave exactly as loaded in order
        paths = (*extra, *(fill_files() if engine else ()))
        if paths:
            page.add_script_tag(content="\n;\n".join(p.read_text() for p in paths))
        return page

    return open_lab


@pytest.fixture(scope="module")
def shared_lab(chromium, lab_url):
    """Like `lab`, but one page per lab name for the whole module (tests reset the editor themselves)."""
    pages, cache = [], {}
    opener = _opener(chromium, lab_url, pages)

    def get(name: str):
        if name not in cache:
            cache[name] = opener(name)
        return cache[name]

    yield get
    for page in pages:
        page.close()


@pytest.fixture
def lab(chromium, lab_url):
    """Open a lab page with the fill engine loaded as classic scripts: lab("tiptap") -> page."""
    pages = []
    open_lab = _opener(chromium, lab_url, pages)
    yield open_lab
    for page in pages:
        page.close()


WRITE_JS = """async ([text, opts]) => {
  const r = await VetScribe.fill.writeField(window.__lab.target(), text, opts || {});
  return r;
}"""
