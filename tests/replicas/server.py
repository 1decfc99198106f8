"""Serves the PIMS replica apps by Host header (demo.ezyvet.com, app.shepherd.vet, demo.pulse.covetrus.com) or by
path (/<pims>/, /drift/<pims>/) on loopback; usable from pytest fixtures and by hand:

    npm run build && python -m tests.replicas.server --port 8800
    # then open http://127.0.0.1:8800/
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from aiohttp import web

HERE = Path(__file__).resolve().parent
DIST = HERE / "dist"
REPO = HERE.parent.parent
PIMS = ("ezyvet", "pulse", "shepherd")
# host suffix → replica; the shipped maps' host globs (*.ezyvet.com, ...) match these names unchanged
HOST_SUFFIXES = {".ezyvet.com": "ezyvet", ".shepherd.vet": "shepherd", ".covetrus.com": "pulse"}
HOSTS = {"ezyvet": "demo.ezyvet.com", "shepherd": "app.shepherd.vet", "pulse": "demo.pulse.covetrus.com"}
# where each replica starts: the first patient's record page (client-side routes inside the app)
START_PATHS = {"ezyvet": "/patient/10231", "pulse": "/patients/p-501/visit", "shepherd": "/patients/sh-71/chart"}
NO_CACHE = {"Cache-Control": "no-store"}


def ensure_built() -> None:
    """Build the bundles with esbuild when dist/ is missing (a fresh checkout without `npm run build`)."""
    if not all((DIST / pims / "main.js").exists() for pims in PIMS):
        subprocess.run(["node", str(HERE / "build.mjs")], cwd=REPO, check=True)


def pims_for_host(host: str) -> str | None:
    """The replica a Host header names, or None for loopback/other hosts."""
    name = host.split(":", 1)[0].lower()
    for suffix, pims in HOST_SUFFIXES.items():
        if name.endswith(suffix):
            return pims
    return None


def mount(request: web.Request) -> tuple[str, str] | None:
    """(pims, base path) for a page request, or None when the path names no replica."""
    path = request.path
    drift = path == "/drift" or path.startswith("/drift/")
    rest = path[len("/drift"):] if drift else path
    pims = pims_for_host(request.host)
    if pims:
        return pims, "/drift" if drift else ""
    head = rest.strip("/").split("/", 1)[0]
    if head in PIMS:
        return head, ("/drift/" if drift else "/") + head
    return None


# Strict page variants (issue 8): `?policy=strict` serves a replica with a Content-Security-Policy that allows no
# inline script and no eval; `?policy=tt` adds Trusted Types enforcement with a recording default policy (the apps'
# own libraries assign strings to HTML sinks, as many PIMS do). The config then comes from a script file.
STRICT_CSP = ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; connect-src 'self'; "
              "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-src 'self'")
POLICIES = {"strict": STRICT_CSP, "tt": STRICT_CSP + "; require-trusted-types-for 'script'"}
TT_DEFAULT_POLICY = """// Trusted Types default policy of the replicas' `?policy=tt` variant: lets the apps' own string sinks through and
// records each call (sink name and value) in window.__sinkCalls; refuses string-to-script conversions.
window.__sinkCalls = [];
trustedTypes.createPolicy("default", {
  createHTML: (value, type, sink) => { window.__sinkCalls.push(`${sink}: ${value}`); return value; },
  createScript: (value, type, sink) => { window.__sinkCalls.push(`${sink}: ${value}`); return null; },
  createScriptURL: (value, type, sink) => {
    window.__sinkCalls.push(`${sink}: ${value}`);
    return new URL(value, location.href).origin === location.origin ? value : null;
  },
});
"""


def page_policy(request: web.Request) -> str | None:
    """The strict variant a page request (or, for the discharge frame, the page that embeds it) asks for."""
    policy = request.query.get("policy")
    if policy is None and request.headers.get("Referer"):
        policy = parse_qs(urlsplit(request.headers["Referer"]).query).get("policy", [None])[0]
    return policy if policy in POLICIES else None


def page(pims: str, base: str, policy: str | None = None) -> web.Response:
    """The app's index.html with its config (pims, mount base, drift flag) injected."""
    html = (DIST / pims / "index.html").read_text(encoding="utf-8")
    config = {"pims": pims, "base": base, "drift": base.startswith("/drift")}
    if policy is None:
        script = f"<script>window.__REPLICA_CONFIG = {json.dumps(config)};</script>"
        return web.Response(text=html.replace("<!--REPLICA_CONFIG-->", script), content_type="text/html", headers=NO_CACHE)
    script = f'<script src="/_replica/config.js?{urlencode({"c": json.dumps(config)})}"></script>'
    if policy == "tt":
        script = '<script src="/_replica/tt-policy.js"></script>' + script
    return web.Response(text=html.replace("<!--REPLICA_CONFIG-->", script), content_type="text/html",
                        headers={**NO_CACHE, "Content-Security-Policy": POLICIES[policy]})


