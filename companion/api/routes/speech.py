"""Dictation: a recording is transcribed by the configured speech adapter and appended as transcript segments.

The adapter is `companion.notes.speech` (an OpenAI-compatible /v1/audio/transcriptions endpoint or a local
faster-whisper model), chosen by Settings.speech. Consent and state are checked before any audio is transcribed.
"""

import asyncio
import json
import threading

from companion.api.errors import ApiError
from companion.api.keys import SETTINGS
from companion.api.models.speech import AudioTranscribed, Capabilities, DictatedSegment, SpeechCapability
from companion.api.spec import Call, Route
from companion.store import dictation, encounters

AUDIO_TYPES = ("audio/webm", "audio/ogg", "audio/wav", "audio/x-wav", "audio/wave", "audio/mpeg", "audio/mp4",
               "audio/x-m4a", "audio/flac")
EXTENSIONS = {"audio/webm": "webm", "audio/ogg": "ogg", "audio/mpeg": "mp3", "audio/mp4": "m4a",
              "audio/x-m4a": "m4a", "audio/flac": "flac"}  # the rest are WAV
_adapters: dict[str, object] = {}
_adapters_lock = threading.Lock()


def _adapter(config: dict | None):
    """The adapter for `config`, built once (a local model loads only on first use); raises
    SpeechUnavailableError with the reason when none can run."""
    from companion.notes.speech import speech_adapter

    key = json.dumps(config, sort_keys=True)
    with _adapters_lock:
        if key not in _adapters:
            _adapters[key] = speech_adapter(config)
        return _adapters[key]


async def _load_adapter(call: Call):
    from companion.notes.speech import SpeechUnavailableError

    try:
        return await asyncio.to_thread(_adapter, call.request.app[SETTINGS].speech)
    except SpeechUnavailableError as exc:
        raise ApiError(501, "speech_unavailable", str(exc)) from None


async def capabilities(call: Call) -> Capabilities:
    """What this companion offers beyond the core routes (today: dictation)."""
    try:
        adapter = await _load_adapter(call)
    except ApiError as exc:
        return Capabilities(speech=SpeechCapability(available=False, detail=exc.detail))
    return Capabilities(speech=SpeechCapability(available=True, adapter=adapter.name,
                                                detail="Dictation is transcribed by the companion."))


async def transcribe(adapter, audio: bytes, media_type: str) -> list[dict]:
    """Run the adapter off the event loop; a failing backend is a 502 that names no audio content."""
    from companion.notes.errors import BackendError

    filename = f"dictation.{EXTENSIONS.get(media_type, 'wav')}"
    try:
        segments = await asyncio.to_thread(adapter.transcribe, audio, filename, media_type)
    except BackendError as exc:
        raise ApiError(502, "backend_unavailable", f"speech-to-text failed: {exc}") from None
    return [{"speaker": "other", "text": s.text, "start_ms": s.start_ms, "end_ms": s.end_ms}
            for s in segments if s.text.strip()]


async def append_audio(call: Call) -> AudioTranscribed:
    """Transcribe a recording and append what it says to the encounter's transcript."""
    encounter_id = call.params["id"]
    await call.read(dictation.check_can_append, encounter_id)  # 404 / 409 / consent before audio goes anywhere
    adapter = await _load_adapter(call)
    segments = await transcribe(adapter, call.body, call.request.content_type)
    if not segments:
        raise ApiError(422, "no_speech", "no speech was recognised in the recording; nothing was added")
    ids, state = await call.db(encounters.append_transcript, call.actor, encounter_id, segments)
    return AudioTranscribed(segment_ids=ids, state=state,
                            segments=[DictatedSegment(segment_id=i, **s) for i, s in zip(ids, segments)])


ROUTES = [
    Route("GET", "/v1/capabilities", capabilities, "Optional features (dictation)", response=Capabilities,
          tags=["system"]),
    Route("POST", "/v1/encounters/{id}/audio", append_audio, "Dictate: transcribe a recording into the transcript",
          raw_body=AUDIO_TYPES, response=AudioTranscribed, tags=["encounters"]),
]
