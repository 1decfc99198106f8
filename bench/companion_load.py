"""Load benchmark for the companion: a real `vetscribe serve`, 50 concurrent clients, 5,000 mixed requests.

Prints p50/p99 latency per route and per class (read/write), errors, peak RSS of the server process, and the time
from process start to the first healthy response. Targets: 0 errors, p99 <= 50 ms reads / <= 150 ms writes,
RSS <= 120 MB, ready <= 1.5 s.

    python bench/companion_load.py [--clients 50] [--requests 5000]
"""

import argparse
import asyncio
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import aiohttp
import psutil

TARGETS = {"read_p99_ms": 50, "write_p99_ms": 150, "rss_mb": 120, "ready_s": 1.5}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: Path, port: int) -> tuple[subprocess.Popen, float]:
    """Start serve and poll /v1/health; returns (process, seconds from spawn to first 200)."""
    import http.client

    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "companion", "serve", "--port", str(port), "--data-dir",
                             str(data_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        if proc.poll() is not None:
            raise SystemExit("serve exited during start-up")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/v1/health")
            if conn.getresponse().status == 200:
                return proc, time.perf_counter() - started
        except OSError:
            time.sleep(0.005)


def pair(data_dir: Path, role: str) -> str:
    out = subprocess.run([sys.executable, "-m", "companion", "pair", "--role", role, "--data-dir", str(data_dir)],
                         capture_output=True, text=True, check=True).stdout
    return re.search(r"code \(\w+\): (\S+)", out).group(1)


class RssSampler(threading.Thread):
    """Samples the server's resident set size every 20 ms; keeps the peak."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.process, self.peak, self.stop = psutil.Process(pid), 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(0.02)


class Client:
    """One simulated extension: walks encounters through the lifecycle while reading in between."""

    def __init__(self, index: int, session: aiohttp.ClientSession, base: str, token: str, results: dict):
        self.index, self.session, self.base, self.results = index, session, base, results
        self.headers = {"Authorization": f"Bearer {token}"}
        self.encounter = self.revision = self.approval = None
        self.errors: list[str] = []

    async def call(self, kind: str, label: str, method: str, path: str, body=None):
        started = time.perf_counter()
        async with self.session.request(method, self.base + path, json=body, headers=self.headers) as response:
            payload = await response.read()
            elapsed = (time.perf_counter() - started) * 1000
        self.results[(kind, label)].append(elapsed)
        if response.status >= 300:
            self.errors.append(f"{method} {label} -> {response.status} {payload[:200]!r}")
            return None
        return payload and json.loads(payload)

    async def new_encounter(self):
        enc = await self.call("write", "POST /encounters", "POST", "/v1/encounters",
                              {"patient_id": f"BENCH-{self.index}", "pims": "ezyvet", "map_id": "ezyvet"})
        self.encounter = enc and enc["id"]

    def steps(self):
        enc = lambda: f"/v1/encounters/{self.encounter}"  # noqa: E731
        return [
            lambda: self.call("read", "GET /encounters/{id}", "GET", enc()),
            lambda: self.call("write", "POST transcript", "POST", enc() + "/transcript",
                              {"segments": [{"speaker": "vet", "text": "Heart and lungs sound normal today."},
                                            {"speaker": "client", "text": "She is eating well again."}]}),
            lambda: self.call("read", "GET /health", "GET", "/v1/health"),
            lambda: self.call("read", "GET /encounters?patient_id", "GET",
                              f"/v1/encounters?patient_id=BENCH-{self.index}"),
            self.revise,
            lambda: self.call("read", "GET /maps", "GET", "/v1/maps"),
            self.approve,
            lambda: self.call("read", "GET /maps/{id}", "GET", "/v1/maps/ezyvet"),
            self.writeback,
            lambda: self.call("write", "POST /drift", "POST", "/v1/drift", {
                "map_id": "ezyvet", "map_version": 1, "page_kind": "consult", "field": "plan", "outcome": "fallback"}),
        ]

    async def revise(self):
        rev = await self.call("write", "POST revisions", "POST", f"/v1/encounters/{self.encounter}/revisions",
                              {"sections": {"subjective": "Eating well.", "plan": "Recheck in 2 weeks."}})
        self.revision = rev and rev["revision_id"]

    async def approve(self):
        plan = await self.call("write", "POST approve", "POST", f"/v1/encounters/{self.encounter}/approve",
                               {"revision_id": self.revision, "idempotency_key": f"a-{self.revision}"})
        self.approval = plan and plan["approval_id"]

    async def writeback(self):
        await self.call("write", "POST writeback", "POST", f"/v1/encounters/{self.encounter}/writeback", {
            "approval_id": self.approval, "idempotency_key": f"w-{self.approval}",
            "results": [{"section": "subjective", "field": "history", "outcome": "written"},
                        {"section": "plan", "field": "plan", "outcome": "written"}]})
        await self.new_encounter()  # the written encounter is done; the next cycle starts a new one

    async def run(self, count: int):
        await self.new_encounter()
        done, index, steps = 1, 0, self.steps()
        while done < count:
            step = steps[index % len(steps)]
            await step()
            done += 2 if step == self.writeback else 1  # write-back also opens the next encounter
            index += 1


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def drive(port: int, token: str, clients: int, total: int) -> tuple[dict, list[str], float]:
    results: dict = defaultdict(list)
    base = f"http://127.0.0.1:{port}"
    sessions = [aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) for _ in range(clients)]
    runners = [Client(i, sessions[i], base, token, results) for i in range(clients)]
    started = time.perf_counter()
    await asyncio.gather(*(runner.run(total // clients) for runner in runners))
    elapsed = time.perf_counter() - started
    for session in sessions:
        await session.close()
    return results, [e for r in runners for e in r.errors], elapsed


def report(results: dict, errors: list[str], elapsed: float, rss: int, ready: float) -> bool:
    total = sum(len(v) for v in results.values())
    print(f"requests: {total} in {elapsed:.2f} s ({total / elapsed:.0f} req/s); errors: {len(errors)}")
    for message in errors[:5]:
        print("  error:", message)
    print(f"{'route':<34}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}")
    for (kind, label), values in sorted(results.items()):
        p50, p99 = statistics.median(values), percentile(values, 99)
        print(f"{kind + ' ' + label:<34}{len(values):>6}{p50:>9.1f}{p99:>9.1f}")
    figures = {}
    for kind in ("read", "write"):
        values = [v for (k, _), vs in results.items() if k == kind for v in vs]
        figures[kind] = percentile(values, 99)
        print(f"class {kind:<28}{len(values):>6}{statistics.median(values):>9.1f}{figures[kind]:>9.1f}")
    rss_mb = rss / 1024 / 1024
    print(f"peak RSS: {rss_mb:.1f} MB; ready after {ready:.3f} s")
    verdict = {"errors": not errors, "read p99": figures["read"] <= TARGETS["read_p99_ms"],
               "write p99": figures["write"] <= TARGETS["write_p99_ms"], "rss": rss_mb <= TARGETS["rss_mb"],
               "ready": ready <= TARGETS["ready_s"]}
    print("targets:", ", ".join(f"{name} {'OK' if met else 'MISSED'}" for name, met in verdict.items()))
    return all(verdict.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vetscribe-bench-") as tmp:
        data_dir, port = Path(tmp) / "data", free_port()
        proc, ready = start_server(data_dir, port)
        try:
            sampler = RssSampler(proc.pid)
            sampler.start()
            # a one-party-consent practice, so transcripts go straight in (all-party would add a consent call each)
            subprocess.run([sys.executable, "-m", "companion", "pilot", "settings", "--state", "TX", "--data-dir",
                            str(data_dir)], check=True, capture_output=True)
            code = pair(data_dir, "clinician")
            token = asyncio.run(_pair(port, code))
            cpu_before = sum(psutil.Process(proc.pid).cpu_times()[:2])
            results, errors, elapsed = asyncio.run(drive(port, token, args.clients, args.requests))
            cpu_ms = (sum(psutil.Process(proc.pid).cpu_times()[:2]) - cpu_before) * 1000
            sampler.stop.set()
            sampler.join()
        finally:
            proc.terminate()
            proc.wait(timeout=15)
        report(results, errors, elapsed, sampler.peak, ready)
        print(f"server CPU: {cpu_ms / args.requests:.2f} ms per request")
    print(f"(load average during run: {psutil.getloadavg()[0]:.1f} on {psutil.cpu_count()} CPUs)")


async def _pair(port: int, code: str) -> str:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"http://127.0.0.1:{port}/v1/pair", json={"code": code}) as response:
            return (await response.json())["token"]


if __name__ == "__main__":
    main()
