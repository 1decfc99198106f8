"""Shared model pieces: the strict base class, problem+json, opaque ids."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
# SQLite integers are 64-bit; versions and counters stay far below that.
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Millis = Annotated[int, Field(ge=0, le=10**12)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Strict(BaseModel):
    """Base for every API model: unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid")


class ProblemItem(Strict):
    """One validation failure: where (`loc`), what (`msg`) and its kind (`type`)."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(Strict):
    """RFC 9457 problem details with a stable machine-readable `code`."""

    type: str
    title: str
    status: int = Field(ge=400, le=599)
    code: str = Field(description="Stable machine-readable error code, e.g. validation_error, not_found.")
    detail: str
    errors: list[ProblemItem] | None = None


class Empty(Strict):
    """A body with no fields."""


JsonObject = dict[str, Any]
