"""The typed patient context shared by the context parser, the note engine and the API.

This is a contract between areas: add optional fields freely, but do not rename or remove one without
updating every user (parser, note engine, API models, extension panel).
"""

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Species(StrEnum):
    """Controlled species vocabulary; every map, parser and engine normalises to these."""

    canine = "canine"
    feline = "feline"
    equine = "equine"
    bovine = "bovine"
    ovine = "ovine"
    caprine = "caprine"
    porcine = "porcine"
    lagomorph = "lagomorph"
    ferret = "ferret"
    rodent = "rodent"
    avian = "avian"
    reptile = "reptile"
    amphibian = "amphibian"
    fish = "fish"
    other = "other"


class Weight(BaseModel):
    """A body weight normalised to kilograms, keeping what the chart said."""

    model_config = ConfigDict(extra="forbid")

    kg: float = Field(gt=0, description="Weight in kilograms.")
    source_value: float | None = Field(default=None, description="The number as written in the chart.")
    source_unit: str | None = Field(default=None, description="The unit as written in the chart (kg, lb, g...).")
    recorded_on: date | None = None


class Medication(BaseModel):
    """A current medication as far as the chart text allows parsing it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The original line from the chart.")
    name: str | None = None
    dose: float | None = None
    unit: str | None = None
    frequency: str | None = None
    route: str | None = None


class PatientContext(BaseModel):
    """What the chart says about the patient, as read from the PIMS page.

    Every field may be null: a field the page did not yield is null and named in `warnings`.
    """

    model_config = ConfigDict(extra="forbid")

    patient_id: str | None = None
    name: str | None = None
    species: Species | None = None
    species_text: str | None = Field(default=None, description="Species as written in the chart.")
    breed: str | None = None
    sex: str | None = None
    date_of_birth: date | None = None
    age_years: float | None = Field(default=None, ge=0)
    weight: Weight | None = None
    medications: list[Medication] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)
    allergies: list[str] = Field(default_factory=list)
    last_visit: date | None = None
    warnings: list[str] = Field(default_factory=list, description="Fields that could not be read, and why.")
