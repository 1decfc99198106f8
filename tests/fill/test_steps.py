"""A map's pre-fill steps through the real resolver, and the guard that never clicks Save/Sign/Finalize/Submit."""

from __future__ import annotations

import time

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser

RESOLVER = tuple(ROOT / "extension" / "resolve" / f for f in ("dom.js", "similarity.js", "locate.js", "resolver.js"))


def run_steps(page, steps):
    return page.evaluate("(steps) => VetScribe.fill.runSteps(steps)", steps)


def target(**locator):
    return {"locators": [locator]}


def test_click_then_wait_opens_the_popup_and_the_field_fills(lab):
    page = lab("plain", extra=RESOLVER)
    field = target(id_prefix="visithistorydata_comments-")
    report = run_steps(page, [
        {"action": "click", "target": target(test_id="AddHistory"), "skip_if_present": field},
        {"action": "wait_for", "target": field, "timeout_ms": 3000},
    ])
    assert report["outcome"] == "done", report
    result = page.evaluate(
        "async () => VetScribe.fill.writeField(document.querySelector('[id^=visithistorydata_comments-]'), 'Seen today.')"
    )
    assert result["outcome"] == "written"
    # the popup is open now: the click is skipped, not repeated
    again = run_steps(page, [{"action": "click", "target": target(test_id="AddHistory"), "skip_if_present": field}])
    assert again["steps"][0]["status"] == "skipped"


@pytest.mark.parametrize("locator, why", [
    ({"id": "saveRecord-12"}, "id"),
    ({"test_id": "plain-sign"}, "text"),
    ({"name": "btnFinalise"}, "name"),
    ({"id": "formbtn"}, "form button"),
    ({"id": "submitinput"}, "type=submit"),
    ({"id": "consultLink"}, "label"),
])
def test_guard_refuses_save_sign_finalize_submit(lab, locator, why):
    page = lab("plain", extra=RESOLVER)
    report = run_steps(page, [{"action": "click", "target": target(**locator)}])
    assert report["outcome"] == "refused", report
    assert why in report["steps"][0]["detail"]
    assert page.evaluate("window.__clicked") is None


def test_guard_does_not_trip_on_words_that_merely_contain_sign(lab):
    page = lab("plain", extra=RESOLVER)
    report = run_steps(page, [{"action": "click", "target": target(id="designer")}])
    assert report["outcome"] == "done", report
    assert page.evaluate("window.__clicked") == ["designer"]


def test_wait_for_is_bounded_and_abortable(lab):
    page = lab("plain", extra=RESOLVER)
    started = time.monotonic()
    report = run_steps(page, [{"action": "wait_for", "target": target(id="never-there"), "timeout_ms": 200}])
    assert report["outcome"] == "timeout"
    assert time.monotonic() - started < 3
    aborted = page.evaluate(
        """async () => { const c = new AbortController(); setTimeout(() => c.abort(), 100);
           return VetScribe.fill.runSteps([{action: 'wait_for', target: {locators: [{id: 'never-there'}]}, timeout_ms: 60000}],
                                          {signal: c.signal}); }"""
    )
    assert aborted["outcome"] == "aborted"
