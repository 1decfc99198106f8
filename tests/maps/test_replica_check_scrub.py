"""`check` and `scrub` on the PIMS replicas (tests/replicas): a page saved from each replica checks the same
before and after scrubbing, and the replica's patient does not survive the scrub."""

from __future__ import annotations

import pytest

from companion.maps import browser as chromium_helpers
from companion.maps.check import check_html, check_open_page
from companion.maps.scrub import scrub_html
from companion.maps.loader import load_map_file, shipped_map_paths
from tests.maps.conftest import launch

from tests.replicas import helpers
from tests.replicas import server as replicas

pytestmark = pytest.mark.browser

# map id -> replica name (the replica server's START_PATHS give each one's first patient record)
REPLICA_OF = {"ezyvet": "ezyvet", "covetrus-pulse": "pulse", "shepherd": "shepherd"}
CASES = [(map_id, drift) for map_id in sorted(shipped_map_paths()) if map_id in REPLICA_OF for drift in (False, True)]


@pytest.fixture(scope="module")
def server():
    srv = replicas.ReplicaServer().start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser(playwright):
    b = launch(playwright, f"--host-resolver-rules={replicas.HOST_RESOLVER_RULES}")
    yield b
    b.close()


def _patient_strings(patient: dict | None) -> list[str]:
    """The identifying strings of the replica's patient on screen (name, id, owner...)."""
    out = []
    for key, value in (patient or {}).items():
        if isinstance(value, str) and len(value) >= 4 and key in {"name", "id", "patient_id", "owner", "breed"}:
            out.append(value)
    return out


@pytest.mark.parametrize(("map_id", "drift"), CASES, ids=[f"{m}-{'drift' if d else 'plain'}" for m, d in CASES])
def test_saved_replica_page_checks_the_same_after_scrub(server, browser, map_id, drift):
    smap = load_map_file(shipped_map_paths()[map_id])
    context = browser.new_context()
    page = context.new_page()
    try:
        helpers.open_replica(page, server, REPLICA_OF[map_id], drift=drift)
        chromium_helpers.inject_resolver(page)
        live = check_open_page(page, smap)
        patient = page.evaluate("() => window.__replica.patient()")
        html, url = page.content(), page.url
    finally:
        context.close()
    assert live.location_matches and live.detected is not None, live.as_dict()
    saved = check_html(smap, html, url=url, browser=browser)
    scrubbed_html = scrub_html(html, selector_map=smap)
    scrubbed = check_html(smap, scrubbed_html, url=url, browser=browser)
    assert saved.detected == scrubbed.detected
    assert saved.verdicts() == scrubbed.verdicts()
    strings = _patient_strings(patient)
    assert strings, patient
    assert [s for s in strings if s in scrubbed_html] == []
