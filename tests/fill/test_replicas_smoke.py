"""The engine against the shipped maps and PIMS replicas: resolve every write field, run the map's steps, fill,
and read back through the replica's own editor APIs (window.__replica.read)."""

from __future__ import annotations

import json

import pytest

from companion.maps.browser import resolver_paths
from tests.replicas import server as replica_server

from .conftest import ROOT, fill_files

pytestmark = pytest.mark.browser

MAPS = {"ezyvet": "ezyvet.json", "pulse": "covetrus-pulse.json", "shepherd": "shepherd.json"}
TEXT = "Line one of {field} <b>not bold</b>.\n\nLine three & more."


def blank(text: str) -> str:
    """A replica's read-back with whitespace-only lines as empty (CKEditor spells an empty paragraph &nbsp;)."""
    return "\n".join("" if not line.strip() else line for line in str(text).split("\n"))


@pytest.fixture(scope="module")
def replicas():
    server = replica_server.ReplicaServer().start()
    yield server
    server.stop()


FILL_ALL_JS = """async ([map, template]) => {
  const R = VetScribe.resolver, F = VetScribe.fill;
  const found = R.detectPageKind(map, {root: document});
  if (!found) return {error: 'no page kind'};
  const kind = map.page_kinds[found.pageKind];
  const steps = await F.runSteps(kind.steps || []);
  if (steps.outcome !== 'done') return {error: 'steps', steps};
  const out = {};
  for (const [name, spec] of Object.entries(kind.write || {})) {
    const res = R.resolveField(spec, {root: document});
    if (res.status !== 'found') { out[name] = {outcome: 'not found: ' + res.status}; continue; }
    const text = template.replace('{field}', name);
    const r = await F.writeField(res.element, text, {kind: spec.kind, format: spec.format, mode: 'replace'});
    out[name] = {outcome: r.outcome, writer: r.writer, expected: text, read: await window.__replica.read(name)};
  }
  return {fields: out};
}"""


# (pims, page path or None for the replica's start page); the Shepherd discharge page nests TinyMCE in a frame
PAGES = [("ezyvet", None), ("pulse", None), ("shepherd", None), ("shepherd", "/patients/sh-73/discharge")]


@pytest.mark.parametrize("drift", [False, True], ids=["current", "drift"])
@pytest.mark.parametrize("pims, path", PAGES)
def test_every_write_field_of_the_shipped_map_fills_and_reads_back(chromium, replicas, pims, path, drift):
    page = chromium.new_page()
    page.goto(replicas.loopback_url(pims, path, drift=drift))
    page.wait_for_function("() => !!window.__replica")
    page.add_script_tag(content="\n;\n".join(p.read_text() for p in (*resolver_paths(), *fill_files())))
    selector_map = json.loads((ROOT / "selectors" / MAPS[pims]).read_text())
    report = page.evaluate(FILL_ALL_JS, [selector_map, TEXT])
    assert "fields" in report, report
    fields = report["fields"]
    if drift:  # finding drifted fields is the resolver's and the maps' job (tests/maps, tests/replicas); here: fills
        fields = {name: r for name, r in fields.items() if not r["outcome"].startswith("not found")}
    bad = {name: r for name, r in fields.items() if r["outcome"] != "written" or blank(r["read"]) != r["expected"]}
    assert not bad, bad
    assert page.evaluate("window.__tripwire") is None
    page.close()
