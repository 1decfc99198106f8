"""Map versions from the CLI and the admin API, against a real `vetscribe serve` and its SQLite file:
install → the clinician's GET /v1/maps (what the extension polls) shows it → rollback; bad maps are refused with
JSON paths and write nothing."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.extension.harness import REPO, Companion

pytestmark = pytest.mark.skipif(not (REPO / "companion" / "cli" / "serve.py").exists(), reason="no serve")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    comp = Companion(data_dir=tmp_path_factory.mktemp("maps-data")).start()
    yield comp
    comp.stop()


def cli(server, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "companion", "selectors", *args, "--data-dir", str(server.data_dir)],
                          capture_output=True, text=True, timeout=60, cwd=REPO)


def active_version(server, map_id: str) -> int:
    items = server.api("GET", "/v1/maps", role="clinician")["items"]
    return next(item["version"] for item in items if item["id"] == map_id)


def audit_actions(server) -> list[tuple[str, str]]:
    rows = server.api("GET", "/v1/admin/pilot/audit?limit=500")["recent"]
    return [(row["actor"], row["action"]) for row in rows]


def problem(server, method: str, path: str, body) -> tuple[int, dict]:
    try:
        server.api(method, path, body=body)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())
    raise AssertionError("the request was accepted")


def test_cli_install_is_served_then_rolled_back(server, tmp_path):
    shipped = server.api("GET", "/v1/maps/shepherd")
    newer = copy.deepcopy(shipped)
    newer["version"] = shipped["version"] + 1
    newer["notes"] = "installed from the CLI by the map-version test"
    path = tmp_path / "shepherd.json"
    path.write_text(json.dumps(newer))

    out = cli(server, "install", str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"version {newer['version']}" in out.stdout
    assert active_version(server, "shepherd") == newer["version"]
    assert server.api("GET", "/v1/maps/shepherd", role="clinician")["notes"] == newer["notes"]

    listing = cli(server, "versions", "shepherd")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0].split()[:2] == ["*", str(newer["version"])]
    assert lines[1].split()[0] == str(shipped["version"])

    back = cli(server, "rollback", "shepherd", str(shipped["version"]))
    assert back.returncode == 0, back.stderr
    assert active_version(server, "shepherd") == shipped["version"]
    assert ("cli", "map.installed") in audit_actions(server)
    assert ("cli", "map.rolled_back") in audit_actions(server)

    missing = cli(server, "rollback", "shepherd", "999999")
    assert missing.returncode == 1 and "no selector map" in missing.stderr
    assert active_version(server, "shepherd") == shipped["version"]


def _bad_map(server) -> dict:
    bad = copy.deepcopy(server.api("GET", "/v1/maps/ezyvet"))
    bad["version"] += 100
    kind = next(name for name, k in bad["page_kinds"].items() if "note" in k.get("write", {}))
    bad["page_kinds"][kind]["write"]["note"]["locators"][0] = {"css": "div[[broken"}
    bad["match"]["hosts"][0] = "https://demo.ezyvet.com/"
    return bad, kind


def test_cli_refuses_a_bad_map_with_paths(server, tmp_path):
    bad, kind = _bad_map(server)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    before = cli(server, "versions", "ezyvet").stdout
    out = cli(server, "install", str(path))
    assert out.returncode == 1
    assert f"$.page_kinds.{kind}.write.note.locators[0].css" in out.stdout
    assert "$.match.hosts[0]" in out.stdout
    assert "nothing was installed" in out.stderr
    assert cli(server, "versions", "ezyvet").stdout == before


def test_admin_api_refuses_lint_errors_with_paths_and_writes_nothing(server):
    bad, kind = _bad_map(server)
    audit_before = len(audit_actions(server))
    status, body = problem(server, "POST", "/v1/admin/maps", {"map": bad})
    assert status == 422 and body["code"] == "validation_error"
    locs = [item["loc"] for item in body["errors"]]
    assert ["body", "map", "page_kinds", kind, "write", "note", "locators", 0, "css"] in locs
    assert ["body", "map", "match", "hosts", 0] in locs
    assert {item["type"] for item in body["errors"]} >= {"lint.css_invalid", "lint.host_glob"}
    versions = [v["version"] for v in server.api("GET", "/v1/admin/maps/ezyvet/versions")["items"]]
    assert bad["version"] not in versions
    assert len(audit_actions(server)) == audit_before

    # a schema error also names its path
    bad["page_kinds"][kind]["write"]["note"]["mode"] = "overwrite"
    status, body = problem(server, "POST", "/v1/admin/maps", {"map": bad})
    assert status == 422
    assert ["body", "map", "page_kinds", kind, "write", "note", "mode"] in [item["loc"] for item in body["errors"]]
