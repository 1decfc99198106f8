"""Hypothesis fuzz of every API route (pilot and admin routes included) through aiohttp's test client, on the
inputs the schemathesis run (test_schemathesis.py, schema-shaped bodies) does not make: malformed and hostile JSON,
wrong content types, bodies just under, at and over the size limit, odd and huge headers, odd path ids and
methods. No answer may be a 500 or an unlisted 5xx, every error is problem+json with a code, and a rejected request
commits nothing to the store (SQLite's data_version is unchanged)."""

import asyncio
import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from yarl import URL

from companion.api.app import create_app
from companion.api.routes import all_routes
from companion.config import Settings
from companion.store import Database, encounters, pairing

LIMIT = 16 * 1024  # the test server's body limit, so "at the limit" bodies stay cheap
ROUTES = all_routes()
# 5xx answers that are a documented contract, not a crash (an engine or backend that is not configured here).
DOCUMENTED_5XX = {"not_implemented", "engine_unavailable", "speech_unavailable", "speech_failed"}
EXAMPLES = 600  # about 8 s on 2 cores
PHASES = (Phase.explicit, Phase.generate, Phase.shrink)  # no "explain" phase: it re-runs hundreds of examples


class Harness:
    """One app on a test server, on an event loop in a thread of its own (Playwright's sync API may hold this
    thread's loop), so hypothesis examples can share it."""

    def __init__(self, data_dir):
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="fuzz-loop", daemon=True)
        self._thread.start()
        self.settings = Settings(data_dir=data_dir, max_body_bytes=LIMIT)  # shipped maps seeded
        self.db = Database(self.settings.db_path)
        self.client = self.run(self._start())
        self._watch = sqlite3.connect(f"{self.settings.db_path.resolve().as_uri()}?mode=ro", uri=True)
        self.tokens = {role: self._pair(role) for role in ("clinician", "admin")}
        self.encounter_id = encounters.create(self.db, "fuzz", patient_id="FZ-1", pims="ezyvet")["id"]

    async def _start(self) -> TestClient:
        client = TestClient(TestServer(create_app(self.settings, self.db)))
        await client.start_server()
        return client

    def run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def _pair(self, role: str) -> str:
        code, _ = pairing.issue_code(self.db, role)
        response = self.run(self.client.post("/v1/pair", json={"code": code}))
        return self.run(response.json())["token"]

    def close(self):
        self._watch.close()
        self.run(self.client.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()

    def snapshot(self) -> int:
        """SQLite's data_version seen from a connection of our own: it changes whenever any other connection
        commits to the file, so equal values before and after a request mean it committed nothing at all."""
        self.run(_drain_background())
        return self._watch.execute("PRAGMA data_version").fetchone()[0]

    def send(self, method: str, raw_path: str, body: bytes | None, headers: dict):
        """One request with the path sent exactly as given (no client-side normalising)."""
        url = URL(f"http://127.0.0.1:{self.client.port}{raw_path}", encoded=True)

        async def go():
            async with self.client.session.request(method, url, data=body, headers=headers) as response:
                return response.status, response.headers.get("Content-Type", ""), await response.read()

        return self.run(go())


async def _drain_background() -> None:
    """Wait for fire-and-forget work a successful request started (the pilot's hourly purge check)."""
    from companion.api.routes import pilot_consent

    pending = list(getattr(pilot_consent, "_BACKGROUND", ()))
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    h = Harness(tmp_path_factory.mktemp("fuzz-routes") / "data")
    yield h
    h.close()


@pytest.fixture(scope="module")
def pilot_harness(tmp_path_factory):
    """The app on a generated 30-day pilot (tests/pilot/seed.py), so pilot routes have notes, reviews and ids."""
    from tests.pilot.seed import generate

    data_dir = tmp_path_factory.mktemp("fuzz-pilot") / "data"
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, generate(data_dir)).result()
    h = Harness(data_dir)
    status, _, raw = h.send("POST", "/v1/admin/pilot/blind-reviews", b"{}",
                            {"Authorization": f"Bearer {h.tokens['admin']}", "Content-Type": "application/json"})
    assert status == 201, raw
    h.review = json.loads(raw)
    yield h
    h.close()


def deep(n: int) -> bytes:
    return b"[" * n + b"]" * n


