"""Speech-to-text adapters: an OpenAI-compatible /v1/audio/transcriptions client and a local faster-whisper one.

With no adapter configured the panel takes typed or pasted text; `speech_adapter(None)` says exactly that.
"""

import importlib.util
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from companion.notes.errors import BackendError, NoteEngineError
from companion.notes.http import post
from companion.notes.model import Segment, Speaker


class SpeechUnavailableError(NoteEngineError):
    """No speech-to-text is available: the reason says what to install or configure."""

    code = "speech_unavailable"


class SpeechAdapter(Protocol):
    """Turns recorded audio into transcript segments (speaker 'other': diarisation is the clinician's edit)."""

    name: str

    def transcribe(self, audio: bytes, filename: str = "audio.wav", mime: str = "audio/wav") -> list[Segment]:
        """Segments of what the audio says."""


@dataclass
class HTTPTranscriber:
    """Client of an OpenAI-compatible `/v1/audio/transcriptions` endpoint (multipart upload)."""

    url: str
    model: str = "whisper-1"
    api_key: str | None = None
    language: str | None = None
    timeout: float = 120.0
    retries: int = 1
    backoff: float = 0.5
    name: str = "openai-compatible-transcriptions"

    def transcribe(self, audio: bytes, filename: str = "audio.wav", mime: str = "audio/wav") -> list[Segment]:
        """Upload the audio and return its segments (verbose_json timings when the server gives them)."""
        if not audio:
            raise SpeechUnavailableError("The recording is empty: nothing to transcribe.")
        fields = {"model": self.model, "response_format": "verbose_json"}
        if self.language:
            fields["language"] = self.language
        body, content_type = _multipart(fields, audio, filename, mime)
        headers = {"Content-Type": content_type}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        answer = post(self.url.rstrip("/") + "/audio/transcriptions", body, headers, self.timeout, self.retries,
                      self.backoff)
        return _segments(answer)


def _multipart(fields: dict[str, str], audio: bytes, filename: str, mime: str) -> tuple[bytes, str]:
    boundary = f"vetscribe-{uuid.uuid4().hex}"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: {mime}\r\n\r\n".encode() + audio + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _segments(answer) -> list[Segment]:
    if not isinstance(answer, dict):
        raise BackendError("the transcription answer is not a JSON object")
    timed = answer.get("segments")
    if isinstance(timed, list) and timed:
        return [Segment(id=f"a{i}", speaker=Speaker.other, text=str(s.get("text", "")).strip(),
                        start_ms=_ms(s.get("start")), end_ms=_ms(s.get("end")))
                for i, s in enumerate(timed, start=1) if isinstance(s, dict) and str(s.get("text", "")).strip()]
    text = answer.get("text")
    if not isinstance(text, str):
        raise BackendError("the transcription answer has neither segments nor text")
    return [Segment(id="a1", speaker=Speaker.other, text=text.strip())] if text.strip() else []


def _ms(seconds) -> int | None:
    return int(round(float(seconds) * 1000)) if isinstance(seconds, (int, float)) else None


class FasterWhisperTranscriber:
    """Local transcription with faster-whisper, when that package and a model directory are present."""

    name = "faster-whisper"

    def __init__(self, model_path: str | Path, device: str = "cpu", compute_type: str = "int8"):
        if importlib.util.find_spec("faster_whisper") is None:
            raise SpeechUnavailableError("Local speech-to-text needs the faster-whisper package, which is not "
                                         "installed (pip install faster-whisper); type or paste the transcript.")
        path = Path(model_path)
        if not path.is_dir() or not (path / "model.bin").exists():
            raise SpeechUnavailableError(f"No faster-whisper model at {path} (expected a directory holding "
                                         "model.bin); type or paste the transcript.")
        from faster_whisper import WhisperModel  # imported only when present

        self._model = WhisperModel(str(path), device=device, compute_type=compute_type)

    def transcribe(self, audio: bytes, filename: str = "audio.wav", mime: str = "audio/wav") -> list[Segment]:
        """Segments from the local model."""
        import io

        pieces, _ = self._model.transcribe(io.BytesIO(audio))
        return [Segment(id=f"a{i}", speaker=Speaker.other, text=p.text.strip(), start_ms=int(p.start * 1000),
                        end_ms=int(p.end * 1000)) for i, p in enumerate(pieces, start=1) if p.text.strip()]


def speech_adapter(config: dict | None) -> SpeechAdapter:
    """The adapter a config asks for: {"kind": "http", "url", "model", "api_key"} or {"kind": "faster-whisper",
    "model_path"}. Raises `SpeechUnavailableError` with the reason when none can run."""
    if not config or not config.get("kind"):
        raise SpeechUnavailableError("No speech-to-text is configured: type or paste the transcript.")
    kind = config["kind"]
    if kind == "http":
        if not config.get("url"):
            raise SpeechUnavailableError("Speech kind 'http' needs a url.")
        return HTTPTranscriber(url=config["url"], model=config.get("model", "whisper-1"),
                               api_key=config.get("api_key"), language=config.get("language"))
    if kind == "faster-whisper":
        return FasterWhisperTranscriber(config.get("model_path", ""))
    raise SpeechUnavailableError(f"Unknown speech kind {json.dumps(kind)}; use 'http' or 'faster-whisper'.")
