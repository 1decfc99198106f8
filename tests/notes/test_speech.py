"""Speech adapters. The HTTP client runs against a LOCAL aiohttp server speaking the OpenAI
`/v1/audio/transcriptions` wire format (multipart upload, verbose_json answer): no hosted service is reachable here.
"""

import asyncio
import importlib.util

import pytest
from aiohttp import web

from companion.notes import draft_note
from companion.notes.errors import BackendError
from companion.notes.speech import HTTPTranscriber, SpeechUnavailableError, speech_adapter

AUDIO = b"RIFF\x00\x00\x00\x00WAVEfmt fake-audio-bytes"


async def test_http_transcriber_uploads_multipart_and_reads_segments(aiohttp_server):
    received = {}

    async def handler(request):
        form = await request.post()
        received.update(model=form["model"], format=form["response_format"], audio=form["file"].file.read(),
                        filename=form["file"].filename, auth=request.headers.get("Authorization"))
        return web.json_response({"text": "whole", "segments": [
            {"id": 0, "start": 0.0, "end": 2.5, "text": " The dog presents for coughing for a week."},
            {"id": 1, "start": 2.5, "end": 5.0, "text": " Start doxycycline 100 mg twice daily."}]})

    app = web.Application()
    app.router.add_post("/v1/audio/transcriptions", handler)
    server = await aiohttp_server(app)
    adapter = HTTPTranscriber(url=str(server.make_url("/v1")), api_key="s-1")
    segments = await asyncio.get_running_loop().run_in_executor(None, lambda: adapter.transcribe(AUDIO, "c.wav"))
    assert received == {"model": "whisper-1", "format": "verbose_json", "audio": AUDIO, "filename": "c.wav",
                        "auth": "Bearer s-1"}
    assert [(s.id, s.start_ms, s.end_ms) for s in segments] == [("a1", 0, 2500), ("a2", 2500, 5000)]
    assert segments[1].text == "Start doxycycline 100 mg twice daily."
    note = draft_note(segments)  # 'other' speaker: extracted, never invented
    assert note.grounding.verdict == "grounded"


async def test_http_transcriber_reports_server_errors(aiohttp_server):
    async def handler(request):
        return web.json_response({"error": {"message": "bad audio"}}, status=400)

    app = web.Application()
    app.router.add_post("/v1/audio/transcriptions", handler)
    server = await aiohttp_server(app)
    adapter = HTTPTranscriber(url=str(server.make_url("/v1")), retries=0)
    with pytest.raises(BackendError, match="HTTP 400"):
        await asyncio.get_running_loop().run_in_executor(None, lambda: adapter.transcribe(AUDIO))


def test_no_adapter_configured_means_typed_text():
    with pytest.raises(SpeechUnavailableError, match="type or paste"):
        speech_adapter(None)


@pytest.mark.skipif(importlib.util.find_spec("faster_whisper") is not None, reason="faster-whisper is installed")
def test_faster_whisper_absent_is_reported_clearly(tmp_path):
    with pytest.raises(SpeechUnavailableError, match="faster-whisper package, which is not installed"):
        speech_adapter({"kind": "faster-whisper", "model_path": str(tmp_path)})
