"""The unpacked extension loads in Chromium, its service worker starts, and the options page pairs with a real
companion (token in storage.local, never sync)."""


from tests.extension.harness import poll


def test_service_worker_starts_with_one_message_table(extension):
    manifest = extension.eval("() => chrome.runtime.getManifest()")
    assert manifest["name"] == "VetScribe Bridge"
    types = extension.eval("() => Object.keys(self.VetScribeBg.HANDLERS)")
    assert {"page.hello", "companion.pair", "encounter.approve", "encounter.writeback", "drift.report"} <= set(types)


def test_unknown_message_is_refused(extension):
    answer = extension.message({"type": "no.such.message"})
    assert answer["ok"] is False and answer["error"]["code"] == "unknown_message"


def test_companion_url_must_be_loopback(extension):
    answer = extension.message({"type": "companion.setUrl", "url": "http://example.com:8765"})
    assert answer["ok"] is False
    assert "127.0.0.1" in answer["error"]["title"]


def test_wrong_pairing_code_keeps_no_token(extension, companion):
    saved = extension.storage("settings").get("settings")
    try:
        extension.message({"type": "companion.unpair"})
        text = extension.pair_via_options(companion.url, "ZZZZ-ZZZZ")
        assert text.startswith("Pairing failed"), text
        assert not extension.storage("settings")["settings"].get("token")
    finally:
        if saved:
            extension.eval("(s) => chrome.storage.local.set({settings: s})", saved)


def test_options_page_pairs_and_shows_role(paired, companion):
    settings = paired.storage("settings")["settings"]
    assert settings["token"] and settings["role"] == "admin"
    assert settings["companionUrl"] == companion.url
    assert "settings" not in paired.sync_storage() and paired.sync_storage() == {}
    page = paired._extension_page()
    page.reload()
    poll(lambda: page.get_by_test_id("options-status").text_content().startswith("Connected"), message="connected")
    assert page.get_by_test_id("options-role").text_content() == "admin"


def test_status_reports_unreachable_companion(extension):
    saved = extension.storage("settings")["settings"]
    try:
        extension.message({"type": "companion.setUrl", "url": "http://127.0.0.1:9"})
        status = extension.message({"type": "companion.status"})
        assert status["reachable"] is False
        assert status["error"]["code"] in ("unreachable", "timeout")
    finally:
        extension.eval("(s) => chrome.storage.local.set({settings: s})", saved)


def test_injected_file_lists_come_from_each_areas_files_json(extension):
    """The background reads the resolver's and the fill engine's own ordered lists, not a copy of them."""
    import json

    from tests.extension.harness import EXTENSION_DIR

    resolver = json.loads((EXTENSION_DIR / "resolve" / "files.json").read_text())
    fill = json.loads((EXTENSION_DIR / "fill" / "files.json").read_text())
    assert extension.eval("() => self.VetScribeBg.matchFileList()") == [*resolver, "content/match.js"]
    app = extension.eval("() => self.VetScribeBg.appFileList()")
    assert app[:len(fill)] == fill and "content/dictation.js" in app
