"""The admin dashboard in real Chromium against a real `vetscribe serve` holding the generated pilot."""

from pathlib import Path

import pytest

from companion.store import Database, encounters
from tests.companion.companion_live import LiveServer
from tests.pilot.conftest import copy_pilot

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="module")
def live(seeded_pilot, tmp_path_factory):
    data_dir, truth = copy_pilot(seeded_pilot, tmp_path_factory.mktemp("dashboard"))
    server = LiveServer(data_dir, practice_state=None).start()  # keeps the seeded pilot's own consent state
    yield server, truth, data_dir
    server.stop()


@pytest.fixture(scope="module")
def page(playwright):
    """One dashboard tab for the module, on pytest-playwright's session Playwright (the sync API cannot nest)."""
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    # the page's CSP forbids eval, which Playwright's wait_for_function needs; the page itself never evals
    tab = browser.new_page(viewport={"width": 1280, "height": 1800}, bypass_csp=True)
    yield tab
    browser.close()


def open_dashboard(page, server, token):
    page.goto("about:blank")  # a fresh document each time (a hash-only change would not reload)
    page.goto(f"http://127.0.0.1:{server.port}/admin#token={token}")
    page.wait_for_function("window.__dashboard && window.__dashboard.ready === true", timeout=15_000)


def painted_pixels(page, selector: str) -> int:
    """Non-transparent pixels on the chart's canvas (0 for an empty or missing chart)."""
    return page.evaluate("""(sel) => {
        const canvas = document.querySelector(sel + ' canvas');
        if (!canvas) return 0;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n;
    }""", selector)


def add_ai_note(server, data_dir, token, tags: list[str]) -> None:
    """One more approved AI note through the live API (its draft stored as the /draft route would store it)."""
    status, _, enc = server.request("POST", "/v1/encounters", {"patient_id": "P-extra", "pims": "ezyvet",
                                                               "clinician": "Dr Avery"}, token=token)
    assert status == 201, enc
    eid = enc["id"]
    assert server.request("POST", f"/v1/encounters/{eid}/consent", {"confirmed_by": "Dr Avery"}, token=token)[0] == 201
    status, _, body = server.request("POST", f"/v1/encounters/{eid}/transcript",
                                     {"segments": [{"speaker": "vet", "text": "Dose check."}]}, token=token)
    assert status == 200, body
    db = Database(data_dir / "companion.sqlite3")
    try:
        revision = encounters.add_revision(db, "engine", eid, {"plan": "Meloxicam 1.5 mg PO q24h."}, kind="draft")
    finally:
        db.close()
    status, _, plan = server.request("POST", f"/v1/encounters/{eid}/approve", {
        "revision_id": revision["revision_id"], "idempotency_key": f"k-{eid}", "error_tags": tags}, token=token)
    assert status == 200, plan


def test_dashboard_loads_renders_charts_and_stops_only_above_the_threshold(live, page):
    server, truth, data_dir = live
    ARTIFACTS.mkdir(exist_ok=True)
    open_dashboard(page, server, truth.admin_token)
    # 5 of 250 AI notes = 2.0 %: on the threshold, not above it
    assert page.locator("#stop-banner").is_hidden()
    assert page.locator(".card[data-rule=medication_errors]").get_attribute("class") == "card good"
    assert "5 of 250" in page.locator(".card[data-rule=medication_errors]").inner_text()
    for chart in ("#chart-time", "#chart-edit", "#chart-errors", "#chart-failures"):
        assert painted_pixels(page, chart) > 2000, f"{chart} is empty"
    assert page.locator("#clinicians tr").count() == 5  # header + 4 clinicians
    page.wait_for_selector("#audit-status.ok-text")
    assert "chain verified" in page.locator("#audit-status").inner_text()
    assert page.locator("#state").input_value() == "CA"
    page.screenshot(path=str(ARTIFACTS / "pilot-dashboard.png"), full_page=True)

    add_ai_note(server, data_dir, truth.clinician_token, ["medication_error"])  # not clinically significant
    open_dashboard(page, server, truth.admin_token)
    assert page.locator("#stop-banner").is_hidden()  # 5 of 251: still not above 2 %

    add_ai_note(server, data_dir, truth.clinician_token, ["medication_error:significant"])
    open_dashboard(page, server, truth.admin_token)
    banner = page.locator("#stop-banner")
    assert banner.is_visible()
    assert "STOP" in banner.inner_text() and "6 of 252" in banner.inner_text()
    page.screenshot(path=str(ARTIFACTS / "pilot-dashboard-stop.png"), full_page=True)


def test_dashboard_asks_for_a_token_and_refuses_a_clinician_token(live, page):
    server, truth, _ = live
    page.goto(f"http://127.0.0.1:{server.port}/admin")
    page.evaluate("sessionStorage.clear()")
    page.reload()
    assert page.locator("#login").is_visible()
    page.fill("#token", truth.clinician_token)
    page.click("#login-form button")
    page.wait_for_selector("#error:not([hidden])")
    assert "not an admin token" in page.locator("#error").inner_text()
    assert page.locator("#dashboard").is_hidden()


def test_cli_dashboard_link_opens_the_dashboard(live, page):
    server, _, data_dir = live
    from click.testing import CliRunner

    from companion.cli import main as cli_main

    result = CliRunner().invoke(cli_main, ["pilot", "dashboard", "--data-dir", str(data_dir), "--port",
                                           str(server.port)])
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    assert url.startswith(f"http://127.0.0.1:{server.port}/admin#token=")
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_function("window.__dashboard && window.__dashboard.ready === true", timeout=15_000)
    assert "#token" not in page.url  # the page moved the token out of the address bar
    assert page.locator("#scorecard .card").count() == 4
