"""Dictation through the companion's speech adapter: POST /v1/encounters/{id}/audio and GET /v1/capabilities.

No speech model or hosted speech API can run here, so the OpenAI-compatible adapter is pointed at a local aiohttp
server that speaks the same wire format (multipart POST /v1/audio/transcriptions, verbose_json answer). It records
what it received, so the tests check the audio really went through it, and that nothing went when it must not.
"""

import pytest
from aiohttp import web

from companion.api.app import create_app
from companion.config import Settings
from conftest import one_party_practice, pair_token, table_count

AUDIO = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 4  # opaque bytes; the stand-in does not decode them
SEGMENTS = [{"id": 0, "start": 0.0, "end": 1.25, "text": " Heart rate one twenty, lungs clear."},
            {"id": 1, "start": 1.25, "end": 2.5, "text": " Recheck in two weeks."}]


@pytest.fixture
async def speech_server(aiohttp_server):
    """A local stand-in for an OpenAI-compatible transcription endpoint."""
    received: list[dict] = []

    async def transcriptions(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != "Bearer test-speech-key":
            return web.json_response({"error": {"message": "bad key"}}, status=401)
        form = await request.post()
        upload = form["file"]
        received.append({"model": form["model"], "format": form["response_format"], "filename": upload.filename,
                         "content_type": upload.content_type, "audio": upload.file.read()})
        return web.json_response({"task": "transcribe", "language": "english", "duration": 2.5,
                                  "text": "".join(s["text"] for s in SEGMENTS), "segments": SEGMENTS})

    app = web.Application()
    app.router.add_post("/v1/audio/transcriptions", transcriptions)
    server = await aiohttp_server(app)
    server.received = received
    return server


@pytest.fixture
async def dictating(aiohttp_client, tmp_path, speech_server):
    from companion.api.keys import DB

    config = {"kind": "http", "url": str(speech_server.make_url("/v1")), "model": "whisper-test",
              "api_key": "test-speech-key"}
    settings = Settings(data_dir=tmp_path / "data", shipped_maps_dir=None, max_body_bytes=64 * 1024, speech=config)
    client = await aiohttp_client(create_app(settings))
    db = client.server.app[DB]
    one_party_practice(db)
    return client, db, await pair_token(client, db), await pair_token(client, db, "admin")


async def _encounter(client, headers) -> str:
    response = await client.post("/v1/encounters", headers=headers, json={"patient_id": "dictation-1", "pims": "ezyvet"})
    assert response.status == 201, await response.text()
    return (await response.json())["id"]


def _audio(client, headers, encounter_id, body=AUDIO, media="audio/webm"):
    return client.post(f"/v1/encounters/{encounter_id}/audio", data=body,
                       headers={**headers, "Content-Type": f"{media};codecs=opus"})


async def test_capabilities_and_dictation_appends_segments(dictating, speech_server):
    client, db, clinician, _ = dictating
    caps = await (await client.get("/v1/capabilities", headers=clinician)).json()
    assert caps["speech"]["available"] is True and caps["speech"]["adapter"] == "openai-compatible-transcriptions"
    encounter_id = await _encounter(client, clinician)
    response = await _audio(client, clinician, encounter_id)
    assert response.status == 200, await response.text()
    body = await response.json()
    assert [s["text"] for s in body["segments"]] == ["Heart rate one twenty, lungs clear.", "Recheck in two weeks."]
    assert body["segments"][1]["start_ms"] == 1250 and body["state"] == "transcript"
    [sent] = speech_server.received
    assert sent["audio"] == AUDIO and sent["filename"] == "dictation.webm" and sent["content_type"] == "audio/webm"
    assert sent["model"] == "whisper-test" and sent["format"] == "verbose_json"
    encounter = await (await client.get(f"/v1/encounters/{encounter_id}", headers=clinician)).json()
    assert [(s["speaker"], s["text"]) for s in encounter["transcript"]] == [
        ("other", "Heart rate one twenty, lungs clear."), ("other", "Recheck in two weeks.")]


async def test_consent_is_enforced_before_any_audio_leaves(dictating, speech_server):
    client, db, clinician, admin = dictating
    response = await client.post("/v1/admin/pilot/settings", headers=admin, json={"consent": {"state": "CA"}})
    assert response.status == 200, await response.text()
    encounter_id = await _encounter(client, clinician)
    response = await _audio(client, clinician, encounter_id)
    assert response.status == 409 and (await response.json())["code"] == "consent_required"
    assert speech_server.received == [] and table_count(db, "transcript_segments") == 0
    consent = await client.post(f"/v1/encounters/{encounter_id}/consent", headers=clinician,
                                json={"confirmed_by": "clinician"})
    assert consent.status == 201, await consent.text()
    assert (await _audio(client, clinician, encounter_id)).status == 200
    assert len(speech_server.received) == 1 and table_count(db, "transcript_segments") == 2


async def test_bad_uploads_are_refused_and_write_nothing(dictating, speech_server):
    client, db, clinician, _ = dictating
    encounter_id = await _encounter(client, clinician)
    wrong_type = await _audio(client, clinician, encounter_id, media="text/plain")
    assert wrong_type.status == 415 and (await wrong_type.json())["code"] == "unsupported_media_type"
    empty = await _audio(client, clinician, encounter_id, body=b"")
    assert empty.status == 422
    too_big = await _audio(client, clinician, encounter_id, body=b"\0" * (65 * 1024))
    assert too_big.status == 413 and (await too_big.json())["code"] == "payload_too_large"
    unknown = await _audio(client, clinician, "enc_missing")
    assert unknown.status == 404
    closed = await client.post(f"/v1/encounters/{encounter_id}/close", headers=clinician, json={})
    assert closed.status == 200
    assert (await _audio(client, clinician, encounter_id)).status == 409
    assert speech_server.received == [] and table_count(db, "transcript_segments") == 0


async def test_unreachable_speech_backend_is_502_and_writes_nothing(aiohttp_client, tmp_path, unused_tcp_port):
    from companion.api.keys import DB

    config = {"kind": "http", "url": f"http://127.0.0.1:{unused_tcp_port}/v1"}
    client = await aiohttp_client(create_app(Settings(data_dir=tmp_path / "d", shipped_maps_dir=None, speech=config)))
    db = client.server.app[DB]
    one_party_practice(db)
    clinician = await pair_token(client, db)
    encounter_id = await _encounter(client, clinician)
    response = await _audio(client, clinician, encounter_id)
    assert response.status == 502 and (await response.json())["code"] == "backend_unavailable"
    assert table_count(db, "transcript_segments") == 0


async def test_no_adapter_configured_is_501_speech_unavailable(aiohttp_client, tmp_path):
    from companion.api.keys import DB

    client = await aiohttp_client(create_app(Settings(data_dir=tmp_path / "d", shipped_maps_dir=None, speech=None)))
    one_party_practice(client.server.app[DB])
    clinician = await pair_token(client, client.server.app[DB])
    caps = await (await client.get("/v1/capabilities", headers=clinician)).json()
    assert caps["speech"]["available"] is False and "type or paste" in caps["speech"]["detail"]
    encounter_id = await _encounter(client, clinician)
    response = await _audio(client, clinician, encounter_id)
    problem = await response.json()
    assert response.status == 501 and problem["code"] == "speech_unavailable"
    assert "No speech-to-text is configured" in problem["detail"]