MALFORMED = [
    b"", b"{", b"}", b"{'a': 1}", b'{"a":}', b'{"a" 1}', b"[1,]", b"nul", b"\xff\xfe{}", b"\xef\xbb\xbf{}", b'"\xff"',
    b"NaN", b"Infinity", b'{"x": NaN}', b'{"x": -Infinity}', b"1e999999", b'{"x": 1e999999}', b"[]", b"null",
    b"0", b'"text"', b"true", b'{"a":1,"a":2}', b'"\\ud800"', b'{"k": "\\udfff"}', b'{"\\u0000": 1}',
    deep(5_000), b'{"a":' * 3_000 + b"1" + b"}" * 3_000, deep(900),
    b'{"document": ' + b'{"a":' * 900 + b"1" + b"}" * 901,
    b'{"fragments": {"name": ' + deep(800) + b"}}", b'{"segments": ' + deep(900) + b"}",
    b"\x00" * 16, b" " * 64, b"{}" * 10, b'{"a": 1} x',
]


def at_limit(size: int) -> bytes:
    """A JSON object of exactly `size` bytes (a long string field the route will probably refuse)."""
    head, tail = b'{"text": "', b'"}'
    return head + b"a" * (size - len(head) - len(tail)) + tail


bodies = st.one_of(
    st.sampled_from(MALFORMED),
    st.sampled_from([at_limit(LIMIT - 1), at_limit(LIMIT), at_limit(LIMIT + 1), b" " * (LIMIT + 1)]),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                 max_leaves=12).map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=64),
    st.none(),
)
content_types = st.sampled_from([None, "application/json", "application/json; charset=utf-8",
                                 "application/json; charset=latin-1", "text/plain", "application/problem+json",
                                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                 "application/json-patch+json", "audio/webm", "*/*", "application/json;;;", "ä"])
odd_ids = st.sampled_from(["x", "%00", "..", "%2e%2e", "%2F", "%ff", "%", "a%20b", "'%20OR%201=1--", "-1", "0",
                           "99999999999999999999", "%F0%9F%98%80", "enc_" + "a" * 5000, "admin.html", "..%2f..%2fetc",
                           "uPlot.iife.min.js", "null", "%5B%5D", "ezyvet", "shepherd"])
auths = st.sampled_from(["clinician", "admin", "none", "Bearer", "Bearer   ", "Basic YWRtaW46YWRtaW4=",
                         "Bearer " + "x" * 4000, "bearer {admin}", "Bearer {clinician} extra", "Bearer é"])
extra_headers = st.dictionaries(
    st.sampled_from(["Origin", "X-Forwarded-For", "X-Request-Id", "Accept", "Content-Encoding", "Transfer-Encoding",
                     "Expect", "X-Long"]),
    st.sampled_from(["null", "chrome-extension://", "moz-extension://abc", "https://evil.example", "127.0.0.1",
                     "gzip", "chunked", "100-continue", "x" * 6000, "*/*", " ", "1, 2"]),
    max_size=3)


def path_for(route, encounter_id: str, odd: str, use_odd: bool) -> str:
    if "{" not in route.path:
        return route.path + ("?" + odd if use_odd else "")
    value = odd if use_odd else encounter_id
    return route.path.replace("{id}", value).replace("{name}", value)


def auth_header(choice: str, tokens: dict) -> dict:
    if choice in tokens:
        return {"Authorization": f"Bearer {tokens[choice]}"}
    if choice == "none":
        return {}
    return {"Authorization": choice.format(**tokens)}


def check_answer(harness: Harness, before: str, status: int, content_type: str, raw: bytes, what) -> None:
    if status >= 500:
        code = json.loads(raw).get("code") if content_type.startswith("application/problem+json") else None
        assert status != 500 and code in DOCUMENTED_5XX, (status, raw[:300], what)
    if status >= 400:
        # aiohttp's HTTP parser answers malformed framing (400), an unknown Expect (417) and huge headers (431)
        # before any middleware runs; everything the application answers is problem+json.
        assert content_type.startswith("application/problem+json") or status in (400, 417, 431), (status, raw[:200],
                                                                                                  what)
        if content_type.startswith("application/problem+json") and raw:  # (a HEAD answer has no body)
            assert isinstance(json.loads(raw)["code"], str)
        assert harness.snapshot() == before, ("a rejected request changed the store", status, raw[:300], what)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          phases=PHASES)
@given(route=st.sampled_from(ROUTES), body=bodies, content_type=content_types, auth=auths, odd=odd_ids,
       use_odd=st.booleans(), headers=extra_headers)
def test_hostile_requests_never_crash_and_rejections_write_nothing(harness, route, body, content_type, auth, odd,
                                                                  use_odd, headers):
    path = path_for(route, harness.encounter_id, odd, use_odd)
    all_headers = {**headers, **auth_header(auth, harness.tokens)}
    if content_type is not None:
        all_headers["Content-Type"] = content_type
    before = harness.snapshot()
    status, got_type, raw = harness.send(route.method, path, body, all_headers)
    check_answer(harness, before, status, got_type, raw, (route.method, route.path, body[:80] if body else body,
                                                          content_type, auth[:20], path[:80], headers.keys()))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          phases=PHASES)
