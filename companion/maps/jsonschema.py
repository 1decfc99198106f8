"""Generate selectors/schema.json from the pydantic models (a test fails when the file is stale)."""

from __future__ import annotations

import json
from pathlib import Path

from companion.maps.schema import SelectorMap
from companion.maps.loader import SELECTORS_DIR

SCHEMA_PATH = SELECTORS_DIR / "schema.json"


def generate_schema() -> dict:
    """The JSON Schema of a selector map, as editors and other tools consume it."""
    schema = SelectorMap.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://vetscribe.invalid/selectors/schema.json",
        **schema,
    }


def schema_text() -> str:
    """schema.json's exact expected content (stable key order, trailing newline)."""
    return json.dumps(generate_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    """Write the schema file and return its path."""
    path.write_text(schema_text(), encoding="utf-8")
    return path
