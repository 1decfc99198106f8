"""`selectors validate`: schema errors and lint findings carry JSON paths; the CLI exits non-zero on errors."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from companion.cli import main
from companion.maps.lint import looks_generated, validate_data, validate_text
from tests.maps.conftest import MAPS, load_test_map


def findings(data) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in validate_data(data).findings:
        out.setdefault(f.path, set()).add(f"{f.severity}:{f.code}")
    return out


def test_schema_errors_name_their_json_paths():
    data = load_test_map("acme.json")
    data["version"] = "3.0"
    kind = data["page_kinds"]["record"]
    kind["write"]["plan"]["locators"][1] = {"css": "/html/body/form/textarea"}
    kind["write"]["plan"]["mode"] = "overwrite"
    kind["steps"][1]["timeout_ms"] = 10
    kind["steps"].append({"action": "scroll"})
    kind["context"]["weight"]["locators"][0]["colour"] = "red"
    kind["write"]["SOAP"] = kind["write"].pop("objective")
    del data["match"]
    got = findings(data)
    assert got == {
        "$.version": {"error:schema.int_type"},
        "$.match": {"error:schema.missing"},
        "$.page_kinds.record.write.plan.locators[1]": {"error:schema.value_error"},
        "$.page_kinds.record.write.plan.mode": {"error:schema.literal_error"},
        "$.page_kinds.record.steps[1].timeout_ms": {"error:schema.greater_than_equal"},
        "$.page_kinds.record.steps[2]": {"error:schema.union_tag_invalid"},
        "$.page_kinds.record.context.weight.locators[0].colour": {"error:schema.extra_forbidden"},
        "$.page_kinds.record.write.SOAP": {"error:schema.string_pattern_mismatch"},
    }


def test_lint_findings_on_a_valid_map():
    data = load_test_map("acme.json")
    kind = data["page_kinds"]["record"]
    kind["write"]["plan"]["locators"] = [{"css": "div.sc-bdVaJa > textarea.css-1q2w3e4"}]
    del kind["write"]["plan"]["fingerprint"]
    kind["write"]["objective"]["locators"].append({"label": "Objective"})
    kind["write"]["assessment"]["locators"][1] = {"id": "soap_a-4417"}
    kind["context"]["sex"]["locators"][0] = {"css": "dl > dd:nth-child(2) > span:nth-of-type(1)"}
    kind["context"]["breed"]["locators"][0] = {"css": "dd[[["}
    data["match"]["hosts"].append("https://demo.acmevet.test")
    data["acceptance"] = {"min_score": 0.3}
    kind["context"]["weight"]["locators"][1].pop("filter")
    kind["context"]["species"]["multiple"] = True
    got = findings(data)
    plan = "$.page_kinds.record.write.plan"
    assert got[f"{plan}.locators[0].css"] == {"warning:lint.generated_class"}
    assert got[f"{plan}.locators"] == {"warning:lint.single_locator"}
    assert got["$.page_kinds.record.write.objective.locators[2]"] == {"warning:lint.duplicate_locator"}
    assert got["$.page_kinds.record.write.assessment.locators[1].id"] == {"warning:lint.numeric_id"}
    assert got["$.page_kinds.record.context.sex.locators[0].css"] == {"warning:lint.positional_css"}
    assert got["$.page_kinds.record.context.breed.locators[0].css"] == {"error:lint.css_invalid"}
    assert got["$.match.hosts[1]"] == {"error:lint.host_glob"}
    assert got["$.acceptance.min_score"] == {"warning:lint.permissive"}
    assert got["$.page_kinds.record.context.name.locators[0].css"] == {"warning:lint.numeric_id"}
    assert got["$.page_kinds.record.context.weight.locators[1]"] == {"warning:lint.text_near_context"}
    assert got["$.page_kinds.record.context.species.multiple"] == {"warning:lint.multiple_scalar"}


def test_write_fields_without_patient_check_are_an_error():
    data = load_test_map("acme.json")
    ctx = data["page_kinds"]["record"]["context"]
    del ctx["patient_id"]
    assert findings(copy.deepcopy(data))["$.page_kinds.record.context"] == {"warning:lint.no_patient_check"}
    del ctx["name"]
    assert findings(data)["$.page_kinds.record.context"] == {"error:lint.no_patient_check"}


def test_json_syntax_error_has_line_and_column():
    report = validate_text('{"id": "x",\n  "version": }')
    assert not report.ok and "line 2 column" in report.errors[0].message


@pytest.mark.parametrize("name", ["css-1x2y3z", "sc-bdVaJa", "kVbLzX", "Button_primary__3kZ1q", "_1a2b3c",
                                  "MuiBox-root-123", "a1b2c3d4"])
def test_generated_class_names(name):
    assert looks_generated(name)


@pytest.mark.parametrize("name", ["btnPrimary", "soap-plan", "card__title", "rtabdetails", "clinical", "col-12",
                                  "ProseMirror", "active"])
def test_human_class_names(name):
    assert not looks_generated(name)


def test_cli_validate_exit_codes_and_json(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["selectors", "validate", str(MAPS / "acme.json")])
    assert ok.exit_code == 0, ok.output
    bad = tmp_path / "bad.json"
    data = load_test_map("acme.json")
    data["page_kinds"]["record"]["write"]["plan"]["locators"][0] = {"css": "//textarea"}
    bad.write_text(json.dumps(data))
    res = runner.invoke(main, ["selectors", "validate", "--json", str(bad)])
    assert res.exit_code == 1
    out = json.loads(res.output)
    assert out["ok"] is False
    assert out["findings"][0]["path"] == "$.page_kinds.record.write.plan.locators[0]"
    assert "XPath" in out["findings"][0]["message"]