async def handle_config(request: web.Request) -> web.Response:
    """The page config as a script file, for the strict variants (no inline script allowed there)."""
    config = json.loads(request.query.get("c", "{}"))
    return web.Response(text=f"window.__REPLICA_CONFIG = {json.dumps(config)};", content_type="text/javascript",
                        headers=NO_CACHE)


async def handle_tt_policy(_request: web.Request) -> web.Response:
    """The `?policy=tt` variant's recording default policy."""
    return web.Response(text=TT_DEFAULT_POLICY, content_type="text/javascript", headers=NO_CACHE)


async def handle_discharge_frame(request: web.Request) -> web.Response:
    """Shepherd's discharge iframe; under a strict parent it gets the same policy (and the TT default policy)."""
    html = (DIST / "shepherd" / "discharge-frame.html").read_text(encoding="utf-8")
    policy = page_policy(request)
    if policy is None:
        return web.Response(text=html, content_type="text/html", headers=NO_CACHE)
    if policy == "tt":
        html = html.replace("<head>", '<head>\n<script src="/_replica/tt-policy.js"></script>', 1)
    return web.Response(text=html, content_type="text/html", headers={**NO_CACHE, "Content-Security-Policy": POLICIES[policy]})


def index_page(port_hint: str) -> web.Response:
    """A link list for a demo by hand on 127.0.0.1."""
    links = "".join(
        f'<li><a href="/{p}{START_PATHS[p]}">{p}</a> · <a href="/drift/{p}{START_PATHS[p]}">{p} (drift)</a></li>'
        for p in PIMS
    )
    html = f"<!doctype html><title>PIMS replicas</title><h1>PIMS replicas (invented data)</h1><ul>{links}</ul>"
    return web.Response(text=html, content_type="text/html")


async def handle_page(request: web.Request) -> web.StreamResponse:
    """Every non-asset path: the SPA shell of the replica it belongs to (client-side routing does the rest)."""
    found = mount(request)
    if found is None:
        if request.path == "/":
            return index_page(request.host)
        raise web.HTTPNotFound(text="no replica at this path; try / for the list")
    pims, base = found
    if request.path in ("/", base, base + "/") and pims_for_host(request.host):
        raise web.HTTPFound(base + START_PATHS[pims])
    return page(pims, base, page_policy(request) if "policy" in request.query else None)


async def handle_health(_request: web.Request) -> web.Response:
    """Liveness probe for fixtures."""
    return web.json_response({"status": "ok"})


def make_app() -> web.Application:
    """The aiohttp application serving assets from dist/ and every replica page."""
    app = web.Application()
    app.router.add_get("/_replica/health", handle_health)
    app.router.add_get("/_replica/config.js", handle_config)
    app.router.add_get("/_replica/tt-policy.js", handle_tt_policy)
    app.router.add_get("/_replica/assets/shepherd/discharge-frame.html", handle_discharge_frame)
    app.router.add_static("/_replica/assets/", DIST, follow_symlinks=False, append_version=False)
    app.router.add_get("/{tail:.*}", handle_page)
    return app


class ReplicaServer:
    """Runs the replica app on 127.0.0.1 in a background thread (for pytest fixtures)."""

    def __init__(self, port: int = 0):
        self.port = port
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> "ReplicaServer":
        """Build if needed, bind, and return self once the port is listening."""
        ensure_built()
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=30)
        return self

    async def _serve(self) -> None:
        self._runner = web.AppRunner(make_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    def url(self, pims: str, path: str | None = None, drift: bool = False, policy: str | None = None) -> str:
        """URL of a replica page through its PIMS host name (needs the browser's --host-resolver-rules);
        `policy` "strict" or "tt" asks for a strict-CSP / Trusted Types variant."""
        path = START_PATHS[pims] if path is None else path
        query = f"?policy={policy}" if policy else ""
        return f"http://{HOSTS[pims]}:{self.port}{'/drift' if drift else ''}{path}{query}"

    def loopback_url(self, pims: str, path: str | None = None, drift: bool = False) -> str:
        """URL of a replica page by path on 127.0.0.1 (no resolver rules needed)."""
        path = START_PATHS[pims] if path is None else path
        return f"http://127.0.0.1:{self.port}{'/drift' if drift else ''}/{pims}{path}"

    def stop(self) -> None:
        """Shut the server down and end its thread."""
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


HOST_RESOLVER_RULES = "MAP *.ezyvet.com 127.0.0.1, MAP *.shepherd.vet 127.0.0.1, MAP *.covetrus.com 127.0.0.1"


def main() -> None:
    """Command line: serve the replicas until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8800)
    args = parser.parse_args()
    ensure_built()
    print(f"replicas on http://127.0.0.1:{args.port}/  (by host: start Chromium with "
          f"--host-resolver-rules=\"{HOST_RESOLVER_RULES}\" and open {HOSTS['ezyvet']}:{args.port})")
    web.run_app(make_app(), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
