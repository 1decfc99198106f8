"""Validate a selector map: schema errors and lint findings, each with the JSON path of the offending entry."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

import soupsieve
from pydantic import ValidationError

from companion.maps.schema import Locator, SelectorMap, Target

# Same rules as looksGenerated() in extension/resolve/similarity.js: hashed class names change every build.
_GENERATED_PATTERNS = [
    re.compile(r"^(css|sc|jsx|emotion|svelte|styled|jss|makeStyles)-[A-Za-z0-9_-]+$"),
    re.compile(r"__(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{5,}$"),
    re.compile(r"^_(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{5,}$"),
    re.compile(r"-\d{3,}$"),
    re.compile(r"^(?=[a-z]*\d)[a-z0-9]{6,}$"),
]
_CLASS_IN_CSS = re.compile(r"\.((?:\\.|[A-Za-z0-9_-])+)")
LIST_FIELDS = {"medications", "problems", "allergies"}
_POSITIONAL = re.compile(r":nth-(child|of-type)|:first-child|:last-child")


def looks_generated(class_name: str) -> bool:
    """True for class names that look machine-generated (CSS-in-JS, CSS modules, hashes)."""
    if any(p.search(class_name) for p in _GENERATED_PATTERNS):
        return True
    capitals = sum(1 for c in class_name if c.isupper())
    return bool(re.fullmatch(r"[A-Za-z]{5,8}", class_name)) and capitals >= 3


@dataclass
class Finding:
    """One problem in a map: where (JSON path), what, and how bad."""

    path: str
    message: str
    severity: str  # "error" or "warning"
    code: str


@dataclass
class Report:
    """The outcome of validating one map."""

    findings: list[Finding] = field(default_factory=list)
    selector_map: SelectorMap | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (used by the CLI --json output and the admin API)."""
        return {"ok": self.ok, "findings": [asdict(f) for f in self.findings]}


def _key(part: Any) -> str:
    return f".{part}" if re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$-]*", str(part)) else f"[{json.dumps(part)}]"


def json_path(loc: tuple[Any, ...], data: Any) -> str:
    """Turn a pydantic error location into a JSON path into `data`.

    Parts that are not in the data are pydantic's own labels (a union's tag such as 'click', '[key]' for a bad
    dict key) and are skipped, except a last part, which names a missing required key.
    """
    path, node = "$", data
    for i, part in enumerate(loc):
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path, node = path + f"[{part}]", node[part]
        elif isinstance(node, dict) and part in node:
            path, node = path + _key(part), node[part]
        elif i == len(loc) - 1 and isinstance(node, dict) and part != "[key]":
            path += _key(part)
    return path


def _schema_findings(exc: ValidationError, data: Any) -> list[Finding]:
    findings = []
    for err in exc.errors(include_url=False):
        message = err["msg"].removeprefix("Value error, ")
        if "[key]" in err["loc"]:
            message = f"invalid name: {message}"
        findings.append(Finding(json_path(tuple(err["loc"]), data), message, "error", f"schema.{err['type']}"))
    return findings


def _walk_targets(smap: SelectorMap) -> Iterator[tuple[str, Target]]:
    for kind_id, kind in smap.page_kinds.items():
        base = f"$.page_kinds.{kind_id}"
        for name, ctx in kind.context.items():
            yield f"{base}.context.{name}", ctx
        for name, wf in kind.write.items():
            yield f"{base}.write.{name}", wf
        for i, step in enumerate(kind.steps):
            yield f"{base}.steps[{i}].target", step.target
            if getattr(step, "skip_if_present", None) is not None:
                yield f"{base}.steps[{i}].skip_if_present", step.skip_if_present


def _walk_locators(path: str, locator: Locator) -> Iterator[tuple[str, Locator]]:
    yield path, locator
    if locator.within is not None:
        yield from _walk_locators(f"{path}.within", locator.within)


def all_locators(smap: SelectorMap) -> Iterator[tuple[str, Locator]]:
    """Every locator in a map (detect guards, fields, steps, `within` scopes) with its JSON path."""
    for path, target in _walk_targets(smap):
        for i, loc in enumerate(target.locators):
            yield from _walk_locators(f"{path}.locators[{i}]", loc)
    for kind_id, kind in smap.page_kinds.items():
        for key in ("present", "absent"):
            for i, loc in enumerate(getattr(kind.detect, key)):
                yield from _walk_locators(f"$.page_kinds.{kind_id}.detect.{key}[{i}]", loc)


def _css_findings(path: str, css: str) -> list[Finding]:
    try:
        soupsieve.compile(css)
    except Exception as exc:  # soupsieve raises SelectorSyntaxError (and a few others) on bad selectors
        return [Finding(path, f"not a valid CSS selector: {str(exc).splitlines()[0]}", "error", "lint.css_invalid")]
    out = []
    for cls in _CLASS_IN_CSS.findall(css):
        if looks_generated(cls.replace("\\", "")):
            out.append(Finding(path, f"class '{cls}' looks generated and may change with the next release; "
                               "prefer a test id, name, label or role", "warning", "lint.generated_class"))
    if re.search(r"#[\w-]*\d{3,}", css):
        out.append(Finding(path, "an id with a long number in it may change; consider an id_prefix locator",
                           "warning", "lint.numeric_id"))
    if len(_POSITIONAL.findall(css)) >= 2 or css.count(">") >= 4:
        out.append(Finding(path, "long positional CSS path breaks when the layout changes", "warning",
                           "lint.positional_css"))
    return out


