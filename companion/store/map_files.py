"""Validation of selector-map documents and loading of the maps shipped in selectors/."""

import json
from pathlib import Path

from pydantic import ValidationError

from companion.logs import log_event
from companion.store.errors import InvalidInput

MAX_VERSION = 2**31 - 1


def validate_map(body: dict) -> dict:
    """Check a map against companion.maps.schema.SelectorMap; returns the document as given."""
    try:
        from companion.maps.schema import SelectorMap
    except ImportError:  # HOOK: schema not installed yet — require only what the store needs.
        SelectorMap = None
    if SelectorMap is None:
        if not isinstance(body.get("id"), str) or not isinstance(body.get("version"), int):
            raise InvalidInput("a map needs a string 'id' and an integer 'version'")
        _check_version_range(body)
        return body
    try:
        SelectorMap.model_validate(body)
    except ValidationError as exc:
        errors = [{"loc": ["body", "map", *err["loc"]], "msg": err["msg"], "type": err["type"]} for err in exc.errors()]
        raise InvalidInput(f"the selector map failed its schema ({len(errors)} problem(s))", errors) from None
    _check_version_range(body)
    return body


def _check_version_range(body: dict) -> None:
    if not 1 <= body["version"] <= MAX_VERSION:
        raise InvalidInput("the map version is out of range",
                           [{"loc": ["body", "map", "version"], "msg": f"must be 1..{MAX_VERSION}", "type": "range"}])


def load_shipped(directory: Path | None) -> list[dict]:
    """Every valid map in `directory` (schema.json skipped); invalid files are logged and skipped."""
    if directory is None or not directory.is_dir():
        return []
    bodies = []
    for path in sorted(directory.glob("*.json")):
        if path.name == "schema.json":
            continue
        try:
            bodies.append(validate_map(json.loads(path.read_text(encoding="utf-8"))))
        except (InvalidInput, ValueError, OSError):
            log_event("shipped_map_skipped", level=30, reason="invalid", where=path.name)
    return bodies
