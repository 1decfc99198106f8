"""Find and load selector maps on disk: the shipped ones in selectors/ and any file an admin points at."""

from __future__ import annotations

import json
from pathlib import Path

from companion.maps.lint import Report, validate_file
from companion.maps.schema import SelectorMap

SELECTORS_DIR = Path(__file__).resolve().parents[2] / "selectors"
NOT_MAPS = {"schema.json"}


class MapError(Exception):
    """A map could not be loaded; the message names the file and the first problems."""

    def __init__(self, path: Path, report: Report):
        first = "; ".join(f"{f.path}: {f.message}" for f in report.errors[:3])
        super().__init__(f"{path}: {first}")
        self.report = report


def shipped_map_paths(directory: Path = SELECTORS_DIR) -> dict[str, Path]:
    """Map id -> file for every map JSON in selectors/ (schema.json excluded)."""
    out: dict[str, Path] = {}
    for path in sorted(directory.glob("*.json")):
        if path.name in NOT_MAPS:
            continue
        try:
            map_id = json.loads(path.read_text(encoding="utf-8")).get("id")
        except (json.JSONDecodeError, AttributeError):
            continue
        if isinstance(map_id, str):
            out[map_id] = path
    return out


def load_map_file(path: str | Path) -> SelectorMap:
    """Load and validate one map file; raises MapError when it has errors (warnings are allowed)."""
    path = Path(path)
    report = validate_file(path)
    if report.selector_map is None or not report.ok:
        raise MapError(path, report)
    return report.selector_map


def load_shipped_map(map_id: str) -> SelectorMap | None:
    """The shipped map with this id, or None when there is none (or it does not validate)."""
    path = shipped_map_paths().get(map_id)
    if path is None:
        return None
    try:
        return load_map_file(path)
    except MapError:
        return None


def resolver_json(smap: SelectorMap) -> dict:
    """The map as the resolver expects it: JSON with defaults filled in and nulls dropped."""
    return smap.model_dump(mode="json", by_alias=True, exclude_none=True)
