"""Practice-editable note templates: headings, body-system order, normal phrases, undiscussed-system policy."""

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from companion.notes.errors import TemplateError

KNOWN_SYSTEMS = ("general", "eyes", "ears", "nose_throat", "oral", "lymph_nodes", "cardiovascular", "respiratory",
                 "abdomen", "urogenital", "musculoskeletal", "integument", "neurologic")
SECTION_KEYS = ("subjective", "objective", "assessment", "plan")


class Template(BaseModel):
    """A practice's note template, validated."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    headings: dict[str, str]
    body_systems: list[str] = Field(min_length=1)
    system_labels: dict[str, str] = Field(default_factory=dict)
    normal_phrases: dict[str, str] = Field(default_factory=dict)
    undiscussed_systems: Literal["omit", "not_examined"] = "omit"
    not_examined_phrase: str = "Not examined/discussed"
    exam_in_objective: bool = Field(default=True, description="Also write exam lines into the Objective text; "
                                                              "exam_<system> sections are always produced.")
    required: list[str] = Field(default_factory=list, description="Items reported in Note.missing when absent.")

    @model_validator(mode="after")
    def _check(self) -> "Template":
        unknown = [s for s in self.body_systems if s not in KNOWN_SYSTEMS]
        if unknown:
            raise ValueError(f"unknown body system(s) {unknown}; known: {list(KNOWN_SYSTEMS)}")
        if len(set(self.body_systems)) != len(self.body_systems):
            raise ValueError("body_systems lists a system twice")
        missing = [k for k in SECTION_KEYS if k not in self.headings]
        if missing:
            raise ValueError(f"headings lacks {missing}")
        return self

    def label(self, system: str) -> str:
        """Display label of a body system."""
        return self.system_labels.get(system) or system.replace("_", " ").capitalize()


@lru_cache(maxsize=1)
def default_template() -> Template:
    """The shipped default template."""
    text = resources.files("companion.notes.data").joinpath("default_template.json").read_text("utf-8")
    return Template.model_validate_json(text)


def load_template(source: "str | Path | dict | Template | None") -> Template:
    """Load a template from a `Path`, a name in the data dir, a dict or a `Template`; None or "default" gives the
    shipped one. Raises `TemplateError`."""
    if source is None or source == "default":
        return default_template()
    if isinstance(source, Template):
        return source
    if isinstance(source, dict):
        return _validate(source, "template")
    path = _resolve(source)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        if not isinstance(source, Path):  # a name from an API caller: do not echo it (it could be anything)
            raise TemplateError(f"No template of that name exists in {templates_dir()}.") from None
        raise TemplateError(f"Template file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"Template file {path} cannot be read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise TemplateError(f"Template file {path} is not valid JSON: {exc.msg} at line {exc.lineno}.") from None
    return _validate(data, str(path))


def templates_dir() -> Path:
    """Where practice templates live: <data dir>/templates/<name>.json."""
    from companion.config import default_data_dir

    return default_data_dir() / "templates"


def _resolve(source: "str | Path") -> Path:
    """A `Path` as given; a string is a template name looked up in the data dir (never a path, so an API caller
    cannot point the engine at an arbitrary file)."""
    if isinstance(source, Path):
        return source
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,100}", source):
        raise TemplateError("A template name may hold only letters, digits, '-' and '_'.")
    return templates_dir() / f"{source}.json"


def _validate(data, where: str) -> Template:
    if not isinstance(data, dict):
        raise TemplateError(f"{where}: a template must be a JSON object.")
    merged = {**default_template().model_dump(), **data}  # a practice file may set only what it changes
    try:
        return Template.model_validate(merged)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'template'}: {e['msg']}" for e in exc.errors())
        raise TemplateError(f"{where} is not a valid template: {problems}") from None
