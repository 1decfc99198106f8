"""The selector-map schema: what an admin writes to tell the extension where a PIMS keeps each field.

`selectors/schema.json` is generated from these models (`vetscribe selectors schema`); the resolver in
extension/resolve/ is the only code that interprets locators. See selectors/README.md for the admin's guide.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Map and page-kind ids are short slugs: they travel in drift reports and URLs.
SLUG = r"^[a-z0-9][a-z0-9_-]{0,62}$"
# Write sections shared with the note engine (see /tmp/COMMON.md "Section / field names").
WRITE_SECTION = r"^(subjective|objective|assessment|plan|note|exam_[a-z][a-z0-9_]{0,40})$"

ContextFieldName = Literal[
    "patient_id", "name", "species", "breed", "sex", "date_of_birth", "age", "weight",
    "medications", "problems", "allergies", "last_visit",
]
CONTEXT_FIELD_NAMES: tuple[str, ...] = ContextFieldName.__args__  # type: ignore[attr-defined]

# Exactly one of these keys names a locator's strategy; the resolver tries them in the order the map lists them.
STRATEGIES: tuple[str, ...] = (
    "test_id", "name", "id", "id_prefix", "label", "aria_label", "placeholder", "role", "css", "text_near",
)
# An absolute XPath (or an XPath at all) survives barely half of releases; the schema refuses it outright.
_XPATH = re.compile(r"^\s*\(?\s*/")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Hop(_Strict):
    """One step into a nested document: a same-origin iframe or an open shadow root."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"oneOf": [{"required": ["iframe"]}, {"required": ["shadow_root"]}]}
    )

    iframe: str | None = Field(default=None, description="CSS selector of the iframe (must match exactly one).")
    shadow_root: str | None = Field(
        default=None, description="CSS selector of the shadow host whose open shadowRoot to enter."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Hop:
        if (self.iframe is None) == (self.shadow_root is None):
            raise ValueError("a hop names exactly one of 'iframe' or 'shadow_root'")
        for css in (self.iframe, self.shadow_root):
            if css is not None and _XPATH.match(css):
                raise ValueError("XPath is not allowed; use a CSS selector")
        return self


class Locator(_Strict):
    """One way to find an element. Exactly one strategy key is set; the rest narrow or scope it.

    A locator that matches zero or several elements is a miss and the resolver tries the next one.
    """

    # The JSON Schema says "exactly one strategy" too, so editors flag it while the admin types.
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True,
        json_schema_extra={"oneOf": [{"required": [key]} for key in STRATEGIES]},
    )

    # strategies (exactly one)
    test_id: str | None = Field(default=None, description="Value of the test-id attribute (see `attribute`).")
    name: str | None = Field(default=None, description="The element's `name` attribute, exactly.")
    id: str | None = Field(default=None, description="The element's full id, exactly.")
    id_prefix: str | None = Field(
        default=None, description="Start of the element's id, for ids with changing numeric suffixes."
    )
    label: str | None = Field(default=None, description="Text of the field's <label> (or aria-labelledby).")
    aria_label: str | None = Field(default=None, description="The element's aria-label attribute.")
    placeholder: str | None = Field(default=None, description="The element's placeholder attribute.")
    role: str | None = Field(default=None, description="ARIA role (explicit or implied by the tag).")
    css: str | None = Field(default=None, description="A CSS selector; prefer the strategies above.")
    text_near: str | None = Field(
        default=None, description="Visible text just before the element (a caption, a <dt>, a heading)."
    )
    # modifiers
    attribute: str | None = Field(
        default=None,
        pattern=r"^data-[a-z0-9_-]+$",
        description="With `test_id`: the attribute holding it (default data-testid; also data-test-id, data-qa...).",
    )
    accessible_name: str | None = Field(default=None, description="With `role`: the accessible name to match.")
    match: Literal["exact", "contains", "prefix"] = Field(
        default="exact",
        description="How text values compare (label, aria_label, placeholder, accessible_name, text_near); "
        "always case- and whitespace-insensitive, trailing ':' and '*' ignored.",
    )
    filter: str | None = Field(
        default=None,
        description="CSS selector every match must also satisfy, e.g. 'textarea'. For text_near it picks the "
        "element after the text (default: an editable field).",
    )
    visible: bool = Field(
        default=False, description="Count only rendered elements (ignores hidden templates and closed popups)."
    )
    within: Locator | None = Field(
        default=None, description="Search only inside the one element this locator finds."
    )
    enter: list[Hop] = Field(
        default_factory=list, description="Iframes / shadow roots to enter, outermost first, before searching."
    )
    note: str | None = Field(default=None, description="Why this alternative exists and where it was seen.")

    @model_validator(mode="after")
    def _one_strategy(self) -> Locator:
        chosen = [key for key in STRATEGIES if getattr(self, key) is not None]
        if len(chosen) != 1:
            raise ValueError(
                f"a locator names exactly one strategy of {', '.join(STRATEGIES)}; got {chosen or 'none'}"
            )
        if self.accessible_name is not None and self.role is None:
            raise ValueError("'accessible_name' only goes with 'role'")
        if self.attribute is not None and self.test_id is None:
            raise ValueError("'attribute' only goes with 'test_id'")
        for key in ("css", "filter"):
            value = getattr(self, key)
            if value is not None and _XPATH.match(value):
                raise ValueError(f"'{key}' looks like an XPath; XPaths are not allowed, use a CSS selector")
        return self

    @property
    def strategy(self) -> str:
        """The one strategy key this locator uses."""
        return next(key for key in STRATEGIES if getattr(self, key) is not None)


