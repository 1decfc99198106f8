"""Sites of admin-installed maps are not granted at install: the options page lists them with an Allow button
(optional host permissions requested at runtime); shipped PIMS hosts need nothing."""

import copy

from tests.extension.harness import poll


def test_admin_map_host_is_listed_for_permission(paired, companion):
    other = copy.deepcopy(companion.api("GET", "/v1/maps/ezyvet"))
    other.update({"id": "otherpims", "display_name": "Other PIMS", "version": 1})
    other["match"] = {"hosts": ["*.otherpims.test"], "paths": []}
    companion.api("POST", "/v1/admin/maps", body={"map": other})
    rows = paired.message({"type": "permissions.status"})["data"]
    assert {"mapId": "otherpims", "pattern": "*://*.otherpims.test/*", "granted": False} in rows
    assert not [r for r in rows if r["mapId"] in ("ezyvet", "shepherd", "covetrus-pulse")]
    page = paired._extension_page()
    page.reload()
    listing = page.get_by_test_id("options-permissions")
    poll(lambda: "otherpims.test" in listing.text_content(), message="permission row")
    assert "not allowed" in listing.text_content()
    assert page.get_by_test_id("options-grant-otherpims").is_visible()
    # nothing is registered for a host the user has not allowed
    scripts = paired.eval("() => chrome.scripting.getRegisteredContentScripts()")
    assert scripts == []
