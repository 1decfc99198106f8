"""Blind review: 5 AI and 5 manual notes with identities removed and shuffled; the reviewer's ratings compared."""

import random
import re
from dataclasses import dataclass
from statistics import fmean

from pydantic import BaseModel, ConfigDict, Field

CRITERIA = ("completeness", "accuracy", "professionalism")
KINDS = ("ai", "manual")


@dataclass(slots=True, frozen=True)
class CandidateNote:
    """An approved note that could go into a blind review, with the identities to strip from it."""

    encounter_id: str
    kind: str  # "ai" or "manual"
    sections: dict[str, str]
    identities: tuple[str, ...] = ()  # patient name, patient id, clinician name...


class ReviewItem(BaseModel):
    """What the reviewer sees: a code and the note text, nothing else."""

    code: str
    sections: dict[str, str]


class Rating(BaseModel):
    """The reviewer's 1-10 scores for one coded note."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=16)
    completeness: int = Field(ge=1, le=10)
    accuracy: int = Field(ge=1, le=10)
    professionalism: int = Field(ge=1, le=10)


class KindSummary(BaseModel):
    """Mean scores for one kind of note."""

    n: int
    completeness: float | None
    accuracy: float | None
    professionalism: float | None
    overall: float | None


class Comparison(BaseModel):
    """AI versus manual notes as the reviewer rated them."""

    rated: int
    expected: int
    ai: KindSummary
    manual: KindSummary
    difference: dict[str, float | None]  # ai minus manual, per criterion and overall


class NotEnoughNotes(ValueError):
    """Fewer approved notes of a kind than the review needs."""


class UnknownCodes(ValueError):
    """Ratings named codes that are not in the review."""


_REDACTED = "[redacted]"


def redact(text: str, identities: tuple[str, ...]) -> str:
    """Replace every identity (whole word, any case) with a neutral marker."""
    for name in sorted({i.strip() for i in identities if i and len(i.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", _REDACTED, text, flags=re.IGNORECASE)
    return text


def build_review(
    candidates: list[CandidateNote], *, per_kind: int = 5, rng: random.Random | None = None
) -> tuple[list[ReviewItem], dict[str, tuple[str, str]]]:
    """Pick per_kind notes of each kind at random, strip identities, shuffle; return the items and the code key."""
    rng = rng or random.SystemRandom()
    chosen: list[CandidateNote] = []
    for kind in KINDS:
        pool = [c for c in candidates if c.kind == kind]
        if len(pool) < per_kind:
            raise NotEnoughNotes(f"need {per_kind} approved {kind} notes, have {len(pool)}")
        chosen.extend(rng.sample(pool, per_kind))
    rng.shuffle(chosen)
    codes = rng.sample(range(100, 1000), len(chosen))  # random codes: their order says nothing about the kind
    items, key = [], {}
    for note, number in zip(chosen, codes):
        code = f"N{number}"
        items.append(ReviewItem(code=code, sections={k: redact(v, note.identities) for k, v in note.sections.items()}))
        key[code] = (note.encounter_id, note.kind)
    return items, key


def compare(key: dict[str, str], ratings: list[Rating]) -> Comparison:
    """Mean ratings per kind; key maps code → kind. Unknown codes are refused."""
    unknown = sorted({r.code for r in ratings} - set(key))
    if unknown:
        raise UnknownCodes(f"codes not in this review: {', '.join(unknown)}")
    latest = {r.code: r for r in ratings}  # a re-rated code replaces the earlier rating
    summaries = {kind: _summary([r for c, r in latest.items() if key[c] == kind]) for kind in KINDS}
    difference = {}
    for name in (*CRITERIA, "overall"):
        a, m = getattr(summaries["ai"], name), getattr(summaries["manual"], name)
        difference[name] = a - m if a is not None and m is not None else None
    return Comparison(rated=len(latest), expected=len(key), ai=summaries["ai"], manual=summaries["manual"],
                      difference=difference)


def _summary(ratings: list[Rating]) -> KindSummary:
    if not ratings:
        return KindSummary(n=0, completeness=None, accuracy=None, professionalism=None, overall=None)
    means = {c: fmean(getattr(r, c) for r in ratings) for c in CRITERIA}
    return KindSummary(n=len(ratings), **means, overall=fmean(means.values()))
