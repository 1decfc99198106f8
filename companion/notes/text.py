"""Sentences with their place in the transcript: the unit every extractor works on."""

import re
from dataclasses import dataclass

from companion.notes.model import Provenance, Segment, Speaker
from companion.notes.numbers import normalise

# A sentence ends at . ! ? ; unless the dot sits inside a number ("2.5").
_SENTENCE = re.compile(r"(?:[^.!?;]|(?<=\d)\.(?=\d))+[.!?;]*")
_LEADING_FILLER = re.compile(r"^(?:\s*(?:um+|uh+|so|okay|ok|and|well|alright|all right|now|yeah|yes|right|hmm+|"
                             r"mm-?hmm|oh|like|you know)\b[\s,.-]*)+", re.IGNORECASE)
_INNER_FILLER = re.compile(r"\b(?:um+|uh+)\b[\s,]*|\[(?:crosstalk|inaudible|noise|silence|laughter|music|"
                           r"unintelligible|pause)[^\]]*\][\s,]*", re.IGNORECASE)
_SPACES = re.compile(r"\s+([,.;:!?])|\s{2,}")


@dataclass(slots=True)
class Sentence:
    """One sentence of one segment: original text, number-normalised text (same length) and its span."""

    segment_id: str
    speaker: Speaker
    start: int
    end: int
    text: str
    norm: str
    index: int

    @property
    def lower(self) -> str:
        """Normalised lower-case text (same length as the original)."""
        return self.norm.lower()

    @property
    def is_question(self) -> bool:
        """True when the sentence asks rather than tells."""
        return self.text.rstrip().endswith("?")

    @property
    def by_clinician(self) -> bool:
        """Spoken by the vet or a technician."""
        return self.speaker in (Speaker.vet, Speaker.tech)

    def widen(self, end: int) -> int:
        """Move a relative end offset past the padding of a spoken number ("twenty-five" became "25   ")."""
        stop = end
        while stop < len(self.norm) and self.norm[stop] == " ":
            stop += 1
        tail = self.text[end:stop].rstrip()
        return end + len(tail) if tail.strip() else end

    def said(self, start: int, end: int) -> str:
        """The original words behind a span of the normalised text."""
        return self.text[start:self.widen(end)]

    def provenance(self, start: int | None = None, end: int | None = None) -> Provenance:
        """Provenance of the whole sentence, or of a sub-span given relative to the sentence."""
        s = self.start + (start or 0)
        e = self.start + (self.widen(end) if end is not None else len(self.text))
        return Provenance(segment_id=self.segment_id, start=s, end=e)


def sentences(segments: list[Segment]) -> list[Sentence]:
    """Split every segment into sentences, keeping character spans into the segment text."""
    out: list[Sentence] = []
    for segment in segments:
        norm_segment = normalise(segment.text)
        # split the normalised text so that a spoken decimal point ("ninety eight . seven") ends no sentence
        for match in _SENTENCE.finditer(norm_segment):
            raw = segment.text[match.start():match.end()]
            stripped = raw.strip()
            if not stripped:
                continue
            start = match.start() + (len(raw) - len(raw.lstrip()))
            end = start + len(stripped)
            out.append(Sentence(segment.id, segment.speaker, start, end, stripped, norm_segment[start:end], len(out)))
    return out


def clean(text: str) -> str:
    """Display form of a spoken sentence: fillers dropped, first letter capitalised, final full stop."""
    text = _LEADING_FILLER.sub("", _INNER_FILLER.sub("", text)).strip(" ,-")
    text = _SPACES.sub(lambda m: m.group(1) or " ", text).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."
