"""Fixtures for the replica tests: one replica server per session, one Debian Chromium per module."""

from __future__ import annotations

import pytest

from tests.replicas.helpers import CHROMIUM, chromium_args
from tests.replicas.server import ReplicaServer


@pytest.fixture(scope="session")
def replica_server():
    """The replica server on a free loopback port (builds the bundles first if dist/ is missing)."""
    server = ReplicaServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def replica_browser(playwright):
    """Headless Debian Chromium that resolves the PIMS host names to 127.0.0.1.

    Uses pytest-playwright's session `playwright`: the sync API cannot nest, so a second sync_playwright()
    fails once another module has started the shared one."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=chromium_args())
    yield browser
    browser.close()


@pytest.fixture
def replica_page(replica_browser):
    """A fresh page; fails the test if the replica threw an uncaught error."""
    context = replica_browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"replica page errors: {errors}"
