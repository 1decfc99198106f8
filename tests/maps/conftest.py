"""Shared fixtures for the selector-map tests: one headless Chromium per module, pages opened with the resolver."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion.maps import browser as chromium_helpers

PAGES = Path(__file__).parent / "pages"
MAPS = Path(__file__).parent / "maps"


def launch(playwright, *extra_args: str):
    """Debian Chromium from pytest-playwright's session `playwright` (the sync API cannot run twice at once)."""
    return playwright.chromium.launch(executable_path=chromium_helpers.CHROMIUM, headless=True,
                                      args=chromium_helpers.CHROMIUM_ARGS + list(extra_args))


@pytest.fixture(scope="module")
def chromium(playwright):
    """A Debian Chromium shared by every test in the module."""
    browser = launch(playwright)
    yield browser
    browser.close()


class ResolverPage:
    """A saved test page open in Chromium with the extension's resolver files evaluated in it."""

    def __init__(self, page):
        self.page = page

    def call(self, expression: str, *args):
        return chromium_helpers.js_call(self.page, expression, *args)

    def resolve(self, field: dict) -> dict:
        """resolveField(), reported with the found element's data-expect marker."""
        return self.call(
            "(f) => { const r = VetScribe.resolver.resolveField(f);"
            " return {...VetScribe.resolver.describe(r), expect: r.element ? r.element.getAttribute('data-expect') : null}; }",
            field,
        )

    def locate(self, *locators: dict, fingerprint: dict | None = None) -> dict:
        field = {"locators": list(locators)}
        if fingerprint is not None:
            field["fingerprint"] = fingerprint
        return self.resolve(field)


@pytest.fixture(scope="module")
def open_page(chromium):
    """Open a page from tests/maps/pages at a URL; pages stay open for the module."""
    opened = []

    def _open(name: str, url: str = "https://clinic.acmevet.test/records/1") -> ResolverPage:
        page = chromium_helpers.open_saved_page(chromium, (PAGES / name).read_text(encoding="utf-8"), url)
        opened.append(page)
        return ResolverPage(page)

    yield _open
    for page in opened:
        page.context.close()


def load_test_map(name: str) -> dict:
    return json.loads((MAPS / name).read_text(encoding="utf-8"))
