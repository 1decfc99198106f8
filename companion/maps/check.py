"""`selectors check`: run the real resolver on a saved page in headless Chromium and report every field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from companion.context.parser import parse_context
from companion.maps import browser as chromium_helpers
from companion.maps.schema import SelectorMap
from companion.maps.loader import resolver_json


@dataclass
class KindCheck:
    """Resolver verdicts for one page kind."""

    page_kind: str
    steps: list[dict[str, Any]]
    write: dict[str, dict[str, Any]]
    context: dict[str, dict[str, Any]]
    fragments: dict[str, list[str]]
    parsed: dict[str, Any] | None
    ms: float


@dataclass
class CheckResult:
    """What `check` found on one page."""

    map_id: str
    map_version: int
    url: str
    location_matches: bool
    detected: str | None
    kinds: list[KindCheck] = field(default_factory=list)

    def verdicts(self) -> dict[str, str]:
        """'kind.section.field' -> status: what must not change when a page is scrubbed."""
        out = {}
        for k in self.kinds:
            for i, step in enumerate(k.steps):
                out[f"{k.page_kind}.steps[{i}]"] = step["status"]
            for part in ("write", "context"):
                for name, rep in getattr(k, part).items():
                    out[f"{k.page_kind}.{part}.{name}"] = rep["status"]
        return out

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, without the HTML fragments (they hold patient data)."""
        return {
            "map": self.map_id, "version": self.map_version, "url": self.url,
            "location_matches": self.location_matches, "detected_page_kind": self.detected,
            "page_kinds": [
                {"page_kind": k.page_kind, "steps": k.steps, "write": k.write, "context": k.context,
                 "parsed_context": k.parsed, "ms": round(k.ms, 2)}
                for k in self.kinds
            ],
        }


def default_url(smap: SelectorMap) -> str:
    """A URL the map's host and path globs accept, so a saved page is checked as if on the tenant."""
    host = re.sub(r"\*+", "clinic", smap.match.hosts[0]).strip(".") or "clinic.example"
    path = "/"
    for kind in smap.page_kinds.values():
        if kind.detect.paths:
            path = kind.detect.paths[0]
            break
    else:
        if smap.match.paths:
            path = smap.match.paths[0]
    path = re.sub(r"\*+", "1", path)
    return f"https://{host}{path if path.startswith('/') else '/' + path}"


def _check_kind(page, map_json: dict, kind: str, smap: SelectorMap) -> KindCheck:
    raw = chromium_helpers.js_call(page, "(m, k) => VetScribe.resolver.checkPageKind(m, k)", map_json, kind)
    parsed = None
    if raw["fragments"]:
        parsed = parse_context(smap.id, raw["fragments"], selector_map=smap).model_dump(mode="json", exclude_defaults=True)
    return KindCheck(kind, raw["steps"], raw["write"], raw["context"], raw["fragments"], parsed, raw["ms"])


def check_open_page(page, smap: SelectorMap, *, page_kind: str | None = None) -> CheckResult:
    """Check a page already open in Playwright with the resolver injected."""
    map_json = resolver_json(smap)
    url = page.url
    matches = chromium_helpers.js_call(page, "(m, u) => VetScribe.resolver.matchesLocation(m, u)", map_json, url)
    found = chromium_helpers.js_call(page, "(m) => VetScribe.resolver.detectPageKind(m)", map_json)
    detected = found["pageKind"] if found else None
    if page_kind is not None:
        kinds = [page_kind]
    elif detected is not None:
        kinds = [detected]
    else:
        kinds = list(smap.page_kinds)  # nothing detected: show every kind so the admin sees what failed
    result = CheckResult(smap.id, smap.version, url, bool(matches), detected)
    result.kinds = [_check_kind(page, map_json, kind, smap) for kind in kinds]
    return result


def check_html(smap: SelectorMap, html: str, *, url: str | None = None, page_kind: str | None = None,
               browser=None) -> CheckResult:
    """Open saved HTML (its own scripts off, no network) at `url` and check the map against it."""
    if page_kind is not None and page_kind not in smap.page_kinds:
        raise ValueError(f"no page kind '{page_kind}' in map {smap.id}; it has {', '.join(smap.page_kinds)}")
    url = url or default_url(smap)
    if browser is None:
        with chromium_helpers.chromium() as own:
            return check_html(smap, html, url=url, page_kind=page_kind, browser=own)
    page = chromium_helpers.open_saved_page(browser, html, url)
    try:
        return check_open_page(page, smap, page_kind=page_kind)
    finally:
        page.context.close()


def check_live_url(smap: SelectorMap, url: str, *, page_kind: str | None = None, browser=None) -> CheckResult:
    """Check a page served over HTTP (e.g. a replica) with its own scripts running."""
    if browser is None:
        with chromium_helpers.chromium() as own:
            return check_live_url(smap, url, page_kind=page_kind, browser=own)
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        chromium_helpers.inject_resolver(page)
        return check_open_page(page, smap, page_kind=page_kind)
    finally:
        context.close()


def _fmt_score(rep: dict[str, Any]) -> str:
    score = rep.get("score")
    text = "" if score is None else f"{score:.2f}"
    if rep.get("runnerUp") not in (None, 0):
        text += f" (runner-up {rep['runnerUp']:.2f})"
    return text


def _row(label: str, rep: dict[str, Any]) -> str:
    strategy = rep.get("strategy") or "-"
    if rep.get("locatorIndex") is not None:
        strategy += f" [#{rep['locatorIndex']}]"
    extra = f" x{rep['count']}" if rep.get("count", 1) > 1 else ""
    return f"    {label:<22} {rep['status']:<10} {strategy:<18} {_fmt_score(rep)}{extra}"


def format_result(result: CheckResult) -> str:
    """Human-readable report for the terminal (statuses, strategies, scores, parsed context)."""
    lines = [f"map {result.map_id} v{result.map_version} on {result.url}",
             f"  URL matches map: {'yes' if result.location_matches else 'NO'}",
             f"  detected page kind: {result.detected or 'none'}"]
    for kind in result.kinds:
        lines.append(f"  page kind {kind.page_kind} ({kind.ms:.1f} ms)")
        if kind.steps:
            lines.append("   steps")
            lines += [_row(f"{i}. {s['action']}", s) for i, s in enumerate(kind.steps)]
        for part in ("write", "context"):
            fields = getattr(kind, part)
            if fields:
                lines.append(f"   {part}")
                lines += [_row(name, rep) for name, rep in fields.items()]
        if kind.steps and any(rep["status"] != "found" for rep in kind.write.values()):
            lines.append("    (a saved page shows what was open when it was saved: the steps above are not run, so save "
                         "the page with the popup open, or check a live URL)")
        if kind.parsed is not None:
            lines.append("   parsed context")
            lines += [f"    {k:<22} {v}" for k, v in kind.parsed.items()]
    return "\n".join(lines)


def exit_code(result: CheckResult) -> int:
    """0 when every field and step of the checked kinds resolved, 1 otherwise."""
    return 0 if all(v == "found" for v in result.verdicts().values()) else 1
