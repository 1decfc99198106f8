"""The shipped maps plus the real fill engine on the replicas (no extension shell): every field the map resolves
ends up holding exactly the written text as the editor's own API reads it, text a clinician already typed is not
replaced in 'ask' mode, and no Save/Sign button is ever pressed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion.maps.browser import resolver_source
from tests.replicas.helpers import open_replica
from tests.replicas.test_maps import REPLICA_PAGES, REPO, load_map

pytestmark = pytest.mark.browser

EXTENSION = REPO / "extension"


def engine_source() -> str:
    """Page bridge, fill engine (in files.json order) and resolver, as one classic script."""
    order = json.loads((EXTENSION / "fill" / "files.json").read_text(encoding="utf-8"))
    files = [EXTENSION / "page" / "editor-bridge.js", *(EXTENSION / name for name in order)]
    return "\n;\n".join(Path(f).read_text(encoding="utf-8") for f in files) + "\n;\n" + resolver_source()


FILL_EVERY_FIELD = """async ([map, kind]) => {
    const k = map.page_kinds[kind];
    const steps = await VetScribe.fill.runSteps(k.steps || [], {resolver: VetScribe.resolver});
    const out = {steps: steps.outcome, fields: {}};
    const targets = {};
    for (const [name, spec] of Object.entries(k.write)) {
        const found = VetScribe.resolver.resolveField(spec, {root: document});
        out.fields[name] = {status: found.status};
        if (found.status !== 'found') continue;
        targets[name] = found.element;
        const text = `Approved ${name} line one\\nline two`;
        const first = await VetScribe.fill.writeField(found.element, text, {kind: spec.kind, mode: 'replace'});
        Object.assign(out.fields[name], {outcome: first.outcome, writer: first.writer, text});
    }
    await new Promise((r) => setTimeout(r, 600));  // past the next framework render (Pulse re-renders twice a second)
    for (const [name, el] of Object.entries(targets)) {
        out.fields[name].afterWrite = window.__replica.read(name);
        const again = await VetScribe.fill.writeField(el, 'Another draft', {kind: k.write[name].kind, mode: 'ask'});
        Object.assign(out.fields[name], {askOutcome: again.outcome, afterAsk: window.__replica.read(name)});
    }
    out.saves = window.__replica.saveClicks();
    return out;
}"""

CASES = [
    pytest.param(map_id, path, kind, drift, id=f"{map_id}-{kind}-{'drift' if drift else 'plain'}")
    for map_id, (_, pages) in REPLICA_PAGES.items() for path, kind, _ in pages for drift in (False, True)
]


@pytest.mark.parametrize(("map_id", "path", "kind", "drift"), CASES)
def test_fill_through_map_lands_in_the_editor(replica_server, replica_page, map_id, path, kind, drift):
    page = open_replica(replica_page, replica_server, REPLICA_PAGES[map_id][0], path, drift=drift)
    page.add_script_tag(content=engine_source())
    result = page.evaluate(FILL_EVERY_FIELD, [load_map(map_id), kind])
    assert result["steps"] == "done", result
    filled = {name: r for name, r in result["fields"].items() if r["status"] == "found"}
    assert filled, "the map resolved no field"
    for name, r in filled.items():
        assert r["outcome"] == "written" and r["afterWrite"] == r["text"], f"{name}: {r}"
        assert r["askOutcome"] == "needs_confirmation" and r["afterAsk"] == r["text"], f"{name}: {r}"
    assert result["saves"] == 0
