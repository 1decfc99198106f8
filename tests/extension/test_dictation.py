"""Dictation in the panel: the Dictate button appears only when the companion reports a speech adapter; a real
MediaRecorder recording (Chromium's fake microphone, auto-accepted) goes through the background to
POST /v1/encounters/{id}/audio and comes back as transcript, never sent twice.

No speech model or hosted speech API can run here: the companion's OpenAI-compatible adapter talks to a local
aiohttp server that speaks the same wire format (multipart /v1/audio/transcriptions → verbose_json) and
answers with a fixed transcript; it records the upload so the test sees the browser's real audio arrive.
"""

from __future__ import annotations

import asyncio
import os
import threading

import pytest
from aiohttp import web

from tests.extension.harness import Companion, ExtensionBrowser, Panel, _launch, poll

SPOKEN = [{"id": 0, "start": 0.0, "end": 1.0, "text": " Vet: She has been limping on the left front leg."},
          {"id": 1, "start": 1.0, "end": 2.0, "text": " Vet: Heart rate 110, temperature 38.6."}]


class SpeechStandIn:
    """An OpenAI-compatible transcription endpoint on loopback, in its own thread."""

    def __init__(self):
        self.received: list[dict] = []
        self.loop = asyncio.new_event_loop()
        self.port = 0

    async def _transcriptions(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form["file"]
        self.received.append({"filename": upload.filename, "content_type": upload.content_type,
                              "audio": upload.file.read(), "model": form["model"]})
        return web.json_response({"text": "".join(s["text"] for s in SPOKEN), "segments": SPOKEN})

    def start(self) -> "SpeechStandIn":
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_post("/v1/audio/transcriptions", self._transcriptions)
        runner = web.AppRunner(app, access_log=None)
        ready = threading.Event()

        async def serve():
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.port = runner.addresses[0][1]
            ready.set()

        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(serve(), self.loop)
        assert ready.wait(10)
        self._runner = runner
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture(scope="module")
def speech():
    server = SpeechStandIn().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def speech_companion(tmp_path_factory, speech):
    """A second companion, started with VETSCRIBE_SPEECH_URL pointing at the stand-in."""
    os.environ["VETSCRIBE_SPEECH_URL"] = f"http://127.0.0.1:{speech.port}/v1"
    try:
        comp = Companion(data_dir=tmp_path_factory.mktemp("speech-companion")).start()
    finally:
        del os.environ["VETSCRIBE_SPEECH_URL"]
    yield comp
    comp.stop()


@pytest.fixture(scope="module")
def microphone_browser(playwright, tmp_path_factory, replicas, speech_companion):
    """Chromium with a fake microphone that is granted without a prompt; the replica's http origin is treated
    as secure (getUserMedia needs a secure context; live PIMS pages are https)."""
    origin = replicas.url("ezyvet").split("/", 3)[:3]
    context = _launch(playwright, tmp_path_factory.mktemp("mic-profile"), extra_args=(
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--unsafely-treat-insecure-origin-as-secure={'/'.join(origin)}"))
    ext = ExtensionBrowser(context)
    ext.set_test_mode(True)
    text = ext.pair_via_options(speech_companion.url, speech_companion.pair_code("clinician"))
    assert text.startswith("Paired as clinician"), text
    yield ext
    context.close()


def _open(ext, replicas):
    page = ext.context.new_page()
    page.goto(replicas.url("ezyvet"))
    panel = Panel(ext, page)
    panel.wait_mounted()
    panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Ready", "Confirm")), message="context read")
    return page, panel


def test_no_dictate_button_without_a_speech_adapter(paired, replicas):
    page, panel = _open(paired, replicas)
    try:
        poll(lambda: paired.message({"type": "companion.capabilities"}).get("ok"), message="capabilities")
        assert paired.message({"type": "companion.capabilities"})["data"]["speech"]["available"] is False
        assert panel.get("scribe-dictate")["visible"] is False
    finally:
        page.close()


def test_dictation_records_transcribes_and_is_not_resent(microphone_browser, speech_companion, speech, replicas):
    page, panel = _open(microphone_browser, replicas)
    try:
        panel.wait_for("scribe-dictate", lambda i: i["visible"], message="Dictate shown")
        panel.type("scribe-transcript", "Client: She is eating well.")
        panel.click("scribe-dictate")
        if panel.get("scribe-consent")["visible"]:  # the microphone opens only after the client's consent
            assert panel.status().startswith("Confirm the client's consent first")
            panel.click("scribe-consent-check")
            panel.click("scribe-consent-confirm")
            panel.wait_for("scribe-status", lambda i: i["text"].startswith("Consent recorded"), message="consent")
            assert not speech.received
            panel.click("scribe-dictate")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith("Recording"), message="recording")
        assert panel.text("scribe-dictate") == "Stop dictation"
        page.wait_for_timeout(1500)  # let the fake microphone produce a second and a half of audio
        panel.click("scribe-dictate")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Dictation added", "The dictation")),
                       timeout=30, message="dictation result")
        assert panel.status().startswith("Dictation added"), panel.status()

        [upload] = speech.received
        assert upload["content_type"] == "audio/webm" and upload["filename"] == "dictation.webm"
        assert upload["audio"][:4] == b"\x1a\x45\xdf\xa3" and len(upload["audio"]) > 1000  # a real WebM recording
        assert panel.value("scribe-transcript").splitlines() == [
            "Client: She is eating well.", "Vet: She has been limping on the left front leg.",
            "Vet: Heart rate 110, temperature 38.6."]
        encounter_id = panel.snapshot()["encounterId"]
        texts = lambda: [s["text"] for s in speech_companion.api("GET", f"/v1/encounters/{encounter_id}",
                                                                 role="clinician")["transcript"]]
        assert texts() == ["She is eating well.", "Vet: She has been limping on the left front leg.",
                           "Vet: Heart rate 110, temperature 38.6."]
        # Generate sends only text the companion does not have yet: nothing here
        panel.click("scribe-generate")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Draft ready", "No draft")), timeout=60,
                       message="draft")
        assert len(texts()) == 3 and len(speech.received) == 1
    finally:
        page.close()
