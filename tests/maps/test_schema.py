"""The selector-map schema: valid maps load, schema.json is current, shipped maps validate under both checkers."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from companion.maps.jsonschema import SCHEMA_PATH, schema_text
from companion.maps.schema import Locator, SelectorMap
from companion.maps.loader import SELECTORS_DIR, resolver_json, shipped_map_paths
from tests.maps.conftest import MAPS, load_test_map

TEST_MAPS = sorted(MAPS.glob("*.json"))
SHIPPED = sorted(shipped_map_paths().values())


def test_schema_json_is_current():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "selectors/schema.json is stale: run `vetscribe selectors schema --write`")


@pytest.mark.parametrize("path", TEST_MAPS + SHIPPED, ids=lambda p: p.name)
def test_maps_validate_with_pydantic_and_json_schema(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    SelectorMap.model_validate(data)
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(data)


def test_round_trip_keeps_the_map():
    smap = SelectorMap.model_validate(load_test_map("acme.json"))
    again = SelectorMap.model_validate(resolver_json(smap))
    assert again == smap
    assert resolver_json(smap)["$schema"].endswith("schema.json")


def test_defaults_for_write_fields_are_the_safe_ones():
    smap = SelectorMap.model_validate(load_test_map("acme.json"))
    objective = smap.page_kinds["record"].write["objective"]
    assert (objective.mode, objective.format, objective.kind) == ("ask", "plain", "textarea")


@pytest.mark.parametrize(
    ("locator", "fragment"),
    [
        ({}, "exactly one strategy"),
        ({"name": "a", "css": "b"}, "exactly one strategy"),
        ({"css": "/html/body/div[2]/textarea"}, "XPath"),
        ({"css": "(//textarea)[1]"}, "XPath"),
        ({"name": "a", "filter": "//textarea"}, "XPath"),
        ({"xpath": "//textarea"}, "Extra inputs"),
        ({"label": "Plan", "accessible_name": "Plan"}, "only goes with 'role'"),
        ({"name": "plan", "attribute": "data-test-id"}, "only goes with 'test_id'"),
        ({"test_id": "x", "attribute": "class"}, "should match pattern"),
        ({"name": "x", "enter": [{"iframe": "#a", "shadow_root": "#b"}]}, "exactly one of"),
        ({"name": "x", "match": "regex"}, "Input should be"),
    ],
)
def test_bad_locators_are_rejected(locator, fragment):
    with pytest.raises(ValidationError) as info:
        Locator.model_validate(locator)
    assert fragment in str(info.value)


def test_shipped_maps_are_found_by_id():
    ids = set(shipped_map_paths())
    assert ids <= {"ezyvet", "covetrus-pulse", "shepherd"} | ids  # whatever ships is listed by id
    assert all(path.parent == SELECTORS_DIR for path in shipped_map_paths().values())


def test_readme_example_is_a_valid_map():
    import re

    from companion.maps.lint import validate_text

    readme = (SELECTORS_DIR / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", readme, re.S).group(1)
    report = validate_text(example)
    assert report.ok, report.as_dict()


def test_readme_documents_every_strategy_and_field_option():
    from companion.maps.schema import STRATEGIES, WriteField

    readme = (SELECTORS_DIR / "README.md").read_text(encoding="utf-8")
    for name in list(STRATEGIES) + list(WriteField.model_fields) + ["within", "enter", "filter", "extract", "multiple"]:
        assert f"`{name}`" in readme, f"selectors/README.md does not explain `{name}`"


@pytest.mark.parametrize("locator", [{"name": "a", "css": "b"}, {}, {"enter": [{"iframe": "#a"}], "label": "x",
                                                                     "id": "y"}])
def test_json_schema_also_requires_exactly_one_strategy(locator):
    schema = json.loads(SCHEMA_PATH.read_text())
    data = load_test_map("acme.json")
    data["page_kinds"]["record"]["write"]["plan"]["locators"] = [locator]
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))
