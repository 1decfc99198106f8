"""Resolver and context-parser timings: every field of each shipped map on a 10,000-element page in Chromium.

Each shipped map's replica page (tests/replicas) is padded with realistic noise (forms, labels, tables) to at least
10,000 elements; the bench then times, inside the page, resolving all of the page kind's steps, write fields and
context fields (VetScribe.resolver.checkPageKind, the same code the extension runs), and the similarity fallback
alone (every locator made to miss). The companion's parse_context is timed on the fragments collected. Targets:
all fields of a map <= 20 ms; context parse <= 10 ms per page.

    python bench/resolver_bench.py [--runs 30] [--nodes 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from companion.context.parser import parse_context  # noqa: E402
from companion.maps import browser as chromium_helpers  # noqa: E402
from companion.maps.loader import load_map_file, resolver_json, shipped_map_paths  # noqa: E402

REPLICA_OF = {"ezyvet": "ezyvet", "covetrus-pulse": "pulse", "shepherd": "shepherd"}
# Pages per page kind (the replica tests use the same ones).
KIND_PATHS = {("shepherd", "discharge"): "/patients/sh-73/discharge"}

PAD = """(target) => {
  // Noise that looks like a PIMS: labelled inputs, tables, nested divs; no caption a map looks for.
  const make = (i) => {
    const box = document.createElement('div');
    box.className = 'bench-row panel';
    box.innerHTML = `<div class="cell"><label for="bench-${i}">Reference ${i}</label>
      <input id="bench-${i}" name="ref_${i}" placeholder="Reference ${i}"></div>
      <table class="grid"><tr><td>Code ${i}</td><td><span>Item</span> ${i}</td><td><a href="#r${i}">open</a></td></tr></table>
      <ul><li>Line ${i}a</li><li>Line ${i}b</li></ul>`;
    return box;
  };
  const before = document.createElement('div');
  const after = document.createElement('div');
  let i = 0;
  while (document.querySelectorAll('*').length < target) {
    (i % 2 ? after : before).appendChild(make(i++));
    if (i % 50 === 0) { document.body.prepend(before); document.body.append(after); }
  }
  document.body.prepend(before);
  document.body.append(after);
  return document.querySelectorAll('*').length;
}"""

TIME_CHECK = """([map, kind, runs]) => {
  const times = [];
  let last = null;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = VetScribe.resolver.checkPageKind(map, kind);
    times.push(performance.now() - t);
  }
  const count = Object.keys(last.write).length + Object.keys(last.context).length + last.steps.length;
  const found = [...Object.values(last.write), ...Object.values(last.context), ...last.steps]
    .filter((r) => r.status === 'found').length;
  return {times, count, found, fragments: last.fragments};
}"""

# Every write field loses its locators; its fingerprint is recorded from the element the map found first.
TIME_FALLBACK = """([map, kind, runs]) => {
  const R = VetScribe.resolver;
  const specs = [];
  for (const field of Object.values(map.page_kinds[kind].write)) {
    const hit = R.resolveField(field);
    if (hit.element) specs.push({locators: [{name: 'bench-renamed-away'}],
                                 fingerprint: R.proposeLocators(hit.element).fingerprint});
  }
  const times = [];
  let found = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    found = specs.map((s) => R.resolveField(s, {acceptance: map.acceptance})).filter((r) => r.status === 'found').length;
    times.push(performance.now() - t);
  }
  return {times, count: specs.length, found};
}"""


def summary(times: list[float]) -> str:
    """min is the best estimate on a shared, loaded machine; median and p95 show the spread."""
    ordered = sorted(times)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return (f"min {ordered[0]:6.2f} ms  median {statistics.median(ordered):6.2f} ms  p95 {p95:6.2f} ms")


def time_parse(map_id: str, fragments: dict, smap, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        parse_context(map_id, fragments, selector_map=smap)
        times.append((time.perf_counter() - started) * 1000)
    return times


STEP_RUNNER = [REPO / "extension/fill/util.js", REPO / "extension/fill/steps.js"]


def run_steps(page, smap, kind: str) -> None:
    """Run the page kind's pre-fill steps (e.g. open ezyVet's Add History popup) with the fill engine's runner."""
    steps = resolver_json(smap)["page_kinds"][kind].get("steps", [])
    if not steps or not all(p.exists() for p in STEP_RUNNER):
        return
    chromium_helpers.inject_resolver(page)
    for script in STEP_RUNNER:
        page.add_script_tag(path=str(script))
    page.evaluate("s => VetScribe.fill.runSteps(s, {resolver: VetScribe.resolver})", steps)


def bench_page(page, smap, kind: str, nodes: int, runs: int) -> None:
    count = page.evaluate(PAD, nodes)
    chromium_helpers.inject_resolver(page)
    map_json = resolver_json(smap)
    page.evaluate(TIME_CHECK, [map_json, kind, 3])  # warm-up (JIT)
    checked = page.evaluate(TIME_CHECK, [map_json, kind, runs])
    fallback = page.evaluate(TIME_FALLBACK, [map_json, kind, max(5, runs // 3)])
    parse_times = time_parse(smap.id, checked["fragments"], smap, runs)
    print(f"{smap.id:<15} {kind:<14} {count:>6} elements")
    print(f"  {'all fields (%d/%d found)' % (checked['found'], checked['count']):<34}{summary(checked['times'])}")
    print(f"  {'fallback only (%d/%d found)' % (fallback['found'], fallback['count']):<34}{summary(fallback['times'])}")
    print(f"  {'parse_context':<34}{summary(parse_times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--nodes", type=int, default=10000)
    args = parser.parse_args()
    from tests.replicas import helpers, server as replicas  # the replica apps are the realistic pages we have

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {args.runs} runs per figure")
    srv = replicas.ReplicaServer().start()
    try:
        with chromium_helpers.chromium((f"--host-resolver-rules={replicas.HOST_RESOLVER_RULES}",)) as browser:
            for map_id, path in sorted(shipped_map_paths().items()):
                smap = load_map_file(path)
                for kind in smap.page_kinds:
                    context = browser.new_context()
                    page = context.new_page()
                    try:
                        helpers.open_replica(page, srv, REPLICA_OF[map_id], KIND_PATHS.get((map_id, kind)))
                        run_steps(page, smap, kind)
                        bench_page(page, smap, kind, args.nodes, args.runs)
                    finally:
                        context.close()
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
