"""Models for selector maps, context parsing and drift reports."""

from typing import Annotated, Any, Literal

from pydantic import Field, RootModel, StringConstraints

from companion.api.models.common import ShortText, Slug, Strict, Version

Fragment = Annotated[str, StringConstraints(max_length=200_000)]


class MapSummary(Strict):
    """A map id with its active version."""

    id: str
    display_name: str
    version: int
    active: bool


class MapList(Strict):
    """Every installed map (active versions)."""

    items: list[MapSummary]


class MapQuery(Strict):
    """Which version to fetch; the active one by default."""

    version: Version | None = None


class MapDocument(RootModel[dict[str, Any]]):
    """A selector map exactly as installed (see selectors/schema.json)."""


class MapInstall(Strict):
    """A selector map to install as a new version."""

    map: dict[str, Any]


class MapRef(Strict):
    """A map id and version."""

    id: str
    version: int


class MapVersion(Strict):
    """One stored version of a map."""

    id: str
    version: int
    display_name: str
    sha256: str
    source: Literal["shipped", "admin"]
    installed_at: str
    active: bool


class MapVersionList(Strict):
    """Every stored version, newest first."""

    items: list[MapVersion]


class Rollback(Strict):
    """Make this stored version active again."""

    version: Version


class ContextParse(Strict):
    """HTML fragments per context field, as collected by the resolver."""

    map_id: Slug
    fragments: dict[Annotated[str, StringConstraints(min_length=1, max_length=64)], list[Fragment]] = Field(
        max_length=64)


class DriftReport(Strict):
    """A field the resolver could not find cleanly on a PIMS page."""

    map_id: Slug
    map_version: Version
    page_kind: ShortText
    field: ShortText
    outcome: Literal["missing", "ambiguous", "fallback"]
    strategy: ShortText | None = None
    score: float | None = Field(default=None, ge=0, le=1e6)


class DriftSummary(Strict):
    """Counts of drift observations per map, field and outcome."""

    map_id: str
    field: str
    outcome: str
    count: int
    last_seen: str


class DriftList(Strict):
    """Drift summary rows, most recent first."""

    items: list[DriftSummary]
