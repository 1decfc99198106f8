"""Saved replica pages (what an admin would save from a tenant) give the same resolver verdicts as the live pages,
with page scripts off — except fields inside iframes, whose contents a saved page does not carry."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from companion.maps.browser import js_call, open_saved_page
from tests.replicas.server import HOSTS
from tests.replicas.snapshot import PAGES, save_snapshots
from tests.replicas.test_maps import REFUSED_ON_DRIFT, load_map

pytestmark = pytest.mark.browser

PATIENT_ON_PAGE = {"ezyvet": "10231", "covetrus-pulse": "p-501", "shepherd": "sh-72"}


@pytest.fixture(scope="module")
def snapshots(replica_server, replica_browser, tmp_path_factory):
    return save_snapshots(tmp_path_factory.mktemp("snapshots"), replica_server, replica_browser)


def enters_iframe(field: dict) -> bool:
    return any(hop.get("iframe") for loc in field["locators"] for hop in loc.get("enter", []))


def test_saved_pages_give_the_live_verdicts(snapshots, replica_browser):
    assert len(snapshots) == 2 * len(PAGES)
    for (map_id, pims, path, kind, _), drift in [(p, d) for p in PAGES for d in (False, True)]:
        name = f"{map_id}-{kind}{'-drift' if drift else ''}.html"
        html = next(s for s in snapshots if s.name == name).read_text(encoding="utf-8")
        assert "<script>window.__REPLICA_CONFIG" in html  # a real page save, scripts and all (they stay off)
        smap = load_map(map_id)
        url = f"http://{HOSTS[pims]}{'/drift' if drift else ''}{path}"
        page = open_saved_page(replica_browser, html, url)
        try:
            assert js_call(page, "(m) => VetScribe.resolver.detectPageKind(m, {root: document})", smap)["pageKind"] == kind
            report = js_call(page, "(m, k) => VetScribe.resolver.checkPageKind(m, k, {root: document})", smap, kind)
        finally:
            page.context.close()
        for field, verdict in report["write"].items():
            spec = smap["page_kinds"][kind]["write"][field]
            refused = enters_iframe(spec) or (drift and field in REFUSED_ON_DRIFT.get(map_id, set()))
            assert (verdict["status"] != "found") if refused else (verdict["status"] == "found"), (name, field, verdict)
        ids = [BeautifulSoup(f, "html.parser").get_text(strip=True) for f in report["fragments"]["patient_id"]]
        assert ids == [PATIENT_ON_PAGE[map_id]], (name, ids)
