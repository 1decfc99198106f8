"""Browser-facing defences through the test client: Origin refusal, CORS only for extensions, Host check."""

import pytest

from conftest import audit_rows, table_count

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
ENCOUNTER = {"patient_id": "P-1", "pims": "ezyvet"}


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:9999", "null", "file://"])
async def test_web_page_origins_cannot_read_or_write(client, clinician, db, origin):
    before = (audit_rows(db), table_count(db, "encounters"))
    for response in [
        await client.get("/v1/health", headers={"Origin": origin}),
        await client.get("/v1/encounters?patient_id=P-1", headers=clinician | {"Origin": origin}),
        await client.post("/v1/encounters", json=ENCOUNTER, headers=clinician | {"Origin": origin}),
        await client.post("/v1/encounters", data='{"patient_id":"P-1","pims":"ezyvet"}',
                          headers={"Origin": origin, "Content-Type": "text/plain"}),
        await client.options("/v1/encounters", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}),
    ]:
        assert response.status == 403
        assert (await response.json())["code"] == "origin_forbidden"
        assert "Access-Control-Allow-Origin" not in response.headers
    assert (audit_rows(db), table_count(db, "encounters")) == before


async def test_extension_origin_gets_cors(client, clinician):
    preflight = await client.options("/v1/encounters", headers={
        "Origin": EXTENSION, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == EXTENSION
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    created = await client.post("/v1/encounters", json=ENCOUNTER, headers=clinician | {"Origin": EXTENSION})
    assert created.status == 201 and created.headers["Access-Control-Allow-Origin"] == EXTENSION
    refused = await client.get("/v1/whoami", headers={"Origin": "moz-extension://1234-abcd"})
    assert refused.status == 401 and refused.headers["Access-Control-Allow-Origin"] == "moz-extension://1234-abcd"


async def test_no_origin_from_cli_is_allowed(client, clinician):
    response = await client.get("/v1/whoami", headers=clinician)
    assert response.status == 200 and "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "192.168.1.5:{port}",
                                  "localhost.evil.example:{port}", ""])
async def test_foreign_host_header_is_refused(client, clinician, db, host):
    before = table_count(db, "encounters")
    headers = clinician | {"Host": host.format(port=client.port)}
    for response in [await client.get("/v1/health", headers=headers),
                     await client.post("/v1/encounters", json=ENCOUNTER, headers=headers)]:
        assert response.status == 403
        assert (await response.json())["code"] == "host_forbidden"
    assert table_count(db, "encounters") == before


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
async def test_loopback_host_headers_are_accepted(client, host):
    response = await client.get("/v1/health", headers={"Host": host.format(port=client.port)})
    assert response.status == 200


async def test_allow_remote_accepts_ip_literals_but_not_names(aiohttp_client, settings, db):
    from companion.api.app import create_app

    remote = await aiohttp_client(create_app(settings.model_copy(update={"allow_remote": True, "host": "0.0.0.0"}), db))
    port = remote.port
    assert (await remote.get("/v1/health", headers={"Host": f"192.168.1.5:{port}"})).status == 200
    assert (await remote.get("/v1/health", headers={"Host": f"rebind.example:{port}"})).status == 403


async def test_companions_own_pages_may_call_it(client, admin):
    """The /admin dashboard is served by the companion itself, so its same-origin requests are accepted."""
    port = client.server.port
    response = await client.get("/v1/whoami", headers=admin | {"Origin": f"http://127.0.0.1:{port}"})
    assert response.status == 200 and "Access-Control-Allow-Origin" not in response.headers
    other_port = await client.get("/v1/whoami", headers=admin | {"Origin": f"http://127.0.0.1:{port + 1}"})
    assert other_port.status == 403 and (await other_port.json())["code"] == "origin_forbidden"
