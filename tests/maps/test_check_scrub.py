"""`selectors check` and `selectors scrub` on saved pages: verdicts, parsed context, no patient data after scrub."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from companion.cli import main
from companion.maps.check import check_html
from companion.maps.schema import SelectorMap
from companion.maps.scrub import scrub_html
from tests.maps.conftest import PAGES, load_test_map

pytestmark = pytest.mark.browser

# Everything about the sample patient and owner on acme-record.html (none of it may survive a scrub).
PATIENT_STRINGS = ["Biscuit", "Fairweather", "Rosalind", "88231", "Nova Scotia", "Tolling", "K9", "71 lbs",
                   "14 Feb 2017", "2024-09-30", "Zonisamide", "Fluoxetine", "Cefalexin", "bee stings", "epilepsy",
                   "Noise phobia", "Wanaka", "seizure", "0199", "example.org", "__patient"]
RECORD_HTML = (PAGES / "acme-record.html").read_text(encoding="utf-8")


def mixed_verdict_map() -> SelectorMap:
    """The test map plus fields that are missing, ambiguous and found by similarity, so verdicts vary."""
    data = copy.deepcopy(load_test_map("acme.json"))
    kind = data["page_kinds"]["record"]
    kind["write"]["exam_eyes"] = {"locators": [{"label": "Eyes"}, {"name": "eyes"}]}
    kind["write"]["note"] = {"locators": [{"css": "textarea"}]}
    kind["write"]["plan"]["locators"] = [{"name": "plan_renamed"}]
    kind["context"]["age"] = {"locators": [{"test_id": "age"}, {"text_near": "Age", "filter": "dd"}]}
    return SelectorMap.model_validate(data)


def test_cli_check_prints_verdicts_and_context(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(mixed_verdict_map().model_dump(mode="json", by_alias=True, exclude_none=True)))
    # A separate process: the real command, and its own Playwright (the sync API cannot nest in this one).
    res = subprocess.run([sys.executable, "-m", "companion", "selectors", "check", str(path),
                          str(PAGES / "acme-record.html")], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1, res.stdout + res.stderr  # some fields do not resolve
    output = res.stdout
    rows = {line.split()[0]: line.split()[1:] for line in output.splitlines()[3:] if line.startswith("    ")}
    assert rows["subjective"][:2] == ["found", "label"]
    assert rows["exam_eyes"][:2] == ["missing", "-"]
    assert rows["note"][:2] == ["ambiguous", "-"]
    assert rows["plan"][:2] == ["found", "similarity"] and float(rows["plan"][2]) >= 0.7
    assert rows["species"] == ["canine"] and rows["patient_id"] == ["88231-QX"]
    assert "  detected page kind: record" in output.splitlines()


def test_check_json_report_has_no_page_html(chromium):
    report = check_html(SelectorMap.model_validate(load_test_map("acme.json")), RECORD_HTML, browser=chromium)
    kind = report.as_dict()["page_kinds"][0]
    assert all(rep["status"] == "found" for rep in kind["write"].values())
    assert kind["parsed_context"]["weight"] == {"kg": 32.205, "source_value": 71.0, "source_unit": "lb"}
    assert "fragments" not in kind  # raw page HTML is never printed


def test_scrub_removes_patient_data_and_keeps_the_verdicts(chromium):
    smap = mixed_verdict_map()
    scrubbed = scrub_html(RECORD_HTML, selector_map=smap)
    survivors = [s for s in PATIENT_STRINGS if s.lower() in scrubbed.lower()]
    assert not survivors, survivors
    assert "<script" not in scrubbed and "<!--" not in scrubbed and "title=" not in scrubbed
    for hook in ('data-testid="AddHistory"', 'id="patientSideBar-4417"', 'for="soap_s-4417"', 'class="meds"',
                 'name="plan_text"', "<label", ">Subjective<", ">Add History<", "Patient ID:"):
        assert hook in scrubbed, hook
    before = check_html(smap, RECORD_HTML, browser=chromium)
    after = check_html(smap, scrubbed, browser=chromium)
    assert before.verdicts() == after.verdicts()
    assert set(before.verdicts().values()) == {"found", "missing", "ambiguous"}
    strategies = lambda r: {k: v["strategy"] for k, v in r.kinds[0].write.items()}  # noqa: E731
    assert strategies(before) == strategies(after)


def test_scrub_cli_and_srcdoc_and_shadow_content(tmp_path):
    src = tmp_path / "in.html"
    src.write_text(
        '<html><body><iframe srcdoc="<p title=\'Biscuit\'>Biscuit Fairweather</p><label>Plan</label>"></iframe>'
        '<div><template shadowrootmode="open"><span>Rosalind</span><label for="x">Weight</label></template></div>'
        '<input value="Biscuit" data-owner="Rosalind Fairweather" data-field="weight" onclick="steal()">'
        "</body></html>")
    out = tmp_path / "out.html"
    res = CliRunner().invoke(main, ["selectors", "scrub", str(src), str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "Biscuit" not in html and "Rosalind" not in html and "steal" not in html
    assert 'data-field="weight"' in html and "Weight" in html and "Plan" in html and "shadowrootmode" in html