class Fingerprint(_Strict):
    """Attributes recorded when the field was picked; the similarity fallback compares candidates to them."""

    tag: str | None = None
    type: str | None = None
    name: str | None = None
    id: str | None = None
    test_id: str | None = None
    label: str | None = None
    aria_label: str | None = None
    placeholder: str | None = None
    role: str | None = None
    text: str | None = Field(default=None, description="The element's own visible text (buttons, links).")
    near_text: str | None = Field(default=None, description="Visible text just before the element.")
    classes: list[str] = Field(default_factory=list)
    enter: list[Hop] = Field(default_factory=list, description="Where the element was: iframes/shadow roots.")


class Acceptance(_Strict):
    """When the similarity fallback may accept a candidate."""

    min_score: float = Field(default=0.7, ge=0, le=1, description="A candidate must score at least this.")
    min_margin: float = Field(
        default=0.15, ge=0, le=1, description="...and lead the runner-up by at least this much."
    )


class Target(_Strict):
    """Anything the resolver can look for: ordered locators plus an optional fingerprint."""

    locators: list[Locator] = Field(min_length=1, description="Tried in order; the first unique match wins.")
    fingerprint: Fingerprint | None = None
    acceptance: Acceptance | None = Field(default=None, description="Overrides the map's acceptance rules.")
    note: str | None = None


class ContextField(Target):
    """A piece of patient context to read; the companion parses the matched HTML."""

    multiple: bool = Field(
        default=False, description="Read every element the locator matches (e.g. one per medication row)."
    )
    extract: str | None = Field(
        default=None,
        description="Regular expression applied by the companion to the element's text; group 1 is the value.",
    )

    @model_validator(mode="after")
    def _extract_compiles(self) -> ContextField:
        if self.extract is not None:
            try:
                compiled = re.compile(self.extract)
            except re.error as exc:
                raise ValueError(f"'extract' is not a valid regular expression: {exc}") from None
            if compiled.groups < 1:
                raise ValueError("'extract' needs one capture group, e.g. 'Patient ID:\\s*(\\d+)'")
        return self


EditorKind = Literal[
    "auto", "input", "textarea", "select", "contenteditable",
    "ckeditor5", "tinymce", "quill", "lexical", "prosemirror",
]


class WriteField(Target):
    """A note section's destination field and how to write into it."""

    kind: EditorKind = "auto"
    mode: Literal["replace", "append", "ask"] = Field(
        default="ask", description="replace; append after existing text; ask the clinician when not empty."
    )
    format: Literal["plain", "html"] = "plain"
    separator: str = Field(default="\n\n", description="Put between existing text and appended text.")


class ClickStep(_Strict):
    """Click an element (e.g. 'Add History') unless what it opens is already there."""

    action: Literal["click"]
    target: Target
    skip_if_present: Target | None = Field(default=None, description="Skip the click when this is found.")


class WaitStep(_Strict):
    """Wait until an element appears (or disappears)."""

    action: Literal["wait_for"]
    target: Target
    state: Literal["present", "absent"] = "present"
    timeout_ms: int = Field(default=5000, ge=50, le=60000)


Step = Annotated[ClickStep | WaitStep, Field(discriminator="action")]


class Detect(_Strict):
    """How to tell this page kind is showing: URL path and elements that must (not) be on the page."""

    paths: list[str] = Field(default_factory=list, description="Path globs; empty means any path.")
    present: list[Locator] = Field(default_factory=list, description="Each must match at least one element.")
    absent: list[Locator] = Field(default_factory=list, description="None may match any element.")

    @model_validator(mode="after")
    def _not_empty(self) -> Detect:
        if not (self.paths or self.present):
            raise ValueError("a detect guard needs at least one of 'paths' or 'present'")
        return self


class PageKind(_Strict):
    """One kind of page in the PIMS (a patient record, a consult popup) with what to read and write there."""

    display_name: str | None = None
    detect: Detect
    context: dict[ContextFieldName, ContextField] = Field(default_factory=dict)
    steps: list[Step] = Field(default_factory=list, description="Run in order before a fill.")
    write: dict[Annotated[str, Field(pattern=WRITE_SECTION)], WriteField] = Field(default_factory=dict)


class Match(_Strict):
    """Which tabs the map applies to."""

    hosts: list[Annotated[str, Field(min_length=1)]] = Field(
        min_length=1, description="Host globs: '*.ezyvet.com' matches any subdomain (not the bare domain)."
    )
    paths: list[str] = Field(default_factory=list, description="Path globs ('*' matches anything); empty = any.")


class CheckedAgainst(_Strict):
    """What the map was last verified against."""

    source: str = Field(description="e.g. 'replica tests/replicas/ezyvet' or 'tenant clinic.ezyvet.com'.")
    pims_version: str | None = None
    checked_on: date | None = None
    notes: str | None = None


class SelectorMap(_Strict):
    """A selector map: one PIMS's pages, the context to read and the note fields to write."""

    schema_ref: str | None = Field(default=None, alias="$schema", description="Path/URL of schema.json.")
    id: str = Field(pattern=SLUG, description="Stable id, e.g. 'ezyvet'.")
    display_name: str = Field(min_length=1)
    version: int = Field(ge=1, strict=True, description="Map version: a whole number, raised by one for every change.")
    checked_against: list[CheckedAgainst] = Field(default_factory=list)
    notes: str | None = None
    match: Match
    acceptance: Acceptance = Field(default_factory=Acceptance)
    date_order: Literal["auto", "day_first", "month_first"] = Field(
        default="auto",
        description="How the PIMS writes dates like 03/04/2019; 'auto' reads them month first and warns.",
    )
    page_kinds: dict[Annotated[str, Field(pattern=SLUG)], PageKind] = Field(min_length=1)


Locator.model_rebuild()
