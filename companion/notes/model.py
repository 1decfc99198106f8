"""The note engine's data model: transcript segments, note items with provenance, flags, grounding."""

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, computed_field, model_validator


class Speaker(StrEnum):
    """Who spoke a segment."""

    vet = "vet"
    tech = "tech"
    client = "client"
    other = "other"


class Segment(BaseModel):
    """One turn of the consult transcript."""

    model_config = ConfigDict(extra="forbid")

    id: str
    speaker: Speaker = Speaker.other
    text: str
    start_ms: int | None = None
    end_ms: int | None = None


class Provenance(BaseModel):
    """Where an item came from: a character span of a segment, or a field of the patient context."""

    model_config = ConfigDict(extra="forbid")

    segment_id: str | None = None
    start: int | None = None
    end: int | None = None
    context_field: str | None = None


class NoteItem(BaseModel):
    """One sentence or line of a note section, with the evidence it rests on."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="history, client_report, finding, normal, diagnosis, diagnostic, recheck, "
                                  "instruction, problem, context")
    text: str
    system: str | None = None
    negated: bool = False
    provenance: list[Provenance] = Field(default_factory=list)
    grounded: bool = True


class Vital(BaseModel):
    """A measured vital sign, normalised (temperature °F, weight kg) with what was said."""

    model_config = ConfigDict(extra="forbid")

    name: Literal["temperature", "heart_rate", "respiratory_rate", "weight", "body_condition_score",
                  "mucous_membranes", "crt", "pain_score"]
    value: float | str
    unit: str | None = None
    said: str = Field(description="The words as spoken.")
    scale: int | None = Field(default=None, description="Denominator for scores (BCS x/9, pain x/4...).")
    environmental: bool = Field(default=False, description="A reptile enclosure temperature, not the body's.")
    provenance: list[Provenance] = Field(default_factory=list)
    grounded: bool = True


MedStatus = Literal["new", "continued", "changed", "discontinued", "mentioned"]


class MedicationOrder(BaseModel):
    """A medication in the plan (or, with status 'mentioned', one the client named)."""

    model_config = ConfigDict(extra="forbid")

    drug: str = Field(description="Generic name, lower case.")
    said_as: str = Field(description="The name as spoken (brand or generic).")
    drug_class: str | None = None
    dose: float | None = None
    unit: str | None = None
    route: str | None = None
    frequency: str | None = None
    duration: str | None = None
    status: MedStatus = "new"
    mg_per_kg: float | None = None
    in_lexicon: bool = True
    provenance: list[Provenance] = Field(default_factory=list)
    grounded: bool = True

    def describe(self) -> str:
        """One plan line such as 'Carprofen 75 mg PO BID for 7 days (new)'."""
        name = self.drug.capitalize()
        if self.said_as.lower() != self.drug:
            name += f" ({self.said_as})"
        parts = [name]
        if self.dose is not None:
            parts.append(f"{_fmt_number(self.dose)} {self.unit or ''}".strip())
        parts += [p for p in (self.route, self.frequency) if p]
        if self.duration:
            parts.append(f"for {self.duration}")
        return " ".join(parts) + f" ({self.status})"


class Structured(BaseModel):
    """Species-specific structured findings kept apart from free text."""

    model_config = ConfigDict(extra="forbid")

    lameness: list[dict] = Field(default_factory=list, description="AAEP grades: {limb, grade, provenance}.")
    teeth: list[dict] = Field(default_factory=list, description="Triadan numbers: {tooth, finding, provenance}.")


class Flag(BaseModel):
    """A safety finding for the clinician."""

    model_config = ConfigDict(extra="forbid")

    code: str
    severity: Literal["info", "warning", "critical"]
    message: str
    drug: str | None = None
    provenance: list[Provenance] = Field(default_factory=list)


class UngroundedItem(BaseModel):
    """An item the verifier could not trace to the transcript or chart."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    text: str
    reason: str
    action: Literal["removed", "marked"] = "removed"


class Grounding(BaseModel):
    """The grounding verifier's verdict on a whole note."""

    model_config = ConfigDict(extra="forbid")

    verdict: Literal["grounded", "ungrounded_removed", "ungrounded_marked"] = "grounded"
    checked: int = 0
    ungrounded: list[UngroundedItem] = Field(default_factory=list)


SECTIONS = ("subjective", "objective", "assessment", "plan")


class Note(BaseModel):
    """A SOAP draft: sections of items, vitals, medications, flags, missing items and the grounding verdict."""

    model_config = ConfigDict(extra="forbid")

    engine: str
    engine_note: str | None = Field(default=None, description="E.g. why a fallback engine answered.")
    species: str | None = None
    headings: dict[str, str] = Field(default_factory=dict)
    subjective: list[NoteItem] = Field(default_factory=list)
    objective: list[NoteItem] = Field(default_factory=list)
    vitals: list[Vital] = Field(default_factory=list)
    exam: dict[str, list[NoteItem]] = Field(default_factory=dict, description="Body system → exam lines.")
    structured: Structured = Field(default_factory=Structured)
    assessment: list[NoteItem] = Field(default_factory=list)
    plan: list[NoteItem] = Field(default_factory=list)
    medications: list[MedicationOrder] = Field(default_factory=list)
    mentioned_medications: list[MedicationOrder] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    grounding: Grounding = Field(default_factory=Grounding)
    segments_used: int = 0
    template_id: str | None = None
    _template: object = PrivateAttr(default=None)  # the Template used, for rendering

    @model_validator(mode="before")
    @classmethod
    def _drop_rendered_sections(cls, data):
        """Accept a note's own JSON back: `sections` is rendered from the items, never read."""
        if isinstance(data, dict) and "sections" in data:
            data = {k: v for k, v in data.items() if k != "sections"}
        return data

    @computed_field(description="Section name → plain text (subjective, objective, assessment, plan, "
                                "exam_<system>): what the panel shows and the fill plan writes.")
    @property
    def sections(self) -> dict[str, str]:
        """`text_sections()` as a serialised field."""
        return self.text_sections()

    def text_sections(self) -> dict[str, str]:
        """Section name → plain text, for the panel and the fill plan."""
        from companion.notes.render import text_sections

        return text_sections(self)

    def to_text(self) -> str:
        """The whole note as plain text with headings."""
        from companion.notes.render import full_text

        return full_text(self)


def _fmt_number(value: float) -> str:
    return f"{value:g}"
