"""In real Chromium: a web page on another origin (even holding a stolen token) cannot read or write, and a
DNS-rebinding page that reaches the companion under its own host name is refused."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from companion_live import LiveServer

pytestmark = pytest.mark.browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--host-resolver-rules=MAP rebind.test 127.0.0.1"]

ATTACK = """async ([base, token]) => {
  const out = {};
  const attempt = async (name, url, init) => {
    try {
      const r = await fetch(url, init);
      out[name] = {status: r.status, body: r.type === 'opaque' ? null : await r.text()};
    }
    catch (e) { out[name] = {error: String(e)}; }
  };
  const json = {'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token};
  await attempt('read_health', base + '/v1/health');
  await attempt('read_list', base + '/v1/encounters?patient_id=X-1', {headers: {'Authorization': 'Bearer ' + token}});
  await attempt('write_json', base + '/v1/encounters', {method: 'POST', headers: json,
                body: JSON.stringify({patient_id: 'X-1', pims: 'ezyvet'})});
  await attempt('write_simple', base + '/v1/encounters', {method: 'POST', mode: 'no-cors',
                headers: {'Content-Type': 'text/plain'}, body: JSON.stringify({patient_id: 'X-1', pims: 'ezyvet'})});
  return out;
}"""


class _Page(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>another site</title>")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def other_site():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_other_origin_and_rebinding_pages_cannot_read_or_write(tmp_path, other_site, playwright):
    live = LiveServer(tmp_path / "data").start()
    try:
        token = live.pair()
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(other_site)
            cross = page.evaluate(ATTACK, [f"http://127.0.0.1:{live.port}", token])
            page.goto(f"http://rebind.test:{live.port}/v1/health")
            rebound_nav = page.content()
            rebound = page.evaluate(ATTACK, [f"http://rebind.test:{live.port}", token])
        finally:
            browser.close()
        for name in ("read_health", "read_list", "write_json"):
            assert "error" in cross[name], cross[name]  # CORS: the page gets nothing back
        assert cross["write_simple"]["body"] is None
        assert "host_forbidden" in rebound_nav and "schema_version" not in rebound_nav
        for name in ("read_health", "read_list", "write_json", "write_simple"):
            assert rebound[name].get("status") == 403 and "host_forbidden" in rebound[name]["body"], rebound[name]
        status, _, listed = live.request("GET", "/v1/encounters?patient_id=X-1", token=token)
        assert status == 200 and listed["items"] == []  # nothing was written
        log = (live.data_dir / "logs" / "companion.jsonl").read_text().splitlines()
        refusals = [json.loads(line).get("code") for line in log]
        assert refusals.count("origin_forbidden") >= 3 and refusals.count("host_forbidden") >= 4
    finally:
        live.stop()
