"""The committed uPlot copy matches the npm package, and the dashboard assets are served with the right types."""

from pathlib import Path


from companion.api.app import create_app
from companion.config import Settings
from companion.store import Database

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "companion" / "pilot" / "static"


def test_committed_uplot_matches_npm_package():
    dist = ROOT / "node_modules" / "uplot" / "dist"
    assert dist.is_dir(), "run `npm ci` (tests/setup-and-run.sh does)"
    for name in ("uPlot.iife.min.js", "uPlot.min.css"):
        assert (STATIC / name).read_bytes() == (dist / name).read_bytes(), f"{name}: copy it again (see README)"
    assert (STATIC / "uPlot.LICENSE.md").read_text() == (ROOT / "node_modules" / "uplot" / "LICENSE").read_text()


async def test_dashboard_assets_are_served(aiohttp_client, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", shipped_maps_dir=None)
    db = Database(settings.db_path)
    client = await aiohttp_client(create_app(settings, db))
    page = await client.get("/admin")
    assert page.status == 200 and page.content_type == "text/html"
    assert "uPlot.iife.min.js" in await page.text()
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    script = await client.get("/admin/static/uPlot.iife.min.js")
    assert script.status == 200 and script.content_type == "text/javascript"
    missing = await client.get("/admin/static/secret.txt")
    assert missing.status == 404 and missing.content_type == "application/problem+json"
    data = await client.get("/v1/admin/pilot/dashboard")
    assert data.status == 401
    db.close()


