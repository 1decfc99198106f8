"""Parse the HTML fragments a selector map's context locators matched into a typed PatientContext.

Never raises on page content: anything unreadable becomes null plus a warning naming the field. Warnings never
quote the page's text, so they are safe to log.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any, Callable

from companion.context.dates import DateError, age_in_years, parse_age, parse_chart_date
from companion.context.fragments import fragment_items, fragment_text, strip_caption
from companion.context.medications import parse_medication
from companion.context.model import PatientContext, Species
from companion.context.species import normalise_sex, normalise_species
from companion.context.weight import WeightError, parse_weight

LIST_FIELDS = ("medications", "problems", "allergies")
SCALAR_FIELDS = ("patient_id", "name", "species", "breed", "sex", "date_of_birth", "age", "weight", "last_visit")
MAX_VALUE = 200  # characters: a name or breed longer than this is a mis-aimed locator, not a value


class FieldProblem(ValueError):
    """A field's text could not be read; the message names no patient data."""


@lru_cache(maxsize=32)
def _shipped_map(map_id: str) -> Any:
    from companion.maps.loader import load_shipped_map

    return load_shipped_map(map_id)


def _dayfirst_of(smap: Any) -> bool | None:
    order = getattr(smap, "date_order", "auto")
    return {"day_first": True, "month_first": False}.get(order)


def _patterns_of(smap: Any) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for kind in smap.page_kinds.values():
        for name, ctx in kind.context.items():
            if ctx.extract and ctx.extract not in found.setdefault(name, []):
                found[name].append(ctx.extract)
    return {name: tuple(patterns) for name, patterns in found.items()}


def _apply_extract(text: str, patterns: tuple[str, ...]) -> str:
    for pattern in patterns:
        match = re.search(pattern, text)
        if match and match.group(1) is not None:
            return match.group(1).strip()
    if patterns:
        raise FieldProblem("the map's extract pattern did not match")
    return text


def _scalar_text(fragments: list[str], patterns: tuple[str, ...]) -> str:
    text = "\n".join(t for t in (fragment_text(f) for f in fragments) if t)
    text = _apply_extract(text, patterns) if patterns else strip_caption(text)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise FieldProblem("is empty on the page")
    return text


def _short(text: str) -> str:
    if len(text) > MAX_VALUE:
        raise FieldProblem(f"is longer than {MAX_VALUE} characters; the locator probably matches a whole panel")
    return text


class _Parser:
    """Fills one PatientContext field by field, turning every failure into a warning."""

    def __init__(self, fragments: dict[str, list[str]], patterns: dict[str, tuple[str, ...]], today: date,
                 dayfirst: bool | None):
        self.fragments = fragments
        self.patterns = patterns
        self.today = today
        self.dayfirst = dayfirst
        self.values: dict[str, Any] = {}
        self.warnings: list[str] = []

    def text(self, name: str) -> str:
        return _scalar_text(self.fragments[name], self.patterns.get(name, ()))

    def date(self, name: str) -> date:
        notes: list[str] = []
        try:
            value = parse_chart_date(self.text(name), dayfirst=self.dayfirst, notes=notes)
        except DateError as exc:
            raise FieldProblem(str(exc)) from None
        self.warnings += [f"{name}: {note}" for note in notes]
        if value > self.today:
            raise FieldProblem("is in the future")
        if value.year < 1900:
            raise FieldProblem("is before 1900")
        return value

    def run(self, name: str, parse: Callable[[], None]) -> None:
        if name not in self.fragments:
            return
        if not any((f or "").strip() for f in self.fragments[name]):
            self.warnings.append(f"{name}: not found on the page")
            return
        try:
            parse()
        except FieldProblem as exc:
            self.warnings.append(f"{name}: {exc}")
        except Exception as exc:  # a malformed fragment must never fail the request
            self.warnings.append(f"{name}: could not be read ({type(exc).__name__})")

    # one method per context field
    def patient_id(self) -> None:
        text = _short(self.text("patient_id"))
        # "12345 Bella" (an id shown beside the name): keep the token that carries digits
        tokens = text.split()
        if len(tokens) > 1 and "patient_id" not in self.patterns:
            text = next((t for t in tokens if any(c.isdigit() for c in t)), text)
        self.values["patient_id"] = text

    def name(self) -> None:
        self.values["name"] = _short(self.text("name"))

    def breed(self) -> None:
        self.values["breed"] = _short(self.text("breed"))

    def sex(self) -> None:
        self.values["sex"] = normalise_sex(_short(self.text("sex")))

    def species(self) -> None:
        text = _short(self.text("species"))
        self.values["species_text"] = text
        species = normalise_species(text)
        if species is None:
            self.values["species"] = Species.other
            self.warnings.append("species: not in the vocabulary; recorded as other")
        else:
            self.values["species"] = species

    def date_of_birth(self) -> None:
        born = self.date("date_of_birth")
        self.values["date_of_birth"] = born
        self.values["age_years"] = age_in_years(born, self.today)

    def age(self) -> None:
        if "age_years" in self.values:
            return  # date of birth wins: it is exact
        try:
            self.values["age_years"] = parse_age(self.text("age"))
        except DateError as exc:
            raise FieldProblem(str(exc)) from None

    def weight(self) -> None:
        try:
            self.values["weight"] = parse_weight(self.text("weight"))
        except WeightError as exc:
            raise FieldProblem(str(exc)) from None

    def last_visit(self) -> None:
        self.values["last_visit"] = self.date("last_visit")

    def items(self, name: str) -> list[str]:
        out: list[str] = []
        for fragment in self.fragments[name]:
            out += fragment_items(fragment)
        return out

    def medications(self) -> None:
        self.values["medications"] = [parse_medication(line) for line in self.items("medications")]

    def problems(self) -> None:
        self.values["problems"] = self.items("problems")

    def allergies(self) -> None:
        self.values["allergies"] = self.items("allergies")


def parse_context(map_id: str, fragments: dict[str, list[str]], *, selector_map: Any = None,
                  today: date | None = None, dayfirst: bool | None = None) -> PatientContext:
    """Typed patient context from the resolver's fragments; `selector_map` supplies `extract` patterns and the
    date order (default: the shipped map with this id)."""
    smap = selector_map if selector_map is not None else _shipped_map(map_id)
    patterns = _patterns_of(smap) if smap is not None else {}
    if dayfirst is None and smap is not None:
        dayfirst = _dayfirst_of(smap)
    clean = {k: [f for f in (v or []) if isinstance(f, str)] for k, v in (fragments or {}).items()}
    parser = _Parser(clean, patterns, today or date.today(), dayfirst)
    for name in SCALAR_FIELDS + LIST_FIELDS:
        parser.run(name, getattr(parser, name))
    unknown = sorted(set(clean) - set(SCALAR_FIELDS) - set(LIST_FIELDS))
    parser.warnings += [f"{name}: not a context field; ignored" for name in unknown]
    return PatientContext(**parser.values, warnings=parser.warnings)
