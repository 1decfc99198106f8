"""The extension's map cache follows the companion: a newly installed map version is used on the next page
load without reinstalling the extension, and a rollback is followed too."""

import copy

from tests.extension.harness import Panel


def test_new_map_version_is_picked_up_on_next_load(paired, companion, replicas):
    current = companion.api("GET", "/v1/maps/ezyvet")
    newer = copy.deepcopy(current)
    newer["version"] = current["version"] + 1
    newer["notes"] = (current.get("notes") or "") + " (cache test)"
    installed = companion.api("POST", "/v1/admin/maps", body={"map": newer})
    assert installed["version"] == newer["version"]
    page = paired.context.new_page()
    try:
        page.goto(replicas.url("ezyvet"))
        snap = Panel(paired, page).wait_mounted()
        assert snap["mapVersion"] == newer["version"]
        cached = paired.storage("mapsCache")["mapsCache"]["maps"]["ezyvet"]
        assert cached["version"] == newer["version"]
    finally:
        companion.api("POST", "/v1/admin/maps/ezyvet/rollback", body={"version": current["version"]})
    page.reload()
    snap = Panel(paired, page).wait_mounted()
    assert snap["mapVersion"] == current["version"]
    page.close()