def _locator_findings(path: str, loc: Locator) -> list[Finding]:
    out: list[Finding] = []
    for key in ("css", "filter"):
        value = getattr(loc, key)
        if value is not None:
            out += _css_findings(f"{path}.{key}", value)
    for i, hop in enumerate(loc.enter):
        out += _css_findings(f"{path}.enter[{i}]", hop.iframe or hop.shadow_root or "")
    if loc.id is not None and re.search(r"\d{3,}", loc.id):
        out.append(Finding(f"{path}.id", "this id has a number in it that may change; consider id_prefix",
                           "warning", "lint.numeric_id"))
    return out


def _target_findings(path: str, target: Target) -> list[Finding]:
    out: list[Finding] = []
    if len(target.locators) == 1 and target.fingerprint is None:
        out.append(Finding(f"{path}.locators", "only one locator and no fingerprint: add an alternative so the "
                           "field survives a rename", "warning", "lint.single_locator"))
    seen: dict[str, int] = {}
    for i, loc in enumerate(target.locators):
        key = loc.model_dump_json(exclude_none=True)
        if key in seen:
            out.append(Finding(f"{path}.locators[{i}]", f"same as locators[{seen[key]}]", "warning",
                               "lint.duplicate_locator"))
        seen.setdefault(key, i)
    return out


def _context_findings(smap: SelectorMap) -> list[Finding]:
    out: list[Finding] = []
    for kind_id, kind in smap.page_kinds.items():
        for name, ctx in kind.context.items():
            path = f"$.page_kinds.{kind_id}.context.{name}"
            if ctx.multiple and name not in LIST_FIELDS:
                out.append(Finding(f"{path}.multiple", f"'{name}' is one value; 'multiple' is for lists "
                                   "(medications, problems, allergies)", "warning", "lint.multiple_scalar"))
            for i, loc in enumerate(ctx.locators):
                if loc.text_near is not None and loc.filter is None:
                    out.append(Finding(f"{path}.locators[{i}]", "text_near without 'filter' finds the next input "
                                       "box; for a displayed value add e.g. \"filter\": \"dd\" or \"span\"",
                                       "warning", "lint.text_near_context"))
    return out


def _map_findings(smap: SelectorMap) -> list[Finding]:
    out: list[Finding] = []
    if not smap.checked_against:
        out.append(Finding("$.checked_against", "say what this map was checked against (a replica, a tenant)",
                           "warning", "lint.unchecked"))
    for i, host in enumerate(smap.match.hosts):
        if re.search(r"[/:\s]", host):
            out.append(Finding(f"$.match.hosts[{i}]", "a host glob is a host name only (no scheme, port or path)",
                               "error", "lint.host_glob"))
        elif host.strip("*.") == "":
            out.append(Finding(f"$.match.hosts[{i}]", "matches every site", "warning", "lint.host_everywhere"))
    for kind_id, kind in smap.page_kinds.items():
        base = f"$.page_kinds.{kind_id}"
        if kind.write and "patient_id" not in kind.context:
            severity = "warning" if "name" in kind.context else "error"
            out.append(Finding(f"{base}.context", "a page kind with write fields needs a patient_id context field "
                               "so a fill can refuse the wrong patient", severity, "lint.no_patient_check"))
        if not kind.write and not kind.context:
            out.append(Finding(base, "this page kind reads and writes nothing", "warning", "lint.empty_kind"))
    for path, target in _walk_targets(smap):
        out += _target_findings(path, target)
    out += _context_findings(smap)
    for path, loc in all_locators(smap):
        out += _locator_findings(path, loc)
    if smap.acceptance.min_score < 0.5:
        out.append(Finding("$.acceptance.min_score", "below 0.5 the fallback may pick the wrong field", "warning",
                           "lint.permissive"))
    return out


def validate_data(data: Any) -> Report:
    """Validate parsed JSON against the schema, then lint it."""
    if isinstance(data, dict) and "$defs" in data and "properties" in data:
        return Report([Finding("$", "this is a JSON Schema (selectors/schema.json), not a selector map", "error",
                               "json.not_a_map")])
    try:
        smap = SelectorMap.model_validate(data)
    except ValidationError as exc:
        return Report(_schema_findings(exc, data))
    return Report(_map_findings(smap), smap)


_PATH_PART = re.compile(r'\.([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def path_parts(path: str) -> list[str | int]:
    """Split a JSON path made by `json_path` ('$.a.b[0]["c d"]') into its keys and indexes."""
    parts: list[str | int] = []
    for name, index, quoted in _PATH_PART.findall(path.removeprefix("$")):
        parts.append(name if name else int(index) if index else json.loads(quoted))
    return parts


def problem_errors(report: Report, prefix: tuple[str, ...] = ("body", "map")) -> list[dict[str, Any]]:
    """The report's errors as problem+json items: `loc` is the JSON path into the map, after `prefix`."""
    return [{"loc": [*prefix, *path_parts(f.path)], "msg": f"{f.path}: {f.message}", "type": f.code}
            for f in report.errors]


def validate_text(text: str) -> Report:
    """Validate a map given as JSON text (a JSON syntax error is reported with its line and column)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Report([Finding("$", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", "error",
                               "json.syntax")])
    return validate_data(data)


def validate_file(path: str | Path) -> Report:
    """Validate a map file."""
    return validate_text(Path(path).read_text(encoding="utf-8"))
