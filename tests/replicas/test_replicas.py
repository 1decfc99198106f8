"""The replica apps: served by host and path, client-side navigation between patients, real editor libraries,
React-controlled fields that revert foreign writes, late and shadow-DOM fields, and the drift variants."""

from __future__ import annotations

import http.client
import json
import re

import pytest

from tests.replicas.helpers import open_replica, wait_ready

pytestmark = pytest.mark.browser

PATIENTS = {
    "ezyvet": [("10231", "Biscuit"), ("10232", "Mochi"), ("10233", "Clover"), ("10234", "Juniper")],
    "pulse": [("p-501", "Rosie"), ("p-502", "Tiberius"), ("p-503", "Kiwi"), ("p-504", "Bruno")],
    "shepherd": [("sh-71", "Noodle"), ("sh-72", "Maple"), ("sh-73", "Pip")],
}


def get(server, path: str, host: str | None = None) -> tuple[int, dict, str]:
    """Plain HTTP GET against the replica server with an optional Host header."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", path, headers={"Host": f"{host}:{server.port}"} if host else {})
    resp = conn.getresponse()
    body = resp.read().decode("utf-8", "replace")
    conn.close()
    return resp.status, dict(resp.getheaders()), body


def injected_config(body: str) -> dict:
    match = re.search(r"window.__REPLICA_CONFIG = (\{.*?\});", body)
    assert match, "page carries no replica config"
    return json.loads(match.group(1))


def test_server_routes_by_host_and_path(replica_server):
    status, _, body = get(replica_server, "/patient/10231", "demo.ezyvet.com")
    assert status == 200 and injected_config(body) == {"pims": "ezyvet", "base": "", "drift": False}
    status, _, body = get(replica_server, "/drift/patients/sh-71/chart", "app.shepherd.vet")
    assert status == 200 and injected_config(body) == {"pims": "shepherd", "base": "/drift", "drift": True}
    status, headers, _ = get(replica_server, "/", "demo.pulse.covetrus.com")
    assert status == 302 and headers["Location"] == "/patients/p-501/visit"
    status, _, body = get(replica_server, "/drift/pulse/patients/p-502/visit")
    assert status == 200 and injected_config(body) == {"pims": "pulse", "base": "/drift/pulse", "drift": True}
    status, _, body = get(replica_server, "/")
    assert status == 200 and "/ezyvet/patient/10231" in body
    assert get(replica_server, "/nothing-here")[0] == 404
    assert get(replica_server, "/_replica/assets/tinymce/tinymce.min.js")[0] == 200


@pytest.mark.parametrize("pims", sorted(PATIENTS))
def test_navigates_between_patients_without_reload(replica_server, replica_page, pims):
    """(The drift variants navigate the same way; test_maps follows a patient switch on them.)"""
    page = open_replica(replica_page, replica_server, pims)
    page.evaluate("window.__sameDocument = 'still here'")
    seen = []
    for patient_id, name in PATIENTS[pims][1:] + PATIENTS[pims][:1]:
        page.get_by_role("link", name=name, exact=True).first.click()
        page.wait_for_function("id => window.__replica.patient() && window.__replica.patient().id === id", arg=patient_id)
        wait_ready(page)
        assert page.evaluate("window.__sameDocument") == "still here"
        assert page.get_by_text(name, exact=True).first.is_visible()
        seen.append(page.evaluate("window.__replica.patient()"))
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert len({p["species"] for p in seen}) >= 3
    assert any(p["weight"].endswith(" lb") for p in seen) and any(p["weight"].endswith(" kg") for p in seen)
    assert len({json.dumps(p["medications"]) for p in seen}) >= 3
    assert len({json.dumps(p.get("allergies", p.get("alerts"))) for p in seen}) >= 3


def test_ezyvet_history_popup(replica_server, replica_page):
    page = open_replica(replica_page, replica_server, "ezyvet", "/patient/10232")
    assert page.evaluate("window.jQuery.fn.jquery").startswith("4.")
    assert page.locator("div[id^='patientSideBar-']").inner_text().count("Patient ID:") == 1
    assert page.locator(".rtabdetails.clinical.active").count() == 1
    page.click("[data-testid='AddHistory']")
    popup = page.wait_for_selector("[id^='popupForm-']")
    suffix = re.fullmatch(r"popupForm-(-?\d+)", popup.get_attribute("id")).group(1)
    assert page.inner_text(f"#popupTitle-{suffix}") == "New History for Mochi (10232)"
    box = page.locator(f"textarea#visithistorydata_comments-{suffix}")
    box.fill("Owner reports good appetite.")
    assert page.evaluate("window.__replica.read('note')") == "Owner reports good appetite."
    assert page.evaluate("window.__replica.saveClicks()") == 0
    page.click(f"#saveRecord-{suffix}")
    assert page.evaluate("window.__replica.saveClicks()") == 1  # the recorder the fill tests rely on works
    page.click(f"#cancelRecord-{suffix}")
    assert page.locator("[id^='popupForm-']").count() == 0
    assert page.evaluate("window.__replica.read('note')") is None


def test_pulse_form_loads_late(replica_server, replica_page):
    replica_page.goto(replica_server.url("pulse", "/patients/p-503/visit"))
    assert replica_page.evaluate("document.querySelector('form[aria-label=\"SOAP note\"]') === null")
    assert replica_page.get_by_role("status").inner_text().startswith("Loading")
    wait_ready(replica_page)
    assert replica_page.locator("form[aria-label='SOAP note']").count() == 1


def test_pulse_editors_are_real_ckeditor_and_quill(replica_server, replica_page):
    page = open_replica(replica_page, replica_server, "pulse")
    assert page.evaluate("""() => {
        const el = document.querySelector('#soap-subjective .ck-editor__editable');
        return el.ckeditorInstance === window.__replica.editor('subjective') && typeof el.ckeditorInstance.getData === 'function';
    }""")
    assert page.evaluate("window.Quill.find(document.querySelector('#soap-objective .ql-container')) === window.__replica.editor('objective')")
    page.evaluate("window.__replica.editor('subjective').setData('<p>Alpha</p><p>&nbsp;</p><p>Beta</p>')")
    assert page.evaluate("window.__replica.read('subjective')") == "Alpha\n\nBeta"  # an empty paragraph is an empty line
    page.evaluate("window.__replica.editor('objective').setText('Gamma\\n')")
    assert page.evaluate("window.__replica.read('objective')") == "Gamma"
    page.click("#soap-plan .ql-editor")
    page.keyboard.type("Recheck in two weeks")
    assert page.evaluate("window.__replica.read('plan')") == "Recheck in two weeks"
    # textContent written past the editor is not what the editor holds
    page.evaluate("document.querySelector('#soap-assessment .ck-editor__editable').textContent = 'forged'")
    assert page.evaluate("window.__replica.read('assessment')") == ""


REACT_WRITE = """([el, text]) => {
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
    setter.call(el, text);
    el.dispatchEvent(new Event('input', {bubbles: true}));
}"""


@pytest.mark.parametrize("field", ["exam_general", "exam_oral"])
def test_pulse_write_that_bypasses_react_is_reverted(replica_server, replica_page, field):
    page = open_replica(replica_page, replica_server, "pulse")
    box = page.evaluate_handle("name => window.__replica.element(name)", field)
    box.evaluate("el => { el.value = 'written past React'; }")
    page.wait_for_function("el => el.value === ''", arg=box, timeout=3000)  # the visit timer re-renders
    assert page.evaluate("name => window.__replica.read(name)", field) == ""
    page.evaluate(REACT_WRITE, [box, "Heart and lungs normal"])
    page.wait_for_timeout(700)  # past the next timer render: the React-aware write stays
    assert box.evaluate("el => el.value") == "Heart and lungs normal"
    assert page.evaluate("name => window.__replica.read(name)", field) == "Heart and lungs normal"


def test_pulse_oral_exam_lives_in_open_shadow_root(replica_server, replica_page):
    page = open_replica(replica_page, replica_server, "pulse")
    assert page.evaluate("document.querySelector('textarea[name=exam_oral]') === null")
    assert page.evaluate("""() => {
        const host = document.querySelector('.dental-panel-host');
        return host.shadowRoot.querySelector('textarea[name=exam_oral]') === window.__replica.element('exam_oral');
    }""")


def test_shepherd_editors_are_real_tiptap_lexical_tinymce(replica_server, replica_page):
    page = open_replica(replica_page, replica_server, "shepherd", "/patients/sh-72/chart")
    assert page.evaluate("document.querySelector('[data-test-id=note-content]').editor === window.__replica.editor('note')")
    page.evaluate("document.querySelector('[data-test-id=note-content]').editor.commands.setContent('<p>One</p><p>Two</p>')")
    assert page.evaluate("window.__replica.read('note')") == "One\nTwo"
    page.click("[data-test-id=add-addendum-button]")
    dialog = page.wait_for_selector(".ReactModal__Content[data-test-id=addendum-modal]")
    assert dialog.get_attribute("role") == "dialog"
    assert page.evaluate("document.querySelector('[data-test-id=addendum-content]').__lexicalEditor === window.__replica.editor('addendum')")
    page.click("[data-test-id=addendum-content]")
    page.keyboard.type("Called owner")
    assert page.evaluate("window.__replica.read('addendum')") == "Called owner"
    page.click("[data-test-id=close-addendum-button]")
    page.click("[data-test-id=tab-discharge]")
    wait_ready(page)
    assert page.evaluate("""() => {
        const win = document.querySelector('iframe[data-test-id=discharge-frame]').contentWindow;
        win.tinymce.get('discharge-instructions').setContent('<p>Rest for a week</p><p>No stairs</p>');
        return win.tinymce.get('discharge-instructions') === window.__replica.editor('plan');
    }""")
    assert page.evaluate("window.__replica.read('plan')") == "Rest for a week\nNo stairs"
    assert page.evaluate("window.__replica.saveClicks()") == 0


@pytest.mark.parametrize(
    ("pims", "path", "field", "others"),
    [("ezyvet", "/patient/10233", "note", ["summary"]), ("pulse", None, "assessment", ["subjective", "exam_oral"]),
     ("shepherd", None, "note", [])],
)
def test_hide_field_takes_it_off_the_page_the_apps_way(replica_server, replica_page, pims, path, field, others):
    page = open_replica(replica_page, replica_server, pims, path)
    if pims == "ezyvet":
        page.click("[data-testid='AddHistory']")
        page.wait_for_function("window.__replica.read('note') !== null")
    assert page.evaluate("f => window.__replica.hideField(f)", field) is True
    page.wait_for_function("f => window.__replica.read(f) === null && window.__replica.element(f) === null", arg=field)
    for other in others:
        assert page.evaluate("f => window.__replica.read(f)", other) == ""
    page.wait_for_timeout(600)  # a Pulse timer render later the app is still alive and the field still gone
    assert page.evaluate("f => window.__replica.read(f)", field) is None


@pytest.mark.parametrize(
    ("pims", "path", "gone", "present"),
    [
        ("ezyvet", None, ["[id^='patientSideBar-']", "[data-testid='AddHistory']", ".rtabdetails"],
         ["[id^='animalSummaryPanel-']", "[data-testid='add-history-entry']"]),
        ("pulse", None, ["#soap-subjective", "[aria-label^='Assessment']"], ["#nf-subjective", "[aria-label^='Clinical impression']"]),
        ("shepherd", None, ["[data-test-id='note-content']", "[data-test-id='patient-name']"],
         ["[data-test-id='patient-note-editor']", "[data-test-id='pt-patient-name']"]),
    ],
)
def test_drift_variant_renames(replica_server, replica_page, pims, path, gone, present):
    page = open_replica(replica_page, replica_server, pims, path, drift=True)
    for css in gone:
        assert page.locator(css).count() == 0, css
    for css in present:
        assert page.locator(css).count() >= 1, css
