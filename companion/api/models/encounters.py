"""Models for encounters, transcript, note revisions, approvals and write-back."""

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from companion.api.models.common import Id, Millis, ShortText, Slug, Strict, Version
from companion.context.model import PatientContext

State = Literal["created", "transcript", "drafted", "approved", "written", "partially_written", "closed"]
Speaker = Literal["vet", "tech", "client", "other"]
SectionName = Annotated[
    str, StringConstraints(pattern=r"^(subjective|objective|assessment|plan|note|exam_[a-z_]{1,40})$")]
SectionText = Annotated[str, StringConstraints(max_length=100_000)]
Outcome = Literal["written", "appended", "unchanged", "missing", "ambiguous", "verify_failed", "refused", "skipped",
                  "error"]


class EncounterCreate(Strict):
    """Open an encounter for the patient on the PIMS page."""

    patient_id: ShortText
    pims: Slug
    map_id: Slug | None = None
    map_version: Version | None = None
    context: PatientContext | None = None
    clinician: ShortText | None = None


class EncounterQuery(Strict):
    """List filter: the PIMS patient id (never logged)."""

    patient_id: ShortText
    limit: int = Field(default=50, ge=1, le=200)


class Segment(Strict):
    """One stored transcript turn."""

    segment_id: int
    seq: int
    speaker: Speaker
    text: str
    start_ms: int | None = None
    end_ms: int | None = None


class Revision(Strict):
    """A kept note revision (engine draft or clinician edit)."""

    revision_id: str
    seq: int
    kind: Literal["draft", "edit"]
    base_revision_id: str | None = None
    sections: dict[str, str]
    created_at: str


class ApprovalSummary(Strict):
    """An approval recorded on the encounter."""

    approval_id: str
    revision_id: str
    error_tags: list[str]
    created_at: str


class WritebackRecord(Strict):
    """A stored per-field write-back outcome."""

    approval_id: str
    section: str
    field: str
    outcome: Outcome
    writer: str | None = None
    strategy: str | None = None
    detail: str | None = None
    created_at: str


class Encounter(Strict):
    """An encounter with its state, transcript, latest revision, approvals and write-back results."""

    id: str
    patient_id: str
    pims: str
    map_id: str | None = None
    map_version: int | None = None
    clinician: str | None = None
    state: State
    context: PatientContext | None = None
    created_at: str
    updated_at: str
    transcript: list[Segment]
    latest_revision: Revision | None = None
    approvals: list[ApprovalSummary]
    writeback_results: list[WritebackRecord]


class EncounterList(Strict):
    """Encounters, newest first."""

    items: list[Encounter]


class SegmentIn(Strict):
    """One transcript turn from the scribe."""

    speaker: Speaker
    text: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    start_ms: Millis | None = None
    end_ms: Millis | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "SegmentIn":
        if self.start_ms is not None and self.end_ms is not None and self.end_ms < self.start_ms:
            raise ValueError("end_ms is before start_ms")
        return self


class TranscriptAppend(Strict):
    """Either structured `segments` or tagged-line `text` (e.g. `Vet: ...`), not both; an optional
    idempotency_key makes a retried append return the first answer."""

    segments: list[SegmentIn] | None = Field(default=None, min_length=1, max_length=2_000)
    text: Annotated[str, StringConstraints(min_length=1, max_length=500_000)] | None = None
    idempotency_key: Id | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "TranscriptAppend":
        if (self.segments is None) == (self.text is None):
            raise ValueError("give exactly one of 'segments' or 'text'")
        return self


class TranscriptAppended(Strict):
    """Ids of the stored segments and the encounter's new state."""

    segment_ids: list[int]
    state: State


class DraftRequest(Strict):
    """Ask the note engine for a draft, optionally in a named practice template (a name, never a path)."""

    template: Slug | None = None


class DraftResult(Strict):
    """The engine's note (sections with provenance, flags, missing, grounding) kept as a draft revision."""

    revision_id: str
    encounter_id: str
    state: State
    sections: dict[str, str]
    note: dict[str, Any]


class RevisionCreate(Strict):
    """A clinician edit: the full sections, and the revision it was based on (optimistic concurrency)."""

    sections: dict[SectionName, SectionText] = Field(min_length=1, max_length=40)
    base_revision_id: Id | None = None


class RevisionCreated(Strict):
    """The kept revision."""

    revision_id: str
    encounter_id: str
    seq: int
    kind: Literal["draft", "edit"]
    state: State
    created_at: str


class ApproveRequest(Strict):
    """Approve a revision for filling; retry with the same idempotency_key to get the same plan."""

    revision_id: Id
    idempotency_key: Id
    error_tags: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=50)
    sections: dict[SectionName, SectionText] | None = Field(
        default=None, min_length=1, max_length=40,
        description="The clinician's final text, edited on top of revision_id: kept as a new revision and approved "
                    "in one step (so an approval queued offline needs no earlier call).")


class FillPlan(Strict):
    """What the extension may write: section → text, for this patient, through this map version."""

    approval_id: str
    encounter_id: str
    patient_id: str
    revision_id: str
    map_id: str | None = None
    map_version: int | None = None
    sections: dict[str, str]


class WritebackResultIn(Strict):
    """The outcome of writing one section into one PIMS field."""

    section: SectionName
    field: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    outcome: Outcome
    writer: Annotated[str, StringConstraints(max_length=100)] | None = None
    strategy: Annotated[str, StringConstraints(max_length=100)] | None = None
    detail: Annotated[str, StringConstraints(max_length=2_000)] | None = None


class WritebackReport(Strict):
    """Per-field outcomes of filling an approved note."""

    approval_id: Id
    idempotency_key: Id
    results: list[WritebackResultIn] = Field(min_length=1, max_length=100)
