"""Hypothesis fuzz of every API route (pilot and admin routes included) through aiohttp's test client, on the
inputs the schemathesis run (test_schemathesis.py, schema-shaped bodies) does not make: malformed and hostile JSON,
wrong content types, bodies just under, at and over the size limit, odd and huge headers, odd path ids and
methods. No answer may be a 500 or an unlisted 5xx, every error is problem+json with a code, and a rejected request
changes nothing in the store (every table's content hashed before and after)."""

import asyncio
import hashlib
import json
import sqlite3

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
    """One app on a test server, driven from a private event loop so hypothesis examples can share it."""

    def __init__(self, tmp_path):
        self.loop = asyncio.new_event_loop()
        self.settings = Settings(data_dir=tmp_path / "data", max_body_bytes=LIMIT)  # shipped maps seeded
        self.db = Database(self.settings.db_path)
        self.client = self.run(self._start())
        self.tokens = {role: self._pair(role) for role in ("clinician", "admin")}
        self.encounter_id = encounters.create(self.db, "fuzz", patient_id="FZ-1", pims="ezyvet")["id"]

    async def _start(self) -> TestClient:
        client = TestClient(TestServer(create_app(self.settings, self.db)))
        await client.start_server()
        return client

    def run(self, coro):
        return self.loop.run_until_complete(coro)

    def _pair(self, role: str) -> str:
        code, _ = pairing.issue_code(self.db, role)
        response = self.run(self.client.post("/v1/pair", json={"code": code}))
        return self.run(response.json())["token"]

    def close(self):
        self.run(self.client.close())
        self.loop.close()

    def snapshot(self) -> str:
        """A digest of every row of every table, read on a connection of its own."""
        self.run(_drain_background())
        conn = sqlite3.connect(f"{self.settings.db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            digest = hashlib.sha256()
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name")]
            for table in tables:
                for row in conn.execute(f'SELECT * FROM "{table}"'):
                    digest.update(repr((table, row)).encode())
            return digest.hexdigest()
        finally:
            conn.close()

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
    h = Harness(tmp_path_factory.mktemp("fuzz-routes"))
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
