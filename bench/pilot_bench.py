"""Pilot benchmark: the scorecard over 100,000 encounters and the admin dashboard's first load.

Prints:
- scorecard (compute_metrics + evaluate) over N in-memory encounter records — target ≤ 1 s;
- the same from the store (load pilot_note_stats + write-back counts from SQLite, compute, evaluate) — target ≤ 1 s;
- the one-time fold of N approvals into pilot_note_stats (edit distances with rapidfuzz), for information;
- the dashboard's first load in Chromium against a real `vetscribe serve` holding N encounters: navigation start
  until the scorecard and all four charts are drawn — target ≤ 1 s.

Run: python bench/pilot_bench.py [--encounters 100000] [--no-browser]
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from companion.pilot.metrics import compute_metrics
from companion.pilot.records import EncounterRecord, ErrorTag, PilotData, SatisfactionRecord, SectionEdit
from companion.pilot.scorecard import evaluate
from companion.pilot.settings import SettingsPatch
from companion.pilot.service import _CACHE as service_cache  # noqa: PLC2701 - the bench measures cold runs
from companion.pilot.service import pilot_report
from companion.store import Database, pairing
from companion.store import pilot as pilot_store

CLINICIANS = [f"Dr {c}" for c in "ABCDEFGH"]
SECTIONS = ("subjective", "objective", "assessment", "plan")
PIMS = (("ezyvet", "ezyvet", "3"), ("shepherd", "shepherd", "1"), ("covetrus-pulse", "covetrus-pulse", "2"))
CATEGORIES = ("omission", "hallucination", "medication_error", "speaker_misattribution")


def best_of(fn, runs: int = 3) -> tuple[float, object]:
    """Fastest wall time of `runs` calls, and the last result; also remembers the CPU time of that run."""
    global LAST_CPU
    times, result = [], None
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - started, time.process_time() - cpu))
    wall, LAST_CPU = min(times)
    return wall, result


LAST_CPU = 0.0


def in_memory_records(n: int, rng: random.Random) -> PilotData:
    """N hand-built records spread over 30 days."""
    start = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
    records = []
    for i in range(n):
        opened = start + rng.uniform(0, 30 * 86400)
        tags = tuple(ErrorTag(rng.choice(CATEGORIES), rng.random() < 0.2) for _ in range(rng.random() < 0.1))
        pims, map_id, version = PIMS[i % 3]
        records.append(EncounterRecord(
            f"e{i}", CLINICIANS[i % len(CLINICIANS)], pims, created_at=opened, approved_at=opened + rng.uniform(200, 900),
            scribe=rng.random() > 0.1, panel_opened_at=opened, first_transcript_at=opened + 60, map_id=map_id,
            map_version=version, edits=tuple(SectionEdit(s, 120, rng.randint(0, 30)) for s in SECTIONS),
            error_tags=tags))
    satisfaction = [SatisfactionRecord(c, datetime.fromtimestamp(start + d * 86400, UTC).date(), rng.randint(1, 5))
                    for d in range(30) for c in CLINICIANS]
    counts = [(p, m, v, s, o, rng.randint(100, 5000)) for p, m, v in PIMS for s in SECTIONS
              for o in ("written", "verify_failed", "missing")]
    return PilotData(records, satisfaction, None, counts)


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def build_store(path: Path, n: int, rng: random.Random) -> Database:
    """A store holding N approved, written-back encounters over the last 30 days, inserted with SQL in bulk."""
    db = Database(path)
    db.conn.execute("PRAGMA synchronous=OFF")  # bulk load only; the server reopens with its own settings
    now = datetime.now(UTC).timestamp()
    draft = {s: f"{s} text of a typical consult note " * 3 for s in SECTIONS}
    enc, rev, apr, rep, res, seg = [], [], [], [], [], []
    for i in range(n):
        opened = now - rng.uniform(1, 30) * 86400
        approved = opened + rng.uniform(200, 900)
        pims, map_id, version = PIMS[i % 3]
        eid, did, rid, aid = f"enc_b{i}", f"rev_d{i}", f"rev_e{i}", f"apr_{i}"
        enc.append((eid, f"P{i}", pims, map_id, version, CLINICIANS[i % len(CLINICIANS)], "written", "bench",
                    iso(opened), iso(approved)))
        edited = {s: t + "x" * rng.randint(0, 20) for s, t in draft.items()}
        rev.append((did, eid, 1, "draft", None, json.dumps(draft), "engine", iso(opened + 90)))
        rev.append((rid, eid, 2, "edit", did, json.dumps(edited), "bench", iso(approved - 10)))
        tags = [f"{rng.choice(CATEGORIES)}{':significant' if rng.random() < 0.2 else ''}"] if rng.random() < 0.1 else []
        plan = {"approval_id": aid, "map_id": map_id, "map_version": version}
        apr.append((aid, eid, rid, f"k{i}", "h", json.dumps(tags), json.dumps(plan), "bench", iso(approved)))
        rep.append((i + 1, eid, aid, f"w{i}", "h", "bench", iso(approved + 5)))
        for s in SECTIONS:
            res.append((i + 1, aid, s, s, "written" if rng.random() < 0.9 else "verify_failed", iso(approved + 5)))
        seg.append((eid, 1, "vet", "How is she doing?", iso(opened + 60)))
    with db.transaction() as conn:
        conn.executemany("INSERT INTO encounters(id, patient_id, pims, map_id, map_version, clinician, state,"
                         " created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", enc)
        conn.executemany("INSERT INTO transcript_segments(encounter_id, seq, speaker, text, created_at)"
                         " VALUES (?,?,?,?,?)", seg)
        conn.executemany("INSERT INTO note_revisions(id, encounter_id, seq, kind, base_revision_id, sections_json,"
                         " created_by, created_at) VALUES (?,?,?,?,?,?,?,?)", rev)
        conn.executemany("INSERT INTO approvals(id, encounter_id, revision_id, idempotency_key, request_hash,"
                         " error_tags_json, fill_plan_json, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?)", apr)
        conn.executemany("INSERT INTO writeback_reports(id, encounter_id, approval_id, idempotency_key, request_hash,"
                         " created_by, created_at) VALUES (?,?,?,?,?,?,?)", rep)
        conn.executemany("INSERT INTO writeback_results(report_id, approval_id, section, field, outcome, created_at)"
                         " VALUES (?,?,?,?,?,?)", res)
    # the hourly automatic purge would VACUUM this large file right after the first dashboard request and stall
    # the following ones; it is a separate, rare event, so the load measurement leaves it out
    pilot_store.update_settings(db, "bench", SettingsPatch(auto_purge=False))
    return db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(port: int, method: str, path: str, body=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data) if data else None


def dashboard_first_load(data_dir: Path, db: Database, loads: int = 3) -> list[float]:
    """Start `vetscribe serve`, pair an admin, open /admin in Chromium `loads` times; returns ms per load."""
    from playwright.sync_api import sync_playwright

    code, _ = pairing.issue_code(db, "admin")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "companion", "serve", "--port", str(port), "--data-dir",
                               str(data_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if http_json(port, "GET", "/v1/health")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        token = http_json(port, "POST", "/v1/pair", {"code": code})[1]["token"]
        results = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync"])
            for _ in range(loads):  # the first load after `serve` starts computes; later ones hit the cache
                page = browser.new_page(viewport={"width": 1280, "height": 1800}, bypass_csp=True)
                page.goto(f"http://127.0.0.1:{port}/admin#token={token}")
                page.wait_for_function("window.__dashboard && window.__dashboard.ready === true", timeout=60_000)
                results.append(page.evaluate("window.__dashboard.loadMs"))
                page.close()
            browser.close()
        started = time.perf_counter()
        status, _ = http_json(port, "GET", "/v1/admin/pilot/dashboard", token=token)
        print(f"  GET /v1/admin/pilot/dashboard after the loads (cached report): "
              f"{(time.perf_counter() - started) * 1000:.0f} ms (status {status})")
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encounters", type=int, default=100_000)
    parser.add_argument("--no-browser", action="store_true", help="Skip the Chromium dashboard measurement.")
    args = parser.parse_args()
    n, rng = args.encounters, random.Random(1)
    print(f"load average before the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs (wall times stretch with it; CPU times much less)")

    data = in_memory_records(n, rng)
    seconds, card = best_of(lambda: evaluate(compute_metrics(data)))
    print(f"scorecard, {n:,} in-memory encounters: {seconds * 1000:.0f} ms wall, {LAST_CPU * 1000:.0f} ms CPU "
          f"(best of 3; target <= 1000 ms; overall={card.overall.value})")

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        started = time.perf_counter()
        db = build_store(data_dir / "companion.sqlite3", n, rng)
        print(f"bulk-loaded {n:,} encounters into SQLite in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        folded = pilot_store.refresh_note_stats(db)
        print(f"one-time fold of {folded:,} approvals into pilot_note_stats (edit distances): "
              f"{time.perf_counter() - started:.1f} s")
        def cold_report():
            service_cache.clear()  # measure the computation, not the cache
            return pilot_report(db)

        seconds, report = best_of(cold_report)
        print(f"scorecard from the store, {report.metrics.clinic.notes:,} notes: {seconds * 1000:.0f} ms wall, "
              f"{LAST_CPU * 1000:.0f} ms CPU (best of 3, cache cleared; target <= 1000 ms)")
        seconds, _ = best_of(lambda: pilot_report(db))
        print(f"  same, unchanged data (cached report): {seconds * 1000:.1f} ms")
        service_cache.clear()
        if not args.no_browser:
            loads = dashboard_first_load(data_dir, db)
            print(f"dashboard first load in Chromium, {n:,} encounters: cold (first after serve start) "
                  f"{loads[0]:.0f} ms, warm median {statistics.median(loads[1:]):.0f} ms (target <= 1000 ms)")
        db.close()


if __name__ == "__main__":
    main()
