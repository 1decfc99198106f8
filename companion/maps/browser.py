"""Headless Chromium with the extension's own resolver files loaded, for `selectors check`, tests and the bench."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync",
]
EXTENSION_DIR = Path(__file__).resolve().parents[2] / "extension"
# Load order matters (each file extends VetScribe.resolver with what the next needs); the one list the extension
# and these tools share is extension/resolve/files.json.
FILES_JSON = EXTENSION_DIR / "resolve" / "files.json"


class BrowserUnavailable(RuntimeError):
    """Headless Chromium cannot be started here (Playwright or Chromium missing)."""


def resolver_paths() -> list[Path]:
    """The resolver's script files in load order (the same files the extension injects)."""
    return [EXTENSION_DIR / name for name in json.loads(FILES_JSON.read_text(encoding="utf-8"))]


def resolver_source() -> str:
    """All resolver files concatenated in load order, to evaluate in a page that runs no scripts of its own."""
    return "\n;\n".join(path.read_text(encoding="utf-8") for path in resolver_paths())


def inject_resolver(page) -> None:
    """Evaluate the resolver in the page (works with the page's own JavaScript disabled)."""
    page.evaluate(resolver_source() + "\n;true")


@contextmanager
def chromium(extra_args: tuple[str, ...] = ()) -> Iterator[object]:
    """A headless Debian Chromium (never the Playwright-downloaded one)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserUnavailable("checking a page needs Playwright: pip install 'vetscribe[admin]'") from exc
    if not Path(CHROMIUM).exists():
        raise BrowserUnavailable(f"no Chromium at {CHROMIUM}: install the distribution's chromium package")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + list(extra_args))
        try:
            yield browser
        finally:
            browser.close()


def open_saved_page(browser, html: str, url: str, *, run_page_scripts: bool = False):
    """Open saved HTML as if served from `url` (so path guards apply); nothing else leaves the machine."""
    context = browser.new_context(java_script_enabled=run_page_scripts)
    page = context.new_page()

    def handle(route) -> None:
        if route.request.url == url:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        else:
            route.abort()

    page.route("**/*", handle)
    page.goto(url, wait_until="domcontentloaded")
    inject_resolver(page)
    return page


def js_call(page, expression: str, *args):
    """Call a resolver expression with JSON arguments and return its JSON result."""
    payload = json.dumps(list(args))
    return page.evaluate(f"(args) => ({expression})(...args)", json.loads(payload))
