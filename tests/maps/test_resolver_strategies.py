"""Every locator strategy, `within`, `filter`, iframes and shadow roots, run by the real resolver in Chromium."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(open_page):
    return open_page("strategies.html")


@pytest.mark.parametrize(
    ("locator", "expect"),
    [
        ({"label": "Subjective"}, "label"),
        ({"label": "objective"}, "label-wrap"),  # wrapping <label>, trailing ':' and case ignored
        ({"aria_label": "Assessment"}, "aria_label"),
        ({"test_id": "plan-box"}, "test_id"),
        ({"test_id": "plan-box", "attribute": "data-test-id"}, "test_id-custom-attr"),
        ({"name": "chief_complaint"}, "name"),
        ({"id": "temperature"}, "id"),
        ({"id_prefix": "visithistorydata_comments-"}, "id_prefix"),
        ({"placeholder": "heart rate (bpm)"}, "placeholder"),
        ({"placeholder": "Heart rate", "match": "prefix"}, "placeholder"),
        ({"role": "textbox", "accessible_name": "Exam findings"}, "role"),
        ({"role": "button", "accessible_name": "Add History"}, "button"),
        ({"text_near": "Respiratory rate"}, "text_near"),
        ({"text_near": "Microchip", "filter": "dd"}, "text_near-filter"),
        ({"text_near": "Objective"}, "label-wrap"),  # the caption wraps its field
        ({"css": ".legacy-notes textarea.notes"}, "css"),
        ({"css": "textarea.box", "within": {"id": "panel-right"}}, "within-right"),
        ({"css": "textarea", "within": {"id": "panel-left"}}, "within-left"),
        ({"test_id": "AddHistory", "filter": "button"}, "button"),
        ({"css": "textarea.history", "visible": True}, "open-popup"),
        ({"css": "textarea", "within": {"id_prefix": "popupForm-", "visible": True}}, "open-popup"),
    ],
)
def test_each_strategy_finds_its_element(page, locator, expect):
    result = page.locate(locator)
    assert (result["status"], result["expect"]) == ("found", expect), result
    assert result["strategy"] == next(k for k in locator if k not in ("attribute", "match", "filter", "within",
                                                                       "accessible_name", "visible"))


@pytest.mark.parametrize(
    "locator",
    [
        {"name": "dup"},  # two elements: a miss, never a guess
        {"css": "textarea.box"},  # one per panel without `within`
        {"css": "textarea", "within": {"css": ".panel"}},  # the scope itself is ambiguous
        {"css": "textarea.history"},  # a hidden popup counts unless `visible` says otherwise
    ],
)
def test_several_matches_is_not_found(page, locator):
    result = page.locate(locator)
    assert result["status"] == "ambiguous"
    assert result["tag"] is None


def test_ordered_alternatives_fall_through_to_the_first_unique(page):
    result = page.locate({"name": "no-such-field"}, {"name": "dup"}, {"label": "Subjective"})
    assert result["status"] == "found" and result["expect"] == "label"
    assert [t["count"] for t in result["tried"]] == [0, 2, 1]
    assert result["locatorIndex"] == 2


def test_zero_matches_is_missing_and_bad_css_is_reported_not_thrown(page):
    result = page.locate({"css": "textarea[name='nope']"}, {"css": "div[[["})
    assert result["status"] == "missing"
    assert "not a valid selector" in result["tried"][1]["error"]


def test_filter_narrows_matches(page):
    assert page.locate({"label": "Subjective", "filter": "input"})["status"] == "missing"


@pytest.mark.parametrize(
    ("locator", "expect"),
    [
        ({"label": "Frame plan", "enter": [{"iframe": "#history-frame"}]}, "iframe"),
        ({"name": "deep", "enter": [{"iframe": "#history-frame"}, {"iframe": "#inner"}]}, "iframe-nested"),
        ({"label": "Shadow plan", "enter": [{"shadow_root": "#notes-host"}]}, "shadow"),
        ({"name": "deep-shadow", "enter": [{"shadow_root": "vs-notes"}, {"shadow_root": "#inner-host"}]},
         "shadow-nested"),
    ],
)
def test_iframes_and_open_shadow_roots(page, locator, expect):
    result = page.locate(locator)
    assert (result["status"], result["expect"]) == ("found", expect), result


def test_without_enter_nested_documents_are_not_searched(page):
    assert page.locate({"label": "Frame plan"})["status"] == "missing"
    assert page.locate({"label": "Shadow plan"})["status"] == "missing"


def test_closed_shadow_root_is_a_miss_with_a_reason(page):
    result = page.locate({"name": "hidden-away", "enter": [{"shadow_root": "#closed-host"}]})
    assert result["status"] == "missing"
    assert "no open shadow root" in result["tried"][0]["error"]


def test_propose_locators_in_preferred_order_with_match_counts(page):
    out = page.call("(sel) => VetScribe.resolver.proposeLocators(document.querySelector(sel))", "#subj-1")
    strategies = [p["strategy"] for p in out["proposals"]]
    assert strategies[:3] == ["name", "label", "id_prefix"]
    assert all(p["matchCount"] == 1 and p["matchesElement"] for p in out["proposals"]), out["proposals"]
    assert out["fingerprint"]["label"] == "Subjective" and out["fingerprint"]["tag"] == "textarea"
    # every proposal, used as a map locator, resolves back to the same element
    for proposal in out["proposals"]:
        assert page.locate(proposal["locator"])["expect"] == "label", proposal


def test_propose_inside_shadow_root_records_the_path(page):
    out = page.call(
        "() => VetScribe.resolver.proposeLocators(document.querySelector('#notes-host').shadowRoot.querySelector('#sh1'))"
    )
    assert out["enter"] == [{"shadow_root": "#notes-host"}]
    found = page.locate(out["proposals"][0]["locator"])
    assert found["expect"] == "shadow"


def test_propose_inside_iframe_records_the_path(page):
    out = page.call(
        "() => VetScribe.resolver.proposeLocators("
        "document.querySelector('#history-frame').contentDocument.querySelector('textarea'))"
    )
    assert out["enter"] == [{"iframe": "#history-frame"}]
    assert page.locate(out["proposals"][0]["locator"])["expect"] == "iframe"


def test_proposals_flag_locators_that_match_several(page):
    out = page.call("() => VetScribe.resolver.proposeLocators(document.querySelector('[data-expect=dup-1]'))")
    name = next(p for p in out["proposals"] if p["strategy"] == "name")
    assert name["matchCount"] == 2


def test_proposals_and_fingerprints_carry_no_record_text(open_page):
    page = open_page("acme-record.html")
    for selector in ("h1.patient-title", "a.owner-link", "[data-testid=species]", "#soap_s-4417"):
        out = page.call("(sel) => VetScribe.resolver.proposeLocators(document.querySelector(sel))", selector)
        dumped = str(out)
        for secret in ("Biscuit", "Fairweather", "Rosalind", "K9", "seizures", "2024", "88231"):
            assert secret not in dumped, (selector, out)


def test_propose_for_hosts_without_hooks_uses_a_position(page):
    out = page.call(
        "() => { const hosts = [...document.querySelectorAll('vs-notes')]; const el = document.createElement('section');"
        " const h1 = document.createElement('div'); const h2 = document.createElement('div'); el.append(h1, h2);"
        " document.body.append(el); h2.attachShadow({mode: 'open'}).innerHTML = '<textarea name=posfield></textarea>';"
        " const r = VetScribe.resolver.proposeLocators(h2.shadowRoot.querySelector('textarea')); el.remove(); return r; }")
    hop = out["enter"][0]["shadow_root"]
    assert hop.endswith("section > div:nth-of-type(2)"), hop


def test_resolver_files_load_as_classic_scripts_in_files_json_order(chromium):
    from companion.maps.browser import resolver_paths

    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content("<label for=a>Plan</label><textarea id=a></textarea>")
        for path in resolver_paths():
            page.add_script_tag(path=str(path))
        api = page.evaluate("() => Object.keys(VetScribe.resolver).sort()")
        assert {"resolveField", "detectPageKind", "matchesLocation", "collectContext", "proposeLocators"} <= set(api)
        assert page.evaluate("() => VetScribe.resolver.resolveField({locators: [{label: 'Plan'}]}).status") == "found"
    finally:
        context.close()
