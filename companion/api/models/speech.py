"""Models for dictation: what the companion can do, and the transcript an uploaded recording became."""

from companion.api.models.common import Strict
from companion.api.models.encounters import Speaker, State


class SpeechCapability(Strict):
    """Whether recordings can be transcribed here, by which adapter, and why not when not."""

    available: bool
    adapter: str | None = None
    detail: str


class Capabilities(Strict):
    """Optional features of this companion the extension adapts to."""

    speech: SpeechCapability


class DictatedSegment(Strict):
    """One transcript segment made from the recording."""

    segment_id: int
    speaker: Speaker
    text: str
    start_ms: int | None = None
    end_ms: int | None = None


class AudioTranscribed(Strict):
    """The segments appended from the recording and the encounter's new state."""

    segment_ids: list[int]
    state: State
    segments: list[DictatedSegment]
