"""Plain records the pilot metrics are computed from; the store builds them, tests and benches can build them by hand."""

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

# The seed's error categories, in the order the dashboard lists them.
ERROR_CATEGORIES = ("omission", "hallucination", "medication_error", "speaker_misattribution", "other")

# Write-back outcomes that mean the integration failed and a person had to step in ("skipped" is the user's choice).
FAILURE_OUTCOMES = frozenset({"missing", "ambiguous", "verify_failed", "refused", "error"})


class ErrorTag(NamedTuple):
    """A clinician's tag on an approved note (a tuple: the store passes plain lists of the same shape)."""

    category: str
    clinically_significant: bool = False
    section: str | None = None


class SectionEdit(NamedTuple):
    """How much of one AI-drafted section the clinician changed before approving (section, draft chars, distance)."""

    section: str
    draft_chars: int
    distance: int


@dataclass(slots=True, frozen=True)
class WritebackResult:
    """One field's write-back outcome."""

    section: str
    field: str
    outcome: str


@dataclass(slots=True)
class EncounterRecord:
    """One encounter as the pilot sees it; times are POSIX seconds, None when the event never happened."""

    encounter_id: str
    clinician: str
    pims: str
    created_at: float
    approved_at: float | None
    scribe: bool = True  # False: a note written without the scribe (baseline / blind-review "manual" note)
    panel_opened_at: float | None = None
    first_transcript_at: float | None = None
    map_id: str | None = None
    map_version: str | None = None
    edits: tuple[SectionEdit, ...] = ()
    error_tags: tuple[ErrorTag, ...] = ()
    writeback: tuple[WritebackResult, ...] = ()
    # totals of `edits`, used when `edits` is empty because the store passes per-section sums separately
    draft_chars: int = 0
    edit_distance: int = 0


@dataclass(slots=True, frozen=True)
class SatisfactionRecord:
    """One clinician's 1-5 answer for one day."""

    clinician: str
    day: date
    score: int


@dataclass(slots=True)
class PilotData:
    """Everything the metrics need for one window."""

    encounters: list[EncounterRecord]
    satisfaction: list[SatisfactionRecord] = field(default_factory=list)
    baseline_encounters: list[EncounterRecord] | None = None  # manual notes to measure a baseline from
    # write-back outcomes already counted by the store: (pims, map_id, map_version, field, outcome, count)
    writeback_counts: list[tuple[str, str | None, str | None, str, str, int]] = field(default_factory=list)
    # per-section edits of AI notes already summed by the store: (clinician, section, draft chars, distance)
    section_edit_counts: list[tuple[str, str, int, int]] = field(default_factory=list)


def section_edits(draft: dict[str, str], approved: dict[str, str]) -> tuple[SectionEdit, ...]:
    """Edit distance per section between the AI draft and the approved text (a dropped or added section counts whole)."""
    edits = []
    for name in sorted(set(draft) | set(approved)):
        before, after = draft.get(name) or "", approved.get(name) or ""
        edits.append(SectionEdit(name, len(before), Levenshtein.distance(before, after)))
    return tuple(edits)


_ALIASES = {"medication": "medication_error", "dosing_error": "medication_error", "dose_error": "medication_error",
            "speaker": "speaker_misattribution", "misattribution": "speaker_misattribution"}


def parse_error_tag(raw: str | dict) -> ErrorTag:
    """One stored tag: {category, clinically_significant, section} or a string "category[:significant]"."""
    if isinstance(raw, dict):
        category, significant, section = raw.get("category", ""), bool(raw.get("clinically_significant")), raw.get("section")
    else:
        category, _, flag = str(raw).partition(":")
        significant, section = flag.strip().lower() in {"significant", "clinically_significant", "sig"}, None
    category = category.strip().lower().replace(" ", "_").replace("-", "_")
    category = _ALIASES.get(category, category)
    return ErrorTag(category if category in ERROR_CATEGORIES else "other", significant, section)
