"""Against a real `vetscribe serve` subprocess: pairing via the CLI, the API, crash durability, audit, CLI guards."""

import signal
import sqlite3

import pytest

from companion_live import LiveServer, cli, free_port
from companion.config import REPO_SELECTORS_DIR
from companion.store.map_files import load_shipped


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("live") / "data").start()
    yield live
    live.stop()


def test_pair_while_serving_and_roles(server):
    token = server.pair()
    assert server.request("GET", "/v1/whoami", token=token)[2]["role"] == "clinician"
    assert server.request("GET", "/v1/admin/drift", token=token)[0] == 403
    admin = server.pair("admin")
    assert server.request("GET", "/v1/admin/drift", token=admin)[0] == 200


def test_flow_and_refusals_over_real_http(server):
    token = server.pair()
    status, _, enc = server.request("POST", "/v1/encounters", {"patient_id": "L-1", "pims": "shepherd"}, token)
    assert status == 201
    status, _, body = server.request("POST", f"/v1/encounters/{enc['id']}/revisions", {"sections": {"note": "x"},
                                     "extra": True}, token)
    assert status == 422 and body["code"] == "validation_error"
    status, headers, body = server.request("GET", "/v1/health", headers={"Origin": "https://evil.example"})
    assert (status, body["code"]) == (403, "origin_forbidden") and "Access-Control-Allow-Origin" not in headers
    status, _, body = server.request("GET", "/v1/health", headers={"Host": f"rebind.example:{server.port}"})
    assert (status, body["code"]) == (403, "host_forbidden")
    status, _, body = server.request("POST", "/v1/encounters", b"x" * (5 * 1024 * 1024), token)
    assert (status, body["code"]) == (413, "payload_too_large")


def test_shipped_maps_seeded(server):
    expected = sorted(body["id"] for body in load_shipped(REPO_SELECTORS_DIR))
    status, _, listed = server.request("GET", "/v1/maps", token=server.pair())
    assert status == 200 and sorted(item["id"] for item in listed["items"]) == expected


def test_sigkill_after_acknowledged_write_loses_nothing(tmp_path):
    live = LiveServer(tmp_path / "data").start()
    token = live.pair()
    status, _, enc = live.request("POST", "/v1/encounters", {"patient_id": "K-9", "pims": "ezyvet"}, token)
    assert status == 201
    status, _, _ = live.request("POST", f"/v1/encounters/{enc['id']}/transcript", {"text": "Vet: acknowledged"}, token)
    assert status == 200
    live.stop(signal.SIGKILL)
    live.start()
    try:
        status, _, got = live.request("GET", f"/v1/encounters/{enc['id']}", token=token)
        assert status == 200 and got["state"] == "transcript" and got["transcript"][0]["text"] == "acknowledged"
        verify = cli("audit", "verify", data_dir=live.data_dir)
        assert verify.returncode == 0 and "chain intact" in verify.stdout
    finally:
        assert live.stop() == 0


def test_tampered_audit_row_is_named(tmp_path):
    data = tmp_path / "data"
    for role in ("clinician", "admin", "clinician"):
        assert cli("pair", "--role", role, data_dir=data).returncode == 0
    shown = cli("audit", "show", data_dir=data)
    assert shown.returncode == 0 and shown.stdout.count("pairing.code_issued") == 3
    conn = sqlite3.connect(data / "companion.sqlite3")
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET details_json = '{\"role\":\"admin\"}' WHERE seq = 3")
    conn.commit()
    conn.close()
    result = cli("audit", "verify", data_dir=data)
    assert result.returncode == 1 and "row 3" in result.stderr and "modified" in result.stderr


def test_sigterm_shuts_down_cleanly(tmp_path):
    live = LiveServer(tmp_path / "data").start()
    assert live.stop(signal.SIGTERM) == 0
    output = live.read_output()
    assert "vetscribe pair" in output and "extension/" in output and "shutting down" in output


def test_non_loopback_needs_allow_remote(tmp_path):
    refused = cli("serve", "--host", "0.0.0.0", "--port", str(free_port()), data_dir=tmp_path / "d")
    assert refused.returncode != 0 and "--allow-remote" in refused.stderr
    live = LiveServer(tmp_path / "d", extra_args=("--host", "0.0.0.0", "--allow-remote")).start()
    try:
        assert "WARNING" in live.read_output()
    finally:
        live.stop()


def test_newer_schema_refuses_to_start(tmp_path):
    data = tmp_path / "data"
    assert cli("pair", data_dir=data).returncode == 0
    conn = sqlite3.connect(data / "companion.sqlite3")
    conn.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (99999, '99999_future.sql', 'x')")
    conn.commit()
    conn.close()
    result = cli("serve", "--port", str(free_port()), data_dir=data)
    assert result.returncode == 2 and "Upgrade vetscribe" in result.stderr


@pytest.mark.parametrize("command", [[], ["serve"], ["pair"], ["audit"], ["audit", "verify"], ["audit", "show"],
                                     ["backup"], ["backup", "create"]])
def test_help_is_useful(command):
    result = cli(*command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout and len(result.stdout.splitlines()) > 4


def test_sigterm_finishes_the_request_in_flight(tmp_path):
    """A draft of a long consult is still running in the engine when SIGTERM arrives: it completes and is kept."""
    import json
    import socket
    import time

    live = LiveServer(tmp_path / "data").start()
    token = live.pair()
    _, _, enc = live.request("POST", "/v1/encounters", {"patient_id": "T-1", "pims": "ezyvet"}, token)
    line = "He has been scratching his left ear for {} days and shaking his head after walks."
    for part in range(3):
        segments = [{"speaker": "client", "text": line.format(i % 9 + 1)} for i in range(2000)]
        assert live.request("POST", f"/v1/encounters/{enc['id']}/transcript", {"segments": segments}, token)[0] == 200
    body = json.dumps({}).encode()
    sock = socket.create_connection(("127.0.0.1", live.port), timeout=30)
    sock.sendall((f"POST /v1/encounters/{enc['id']}/draft HTTP/1.1\r\nHost: 127.0.0.1:{live.port}\r\n"
                  f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body)
    time.sleep(0.3)  # the engine is now drafting
    live.proc.send_signal(signal.SIGTERM)
    reply = b""
    while chunk := sock.recv(65536):
        reply += chunk
    sock.close()
    assert reply.startswith(b"HTTP/1.1 200"), reply[:200]
    assert live.proc.wait(timeout=20) == 0
    live.proc = None
    live.start()
    try:
        _, _, got = live.request("GET", f"/v1/encounters/{enc['id']}", token=token)
        assert got["state"] == "drafted" and got["latest_revision"]["kind"] == "draft"
    finally:
        live.stop()
