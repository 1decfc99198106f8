"""Native fields (React 19 controlled input/textarea/select) and plain contenteditable; failure outcomes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

NOTE = "Vomiting x2 since yesterday.\n\nEating well; no diarrhoea."
HOSTILE = "<img src=x onerror=\"window.__tripwire=1\"><script>window.__tripwire=2</script>"


def write(page, selector, text, **opts):
    return page.evaluate(
        "async ([sel, text, opts]) => VetScribe.fill.writeField(document.querySelector(sel), text, opts)",
        [selector, text, opts],
    )


def rerendered_state(page):
    """Force a React re-render, then return the component's state."""
    before = page.evaluate("window.__lab.state().renders")
    page.click("#rerender")
    page.wait_for_function("(n) => window.__lab.state().renders > n", arg=before)
    return page.evaluate("window.__lab.state()")


def test_react_input_state_holds_value_after_rerender(lab):
    page = lab("react")
    result = write(page, "#name", "Biscuit")
    assert result["outcome"] == "written" and result["writer"] == "textfield", result
    state = rerendered_state(page)
    assert state["name"] == "Biscuit"
    assert page.input_value("#name") == "Biscuit"


def test_react_textarea_append_keeps_clinician_text(lab):
    page = lab("react")
    result = write(page, "#notes", NOTE, mode="append")
    assert result["outcome"] == "appended", result
    assert rerendered_state(page)["notes"] == "Existing clinician note\n\n" + NOTE
    assert page.input_value("#notes") == "Existing clinician note\n\n" + NOTE


def test_react_textarea_ask_needs_confirmation_and_writes_nothing(lab):
    page = lab("react")
    result = write(page, "#notes", NOTE, mode="ask")
    assert result["outcome"] == "needs_confirmation"
    assert rerendered_state(page)["notes"] == "Existing clinician note"


def test_react_textarea_replace_then_restore(lab):
    page = lab("react")
    result = write(page, "#notes", NOTE)
    assert result["outcome"] == "written"
    assert rerendered_state(page)["notes"] == NOTE
    restored = page.evaluate("(r) => VetScribe.fill.restoreField(document.querySelector('#notes'), r)", result["restore"])
    assert restored["outcome"] == "restored"
    assert rerendered_state(page)["notes"] == "Existing clinician note"


def test_react_select_by_visible_label(lab):
    page = lab("react")
    result = write(page, "#species", "Cat")
    assert result["outcome"] == "written", result
    assert rerendered_state(page)["species"] == "feline"
    assert write(page, "#species", "Parrot")["outcome"] == "error"
    assert rerendered_state(page)["species"] == "feline"


def test_hostile_text_in_textarea_is_plain_text(lab):
    page = lab("react")
    result = write(page, "#notes", HOSTILE)
    assert result["outcome"] == "written"
    assert rerendered_state(page)["notes"] == HOSTILE
    assert page.evaluate("window.__tripwire") is None


def test_plain_contenteditable_replace_append_and_hostile(lab):
    page = lab("plain")
    result = write(page, "#ce", NOTE, mode="append", format="html")
    assert result["outcome"] == "appended" and result["writer"] == "contenteditable", result
    assert page.evaluate("VetScribe.fill.readField(document.querySelector('#ce'))") == "Existing line\n\n" + NOTE
    result = write(page, "#ce", HOSTILE)
    assert result["outcome"] == "written"
    assert page.evaluate("document.querySelector('#ce').textContent") == HOSTILE
    assert page.evaluate("document.querySelectorAll('#ce img, #ce script').length") == 0
    assert page.evaluate("window.__tripwire") is None


def test_hidden_and_read_only_fields_are_refused_and_untouched(lab):
    page = lab("plain")
    hidden = write(page, "#hidden", "text")
    assert hidden["outcome"] == "error" and "hidden" in hidden["detail"]["message"]
    assert page.input_value("#hidden") == ""
    locked = write(page, "#ro", "text")
    assert locked["outcome"] != "written" and page.input_value("#ro") == "locked"


def test_aborted_signal_writes_nothing(lab):
    page = lab("plain")
    result = page.evaluate(
        """async () => { const c = new AbortController(); c.abort();
           return VetScribe.fill.writeField(document.querySelector('#ta'), 'new', {signal: c.signal}); }"""
    )
    assert result["outcome"] == "error" and result["detail"]["aborted"]
    assert page.input_value("#ta") == "old text"


def test_bad_options_are_a_clear_error(lab):
    page = lab("plain")
    result = write(page, "#ta", "x", mode="overwrite")
    assert result["outcome"] == "error" and "mode" in result["detail"]["message"]


def test_one_megabyte_line_in_a_react_textarea(lab):
    page = lab("react")
    result = page.evaluate(
        """async () => { const text = 'B'.repeat(1 << 20);
           const r = await VetScribe.fill.writeField(document.querySelector('#notes'), text);
           return r.outcome; }"""
    )
    assert result == "written"
    assert len(rerendered_state(page)["notes"]) == 1 << 20


def test_same_text_is_unchanged_and_append_into_empty_is_a_write(lab):
    page = lab("react")
    assert write(page, "#notes", "Existing clinician note")["outcome"] == "unchanged"
    result = write(page, "#name", "Rex", mode="append")
    assert result["outcome"] == "written" and rerendered_state(page)["name"] == "Rex"
