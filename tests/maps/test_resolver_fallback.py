"""Similarity fallback, page-kind detection, location matching and context collection in the real resolver."""

from __future__ import annotations

import pytest

from tests.maps.conftest import load_test_map

pytestmark = pytest.mark.browser

# Recorded by proposeLocators() on release 1 of the consult page (see test_fingerprint_recorded_on_release_1).
PLAN = {"locators": [{"name": "plan"}, {"id": "c-plan"}]}


@pytest.fixture(scope="module")
def v1(open_page):
    return open_page("renamed-v1.html")


@pytest.fixture(scope="module")
def v2(open_page):
    return open_page("renamed-v2.html")


@pytest.fixture(scope="module")
def plan_fingerprint(v1):
    return v1.call("() => VetScribe.resolver.proposeLocators(document.querySelector('#c-plan')).fingerprint")


def test_fingerprint_recorded_on_release_1(plan_fingerprint):
    assert plan_fingerprint == {"tag": "textarea", "name": "plan", "id": "c-plan", "label": "Plan",
                                "placeholder": "Treatment plan", "role": "textbox", "near_text": "Plan"}


def test_locators_win_while_they_match(v1, plan_fingerprint):
    result = v1.resolve({**PLAN, "fingerprint": plan_fingerprint})
    assert (result["status"], result["strategy"], result["score"]) == ("found", "name", 1)


def test_renamed_field_found_by_similarity(v2, plan_fingerprint):
    result = v2.call(
        "(f) => { const r = VetScribe.resolver.resolveField(f); return {...VetScribe.resolver.describe(r),"
        " name: r.element && r.element.name}; }",
        {**PLAN, "fingerprint": plan_fingerprint},
    )
    assert result["status"] == "found" and result["strategy"] == "similarity"
    assert result["name"] == "soapPlanText"
    assert result["score"] >= 0.7 and result["score"] - result["runnerUp"] >= 0.15
    assert [t["count"] for t in result["tried"][:2]] == [0, 0]


def test_every_renamed_soap_field_maps_to_its_own_box(v1, v2):
    fingerprints = v1.call(
        "() => [...document.querySelectorAll('textarea')].map(e => VetScribe.resolver.proposeLocators(e).fingerprint)"
    )
    names = [v2.call("(f) => { const r = VetScribe.resolver.resolveField(f); return r.element && r.element.name; }",
                     {"locators": [{"name": fp["name"]}], "fingerprint": fp}) for fp in fingerprints]
    assert names == ["soapSubjectiveText", "soapObjectiveText", "soapAssessmentText", "soapPlanText"]


def test_refuses_when_two_candidates_score_alike(open_page, plan_fingerprint):
    page = open_page("lookalikes.html")
    result = page.resolve({**PLAN, "fingerprint": plan_fingerprint})
    assert result["status"] == "ambiguous" and result["tag"] is None
    assert result["score"] >= 0.7 and abs(result["score"] - result["runnerUp"]) < 0.15


def test_no_fallback_without_fingerprint_and_low_scores_are_missing(v2):
    assert v2.resolve(PLAN)["status"] == "missing"
    unrelated = {"tag": "select", "name": "payment_method", "label": "Payment method", "role": "combobox"}
    result = v2.resolve({**PLAN, "fingerprint": unrelated})
    assert result["status"] == "missing" and result["score"] < 0.7


def test_acceptance_threshold_is_the_maps(v2, plan_fingerprint):
    strict = {**PLAN, "fingerprint": plan_fingerprint, "acceptance": {"min_score": 0.99, "min_margin": 0.15}}
    assert v2.resolve(strict)["status"] == "missing"


def test_fallback_searches_iframes_and_shadow_roots(open_page):
    page = open_page("strategies.html")
    fp = {"tag": "textarea", "label": "Shadow plan", "role": "textbox", "near_text": "Shadow plan"}
    assert page.resolve({"locators": [{"name": "gone"}], "fingerprint": fp})["expect"] == "shadow"
    fp = {"tag": "textarea", "label": "Frame plan", "role": "textbox", "near_text": "Frame plan"}
    assert page.resolve({"locators": [{"name": "gone"}], "fingerprint": fp})["expect"] == "iframe"


@pytest.fixture(scope="module")
def record(open_page):
    return open_page("acme-record.html", url="https://demo.acmevet.test/records/88231")


def test_page_kind_detection_and_location(record):
    acme = load_test_map("acme.json")
    assert record.call("(m) => VetScribe.resolver.detectPageKind(m)", acme)["pageKind"] == "record"
    other_path = record.call("(m) => VetScribe.resolver.detectPageKind(m, {location: 'https://demo.acmevet.test/billing'})", acme)
    assert other_path is None
    acme["page_kinds"]["record"]["detect"]["absent"] = [{"test_id": "AddHistory"}]
    assert record.call("(m) => VetScribe.resolver.detectPageKind(m)", acme) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://demo.acmevet.test/records/1", True),
        ("https://clinic.use1.acmevet.test/records/7#tab=history", True),
        ("https://acmevet.test/records/1", False),  # '*.' needs a subdomain
        ("https://demo.acmevet.test.evil.example/records/1", False),
        ("https://demo.acmevet.test/billing", False),
        ("not a url", False),
    ],
)
def test_matches_location(record, url, expected):
    acme = load_test_map("acme.json")
    assert record.call("(m, u) => VetScribe.resolver.matchesLocation(m, u)", acme, url) is expected


def test_collect_context_returns_fragments_with_live_values(record):
    acme = load_test_map("acme.json")
    out = record.call(
        "(m) => { document.querySelector('#soap_o-4417').value = 'typed'; "
        "return VetScribe.resolver.collectContext(m, 'record'); }", acme)
    assert set(out["fields"]) == set(acme["page_kinds"]["record"]["context"])
    assert out["fields"]["species"] == ['<dd data-testid="species">K9</dd>']
    assert out["fields"]["medications"][0].startswith('<ul class="meds"')
    assert all(rep["status"] == "found" for rep in out["report"].values())
    value = record.call("() => VetScribe.resolver.fragmentOf(document.querySelector('#soap_o-4417'))")
    assert value == '<textarea id="soap_o-4417" name="objective">typed</textarea>'


def test_collect_context_multiple_reads_every_match(record):
    acme = load_test_map("acme.json")
    acme["page_kinds"]["record"]["context"] = {"medications": {"multiple": True, "locators": [
        {"css": "ul.nothing li"}, {"css": "ul.meds li"}]}}
    out = record.call("(m) => VetScribe.resolver.collectContext(m, 'record')", acme)
    assert len(out["fields"]["medications"]) == 2
    assert out["report"]["medications"]["locatorIndex"] == 1