@given(route=st.sampled_from(ROUTES), method=st.sampled_from(["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
                                                              "FOO"]),
       odd=odd_ids)
def test_other_methods_are_refused_cleanly(harness, route, method, odd):
    path = path_for(route, harness.encounter_id, odd, True)
    before = harness.snapshot()
    status, got_type, raw = harness.send(method, path, b"{}", {"Authorization": f"Bearer {harness.tokens['admin']}",
                                                               "Content-Type": "application/json"})
    assert status < 500, (method, path, raw[:200])
    check_answer(harness, before, status, got_type, raw, (method, path))


BODY_ROUTES = [route for route in ROUTES if route.method == "POST"]
PILOT_ROUTES = [route for route in ROUTES if "pilot" in route.path or "consent" in route.path or
                route.path.startswith("/admin")]


def pilot_bodies(review: dict) -> st.SearchStrategy:
    """Near-valid pilot bodies: real review codes with odd ratings, odd windows and settings, plus hostile ones."""
    codes = st.sampled_from([item["code"] for item in review["items"]] + ["", "X" * 300, "zz"])
    score = st.one_of(st.integers(-5, 15), st.floats(allow_nan=False), st.none(), st.text(max_size=3))
    rating = st.fixed_dictionaries({"code": codes, "completeness": score, "accuracy": score,
                                    "professionalism": score})
    day = st.sampled_from(["2026-01-01", "0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "", "today", None])
    window = st.fixed_dictionaries({}, optional={"from": day, "to": day})
    settings_patch = st.fixed_dictionaries({}, optional={
        "retention_days": st.integers(-1, 5000), "timezone": st.sampled_from(["UTC", "Europe/London", "Not/AZone",
                                                                              "../../etc/passwd", ""]),
        "auto_purge": st.booleans(), "baseline_seconds": st.one_of(st.none(), st.integers(-1, 10**9))})
    structured = st.one_of(st.fixed_dictionaries({"ratings": st.lists(rating, max_size=12)}), window, settings_patch,
                           st.fixed_dictionaries({}, optional={"confirmed_by": st.text(max_size=210),
                                                               "method": st.sampled_from(["verbal", "fax", ""]),
                                                               "clinician": st.text(max_size=5),
                                                               "score": st.integers(-1, 7)}))
    return st.one_of(structured.map(lambda value: json.dumps(value).encode()), bodies)


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          phases=PHASES)
@given(data=st.data(), route=st.sampled_from(PILOT_ROUTES), auth=st.sampled_from(["clinician", "admin", "none"]),
       odd=odd_ids, use_odd=st.booleans())
def test_pilot_routes_on_a_seeded_pilot(pilot_harness, data, route, auth, odd, use_odd):
    """Pilot, consent and dashboard routes with real notes and a real blind review behind them."""
    h = pilot_harness
    target = h.review["review_id"] if "blind-reviews/{id}" in route.path else h.encounter_id
    path = path_for(route, target, odd, use_odd)
    body = data.draw(pilot_bodies(h.review)) if route.method == "POST" else None
    before = h.snapshot()
    status, got_type, raw = h.send(route.method, path, body,
                                   {**auth_header(auth, h.tokens), "Content-Type": "application/json"})
    check_answer(h, before, status, got_type, raw, (route.method, path[:80], body[:120] if body else body))


@pytest.mark.parametrize("route", BODY_ROUTES, ids=lambda route: f"{route.method} {route.path}")
def test_every_malformed_body_on_every_body_route(harness, route):
    """Deterministic sweep: each malformed body, as JSON and as text, on each POST route with an admin token."""
    path = path_for(route, harness.encounter_id, "", False)
    token = harness.tokens["admin"]
    for body in MALFORMED + [at_limit(LIMIT), at_limit(LIMIT + 1)]:
        for content_type in ("application/json", "text/plain"):
            before = harness.snapshot()
            status, got_type, raw = harness.send("POST", path, body,
                                                 {"Authorization": f"Bearer {token}", "Content-Type": content_type})
            check_answer(harness, before, status, got_type, raw, (route.path, body[:40], content_type))


def test_a_chunked_body_over_the_limit_is_refused_without_a_write(harness):
    async def chunks():
        for _ in range(LIMIT // 1024 + 4):
            yield b" " * 1024

    before = harness.snapshot()
    token = harness.tokens["clinician"]
    status, got_type, raw = harness.send("POST", "/v1/encounters", chunks(),
                                         {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert status == 413 and json.loads(raw)["code"] == "payload_too_large"
    check_answer(harness, before, status, got_type, raw, "chunked")
