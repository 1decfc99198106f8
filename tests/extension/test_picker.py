"""Admin picker: click a field on the replica, see proposed locators with match counts and a fingerprint, save
them as a new map version through the companion."""

from tests.extension.harness import Panel, poll


def test_picker_saves_new_map_version(paired, companion, replicas):
    before = companion.api("GET", "/v1/maps/ezyvet")
    highest = max(v["version"] for v in companion.api("GET", "/v1/admin/maps/ezyvet/versions")["items"])
    page = paired.context.new_page()
    try:
        page.goto(replicas.url("ezyvet"))
        panel = Panel(paired, page)
        panel.wait_mounted()
        # the panel's layout settles once the context is read (a consent step may appear above the button)
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Ready", "Confirm")), message="context read")
        panel.click("scribe-picker")
        picker = Panel(paired, page, target="picker")
        picker.wait_for("scribe-picker-panel", message="picker open")
        sidebar = page.locator('div[id^="patientSideBar"]').first
        box = sidebar.bounding_box()
        page.mouse.move(box["x"] + 10, box["y"] + 10)
        page.mouse.click(box["x"] + 10, box["y"] + 10)
        proposals = picker.wait_for("scribe-picker-proposals", lambda i: "matches" in i["text"], message="proposals")
        assert "id_prefix: patientSideBar" in proposals["text"]
        assert "matches 1" in proposals["text"]
        assert "tag" in picker.text("scribe-picker-fingerprint")
        picker.select("scribe-picker-map", "ezyvet")
        picker.select("scribe-picker-field", "context:patient_id")
        picker.click("scribe-picker-save")
        status = picker.wait_for("scribe-picker-status", lambda i: i["text"].startswith(("Saved", "Not saved")))
        assert status["text"].startswith(f"Saved ezyvet version {highest + 1}"), status["text"]
        saved = companion.api("GET", "/v1/maps/ezyvet")
        assert saved["version"] == highest + 1
        kind = next(k for k, v in saved["page_kinds"].items() if "patient_id" in v.get("context", {}))
        locators = saved["page_kinds"][kind]["context"]["patient_id"]["locators"]
        assert any(str(loc.get("id_prefix", "")).startswith("patientSideBar") for loc in locators), locators
        assert saved["page_kinds"][kind]["context"]["patient_id"]["fingerprint"]["tag"] == "div"
        picker.click("scribe-picker-cancel")
        poll(lambda: not picker.get("scribe-picker-panel"), message="picker closed")
    finally:
        companion.api("POST", "/v1/admin/maps/ezyvet/rollback", body={"version": before["version"]})
        page.close()
