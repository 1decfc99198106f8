"""Turn tagged transcript text or structured segments into `Segment`s, and reject empty consults."""

import re
from collections.abc import Iterable, Mapping

from companion.notes.errors import EmptyTranscriptError, TranscriptFormatError
from companion.notes.model import Segment, Speaker

# Tag word → role. The client of a vet practice speaks where a human-medicine transcript says "patient".
_ROLE_WORDS = {
    "dr": Speaker.vet, "doctor": Speaker.vet, "vet": Speaker.vet, "veterinarian": Speaker.vet, "dvm": Speaker.vet,
    "clinician": Speaker.vet,
    "tech": Speaker.tech, "technician": Speaker.tech, "nurse": Speaker.tech, "vn": Speaker.tech,
    "rvt": Speaker.tech, "lvt": Speaker.tech, "assistant": Speaker.tech,
    "owner": Speaker.client, "client": Speaker.client, "patient": Speaker.client, "patient_guest": Speaker.client,
    "guest": Speaker.client, "caller": Speaker.client, "farmer": Speaker.client, "handler": Speaker.client,
    "other": Speaker.other, "speaker": Speaker.other, "unknown": Speaker.other,
}
_WORDS = "|".join(sorted(_ROLE_WORDS, key=len, reverse=True))
_BRACKET_TAG = re.compile(rf"^\s*\[\s*({_WORDS})(?:[ _]?\d+)?\s*\]\s*:?\s*", re.IGNORECASE)
_COLON_TAG = re.compile(rf"^\s*({_WORDS})\.?(?:[ _]?\d+)?\s*:\s*", re.IGNORECASE)
# A tag inside a line starts a new turn: "[doctor] ... [patient] ..." or "Dr: Hello. Owner: Hi."
_INLINE_TAG = re.compile(rf"(?<=\S)\s+(?=\[\s*(?:{_WORDS})(?:[ _]?\d+)?\s*\])|(?<=[.!?])\s+(?=(?:{_WORDS})\.?"
                         rf"(?:[ _]?\d+)?\s*:\s)", re.IGNORECASE)
_NOISE = re.compile(r"\[(?:inaudible|silence|crosstalk|noise|music|laughter|unintelligible|pause)[^\]]*\]|"
                    r"\b(?:um+|uh+|hmm+|mm-?hmm|ah+|er+|okay|ok|yeah|yes|no|alright|right|so)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9]+")
MIN_CONTENT_WORDS = 6


def role_for(tag: str | None) -> Speaker:
    """Map a speaker tag or API role to a `Speaker`."""
    if not tag:
        return Speaker.other
    word = re.sub(r"[\s_]?\d+$", "", tag.strip().lower().strip("[]:. "))
    if word in Speaker.__members__:
        return Speaker(word)
    return _ROLE_WORDS.get(word, Speaker.other)


def parse_transcript(text: str) -> list[Segment]:
    """Parse tagged lines (`Dr:`, `Owner:`, `[doctor]`, `[patient]`, `[vet]`, `[client]`...) into segments.

    An untagged line continues the previous speaker's turn; text before any tag is spoken by 'other'.
    """
    segments: list[Segment] = []
    lines = (piece for raw in text.splitlines() for piece in _INLINE_TAG.split(raw))
    for raw_line in lines:
        line = raw_line.strip()
        if not line:
            continue
        match = _BRACKET_TAG.match(line) or _COLON_TAG.match(line)
        if match:
            body = line[match.end():].strip()
            segments.append(Segment(id=f"s{len(segments) + 1}", speaker=role_for(match.group(1)), text=body))
        elif segments:
            last = segments[-1]
            last.text = f"{last.text} {line}".strip()
        else:
            segments.append(Segment(id="s1", speaker=Speaker.other, text=line))
    return [s for s in segments if s.text]


def coerce_segments(transcript: str | Iterable) -> list[Segment]:
    """Accept a tagged string, `Segment`s or dicts ({speaker, text, id?, start_ms?, end_ms?})."""
    if isinstance(transcript, str):
        return parse_transcript(transcript)
    if transcript is None:
        raise EmptyTranscriptError("No transcript was given: nothing to draft a note from.")
    segments: list[Segment] = []
    for index, item in enumerate(transcript, start=1):
        segments.append(_one_segment(item, index))
    _ensure_unique_ids(segments)
    return [s for s in segments if s.text.strip()]


def _one_segment(item, index: int) -> Segment:
    if isinstance(item, Segment):
        return item
    if not isinstance(item, Mapping):
        raise TranscriptFormatError(f"Transcript segment {index} is a {type(item).__name__}, not an object.")
    text = item.get("text")
    if not isinstance(text, str):
        raise TranscriptFormatError(f"Transcript segment {index} has no text string.")
    speaker = item.get("speaker") or item.get("role")
    return Segment(id=str(item.get("id") or f"s{index}"), speaker=role_for(speaker), text=text,
                   start_ms=item.get("start_ms"), end_ms=item.get("end_ms"))


def _ensure_unique_ids(segments: list[Segment]) -> None:
    seen: set[str] = set()
    for segment in segments:
        if segment.id in seen:
            raise TranscriptFormatError("Two transcript segments share one id.")
        seen.add(segment.id)


def require_content(segments: list[Segment]) -> None:
    """Raise `EmptyTranscriptError` unless the segments hold enough real words to support a note."""
    if not segments:
        raise EmptyTranscriptError("The transcript is empty: no note was drafted.")
    words = sum(len(_WORD.findall(_NOISE.sub(" ", s.text))) for s in segments)
    if words < MIN_CONTENT_WORDS:
        raise EmptyTranscriptError(
            f"The transcript holds only {words} meaningful word(s) (silence, fillers or noise): no note was "
            f"drafted. At least {MIN_CONTENT_WORDS} are needed.")
